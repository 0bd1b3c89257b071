"""What a live check saw, counted the way weaver's statistics count it.

Every assessed thing is an entity: each attribute, resource, span, span event, span link, metric,
data point and log record. Counts are per level and per id over the findings kept (after filters
and overrides), per entity type, per highest level an entity got, and of entities without any
finding. Coverage is the share of the registry's live (non-deprecated) attributes, metrics,
events and spans that were seen at least once; a template attribute is seen when any of its
instances is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from typed_semconv.livecheck.findings import RANK, Finding, Level
from typed_semconv.livecheck.index import RegistryIndex

_BY_RANK = {rank: value for value, rank in RANK.items()}


@dataclass(frozen=True)
class Coverage:
    seen: int
    total: int

    @property
    def share(self) -> float:
        return self.seen / self.total if self.total else 0.0


@dataclass
class Statistics:
    index: RegistryIndex
    total_entities: int = 0
    entities_by_type: Counter[str] = field(default_factory=Counter)
    level_counts: Counter[str] = field(default_factory=Counter)  # by level value
    id_counts: Counter[str] = field(default_factory=Counter)
    highest_level_counts: Counter[str] = field(default_factory=Counter)
    no_finding_count: int = 0
    registry_attributes: Counter[str] = field(default_factory=Counter)
    non_registry_attributes: Counter[str] = field(default_factory=Counter)
    registry_metrics: Counter[str] = field(default_factory=Counter)
    non_registry_metrics: Counter[str] = field(default_factory=Counter)
    registry_events: Counter[str] = field(default_factory=Counter)
    non_registry_events: Counter[str] = field(default_factory=Counter)
    registry_spans: Counter[str] = field(default_factory=Counter)  # by definition id
    non_registry_spans: Counter[str] = field(default_factory=Counter)  # by span name

    def entity(self, sample_type: str, findings: Iterable[Finding]) -> None:
        self.total_entities += 1
        self.entities_by_type[sample_type] += 1
        highest = -1
        for finding in findings:
            level = finding.level._value_
            self.level_counts[level] += 1
            self.id_counts[finding.id] += 1
            highest = max(highest, RANK[level])
        if highest < 0:
            self.no_finding_count += 1
        else:
            self.highest_level_counts[_BY_RANK[highest]] += 1

    @property
    def highest_level(self) -> Level | None:
        seen = [RANK[value] for value, count in self.highest_level_counts.items() if count]
        return Level(_BY_RANK[max(seen)]) if seen else None

    @property
    def total_findings(self) -> int:
        return sum(self.level_counts.values())

    def coverage(self) -> dict[str, Coverage]:
        index = self.index
        return {
            "attributes": _covered(self.registry_attributes, index.counted_attributes),
            "metrics": _covered(self.registry_metrics, index.counted_metrics),
            "events": _covered(self.registry_events, index.counted_events),
            "spans": _covered(self.registry_spans, index.counted_spans),
        }

    @property
    def registry_coverage(self) -> float:
        parts = self.coverage().values()
        total = sum(part.total for part in parts)
        return sum(part.seen for part in parts) / total if total else 0.0

    def as_json(self) -> dict[str, Any]:
        """weaver's statistics object, plus the span counts and coverage by kind."""
        index = self.index
        return {
            "total_entities": self.total_entities,
            "total_entities_by_type": dict(sorted(self.entities_by_type.items())),
            "total_advisories": self.total_findings,
            "advice_level_counts": dict(sorted(self.level_counts.items())),
            "advice_type_counts": dict(sorted(self.id_counts.items())),
            "highest_advice_level_counts": dict(sorted(self.highest_level_counts.items())),
            "no_advice_count": self.no_finding_count,
            "seen_registry_attributes": _all_counts(
                self.registry_attributes, index.counted_attributes
            ),
            "seen_non_registry_attributes": dict(sorted(self.non_registry_attributes.items())),
            "seen_registry_metrics": _all_counts(self.registry_metrics, index.counted_metrics),
            "seen_non_registry_metrics": dict(sorted(self.non_registry_metrics.items())),
            "seen_registry_events": _all_counts(self.registry_events, index.counted_events),
            "seen_non_registry_events": dict(sorted(self.non_registry_events.items())),
            "seen_registry_spans": _all_counts(self.registry_spans, index.counted_spans),
            "seen_non_registry_spans": dict(sorted(self.non_registry_spans.items())),
            "registry_coverage": self.registry_coverage,
            "registry_coverage_by_kind": {
                kind: {"seen": part.seen, "total": part.total, "share": part.share}
                for kind, part in self.coverage().items()
            },
        }


def _covered(seen: Counter[str], counted: frozenset[str]) -> Coverage:
    return Coverage(sum(1 for name in counted if seen[name] > 0), len(counted))


def _all_counts(seen: Counter[str], counted: frozenset[str]) -> dict[str, int]:
    """Every counted registry item with how often it was seen (0 included), as weaver lists it;
    items outside the counted set that were seen anyway (a dependency's) are listed too."""
    names = sorted(counted | {name for name, count in seen.items() if count})
    return {name: seen[name] for name in names}
