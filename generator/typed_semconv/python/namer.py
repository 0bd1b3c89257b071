"""Names of one Python scope, each handed out once; a rename is a located warning.

A generated module, a span class with its bases, and each span factory are scopes. Each starts
with the names the generated code itself uses there (its `Vocabulary`), so a registry name can
never take one of them, and gives every later claim a name no earlier claim holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics, SourceLocation
from typed_semconv.model import Deprecation
from typed_semconv.python import naming


class _Deprecatable(Protocol):
    @property
    def deprecation(self) -> Deprecation | None: ...


Item = TypeVar("Item", bound=_Deprecatable)


def by_precedence(items: Iterable[Item], key: Callable[[Item], str]) -> list[Item]:
    """Who wins a contested name: a definition in force before a deprecated one, then the key
    in code-point order (so `test.run.id` keeps `TEST_RUN_ID` and `test.run_id` yields)."""
    return sorted(items, key=lambda item: (item.deprecation is not None, key(item)))


@dataclass(frozen=True)
class Wanted:
    """The name `item` (an attribute key, a span id...) should get, and where it is defined."""

    item: str
    name: str
    location: SourceLocation | None


class Namer:
    def __init__(
        self,
        reserved: Iterable[str],
        diagnostics: Diagnostics,
        overrides: Mapping[tuple[str, str], str] | None = None,
    ) -> None:
        self._reserved = frozenset(reserved)
        self._taken = set(self._reserved)
        self._diagnostics = diagnostics
        self._overrides = overrides or {}

    def claim(self, kind: str, wanted: Iterable[Wanted]) -> dict[str, str]:
        """A name for each item, in the order given: the wanted one when it is free, else the
        first free of `_2`, `_3`... `kind` says what the names are for, in warnings; a name
        override for (kind, item) replaces the wanted name (see `name_overrides`)."""
        names: dict[str, str] = {}
        override_kind = kind.replace(" ", "_")
        for entry in wanted:
            override = self._overrides.get((override_kind, entry.item))
            if override is not None:
                entry = Wanted(entry.item, override, entry.location)
            name = naming.free_name(entry.name, self._taken)
            self._taken.add(name)
            names[entry.item] = name
            if name != entry.name:
                self._report(kind, entry, name)
        return names

    def _report(self, kind: str, entry: Wanted, name: str) -> None:
        why = (
            ", a name the generated code uses itself"
            if entry.name in self._reserved
            else " like another"
        )
        self._diagnostics.report(
            catalogue.NAME_COLLISION,
            f"{kind} `{entry.item}` would be named `{entry.name}`{why}; named `{name}` instead",
            entry.location,
        )
