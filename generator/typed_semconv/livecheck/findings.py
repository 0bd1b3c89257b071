"""Every finding the live check can report: its id, default level and meaning.

This is the one table of finding ids. The ids that weaver's live check also reports keep weaver's
id and level, so reports can be compared; the ones marked `ours` are checks weaver cannot make
(they need typed-semconv's span naming). A level can be changed per project with
`[[tool.typed-semconv.live-check.finding-level-overrides]]`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple


class Level(enum.Enum):
    """How serious a finding is; `rank` orders them (violation is the highest)."""

    INFORMATION = "information"
    IMPROVEMENT = "improvement"
    VIOLATION = "violation"

    @property
    def rank(self) -> int:
        return RANK[self._value_]


RANK = {"information": 0, "improvement": 1, "violation": 2}  # by value: cheap to hash

SignalType = Literal["span", "metric", "log", "resource"]


@dataclass(frozen=True)
class FindingKind:
    id: str
    level: Level
    meaning: str
    ours: bool = False


VIOLATION = Level.VIOLATION
IMPROVEMENT = Level.IMPROVEMENT
INFORMATION = Level.INFORMATION

# --- attributes ----------------------------------------------------------------------------------

MISSING_ATTRIBUTE = FindingKind(
    "missing_attribute", VIOLATION, "The attribute is not defined in the registry."
)
TEMPLATE_ATTRIBUTE = FindingKind(
    "template_attribute", INFORMATION, "The attribute is an instance of a template attribute."
)
TYPE_MISMATCH = FindingKind(
    "type_mismatch", VIOLATION, "The value's type is not the type the registry gives."
)
UNDEFINED_ENUM_VARIANT = FindingKind(
    "undefined_enum_variant", INFORMATION, "The value is not one of the enum's members."
)
DEPRECATED = FindingKind(
    "deprecated", VIOLATION, "The attribute, metric, event or span is deprecated."
)
NOT_STABLE = FindingKind(
    "not_stable", IMPROVEMENT, "The attribute, metric, event or span is not stable yet."
)

# --- names ---------------------------------------------------------------------------------------

MISSING_NAMESPACE = FindingKind(
    "missing_namespace", IMPROVEMENT, "An attribute outside the registry has no namespace."
)
ILLEGAL_NAMESPACE = FindingKind(
    "illegal_namespace",
    VIOLATION,
    "An attribute outside the registry uses a registry attribute as its namespace.",
)
EXTENDS_NAMESPACE = FindingKind(
    "extends_namespace",
    INFORMATION,
    "An attribute outside the registry adds to a namespace of the registry.",
)
INVALID_FORMAT = FindingKind(
    "invalid_format",
    VIOLATION,
    "An attribute or metric name outside the registry is not lower-case words joined by "
    "`.` or `_`.",
)

# --- signals -------------------------------------------------------------------------------------

MISSING_METRIC = FindingKind("missing_metric", VIOLATION, "The metric is not in the registry.")
UNEXPECTED_INSTRUMENT = FindingKind(
    "unexpected_instrument", VIOLATION, "The metric's instrument is not the registry's."
)
UNIT_MISMATCH = FindingKind("unit_mismatch", VIOLATION, "The metric's unit is not the registry's.")
MISSING_EVENT = FindingKind("missing_event", VIOLATION, "The event is not in the registry.")
REQUIRED_ATTRIBUTE_NOT_PRESENT = FindingKind(
    "required_attribute_not_present", VIOLATION, "A required attribute of the signal is absent."
)
CONDITIONALLY_REQUIRED_ATTRIBUTE_NOT_PRESENT = FindingKind(
    "conditionally_required_attribute_not_present",
    INFORMATION,
    "A conditionally required attribute of the signal is absent (check its condition).",
)
RECOMMENDED_ATTRIBUTE_NOT_PRESENT = FindingKind(
    "recommended_attribute_not_present",
    IMPROVEMENT,
    "A recommended attribute of the signal is absent.",
)
OPT_IN_ATTRIBUTE_NOT_PRESENT = FindingKind(
    "opt_in_attribute_not_present", INFORMATION, "An opt-in attribute of the signal is absent."
)

# --- spans (ours) --------------------------------------------------------------------------------

SPAN_NAME_MISMATCH = FindingKind(
    "span_name_mismatch",
    VIOLATION,
    "The span's name is not the static name, or does not follow the name pattern, of the span "
    "definition it was matched to.",
    ours=True,
)
HIGH_CARDINALITY_SPAN_NAME = FindingKind(
    "high_cardinality_span_name",
    IMPROVEMENT,
    "The span name holds what looks like an id, a number, a UUID, a URL or an e-mail address.",
    ours=True,
)
SPAN_KIND_MISMATCH = FindingKind(
    "span_kind_mismatch",
    VIOLATION,
    "The span's kind is not the kind of the span definition it was matched to.",
    ours=True,
)

ALL_KINDS: tuple[FindingKind, ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, FindingKind)
)
BY_ID: Mapping[str, FindingKind] = {kind.id: kind for kind in ALL_KINDS}


class Finding(NamedTuple):
    """One finding about one sample (an attribute, a span, a data point, ...). A named tuple:
    immutable, and quick to make, which matters at tens of findings per span.

    `id`, `level`, `message`, `context`, `signal_type` and `signal_name` are weaver's finding
    fields; `sample_type` and `sample_name` say what exactly was assessed (for filters), and
    `origin` where the sample came from (the test that emitted it, or the input's location).
    """

    id: str
    level: Level
    message: str
    context: Mapping[str, Any]
    signal_type: SignalType | None
    signal_name: str | None
    sample_type: str
    sample_name: str
    origin: str | None = None

    def as_weaver(self) -> dict[str, Any]:
        """The finding in weaver's `PolicyFinding` shape."""
        return {
            "id": self.id,
            "level": self.level.value,
            "message": self.message,
            "context": dict(self.context),
            "signal_type": self.signal_type,
            "signal_name": self.signal_name,
        }

    def as_record(self) -> dict[str, Any]:
        """The finding with what was assessed and where it came from (JSON and JSONL reports)."""
        return {
            "finding": self.as_weaver(),
            "sample_type": self.sample_type,
            "sample_name": self.sample_name,
            "origin": self.origin,
        }
