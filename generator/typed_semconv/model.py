"""The semantic-convention model, independent of the file format it was written in.

`*Spec` classes are definitions as loaded (before `ref`, `extends` and refinements are applied);
`Registry` and the classes it holds are the resolved result every later stage works from.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from typed_semconv.diagnostics.core import SourceLocation


class Stability(enum.Enum):
    STABLE = "stable"
    RELEASE_CANDIDATE = "release_candidate"
    BETA = "beta"
    ALPHA = "alpha"
    DEVELOPMENT = "development"

    @classmethod
    def parse(cls, name: str | None) -> Stability:
        """Map a written stability (including the legacy aliases) to its level."""
        if name is None or name in ("experimental", "deprecated"):
            return cls.DEVELOPMENT
        return cls(name)


class PrimitiveType(enum.Enum):
    STRING = "string"
    INT = "int"
    DOUBLE = "double"
    BOOLEAN = "boolean"
    ANY = "any"
    STRING_ARRAY = "string[]"
    INT_ARRAY = "int[]"
    DOUBLE_ARRAY = "double[]"
    BOOLEAN_ARRAY = "boolean[]"


class GroupKind(enum.Enum):
    ATTRIBUTE_GROUP = "attribute_group"
    SPAN = "span"
    METRIC = "metric"
    EVENT = "event"
    ENTITY = "entity"


class SpanKind(enum.Enum):
    CLIENT = "client"
    SERVER = "server"
    PRODUCER = "producer"
    CONSUMER = "consumer"
    INTERNAL = "internal"


class Instrument(enum.Enum):
    COUNTER = "counter"
    UPDOWNCOUNTER = "updowncounter"
    GAUGE = "gauge"
    HISTOGRAM = "histogram"


def excluded_from_code_generation(annotations: Mapping[str, Any] | None) -> bool:
    """`annotations: {code_generation: {exclude: true}}` keeps an item out of generated code."""
    codegen = (annotations or {}).get("code_generation")
    return isinstance(codegen, Mapping) and codegen.get("exclude") is True


MANIFEST_NAMES = ("manifest.yaml", "registry_manifest.yaml")

RequirementName = Literal["required", "conditionally_required", "recommended", "opt_in"]
DeprecationReason = Literal["renamed", "obsoleted", "uncategorized", "unspecified"]
EnumValue = str | int | float | bool


@dataclass(frozen=True)
class Deprecation:
    reason: DeprecationReason
    note: str = ""
    renamed_to: str | None = None


@dataclass(frozen=True)
class RequirementLevel:
    level: RequirementName = "recommended"
    condition: str = ""


@dataclass(frozen=True)
class EnumMember:
    id: str
    value: EnumValue
    brief: str
    note: str
    stability: Stability
    deprecation: Deprecation | None
    location: SourceLocation
    code_generation_excluded: bool = False


@dataclass(frozen=True)
class AttributeType:
    """`primitive` is the value type; for an enum it is the type of its members' values."""

    primitive: PrimitiveType
    is_template: bool = False
    members: tuple[EnumMember, ...] | None = None
    closed: bool = False

    @property
    def is_enum(self) -> bool:
        return self.members is not None

    @property
    def holds_text(self) -> bool:
        """Whether values are text (strings or string arrays): examples are kept as written."""
        return self.primitive in (PrimitiveType.STRING, PrimitiveType.STRING_ARRAY)

    def describe(self) -> str:
        if self.is_enum:
            return f"enum of {self.primitive.value}"
        if self.is_template:
            return f"template[{self.primitive.value}]"
        return self.primitive.value


@dataclass(frozen=True)
class Attribute:
    key: str
    type: AttributeType
    brief: str
    note: str
    examples: tuple[Any, ...] | None
    stability: Stability
    deprecation: Deprecation | None
    annotations: Mapping[str, Any]
    location: SourceLocation
    from_dependency: bool = False
    # What a v1 definition says about its use in groups; a `ref` that does not say otherwise
    # inherits it (None: the definition does not say).
    requirement_level: RequirementLevel | None = None
    sampling_relevant: bool | None = None
    role: str | None = None

    @property
    def root_namespace(self) -> str:
        return self.key.split(".", 1)[0] if "." in self.key else ""

    @property
    def code_generation_excluded(self) -> bool:
        return excluded_from_code_generation(self.annotations)


