"""Diagnostics: every problem found in the input, located at the YAML node that caused it."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from typed_semconv.diagnostics.text import printable


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


Stage = Literal[
    "source",
    "file",
    "schema",
    "resolution",
    "validation",
    "naming",
    "output",
    "live-check",
    "upgrade",
]


@dataclass(frozen=True)
class Code:
    """One kind of problem (see `catalogue`). `name` is what diagnostics print."""

    name: str
    severity: Severity
    stage: Stage
    meaning: str
    fix: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Diagnostic:
    code: Code
    message: str
    location: SourceLocation | None = None
    hint: str | None = None

    @property
    def severity(self) -> Severity:
        return self.code.severity

    def at(self, location: SourceLocation | None) -> Diagnostic:
        """The same problem, located where the caller knows it happened."""
        return Diagnostic(self.code, self.message, location, self.hint)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (
            loc.path if loc else "",
            loc.line if loc else 0,
            loc.column if loc else 0,
            self.code.name,
            self.message,
        )

    def __str__(self) -> str:
        hint = f" (hint: {printable(self.hint)})" if self.hint else ""
        return f"{printable(self.message)} [{self.code}]{hint}"


@dataclass
class Diagnostics:
    """Collects the diagnostics of one run so that all problems are reported, not just the first."""

    items: list[Diagnostic] = field(default_factory=list)

    def report(
        self,
        code: Code,
        message: str,
        location: SourceLocation | None = None,
        hint: str | None = None,
    ) -> None:
        self.items.append(Diagnostic(code, message, location, hint))

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(diagnostic)

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(sorted(self.items, key=Diagnostic.sort_key))

    def __len__(self) -> int:
        return len(self.items)


class Problem(Exception):
    """A step that cannot go on raises its one diagnostic (a reference that cannot be fetched,
    a file that cannot be parsed); the caller adds it to the run's diagnostics."""

    def __init__(
        self,
        code: Code,
        message: str,
        location: SourceLocation | None = None,
        hint: str | None = None,
    ) -> None:
        self.diagnostic = Diagnostic(code, message, location, hint)
        super().__init__(str(self.diagnostic))

    @property
    def code(self) -> Code:
        return self.diagnostic.code

    @property
    def message(self) -> str:
        return self.diagnostic.message

    @property
    def hint(self) -> str | None:
        return self.diagnostic.hint


class InputError(Exception):
    """Raised when a stage cannot go on; carries the diagnostics gathered so far."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        super().__init__(f"{len(diagnostics)} problem(s) in the input")
        self.diagnostics = diagnostics
