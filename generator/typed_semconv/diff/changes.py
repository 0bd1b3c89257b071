"""What changed between two resolved registries, as data: one `Change` per item and category.

The categories are those of weaver's schema-change report (added, removed, renamed, obsoleted,
uncategorized, updated), applied to every kind of item typed-semconv knows, including enum members.
`updated` carries the field-level differences; `breaking` marks a change after which code written
against the baseline's generated package fails to type-check or silently records something else.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass

from typed_semconv.diagnostics.core import SourceLocation


class Subject(enum.Enum):
    """The kind of item a change is about."""

    ATTRIBUTE = "attribute"
    ENUM_MEMBER = "enum_member"
    ATTRIBUTE_GROUP = "attribute_group"
    METRIC = "metric"
    SPAN = "span"
    EVENT = "event"
    ENTITY = "entity"


class ChangeType(enum.Enum):
    ADDED = "added"
    REMOVED = "removed"
    RENAMED = "renamed"
    OBSOLETED = "obsoleted"
    UNCATEGORIZED = "uncategorized"
    UPDATED = "updated"

    @property
    def is_deprecation(self) -> bool:
        return self in (ChangeType.RENAMED, ChangeType.OBSOLETED, ChangeType.UNCATEGORIZED)


@dataclass(frozen=True)
class FieldChange:
    """One field of an item that differs; `attribute` names the signal's attribute it concerns
    (for `requirement_level` and `attribute`, an attribute added to or removed from a signal)."""

    field: str
    before: str | None
    after: str | None
    breaking: bool
    attribute: str | None = None


@dataclass(frozen=True)
class Change:
    subject: Subject
    type: ChangeType
    name: str
    new_name: str | None = None
    note: str = ""
    owner: str | None = None  # the attribute an enum member belongs to
    fields: tuple[FieldChange, ...] = ()
    breaking: bool = False
    location: SourceLocation | None = None  # the head's definition (the baseline's if removed)

    @property
    def qualified_name(self) -> str:
        """`name`, or `attribute.key:member` for an enum member."""
        return f"{self.owner}:{self.name}" if self.owner is not None else self.name


@dataclass(frozen=True)
class RegistryDiff:
    baseline: str  # the schema URL of each registry, or what it was read from
    head: str
    changes: tuple[Change, ...]

    def of(self, subject: Subject) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.subject is subject)

    @property
    def breaking(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.breaking)

    def counts(self) -> Counter[tuple[Subject, ChangeType]]:
        return Counter((c.subject, c.type) for c in self.changes)
