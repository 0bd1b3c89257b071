"""The v2 format (`file_format: definition/2`): attributes are defined apart from the signals
that use them, and each kind of signal, attribute group and refinement has its own section.

Each function turns one kind of entry into a `GroupSpec`. A signal's id is `<kind>.<name>`, as
weaver names it; a refinement keeps its own id and leaves unset what it inherits (brief, note,
stability) as None.
"""

from __future__ import annotations

from typed_semconv.load import definitions as common
from typed_semconv.load import schema as raw
from typed_semconv.load.definitions import Definitions
from typed_semconv.model import GroupKind, GroupSpec, Instrument, MemberSpec, SpanKind


def add_v2_file(defs: Definitions, file: raw.RawV2File) -> None:
    common.add_imports(defs, file.imports)
    for attribute in file.attributes or ():
        common.define(defs, attribute.key, attribute.type, attribute)
    defs.groups.extend(
        [
            *(attribute_group(g) for g in file.attribute_groups or ()),
            *(span(s) for s in file.spans or ()),
            *(metric(m) for m in file.metrics or ()),
            *(event(e) for e in file.events or ()),
            *(entity(e) for e in file.entities or ()),
            *(span_refinement(r) for r in file.span_refinements or ()),
            *(metric_refinement(r) for r in file.metric_refinements or ()),
            *(event_refinement(r) for r in file.event_refinements or ()),
            *(entity_refinement(r) for r in file.entity_refinements or ()),
        ]
    )


def attribute_group(group: raw.RawV2AttributeGroup) -> GroupSpec:
    return GroupSpec(
        id=group.id,
        kind=GroupKind.ATTRIBUTE_GROUP,
        **common.documentation(group),
        members=common.members(group.attributes),
        visibility=group.visibility,
    )


def span(item: raw.RawV2Span) -> GroupSpec:
    return GroupSpec(
        id=f"span.{item.type}",
        kind=GroupKind.SPAN,
        **common.documentation(item),
        members=common.members(item.attributes),
        signal_name=item.type,
        span_kind=SpanKind(item.kind),
        span_name_note=item.name.note.strip(),
    )


def metric(item: raw.RawV2Metric) -> GroupSpec:
    return GroupSpec(
        id=f"metric.{item.name}",
        kind=GroupKind.METRIC,
        **common.documentation(item),
        members=common.members(item.attributes),
        signal_name=item.name,
        instrument=Instrument(item.instrument),
        unit=item.unit,
    )


def event(item: raw.RawV2Event) -> GroupSpec:
    return GroupSpec(
        id=f"event.{item.name}",
        kind=GroupKind.EVENT,
        **common.documentation(item),
        members=common.members(item.attributes),
        signal_name=item.name,
    )


def entity(item: raw.RawV2Entity) -> GroupSpec:
    return GroupSpec(
        id=f"entity.{item.type}",
        kind=GroupKind.ENTITY,
        **common.documentation(item),
        members=_entity_members(item),
        signal_name=item.type,
    )


def _refinement(
    item: raw.RawV2SpanRefinement
    | raw.RawV2MetricRefinement
    | raw.RawV2EventRefinement
    | raw.RawV2EntityRefinement,
    kind: GroupKind,
    members: tuple[MemberSpec, ...],
    span_name_note: str | None = None,
) -> GroupSpec:
    """The fields every refinement has; what it leaves unset it inherits from its signal."""
    return GroupSpec(
        id=item.id,
        kind=kind,
        location=item.location,
        brief=common.optional_text(item.brief),
        note=common.optional_text(item.note),
        stability=common.stability(item.stability),
        deprecation=common.deprecation(item.deprecated),
        annotations=dict(item.annotations or {}),
        refines=item.ref,
        members=members,
        span_name_note=span_name_note,
    )


def span_refinement(item: raw.RawV2SpanRefinement) -> GroupSpec:
    name = item.name.note.strip() if item.name is not None else None
    return _refinement(item, GroupKind.SPAN, common.members(item.attributes), name)


def metric_refinement(item: raw.RawV2MetricRefinement) -> GroupSpec:
    return _refinement(item, GroupKind.METRIC, common.members(item.attributes))


def event_refinement(item: raw.RawV2EventRefinement) -> GroupSpec:
    return _refinement(item, GroupKind.EVENT, common.members(item.attributes))


def entity_refinement(item: raw.RawV2EntityRefinement) -> GroupSpec:
    return _refinement(item, GroupKind.ENTITY, _entity_members(item))


def _entity_members(item: raw.RawV2Entity | raw.RawV2EntityRefinement) -> tuple[MemberSpec, ...]:
    """An entity's identifying attributes, then its descriptive ones."""
    return common.members(item.identity, "identifying") + common.members(
        item.description, "descriptive"
    )
