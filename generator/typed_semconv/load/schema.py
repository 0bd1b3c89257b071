"""The registry files as written: schemas of the v1 (`groups:`) and v2 (`definition/2`) formats.

Each schema is a plain class: its annotated attributes are the keys a mapping may hold (those
without a default are required), and `rules` checks what ties the keys together. A document is
read into these classes by `schema_fields.construct`, which refuses anything it is not sure of;
only then is the document checked again by pydantic (`schema_mirror`), whose errors say what
is wrong, node by node. Unknown keys are rejected (weaver rejects them too).

Each node remembers the YAML location it was read from, so that later stages can point
diagnostics at the exact line.
"""

from __future__ import annotations

from typing import Any, Literal

from typed_semconv.diagnostics.core import SourceLocation

StabilityName = Literal[
    "stable", "development", "experimental", "alpha", "beta", "release_candidate", "deprecated"
]
BasicRequirement = Literal["required", "recommended", "opt_in"]
SpanKindName = Literal["client", "server", "producer", "consumer", "internal"]
InstrumentName = Literal["counter", "updowncounter", "gauge", "histogram"]
ExampleValue = Any
UNKNOWN_LOCATION = SourceLocation("<unknown>")


class RawNode:
    """A mapping of a registry file, read into its schema class. The reader sets where it was
    written, the keys it was written with, and `examples` as written (see `LocatedDict`)."""

    _location: SourceLocation
    _written: tuple[str, ...]
    _examples_text: Any

    def rules(self) -> None:
        """Raise ValueError when the keys, each valid alone, do not fit together."""

    @property
    def location(self) -> SourceLocation:
        return getattr(self, "_location", UNKNOWN_LOCATION)

    @property
    def written_keys(self) -> tuple[str, ...]:
        """The keys of the mapping as written, in order."""
        return getattr(self, "_written", ())

    @property
    def examples_as_written(self) -> Any:
        """`examples` with each plain scalar as its text; None when they were all text."""
        return getattr(self, "_examples_text", None)

    def key_location(self, key: str) -> SourceLocation:
        return self.location.keys.get(key, self.location)


class RawDeprecated(RawNode):
    reason: Literal["renamed", "obsoleted", "uncategorized", "unspecified"]
    note: str | None = None
    renamed_to: str | None = None

    def rules(self) -> None:
        if self.reason == "renamed" and not self.renamed_to:
            raise ValueError("`deprecated` with `reason: renamed` needs `renamed_to`")


class RawConditionalRequirement(RawNode):
    conditionally_required: str | None = None
    recommended: str | None = None
    opt_in: str | None = None

    def rules(self) -> None:
        given = [
            v for v in (self.conditionally_required, self.recommended, self.opt_in) if v is not None
        ]
        if len(given) != 1:
            raise ValueError(
                "a requirement level mapping needs exactly one of "
                "`conditionally_required`, `recommended`, `opt_in`"
            )


RawRequirementLevel = BasicRequirement | RawConditionalRequirement
RawDeprecation = str | RawDeprecated


class RawEnumMember(RawNode):
    id: str
    value: str | int | float | bool
    brief: str | None = None
    note: str | None = None
    stability: StabilityName | None = None
    deprecated: RawDeprecation | None = None
    annotations: dict[str, Any] | None = None


class RawEnumType(RawNode):
    members: list[RawEnumMember]
    allow_custom_values: bool | None = None


RawType = str | RawEnumType


class RawV1Attribute(RawNode):
    """An entry of a v1 group's `attributes`: a definition (`id`) or a reference (`ref`)."""

    id: str | None = None
    ref: str | None = None
    type: RawType | None = None
    brief: str | None = None
    note: str | None = None
    examples: ExampleValue = None
    stability: StabilityName | None = None
    deprecated: RawDeprecation | None = None
    requirement_level: RawRequirementLevel | None = None
    sampling_relevant: bool | None = None
    tag: str | None = None
    role: Literal["identifying", "descriptive"] | None = None
    annotations: dict[str, Any] | None = None
    prefix: bool | None = None  # legacy (releases up to v1.25), on a `ref` only; ignored

    def rules(self) -> None:
        if (self.id is None) == (self.ref is None):
            raise ValueError("an attribute needs exactly one of `id` (a definition) or `ref`")
        if self.id is not None and self.type is None:
            raise ValueError(f"attribute `{self.id}` has no `type`")
        if self.ref is not None and self.type is not None:
            raise ValueError(f"`ref: {self.ref}` cannot change the `type` of the attribute")
        if self.id is not None and self.prefix is not None:
            raise ValueError(f"`prefix` is a flag of a `ref`, not of the definition `{self.id}`")


class RawConstraint(RawNode):
    """A legacy group constraint (releases v1.21 to v1.25); read, then ignored."""

    any_of: list[str | list[str]] | None = None
    include: str | None = None


class RawV1Group(RawNode):
    id: str
    type: Literal[
        "attribute_group", "span", "metric", "event", "entity", "resource", "scope", "metric_group"
    ] = "span"
    brief: str
    note: str | None = None
    prefix: str | None = None
    extends: str | None = None
    stability: StabilityName | None = None
    deprecated: RawDeprecation | None = None
    display_name: str | None = None
    attributes: list[RawV1Attribute] | None = None
    span_kind: SpanKindName | None = None
    events: list[str] | None = None
    metric_name: str | None = None
    instrument: InstrumentName | None = None
    unit: str | None = None
    name: str | None = None
    body: Any = None
    entity_associations: Any = None
    annotations: dict[str, Any] | None = None
    constraints: list[RawConstraint] | None = None  # legacy; ignored with a warning


