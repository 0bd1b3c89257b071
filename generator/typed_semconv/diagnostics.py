"""Diagnostics: every problem found in the input, located at the YAML node that caused it."""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True, slots=True)
class SourceLocation:
    """A position in an input file; line and column are 1-based (0 when unknown).

    The location of a YAML mapping also knows where each of its keys was written (`keys`; the
    location of a key whose value is a mapping knows that mapping's keys in turn), so that a later
    stage can point at the offending key with `at("deprecated", "renamed_to")`. `keys` takes no
    part in comparisons.
    """

    path: str
    line: int = 0
    column: int = 0
    keys: Mapping[str, SourceLocation] = field(default_factory=dict, compare=False, repr=False)

    def at(self, *path: str) -> SourceLocation:
        """The location of the key at `path` below this mapping, or of the deepest one found."""
        location = self
        for key in path:
            found = location.keys.get(key)
            if found is None:
                break
            location = found
        return location

    def first_of(self, *keys: str) -> SourceLocation:
        """The location of the first of `keys` that was written, else this location."""
        for key in keys:
            found = self.keys.get(key)
            if found is not None:
                return found
        return self

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column or 1}"
        return self.path


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    code: str
    message: str
    location: SourceLocation | None = None
    hint: str | None = None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (
            loc.path if loc else "",
            loc.line if loc else 0,
            loc.column if loc else 0,
            self.code,
            self.message,
        )


@dataclass
class Diagnostics:
    """Collects the diagnostics of one run so that all problems are reported, not just the first."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(
        self,
        code: str,
        message: str,
        location: SourceLocation | None = None,
        hint: str | None = None,
    ) -> None:
        self.items.append(Diagnostic(Severity.ERROR, code, message, location, hint))

    def warning(
        self,
        code: str,
        message: str,
        location: SourceLocation | None = None,
        hint: str | None = None,
    ) -> None:
        self.items.append(Diagnostic(Severity.WARNING, code, message, location, hint))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(sorted(self.items, key=Diagnostic.sort_key))

    def __len__(self) -> int:
        return len(self.items)


class InputError(Exception):
    """Raised when a stage cannot go on; carries the diagnostics gathered so far."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        super().__init__(f"{len(diagnostics)} problem(s) in the input")
        self.diagnostics = diagnostics


def format_text(diagnostic: Diagnostic, colour: bool = False) -> str:
    where = f"{diagnostic.location}: " if diagnostic.location else ""
    severity = diagnostic.severity.value
    if colour:
        code = "31" if diagnostic.severity is Severity.ERROR else "33"
        severity = f"\x1b[1;{code}m{severity}\x1b[0m"
    text = f"{where}{severity}: {diagnostic.message} [{diagnostic.code}]"
    if diagnostic.hint:
        text += f"\n  hint: {diagnostic.hint}"
    return text


def _github_escape(text: str, in_property: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if in_property:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(diagnostic: Diagnostic) -> str:
    props = []
    if diagnostic.location:
        props.append(f"file={_github_escape(diagnostic.location.path, True)}")
        if diagnostic.location.line:
            props.append(f"line={diagnostic.location.line}")
        if diagnostic.location.column:
            props.append(f"col={diagnostic.location.column}")
    props.append(f"title={_github_escape(diagnostic.code, True)}")
    message = diagnostic.message + (f" (hint: {diagnostic.hint})" if diagnostic.hint else "")
    return f"::{diagnostic.severity.value} {','.join(props)}::{_github_escape(message)}"


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps(
        [
            {
                "severity": d.severity.value,
                "code": d.code,
                "message": d.message,
                "path": d.location.path if d.location else None,
                "line": d.location.line if d.location else None,
                "column": d.location.column if d.location else None,
                "hint": d.hint,
            }
            for d in diagnostics
        ],
        indent=2,
    )
