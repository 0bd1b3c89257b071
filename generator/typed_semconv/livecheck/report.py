"""How findings and statistics are printed: text (coloured on a terminal), JSON, JSON lines and
GitHub workflow annotations, plus the grouped summary the pytest plugin prints.

Findings quote what a program emitted (span names, attribute keys), which may be hostile as any
input: every format for people shows it through `printable`, as diagnostics do.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from typed_semconv.diagnostics.formats import github_escape
from typed_semconv.diagnostics.text import printable
from typed_semconv.livecheck.findings import Finding, Level
from typed_semconv.livecheck.settings import LiveCheckSettings
from typed_semconv.livecheck.statistics import Statistics

_COLOURS = {Level.VIOLATION: "1;31", Level.IMPROVEMENT: "1;33", Level.INFORMATION: "1;36"}
_GITHUB_COMMANDS = {
    Level.VIOLATION: "error",
    Level.IMPROVEMENT: "warning",
    Level.INFORMATION: "notice",
}
_FILE_AND_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+)$")


def _paint(text: str, level: Level, colour: bool) -> str:
    return f"\x1b[{_COLOURS[level]}m{text}\x1b[0m" if colour else text


def _signal(finding: Finding) -> str:
    if finding.signal_type is None:
        return ""
    name = f" `{finding.signal_name}`" if finding.signal_name else ""
    return f" (in {finding.signal_type}{name})" if finding.sample_type == "attribute" else ""


def _shown(finding: Finding) -> str:
    """The finding's message and signal, as people are shown them."""
    return printable(finding.message + _signal(finding))


def format_text(finding: Finding, colour: bool = False) -> str:
    where = f"{printable(finding.origin)}: " if finding.origin else ""
    level = _paint(finding.level.value, finding.level, colour)
    return f"{where}{level}: {_shown(finding)} [{finding.id}]"


def format_github(finding: Finding) -> str:
    """A workflow command; a test id or `file:line` origin becomes the annotation's place."""
    props = []
    origin = printable(finding.origin or "")
    place = _FILE_AND_LINE.match(origin)
    if place:
        props += [f"file={github_escape(place['file'], True)}", f"line={place['line']}"]
    elif "::" in origin:
        props.append(f"file={github_escape(origin.split('::', 1)[0], True)}")
    props.append(f"title={github_escape('live check ' + finding.id, True)}")
    message = _shown(finding) + (f" ({origin})" if origin else "")
    return f"::{_GITHUB_COMMANDS[finding.level]} {','.join(props)}::{github_escape(message)}"


def format_jsonl(finding: Finding) -> str:
    return json.dumps(finding.as_record(), default=_json_default, sort_keys=True)


def _json_default(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def verdict(statistics: Statistics, settings: LiveCheckSettings) -> dict[str, Any]:
    highest = statistics.highest_level
    return {
        "fail_on": settings.fail_on,
        "highest_level": highest.value if highest else None,
        "failed": settings.fails(highest),
    }


def report_json(
    findings: Sequence[Finding], statistics: Statistics, settings: LiveCheckSettings
) -> str:
    return json.dumps(
        {
            "findings": [f.as_record() for f in findings],
            "statistics": statistics.as_json(),
            "result": verdict(statistics, settings),
        },
        default=_json_default,
        indent=2,
        sort_keys=True,
    )


def statistics_jsonl(statistics: Statistics, settings: LiveCheckSettings) -> str:
    return json.dumps(
        {"statistics": statistics.as_json(), "result": verdict(statistics, settings)},
        default=_json_default,
        sort_keys=True,
    )


def coverage_line(statistics: Statistics) -> str:
    parts = ", ".join(
        f"{kind} {part.seen}/{part.total}" for kind, part in statistics.coverage().items()
    )
    return f"registry coverage {statistics.registry_coverage:.1%} ({parts})"


def summary_text(statistics: Statistics, settings: LiveCheckSettings, colour: bool = False) -> str:
    """The closing statistics, in a few lines."""
    lines = [
        f"{statistics.total_entities} samples assessed "
        f"({', '.join(f'{n} {kind}' for kind, n in sorted(statistics.entities_by_type.items()))}), "
        f"{statistics.no_finding_count} without findings",
    ]
    if statistics.level_counts:
        levels = sorted(statistics.level_counts.items(), key=lambda item: -Level(item[0]).rank)
        lines.append(
            "findings: "
            + ", ".join(f"{_paint(value, Level(value), colour)} {n}" for value, n in levels)
            + "; by id: "
            + ", ".join(f"{key} {n}" for key, n in sorted(statistics.id_counts.items()))
        )
    else:
        lines.append("findings: none")
    lines.append(coverage_line(statistics))
    outside = statistics.non_registry_attributes
    if outside:
        shown = ", ".join(f"{printable(key)} ({n})" for key, n in outside.most_common(10))
        more = f" and {len(outside) - 10} more" if len(outside) > 10 else ""
        lines.append(f"attributes not in the registry: {shown}{more}")
    result = verdict(statistics, settings)
    state = "FAILED" if result["failed"] else "passed"
    lines.append(
        f"live check {state} (fail-on = {settings.fail_on}, highest level: "
        f"{result['highest_level'] or 'none'})"
    )
    return "\n".join(lines)


@dataclass(frozen=True)
class Group:
    """Findings with the same id and message, and where they came from (how many each)."""

    level: Level
    id: str
    message: str
    origins: dict[str, int]

    @property
    def count(self) -> int:
        return sum(self.origins.values())


def grouped(findings: Iterable[Finding]) -> list[Group]:
    counts: dict[tuple[Level, str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for finding in findings:
        counts[(finding.level, finding.id, _shown(finding))][finding.origin or "-"] += 1
    groups = [Group(level, id_, message, dict(o)) for (level, id_, message), o in counts.items()]
    return sorted(groups, key=lambda g: (-g.level.rank, g.id, -g.count, g.message))


def grouped_text(findings: Iterable[Finding], colour: bool = False, max_origins: int = 5) -> str:
    """Findings grouped by id and message, worst first, each with the tests (or inputs) that
    produced it."""
    lines = []
    current = None
    for group in grouped(findings):
        if (group.level, group.id) != current:
            current = (group.level, group.id)
            lines.append(f"{_paint(group.level.value, group.level, colour)} {group.id}")
        lines.append(f"  {group.message} (x{group.count})")
        origins = sorted(group.origins.items(), key=lambda item: (-item[1], item[0]))
        for origin, count in origins[:max_origins]:
            lines.append(f"      {printable(origin)}" + (f" (x{count})" if count > 1 else ""))
        if len(origins) > max_origins:
            lines.append(f"      ... and {len(origins) - max_origins} more")
    return "\n".join(lines)