class RawV1File(RawNode):
    file_format: Literal["definition/1"] | None = None
    groups: list[RawV1Group] | None = None
    imports: RawImports | None = None


class RawAttributeRef(RawNode):
    """A v2 reference to an attribute (`ref`) or to an attribute group (`ref_group`)."""

    ref: str | None = None
    ref_group: str | None = None
    brief: str | None = None
    note: str | None = None
    examples: ExampleValue = None
    stability: StabilityName | None = None
    deprecated: RawDeprecation | None = None
    requirement_level: RawRequirementLevel | None = None
    sampling_relevant: bool | None = None
    annotations: dict[str, Any] | None = None

    def rules(self) -> None:
        if (self.ref is None) == (self.ref_group is None):
            raise ValueError("an attribute reference needs exactly one of `ref` or `ref_group`")
        if self.ref_group is not None:
            extra = [k for k in self.written_keys if k != "ref_group"]
            if extra:
                raise ValueError(f"`ref_group` takes no other keys (found {', '.join(extra)})")


class RawV2Attribute(RawNode):
    key: str
    type: RawType
    brief: str
    note: str | None = None
    stability: StabilityName
    deprecated: RawDeprecation | None = None
    annotations: dict[str, Any] | None = None
    examples: ExampleValue = None


class RawV2AttributeGroup(RawNode):
    id: str
    visibility: Literal["internal", "public"]
    brief: str | None = None
    note: str | None = None
    stability: StabilityName | None = None
    deprecated: RawDeprecation | None = None
    annotations: dict[str, Any] | None = None
    attributes: list[RawAttributeRef] | None = None


class RawSpanName(RawNode):
    note: str


class _RawV2Signal(RawNode):
    brief: str
    note: str | None = None
    stability: StabilityName
    requirement_level: Literal["recommended", "opt_in"] | None = None
    deprecated: RawDeprecation | None = None
    annotations: dict[str, Any] | None = None
    attributes: list[RawAttributeRef] | None = None
    entity_associations: Any = None


class RawV2Span(_RawV2Signal):
    type: str
    kind: SpanKindName
    name: RawSpanName


class RawV2Metric(_RawV2Signal):
    name: str
    instrument: InstrumentName
    unit: str


class RawV2Event(_RawV2Signal):
    name: str


class RawV2Entity(RawNode):
    type: str
    brief: str
    note: str | None = None
    stability: StabilityName
    requirement_level: Literal["recommended", "opt_in"] | None = None
    deprecated: RawDeprecation | None = None
    annotations: dict[str, Any] | None = None
    identity: list[RawAttributeRef]
    description: list[RawAttributeRef] | None = None


class _RawRefinement(RawNode):
    id: str
    ref: str
    brief: str | None = None
    note: str | None = None
    stability: StabilityName | None = None
    deprecated: RawDeprecation | None = None
    annotations: dict[str, Any] | None = None
    attributes: list[RawAttributeRef] | None = None
    entity_associations: Any = None


class RawV2SpanRefinement(_RawRefinement):
    name: RawSpanName | None = None


class RawV2MetricRefinement(_RawRefinement):
    pass


class RawV2EventRefinement(_RawRefinement):
    pass


class RawV2EntityRefinement(RawNode):
    id: str
    ref: str
    brief: str | None = None
    note: str | None = None
    stability: StabilityName | None = None
    deprecated: RawDeprecation | None = None
    annotations: dict[str, Any] | None = None
    identity: list[RawAttributeRef] | None = None
    description: list[RawAttributeRef] | None = None


class RawImports(RawNode):
    metrics: list[str] | None = None
    events: list[str] | None = None
    entities: list[str] | None = None
    spans: list[str] | None = None
    attribute_groups: list[str] | None = None


class RawV2File(RawNode):
    file_format: Literal["definition/2"]
    attributes: list[RawV2Attribute] | None = None
    attribute_groups: list[RawV2AttributeGroup] | None = None
    spans: list[RawV2Span] | None = None
    span_refinements: list[RawV2SpanRefinement] | None = None
    metrics: list[RawV2Metric] | None = None
    metric_refinements: list[RawV2MetricRefinement] | None = None
    events: list[RawV2Event] | None = None
    event_refinements: list[RawV2EventRefinement] | None = None
    entities: list[RawV2Entity] | None = None
    entity_refinements: list[RawV2EntityRefinement] | None = None
    imports: RawImports | None = None


class RawSchemaUrl(RawNode):
    url: str


class RawDependency(RawNode):
    name: str | None = None
    schema_url: str | RawSchemaUrl | None = None
    registry_path: str | None = None


class RawManifest(RawNode):
    """`manifest.yaml` (v2) or the older `registry_manifest.yaml`."""

    schema_url: str | RawSchemaUrl | None = None
    name: str | None = None
    description: str | None = None
    semconv_version: str | None = None
    schema_base_url: str | None = None
    stability: StabilityName | None = None
    dependencies: list[RawDependency] | None = None
