"""The v1 format (`groups:`, also `file_format: definition/1`): each group is an attribute
group, a signal, or both at once, and may define attributes (`id`) as well as use them (`ref`)."""

from __future__ import annotations

from typed_semconv.diagnostics import catalogue
from typed_semconv.load import definitions as common
from typed_semconv.load import schema as raw
from typed_semconv.load.definitions import Definitions
from typed_semconv.load.event_body import event_body
from typed_semconv.model import (
    AttributeRefSpec,
    GroupKind,
    GroupSpec,
    Instrument,
    MemberSpec,
    SpanKind,
)

_KINDS = {
    "attribute_group": GroupKind.ATTRIBUTE_GROUP,
    "metric_group": GroupKind.ATTRIBUTE_GROUP,
    "scope": GroupKind.ATTRIBUTE_GROUP,
    "span": GroupKind.SPAN,
    "metric": GroupKind.METRIC,
    "event": GroupKind.EVENT,
    "entity": GroupKind.ENTITY,
    "resource": GroupKind.ENTITY,
}


def add_v1_file(defs: Definitions, file: raw.RawV1File) -> None:
    common.add_imports(defs, file.imports)
    for group in file.groups or ():
        defs.groups.append(_group(defs, group))


def _members(defs: Definitions, group: raw.RawV1Group) -> tuple[MemberSpec, ...]:
    """The group's attributes: each definition is added to `defs` and used by the group."""
    members: list[MemberSpec] = []
    for entry in group.attributes or ():
        if entry.id is not None and entry.type is not None:
            key = f"{group.prefix}.{entry.id}" if group.prefix else entry.id
            if common.define(defs, key, entry.type, entry) is not None:
                members.append(AttributeRefSpec(key=key, location=entry.location))
        elif entry.ref is not None:
            if entry.prefix is not None:
                defs.diagnostics.report(
                    catalogue.LEGACY_REF_PREFIX,
                    f"`prefix` on `ref: {entry.ref}` is a legacy flag and has no effect",
                    entry.location.at("prefix"),
                    "remove it: the attribute is named by its full key",
                )
            members.append(common.ref(entry, entry.ref, entry.role))
    return tuple(members)


def _group(defs: Definitions, group: raw.RawV1Group) -> GroupSpec:
    if group.constraints is not None:
        defs.diagnostics.report(
            catalogue.LEGACY_CONSTRAINTS,
            f"group `{group.id}` has `constraints` (`any_of`, `include`), which are no longer "
            "checked; they are ignored",
            group.location.at("constraints"),
            "remove them; `ref` or `extends` the attributes the group needs",
        )
    kind = _KINDS[group.type]
    signal_name = group.metric_name if kind is GroupKind.METRIC else group.name
    if kind is GroupKind.SPAN:
        signal_name = group.id.removeprefix("span.")
    return GroupSpec(
        id=group.id,
        kind=kind,
        **common.documentation(group),
        extends=group.extends,
        members=_members(defs, group),
        signal_name=signal_name,
        span_kind=SpanKind(group.span_kind) if group.span_kind else None,
        instrument=Instrument(group.instrument) if group.instrument else None,
        unit=group.unit,
        display_name=group.display_name,
        events=tuple(group.events or ()),
        body=event_body(defs, group.body, group.location.at("body")),
    )
