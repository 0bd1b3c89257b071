"""A published registry: the `resolved/2.0` file that `weaver registry package` writes beside
a `manifest/2.0` manifest, read into the same definitions as a registry folder.

The file is already resolved: every signal lists its attributes (by index into the attribute
catalog) with their requirement levels, and a catalog entry holds the attribute as that signal
uses it. Each signal therefore becomes a group whose members carry every field of their catalog
entry, and each attribute key one definition (the one the registry's own attribute list names).
Catalog entries whose provenance names one of the published registry's own dependencies are
"carried": the signals need them, but they are that dependency's definitions, not this one's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics, Problem, SourceLocation
from typed_semconv.load.definitions import (
    Documentation,
    declared_deprecation,
    definition_examples,
    documentation,
    examples,
    requirement,
    text,
    value_type,
)
from typed_semconv.load.manifest_summary import ManifestInfo, registry_id, resolved_file
from typed_semconv.load.schema import (
    InstrumentName,
    RawDeprecation,
    RawNode,
    RawRequirementLevel,
    RawSpanName,
    SpanKindName,
    StabilityName,
)
from typed_semconv.load.yaml_reader import LocatedDict, load_yaml
from typed_semconv.model import (
    Attribute,
    AttributeRefSpec,
    AttributeType,
    EnumMember,
    GroupKind,
    GroupSpec,
    Instrument,
    Manifest,
    PrimitiveType,
    RegistrySource,
    SpanKind,
    Stability,
    excluded_from_code_generation,
)

RESOLVED_FORMAT = "resolved/2.0"

# --- the resolved/2.0 file as written --------------------------------------------------------

ResolvedTypeName = Literal[
    "boolean",
    "int",
    "double",
    "string",
    "any",
    "string[]",
    "int[]",
    "double[]",
    "boolean[]",
    "template[boolean]",
    "template[int]",
    "template[double]",
    "template[string]",
    "template[any]",
    "template[string[]]",
    "template[int[]]",
    "template[double[]]",
    "template[boolean[]]",
]


class RawProvenance(RawNode):
    source: int | None = None


class RawResolvedEnumMember(RawNode):
    id: str
    value: str | int | float | bool | None = None
    brief: str | None = None
    note: str | None = None
    stability: StabilityName | None = None
    deprecated: RawDeprecation | None = None
    annotations: dict[str, Any] | None = None


class RawResolvedEnum(RawNode):
    members: list[RawResolvedEnumMember]


class RawCatalogAttribute(RawNode):
    key: str
    type: ResolvedTypeName | RawResolvedEnum
    brief: str
    note: str | None = None
    stability: StabilityName
    deprecated: RawDeprecation | None = None
    examples: Any = None
    annotations: dict[str, Any] | None = None
    provenance: RawProvenance | None = None


class RawAttributeUse(RawNode):
    base: int
    requirement_level: RawRequirementLevel
    sampling_relevant: bool | None = None


class _RawResolvedItem(RawNode):
    brief: str
    note: str | None = None
    stability: StabilityName
    deprecated: RawDeprecation | None = None
    annotations: dict[str, Any] | None = None
    provenance: RawProvenance | None = None


class _RawResolvedSignal(_RawResolvedItem):
    attributes: list[RawAttributeUse] | None = None
    requirement_level: Literal["recommended", "opt_in"] | None = None
    entity_associations: Any = None


class RawResolvedGroup(_RawResolvedItem):
    id: str
    attributes: list[RawAttributeUse]


class RawResolvedSpan(_RawResolvedSignal):
    type: str
    kind: SpanKindName
    name: RawSpanName


class RawResolvedMetric(_RawResolvedSignal):
    name: str
    instrument: InstrumentName
    unit: str


class RawResolvedEvent(_RawResolvedSignal):
    name: str


class RawResolvedEntity(_RawResolvedItem):
    type: str
    identity: list[RawAttributeUse]
    description: list[RawAttributeUse] | None = None
    requirement_level: Literal["recommended", "opt_in"] | None = None


class RawSpanRefinement(RawResolvedSpan):
    id: str


class RawMetricRefinement(RawResolvedMetric):
    id: str


class RawEventRefinement(RawResolvedEvent):
    id: str


class RawEntityRefinement(RawResolvedEntity):
    id: str


class RawResolvedRegistry(RawNode):
    attributes: list[int]
    attribute_groups: list[RawResolvedGroup]
    spans: list[RawResolvedSpan]
    metrics: list[RawResolvedMetric]
    events: list[RawResolvedEvent]
    entities: list[RawResolvedEntity]


class RawRefinements(RawNode):
    spans: list[RawSpanRefinement]
    metrics: list[RawMetricRefinement]
    events: list[RawEventRefinement]
    entities: list[RawEntityRefinement] | None = None


class RawSchemaUrlObject(RawNode):
    url: str


class RawResolvedFile(RawNode):
    file_format: Literal["resolved/2.0"]
    schema_url: str | RawSchemaUrlObject
    attribute_catalog: list[RawCatalogAttribute]
    registry: RawResolvedRegistry
    refinements: RawRefinements
    dependencies: list[str | RawSchemaUrlObject] | None = None


# --- loading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedRegistry:
    """`carried` maps the attribute keys and group ids the file holds for its own dependencies
    to the name of the registry that defines them."""

    source: RegistrySource
    carried_attributes: dict[str, str]
    carried_groups: dict[str, str]


def load_published(
    folder: Path,
    manifest: ManifestInfo,
    diagnostics: Diagnostics,
    display: Callable[[Path], str],
    validate: Callable[[type[RawResolvedFile], LocatedDict, str], RawResolvedFile | None],
) -> PublishedRegistry | None:
    """Read the published registry at `folder`; problems go to `diagnostics` (None: unusable).

    `validate` checks the parsed file against the schema and reports where it is wrong (the
    registry loader's validator, so both report schema problems alike)."""
    try:
        path = resolved_file(folder, manifest)
    except Problem as problem:
        diagnostics.add(problem.diagnostic)
        return None
    shown = display(path)
    if not path.is_file():
        diagnostics.report(
            catalogue.PUBLISHED_REGISTRY_INVALID,
            f"the resolved registry file `{shown}` does not exist",
            manifest.publication.location if manifest.publication else manifest.location,
            "package the registry again with `weaver registry package`",
        )
        return None
    try:
        data = load_yaml(str(path), shown, diagnostics)
    except Problem as problem:
        diagnostics.add(problem.diagnostic)
        return None
    if not isinstance(data, LocatedDict):
        diagnostics.report(
            catalogue.PUBLISHED_REGISTRY_INVALID,
            "the resolved registry file is not a YAML mapping",
            SourceLocation(shown, 1, 1),
            f"a resolved registry starts with `file_format: {RESOLVED_FORMAT}`",
        )
        return None
    parsed = validate(RawResolvedFile, data, shown)
    if parsed is None:
        return None
    written = Manifest(manifest.schema_url, None, manifest.location)
    return _Converter(parsed, RegistrySource(str(folder), (), (), written), diagnostics).convert()


class _Converter:
    def __init__(
        self, file: RawResolvedFile, empty: RegistrySource, diagnostics: Diagnostics
    ) -> None:
        self.file = file
        self.empty = empty  # the registry's folder and manifest, to be filled
        self.diagnostics = diagnostics
        self.dependency_names = [
            _dependency_name(d.url if isinstance(d, RawSchemaUrlObject) else d)
            for d in file.dependencies or ()
        ]
        self.valid = True

    def convert(self) -> PublishedRegistry | None:
        catalog = self.file.attribute_catalog
        order = [*self.file.registry.attributes, *range(len(catalog))]
        attributes: dict[str, Attribute] = {}
        carried_attributes: dict[str, str] = {}
        for index in order:
            entry = self.entry(index, self.file.registry, "attributes")
            if entry is None or entry.key in attributes:
                continue
            attribute = self.attribute(entry)
            if attribute is None:
                continue
            attributes[entry.key] = attribute
            owner = self.owner(entry.provenance, entry)
            if owner is not None:
                carried_attributes[entry.key] = owner
        groups = self.groups()
        if not self.valid:
            return None
        carried_groups = {group.id: owner for group, owner in groups if owner is not None}
        source = replace(
            self.empty, attributes=tuple(attributes.values()), groups=tuple(g for g, _ in groups)
        )
        return PublishedRegistry(source, carried_attributes, carried_groups)

    # -- pieces ------------------------------------------------------------------------------

    def entry(self, index: int, node: RawNode, key: str) -> RawCatalogAttribute | None:
        catalog = self.file.attribute_catalog
        if 0 <= index < len(catalog):
            return catalog[index]
        self.valid = False
        self.diagnostics.report(
            catalogue.PUBLISHED_REGISTRY_INVALID,
            f"attribute index {index} is outside the attribute catalog ({len(catalog)} entries)",
            node.key_location(key),
            "the resolved file is damaged; package the registry again",
        )
        return None

    def owner(self, provenance: RawProvenance | None, node: RawNode) -> str | None:
        """The name of the dependency a definition comes from; None for this registry's own."""
        if provenance is None or provenance.source is None:
            return None
        if 0 <= provenance.source < len(self.dependency_names):
            return self.dependency_names[provenance.source]
        self.valid = False
        self.diagnostics.report(
            catalogue.PUBLISHED_REGISTRY_INVALID,
            f"provenance names dependency {provenance.source}, and the file lists "
            f"{len(self.dependency_names)}",
            node.key_location("provenance"),
            "the resolved file is damaged; package the registry again",
        )
        return None

    def attribute(self, entry: RawCatalogAttribute) -> Attribute | None:
        level = Stability.parse(entry.stability)
        attribute_type = self.attribute_type(entry, level)
        if attribute_type is None:
            return None
        return Attribute(
            key=entry.key,
            type=attribute_type,
            brief=text(entry.brief),
            note=text(entry.note),
            examples=definition_examples(
                entry.examples_as_written, entry.examples, attribute_type.holds_text
            ),
            stability=level,
            deprecation=declared_deprecation(entry.deprecated, entry.stability),
            annotations=dict(entry.annotations or {}),
            location=entry.location,
        )

    def attribute_type(self, entry: RawCatalogAttribute, level: Stability) -> AttributeType | None:
        written = entry.type
        if isinstance(written, str):
            is_template = written.startswith("template[")
            name = written[len("template[") : -1] if is_template else written
            return AttributeType(PrimitiveType(name), is_template=is_template)
        members = tuple(
            EnumMember(
                id=m.id,
                value=m.id if m.value is None else m.value,
                brief=text(m.brief),
                note=text(m.note),
                stability=Stability.parse(m.stability) if m.stability else level,
                deprecation=declared_deprecation(m.deprecated, m.stability),
                location=m.location,
                code_generation_excluded=excluded_from_code_generation(m.annotations),
            )
            for m in written.members
        )
        kinds = {value_type(m.value) for m in members}
        if len(kinds) != 1:
            self.valid = False
            self.diagnostics.report(
                catalogue.ENUM_MIXED_VALUES if kinds else catalogue.ENUM_NO_MEMBERS,
                f"enum attribute `{entry.key}` "
                + (
                    f"mixes value types ({', '.join(sorted(k.value for k in kinds))})"
                    if kinds
                    else "has no members"
                ),
                entry.location.at("type"),
            )
            return None
        return AttributeType(kinds.pop(), members=members)

    def uses(
        self, uses: Sequence[RawAttributeUse] | None, role: str | None = None
    ) -> tuple[AttributeRefSpec, ...]:
        members = []
        for use in uses or ():
            entry = self.entry(use.base, use, "base")
            if entry is None:
                continue
            members.append(
                AttributeRefSpec(
                    key=entry.key,
                    location=use.location,
                    brief=text(entry.brief),
                    note=text(entry.note),
                    examples=examples(entry.examples),
                    examples_text=examples(entry.examples_as_written),
                    stability=Stability.parse(entry.stability),
                    deprecation=declared_deprecation(entry.deprecated, entry.stability),
                    annotations=dict(entry.annotations or {}),
                    requirement_level=requirement(use.requirement_level),
                    sampling_relevant=use.sampling_relevant,
                    role=role,
                )
            )
        return tuple(members)

    def owned(self, item: _RawResolvedItem, spec: GroupSpec) -> tuple[GroupSpec, str | None]:
        """`spec`, read from `item`, with the dependency it is carried for (None: its own)."""
        return spec, self.owner(item.provenance, item)

    def signal(
        self,
        item: _RawResolvedItem,
        kind: GroupKind,
        name: str,
        members: tuple[AttributeRefSpec, ...],
    ) -> GroupSpec:
        """The signal `<kind>.<name>`, or a refinement of it (which keeps its own id)."""
        refined = isinstance(item, _REFINEMENTS)
        return GroupSpec(
            id=item.id if isinstance(item, _REFINEMENTS) else f"{kind.value}.{name}",
            kind=kind,
            **_documentation(item),
            members=members,
            signal_name=None if refined else name,
            refines=name if refined else None,
        )

    def groups(self) -> list[tuple[GroupSpec, str | None]]:
        registry, refinements = self.file.registry, self.file.refinements
        found = [
            self.owned(
                group,
                GroupSpec(
                    id=group.id,
                    kind=GroupKind.ATTRIBUTE_GROUP,
                    **_documentation(group),
                    members=self.uses(group.attributes),
                    visibility="public",
                ),
            )
            for group in registry.attribute_groups
        ]
        for span in [*registry.spans, *refinements.spans]:
            spec = self.signal(span, GroupKind.SPAN, span.type, self.uses(span.attributes))
            named = replace(
                spec, span_kind=SpanKind(span.kind), span_name_note=span.name.note.strip()
            )
            found.append(self.owned(span, named))
        for metric in [*registry.metrics, *refinements.metrics]:
            spec = self.signal(metric, GroupKind.METRIC, metric.name, self.uses(metric.attributes))
            measured = replace(spec, instrument=Instrument(metric.instrument), unit=metric.unit)
            found.append(self.owned(metric, measured))
        for event in [*registry.events, *refinements.events]:
            spec = self.signal(event, GroupKind.EVENT, event.name, self.uses(event.attributes))
            found.append(self.owned(event, spec))
        for entity in [*registry.entities, *(refinements.entities or ())]:
            members = self.uses(entity.identity, "identifying") + self.uses(
                entity.description, "descriptive"
            )
            found.append(
                self.owned(entity, self.signal(entity, GroupKind.ENTITY, entity.type, members))
            )
        return found


_REFINEMENTS = (RawSpanRefinement, RawMetricRefinement, RawEventRefinement, RawEntityRefinement)


def _documentation(item: _RawResolvedItem) -> Documentation:
    """As a registry folder's groups are documented, but an item whose stability is the legacy
    `deprecated` is deprecated, as its definitions are."""
    found = documentation(item)
    found["deprecation"] = declared_deprecation(item.deprecated, item.stability)
    return found


def _dependency_name(schema_url: str) -> str:
    parsed = registry_id(schema_url)
    return parsed.name if parsed is not None else schema_url
