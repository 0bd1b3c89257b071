"""The registry files as written: schemas of the v1 (`groups:`) and v2 (`definition/2`) formats.

Each schema node remembers the YAML location it was read from, so that later stages can point
diagnostics at the exact line. Unknown keys are rejected (weaver rejects them too).
"""

from __future__ import annotations

import functools
import types
import typing
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    PrivateAttr,
    ValidatorFunctionWrapHandler,
    model_validator,
)

from typed_semconv.diagnostics.core import SourceLocation
from typed_semconv.load.yaml_reader import LocatedDict

StabilityName = Literal[
    "stable", "development", "experimental", "alpha", "beta", "release_candidate", "deprecated"
]
BasicRequirement = Literal["required", "recommended", "opt_in"]
SpanKindName = Literal["client", "server", "producer", "consumer", "internal"]
InstrumentName = Literal["counter", "updowncounter", "gauge", "histogram"]
ExampleValue = Any
UNKNOWN_LOCATION = SourceLocation("<unknown>")


def _is_text(annotation: Any) -> bool:
    """Whether a field holds text (perhaps or a mapping), and never a number or a boolean."""
    if annotation is str:
        return True
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        options = typing.get_args(annotation)
        return str in options and not {int, float, bool} & set(options)
    return False


@functools.cache
def _text_fields(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(name for name, f in model.model_fields.items() if _is_text(f.annotation))


class RawNode(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=False)

    # No defaults: pydantic would deep-copy them into every node (a tenth of a full run).
    _location: SourceLocation = PrivateAttr()
    _key_locations: dict[str, SourceLocation] = PrivateAttr()
    _examples_text: Any = PrivateAttr()

    @model_validator(mode="wrap")
    @classmethod
    def _keep_location(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        texts = data.plain_texts if isinstance(data, LocatedDict) else None
        if texts:
            # A plain scalar in a text field is the text as written: `brief: 1.10` is "1.10".
            fields = _text_fields(cls)
            written = {k: v for k, v in texts.items() if k in fields and isinstance(v, str)}
            model = handler({**data, **written} if written else data)
        else:
            model = handler(data)
        if isinstance(data, LocatedDict) and isinstance(model, RawNode):
            model._location = data.location
            model._key_locations = data.key_locations
            if texts and "examples" in texts:
                model._examples_text = texts["examples"]
        return model

    @property
    def location(self) -> SourceLocation:
        return getattr(self, "_location", UNKNOWN_LOCATION)

    @property
    def examples_as_written(self) -> Any:
        """`examples` with each plain scalar as its text; None when they were all text."""
        return getattr(self, "_examples_text", None)

    def key_location(self, key: str) -> SourceLocation:
        keys: dict[str, SourceLocation] = getattr(self, "_key_locations", {})
        return keys.get(key, self.location)


class RawDeprecated(RawNode):
    reason: Literal["renamed", "obsoleted", "uncategorized", "unspecified"]
    note: str | None = None
    renamed_to: str | None = None

    @model_validator(mode="after")
    def _renamed_needs_target(self) -> RawDeprecated:
        if self.reason == "renamed" and not self.renamed_to:
            raise ValueError("`deprecated` with `reason: renamed` needs `renamed_to`")
        return self


class RawConditionalRequirement(RawNode):
    conditionally_required: str | None = None
    recommended: str | None = None
    opt_in: str | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> RawConditionalRequirement:
        given = [
            v for v in (self.conditionally_required, self.recommended, self.opt_in) if v is not None
        ]
        if len(given) != 1:
            raise ValueError(
                "a requirement level mapping needs exactly one of "
                "`conditionally_required`, `recommended`, `opt_in`"
            )
        return self


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

    @model_validator(mode="after")
    def _id_or_ref(self) -> RawV1Attribute:
        if (self.id is None) == (self.ref is None):
            raise ValueError("an attribute needs exactly one of `id` (a definition) or `ref`")
        if self.id is not None and self.type is None:
            raise ValueError(f"attribute `{self.id}` has no `type`")
        if self.ref is not None and self.type is not None:
            raise ValueError(f"`ref: {self.ref}` cannot change the `type` of the attribute")
        if self.id is not None and self.prefix is not None:
            raise ValueError(f"`prefix` is a flag of a `ref`, not of the definition `{self.id}`")
        return self


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

    @model_validator(mode="after")
    def _ref_or_group(self) -> RawAttributeRef:
        if (self.ref is None) == (self.ref_group is None):
            raise ValueError("an attribute reference needs exactly one of `ref` or `ref_group`")
        if self.ref_group is not None:
            extra = [k for k in self.model_fields_set if k != "ref_group"]
            if extra:
                raise ValueError(f"`ref_group` takes no other keys (found {', '.join(extra)})")
        return self


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

    model_config = ConfigDict(extra="forbid")

    schema_url: str | RawSchemaUrl | None = None
    name: str | None = None
    description: str | None = None
    semconv_version: str | None = None
    schema_base_url: str | None = None
    stability: StabilityName | None = None
    dependencies: list[RawDependency] | None = None


RawV1File.model_rebuild()