@dataclass(frozen=True)
class AttributeRefSpec:
    """An attribute as a group uses it: a `ref` with its local overrides (None = not given)."""

    key: str
    location: SourceLocation
    brief: str | None = None
    note: str | None = None
    examples: tuple[Any, ...] | None = None
    # The examples with every plain YAML scalar as written (`1.10`, `True`), for an attribute
    # of string type; None when they were all text already.
    examples_text: tuple[Any, ...] | None = None
    stability: Stability | None = None
    deprecation: Deprecation | None = None
    annotations: Mapping[str, Any] | None = None
    requirement_level: RequirementLevel | None = None
    sampling_relevant: bool | None = None
    role: str | None = None


@dataclass(frozen=True)
class GroupRefSpec:
    group_id: str
    location: SourceLocation


MemberSpec = AttributeRefSpec | GroupRefSpec


@dataclass(frozen=True)
class BodyField:
    """The body of an event (v1 `body:`), or one field of a map body, as the registry types it.

    `type` is a primitive or array type name (`string`, `int[]`, `byte[]`...), `map`, `map[]`,
    `enum` or `undefined`; a map has `fields`, an enum `members` (their values).
    """

    id: str
    type: str
    brief: str
    note: str
    requirement_level: RequirementLevel
    stability: Stability
    deprecation: Deprecation | None
    fields: tuple[BodyField, ...] = ()
    members: tuple[EnumValue, ...] = ()


@dataclass(frozen=True)
class GroupSpec:
    """A group (v1) or a signal, attribute group or refinement (v2) as written.

    `brief`, `note` and `stability` are None only on a v2 refinement that does not set them:
    it inherits them from the signal it refines.
    """

    id: str
    kind: GroupKind
    location: SourceLocation
    brief: str | None = ""
    note: str | None = ""
    stability: Stability | None = Stability.DEVELOPMENT
    deprecation: Deprecation | None = None
    annotations: Mapping[str, Any] = field(default_factory=dict)
    extends: str | None = None
    refines: str | None = None
    members: tuple[MemberSpec, ...] = ()
    signal_name: str | None = None
    span_kind: SpanKind | None = None
    span_name_note: str | None = None
    instrument: Instrument | None = None
    unit: str | None = None
    visibility: str | None = None
    display_name: str | None = None
    events: tuple[str, ...] = ()  # a v1 span's `events:` (event names or group ids)
    body: BodyField | None = None  # a v1 event's `body:`

    @property
    def code_generation_excluded(self) -> bool:
        return excluded_from_code_generation(self.annotations)


@dataclass(frozen=True)
class Dependency:
    """A registry this one builds on (`dependencies` in its manifest)."""

    schema_url: str | None
    registry_path: str | None
    location: SourceLocation


@dataclass(frozen=True)
class Manifest:
    schema_url: str | None
    description: str | None
    location: SourceLocation
    dependencies: tuple[Dependency, ...] = ()


@dataclass(frozen=True)
class ImportSpec:
    """`imports:` of a registry file: bring in a dependency's signals whose name matches."""

    kind: GroupKind
    pattern: str
    location: SourceLocation


@dataclass(frozen=True)
class RegistrySource:
    """Everything loaded from one registry folder, before resolution."""

    root: str
    attributes: tuple[Attribute, ...]
    groups: tuple[GroupSpec, ...]
    manifest: Manifest | None
    imports: tuple[ImportSpec, ...] = ()
    is_dependency: bool = False


@dataclass(frozen=True)
class AttributeUse:
    """A resolved attribute of a group: the definition with the group's refinements applied."""

    attribute: Attribute
    requirement_level: RequirementLevel
    sampling_relevant: bool
    role: str | None

    @property
    def key(self) -> str:
        return self.attribute.key


@dataclass(frozen=True)
class Group:
    id: str
    kind: GroupKind
    location: SourceLocation
    brief: str
    note: str
    stability: Stability
    deprecation: Deprecation | None
    annotations: Mapping[str, Any]
    attributes: tuple[AttributeUse, ...]
    signal_name: str | None
    span_kind: SpanKind | None
    span_name_note: str | None
    instrument: Instrument | None
    unit: str | None
    extends: str | None
    refines: str | None
    visibility: str | None
    from_dependency: bool = False
    imported: bool = False
    events: tuple[str, ...] = ()
    body: BodyField | None = None

    @property
    def code_generation_excluded(self) -> bool:
        return excluded_from_code_generation(self.annotations)


@dataclass(frozen=True)
class Registry:
    """The resolved registry: every attribute definition and every group with its attributes."""

    attributes: tuple[Attribute, ...]
    groups: tuple[Group, ...]
    sources: tuple[str, ...]
    schema_url: str | None = None

    def groups_of(self, kind: GroupKind) -> tuple[Group, ...]:
        return tuple(g for g in self.groups if g.kind is kind)
