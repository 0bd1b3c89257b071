"""`[tool.typed-semconv.live-check]`: finding filters, level overrides and when a run fails.

```toml
[tool.typed-semconv.live-check]
fail-on = "violation"            # violation | improvement | information | none

[[tool.typed-semconv.live-check.finding-filters]]
exclude = ["not_stable"]         # drop these finding ids
min-level = "improvement"        # drop findings below this level
signal-type = "span"             # only for findings about spans (or metric, log, resource)
sample-names = ["http.*"]        # only for these samples (globs)
exclude-samples = ["debug.*"]    # drop every finding about these samples (globs)

[[tool.typed-semconv.live-check.finding-level-overrides]]
ids = ["undefined_enum_variant"] # omit to change every id in scope
level = "violation"
signal-type = "span"
sample-names = ["http.*"]
```

Overrides are applied first, so `min-level` sees the changed level. A sample's name is the
attribute key for an attribute, the span name for a span, the metric name for a metric and its
data points, and the event name for a log record or a span event.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from typed_semconv.livecheck.findings import BY_ID, Finding, Level
from typed_semconv.options import FAIL_ON_CHOICES, ConfigError, FailOn

SIGNAL_TYPES = ("span", "metric", "log", "resource")
TABLE = "[tool.typed-semconv.live-check]"


@lru_cache(maxsize=65536)
def _glob(name: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(name, pattern)


def _matches_any(name: str, patterns: tuple[str, ...]) -> bool:
    return any(_glob(name, pattern) for pattern in patterns)


@dataclass(frozen=True)
class Scope:
    """Which findings a filter or an override applies to (empty: all)."""

    signal_type: str | None = None
    sample_names: tuple[str, ...] = ()

    def covers(self, finding: Finding) -> bool:
        if self.signal_type is not None and finding.signal_type != self.signal_type:
            return False
        return not self.sample_names or _matches_any(finding.sample_name, self.sample_names)


@dataclass(frozen=True)
class FindingFilter:
    scope: Scope = Scope()
    exclude: frozenset[str] = frozenset()
    min_level: Level | None = None
    exclude_samples: tuple[str, ...] = ()

    def drops(self, finding: Finding) -> bool:
        if not self.scope.covers(finding):
            return False
        return (
            finding.id in self.exclude
            or (self.min_level is not None and finding.level.rank < self.min_level.rank)
            or (
                bool(self.exclude_samples)
                and _matches_any(finding.sample_name, self.exclude_samples)
            )
        )


@dataclass(frozen=True)
class LevelOverride:
    level: Level
    scope: Scope = Scope()
    ids: frozenset[str] = frozenset()  # empty: every id

    def applies(self, finding: Finding) -> bool:
        return (not self.ids or finding.id in self.ids) and self.scope.covers(finding)


@dataclass(frozen=True)
class LiveCheckSettings:
    fail_on: FailOn = "violation"
    filters: tuple[FindingFilter, ...] = ()
    overrides: tuple[LevelOverride, ...] = ()

    def apply(self, finding: Finding) -> Finding | None:
        """The finding with its level overridden, or None when a filter drops it."""
        for override in self.overrides:
            if override.applies(finding) and override.level is not finding.level:
                finding = finding._replace(level=override.level)
        for finding_filter in self.filters:
            if finding_filter.drops(finding):
                return None
        return finding

    def failing_on(self, fail_on: FailOn) -> LiveCheckSettings:
        """The same filters and overrides; a run fails at `fail_on` (a command-line choice)."""
        return replace(self, fail_on=fail_on)

    @property
    def changes_findings(self) -> bool:
        return bool(self.filters or self.overrides)

    def fails(self, highest: Level | None) -> bool:
        """Whether a run whose highest finding level is `highest` fails."""
        if self.fail_on == "none" or highest is None:
            return False
        return highest.rank >= Level(self.fail_on).rank


# --- reading the table ---------------------------------------------------------------------------


def _key(raw: str) -> str:
    return raw.replace("_", "-")


def _strings(where: str, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: `{key}` must be a list of strings")
    return tuple(value)


def _level(where: str, key: str, value: Any) -> Level:
    try:
        return Level(value)
    except ValueError:
        raise ConfigError(
            f"{where}: `{key}` must be one of violation, improvement, information (got {value!r})"
        ) from None


def _ids(where: str, key: str, value: Any) -> frozenset[str]:
    ids = _strings(where, key, value)
    unknown = sorted(set(ids) - set(BY_ID))
    if unknown:
        raise ConfigError(
            f"{where}: unknown finding id(s) {', '.join(unknown)} in `{key}` "
            f"(known: {', '.join(sorted(BY_ID))})"
        )
    return frozenset(ids)


def _scope(where: str, entry: Mapping[str, Any]) -> Scope:
    signal_type = entry.get("signal-type")
    if signal_type is not None and signal_type not in SIGNAL_TYPES:
        raise ConfigError(
            f"{where}: `signal-type` must be one of {', '.join(SIGNAL_TYPES)} (got {signal_type!r})"
        )
    names = _strings(where, "sample-names", entry.get("sample-names", []))
    return Scope(signal_type, names)


def _entries(where: str, value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"{where} must be an array of tables ([[...]])")
    return [{_key(k): v for k, v in entry.items()} for entry in value]


def _check_keys(where: str, entry: Mapping[str, Any], known: set[str]) -> None:
    unknown = sorted(set(entry) - known)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})"
        )


def _filter(where: str, entry: Mapping[str, Any]) -> FindingFilter:
    _check_keys(
        where, entry, {"exclude", "min-level", "signal-type", "sample-names", "exclude-samples"}
    )
    min_level = entry.get("min-level")
    return FindingFilter(
        scope=_scope(where, entry),
        exclude=_ids(where, "exclude", entry.get("exclude", [])),
        min_level=None if min_level is None else _level(where, "min-level", min_level),
        exclude_samples=_strings(where, "exclude-samples", entry.get("exclude-samples", [])),
    )


def _override(where: str, entry: Mapping[str, Any]) -> LevelOverride:
    _check_keys(where, entry, {"ids", "level", "signal-type", "sample-names"})
    if "level" not in entry:
        raise ConfigError(f"{where}: a level override needs `level`")
    return LevelOverride(
        level=_level(where, "level", entry["level"]),
        scope=_scope(where, entry),
        ids=_ids(where, "ids", entry.get("ids", [])),
    )


def parse_settings(where: str, table: Any) -> LiveCheckSettings:
    """The live-check table of a configuration file; ConfigError names what is wrong."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: {TABLE} must be a table")
    entries = {_key(k): v for k, v in table.items()}
    _check_keys(
        f"{where}: {TABLE}", entries, {"fail-on", "finding-filters", "finding-level-overrides"}
    )
    fail_on = entries.get("fail-on", "violation")
    if fail_on not in FAIL_ON_CHOICES:
        raise ConfigError(
            f"{where}: `fail-on` must be one of {', '.join(FAIL_ON_CHOICES)} (got {fail_on!r})"
        )
    filters = tuple(
        _filter(f"{where}: finding-filters[{number}]", entry)
        for number, entry in enumerate(
            _entries(f"{where}: finding-filters", entries.get("finding-filters", []))
        )
    )
    overrides = tuple(
        _override(f"{where}: finding-level-overrides[{number}]", entry)
        for number, entry in enumerate(
            _entries(
                f"{where}: finding-level-overrides", entries.get("finding-level-overrides", [])
            )
        )
    )
    return LiveCheckSettings(fail_on=fail_on, filters=filters, overrides=overrides)
