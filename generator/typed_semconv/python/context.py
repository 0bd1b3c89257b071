"""What every part of the view builder shares for one run."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from typed_semconv.diagnostics.core import Diagnostics, SourceLocation
from typed_semconv.model import Group
from typed_semconv.python.namer import Namer, Wanted
from typed_semconv.python.selection import Selection, signal_name
from typed_semconv.python.vocabulary import Vocabulary


@dataclass(frozen=True)
class Context:
    selection: Selection
    vocabulary: Vocabulary
    diagnostics: Diagnostics
    header: str
    closed_enums: bool
    # (kind, item) -> the name it takes instead of the derived one (see `name_overrides`)
    name_overrides: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def namer(self, reserved: frozenset[str]) -> Namer:
        """A new scope whose names must avoid `reserved` (one field of the vocabulary)."""
        return Namer(reserved, self.diagnostics, self.name_overrides)


@dataclass(frozen=True)
class EnumClass:
    """A generated enum class a span parameter can take: the attribute, where the class lives
    and its name there."""

    key: str
    module: str
    class_name: str


def group_location(group: Group) -> SourceLocation:
    """Where a signal is named: its `id` (v1), `type` (v2 span) or `name` (v2 metric)."""
    return group.location.first_of("id", "type", "name")


def claim_signal_names(
    namer: Namer, ranked: Sequence[Group], kind: str, name_of: Callable[[str], str]
) -> dict[str, str]:
    """The name `name_of` makes of each metric's, event's or entity's name, claimed in `namer`
    in the order of `ranked`; by signal name."""
    wanted = [Wanted(signal_name(g), name_of(signal_name(g)), group_location(g)) for g in ranked]
    return namer.claim(kind, wanted)
