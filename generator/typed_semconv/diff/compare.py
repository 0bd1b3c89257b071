"""Compare two resolved registries item by item.

Items are matched by what identifies them in telemetry: attributes by key, metrics by metric name,
spans by their type (the group id without `span.`), events and entities by name (else group id),
public attribute groups by id, enum members by id within their attribute. As in weaver's report, a
baseline item missing from the head is `removed`, a head item missing from the baseline is `added`
(even if it is born deprecated), and an item whose `deprecated` differs from the baseline's is
`renamed`, `obsoleted` or `uncategorized` after its reason. Field changes are `updated`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from typed_semconv.check.span_naming import span_stem
from typed_semconv.diagnostics.core import SourceLocation
from typed_semconv.diff.changes import Change, ChangeType, FieldChange, RegistryDiff, Subject
from typed_semconv.model import (
    Attribute,
    AttributeUse,
    Deprecation,
    EnumMember,
    Group,
    GroupKind,
    Registry,
    Stability,
)

_RANK = {
    Stability.DEVELOPMENT: 0,
    Stability.ALPHA: 1,
    Stability.BETA: 2,
    Stability.RELEASE_CANDIDATE: 3,
    Stability.STABLE: 4,
}
# Kinds of signals whose generated code (factories, typed parameters) breaks with them.
_GENERATED = frozenset({Subject.ATTRIBUTE, Subject.ENUM_MEMBER, Subject.METRIC, Subject.SPAN})
_SIGNALS = (
    (Subject.METRIC, GroupKind.METRIC),
    (Subject.SPAN, GroupKind.SPAN),
    (Subject.EVENT, GroupKind.EVENT),
    (Subject.ENTITY, GroupKind.ENTITY),
)

_Item = TypeVar("_Item", Attribute, EnumMember, Group)


@dataclass(frozen=True)
class _Common:
    """What every item has, whatever its kind."""

    stability: Stability
    deprecation: Deprecation | None
    location: SourceLocation


def compare(baseline: Registry, head: Registry, baseline_name: str, head_name: str) -> RegistryDiff:
    """Every change from `baseline` to `head`, in a stable order (subject, then name)."""
    changes: list[Change] = []
    old_attributes = {a.key: a for a in baseline.attributes}
    new_attributes = {a.key: a for a in head.attributes}
    changes += _diff_items(Subject.ATTRIBUTE, old_attributes, new_attributes, _attribute_fields)
    for key in sorted(old_attributes.keys() & new_attributes.keys()):
        changes += _member_changes(old_attributes[key], new_attributes[key])
    changes += _diff_items(
        Subject.ATTRIBUTE_GROUP, _public_groups(baseline), _public_groups(head), _no_fields
    )
    for subject, kind in _SIGNALS:
        changes += _diff_items(
            subject,
            signals(baseline, kind),
            signals(head, kind),
            partial(_signal_fields, subject),
        )
    return RegistryDiff(baseline_name, head_name, tuple(changes))


def signal_name(group: Group) -> str:
    """What identifies a signal across versions."""
    if group.kind is GroupKind.SPAN:
        return span_stem(group)
    return group.signal_name or group.id


def signals(registry: Registry, kind: GroupKind) -> dict[str, Group]:
    """The signals of one kind by name; refinements are not signals of their own. Where two
    groups give the same name (v1 registries), the non-deprecated one, then the first id, wins."""
    found: dict[str, Group] = {}
    ranked = sorted(registry.groups_of(kind), key=lambda g: (g.deprecation is not None, g.id))
    for group in ranked:
        if group.refines is None and (kind is not GroupKind.METRIC or group.signal_name):
            found.setdefault(signal_name(group), group)
    return found


def _public_groups(registry: Registry) -> dict[str, Group]:
    return {
        g.id: g
        for g in registry.groups_of(GroupKind.ATTRIBUTE_GROUP)
        if g.visibility == "public" and g.refines is None
    }


def _no_fields(old: Group, new: Group) -> list[FieldChange]:
    return []


def _diff_items(
    subject: Subject,
    old: Mapping[str, _Item],
    new: Mapping[str, _Item],
    fields: Callable[[_Item, _Item], Sequence[FieldChange]],
    owner: str | None = None,
) -> list[Change]:
    changes: list[Change] = []
    generated = subject in _GENERATED
    for name in sorted(old.keys() | new.keys()):
        before, after = old.get(name), new.get(name)
        if after is None:
            assert before is not None
            changes.append(
                Change(
                    subject,
                    ChangeType.REMOVED,
                    name,
                    owner=owner,
                    breaking=generated,
                    location=_common(before).location,
                )
            )
            continue
        head = _common(after)
        if before is None:
            changes.append(
                Change(subject, ChangeType.ADDED, name, owner=owner, location=head.location)
            )
            continue
        deprecation = head.deprecation
        if deprecation is not None and deprecation != _common(before).deprecation:
            changes.append(_deprecation_change(subject, name, deprecation, owner, head.location))
        updated = tuple(fields(before, after))
        if updated:
            changes.append(
                Change(
                    subject,
                    ChangeType.UPDATED,
                    name,
                    owner=owner,
                    fields=updated,
                    breaking=any(f.breaking for f in updated),
                    location=head.location,
                )
            )
    return changes


def _common(item: Attribute | EnumMember | Group) -> _Common:
    return _Common(item.stability, item.deprecation, item.location)


def _deprecation_change(
    subject: Subject,
    name: str,
    deprecation: Deprecation,
    owner: str | None,
    location: SourceLocation,
) -> Change:
    if deprecation.reason == "renamed" and deprecation.renamed_to:
        return Change(
            subject,
            ChangeType.RENAMED,
            name,
            new_name=deprecation.renamed_to,
            note=deprecation.note,
            owner=owner,
            location=location,
        )
    kind = ChangeType.OBSOLETED if deprecation.reason == "obsoleted" else ChangeType.UNCATEGORIZED
    return Change(subject, kind, name, note=deprecation.note, owner=owner, location=location)


def _stability(subject: Subject, old: Stability, new: Stability) -> list[FieldChange]:
    """A lower stability is breaking where code is generated: `--stable-only` drops the name."""
    if old is new:
        return []
    lowered = _RANK[new] < _RANK[old]
    return [FieldChange("stability", old.value, new.value, lowered and subject in _GENERATED)]


def _attribute_fields(old: Attribute, new: Attribute) -> list[FieldChange]:
    fields = []
    if old.type.describe() != new.type.describe():
        fields.append(FieldChange("type", old.type.describe(), new.type.describe(), True))
    return fields + _stability(Subject.ATTRIBUTE, old.stability, new.stability)


def _members(attribute: Attribute) -> dict[str, EnumMember]:
    return {m.id: m for m in attribute.type.members or ()}


def _member_fields(old: EnumMember, new: EnumMember) -> list[FieldChange]:
    fields = []
    if old.value != new.value or type(old.value) is not type(new.value):
        fields.append(FieldChange("value", repr(old.value), repr(new.value), True))
    return fields + _stability(Subject.ENUM_MEMBER, old.stability, new.stability)


def _member_changes(old: Attribute, new: Attribute) -> list[Change]:
    """Member changes of an attribute that is an enum in both registries (an enum that became
    another type is a type change of the attribute)."""
    if not (old.type.is_enum and new.type.is_enum):
        return []
    return _diff_items(
        Subject.ENUM_MEMBER, _members(old), _members(new), _member_fields, owner=old.key
    )


def _signal_fields(subject: Subject, old: Group, new: Group) -> list[FieldChange]:
    fields = _stability(subject, old.stability, new.stability)
    if subject is Subject.METRIC:
        for name, before, after in (
            (
                "instrument",
                old.instrument and old.instrument.value,
                new.instrument and new.instrument.value,
            ),
            ("unit", old.unit, new.unit),
        ):
            if (before or "") != (after or ""):
                fields.append(FieldChange(name, before, after, True))
    if subject is Subject.SPAN and old.span_kind != new.span_kind:
        fields.append(
            FieldChange(
                "span_kind",
                old.span_kind and old.span_kind.value,
                new.span_kind and new.span_kind.value,
                False,
            )
        )
    return fields + _attribute_use_fields(subject, old.attributes, new.attributes)


def _attribute_use_fields(
    subject: Subject, old: Iterable[AttributeUse], new: Iterable[AttributeUse]
) -> list[FieldChange]:
    """Attributes a signal gained, lost or now requires at another level. For spans, whose
    factories take one parameter per attribute, a lost attribute or a newly required one breaks
    existing calls."""
    spans = subject is Subject.SPAN
    before = {u.key: u.requirement_level.level for u in old}
    after = {u.key: u.requirement_level.level for u in new}
    fields = []
    for key in sorted(before.keys() | after.keys()):
        was, now = before.get(key), after.get(key)
        if was == now:
            continue
        if was is None or now is None:
            breaking = spans and (now is None or now == "required")
            fields.append(FieldChange("attribute", was, now, breaking, attribute=key))
        else:
            breaking = spans and now == "required"
            fields.append(FieldChange("requirement_level", was, now, breaking, attribute=key))
    return fields
