"""What both file formats share: the definitions a registry's files add up to, and the
conversion of the pieces every format writes the same way (attributes, references, enums,
deprecations, requirement levels)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypedDict

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics, SourceLocation
from typed_semconv.diagnostics.suggest import suggest
from typed_semconv.load import schema as raw
from typed_semconv.model import (
    Attribute,
    AttributeRefSpec,
    AttributeType,
    Deprecation,
    EnumMember,
    GroupKind,
    GroupRefSpec,
    GroupSpec,
    ImportSpec,
    MemberSpec,
    PrimitiveType,
    RequirementLevel,
    Stability,
    excluded_from_code_generation,
)

_TYPE_NAMES = tuple(t.value for t in PrimitiveType)


@dataclass
class Definitions:
    """The attribute definitions, groups and imports read so far from a registry's files."""

    diagnostics: Diagnostics
    attributes: list[Attribute] = field(default_factory=list)
    groups: list[GroupSpec] = field(default_factory=list)
    imports: list[ImportSpec] = field(default_factory=list)


def text(value: str | None) -> str:
    return (value or "").strip()


def optional_text(value: str | None) -> str | None:
    """A text that may be absent (None) or blank on purpose (`note: ""` clears a note)."""
    return value.strip() if value is not None else None


def stability(value: str | None) -> Stability | None:
    return Stability.parse(value) if value else None


def deprecation(value: raw.RawDeprecation | None) -> Deprecation | None:
    if value is None:
        return None
    if isinstance(value, str):
        return Deprecation("uncategorized", value.strip())
    return Deprecation(value.reason, (value.note or "").strip(), value.renamed_to)


class Documented(Protocol):
    """A registry entry that documents itself: a v1 group, or a v2 signal or attribute group."""

    @property
    def location(self) -> SourceLocation: ...
    @property
    def brief(self) -> str | None: ...
    @property
    def note(self) -> str | None: ...
    @property
    def stability(self) -> str | None: ...
    @property
    def deprecated(self) -> raw.RawDeprecation | None: ...
    @property
    def annotations(self) -> dict[str, Any] | None: ...


class Documentation(TypedDict):
    """The `GroupSpec` fields every group and signal fills in the same way."""

    location: SourceLocation
    brief: str
    note: str
    stability: Stability
    deprecation: Deprecation | None
    annotations: dict[str, Any]


def documentation(item: Documented) -> Documentation:
    """What `item` says about itself, with the defaults of a group that is not a refinement."""
    return Documentation(
        location=item.location,
        brief=text(item.brief),
        note=text(item.note),
        stability=Stability.parse(item.stability),
        deprecation=deprecation(item.deprecated),
        annotations=dict(item.annotations or {}),
    )


def requirement(value: raw.RawRequirementLevel | None) -> RequirementLevel | None:
    if value is None:
        return None
    if isinstance(value, str):
        return RequirementLevel(value)
    if value.conditionally_required is not None:
        return RequirementLevel("conditionally_required", value.conditionally_required.strip())
    if value.recommended is not None:
        return RequirementLevel("recommended", value.recommended.strip())
    return RequirementLevel("opt_in", (value.opt_in or "").strip())


def declared_deprecation(
    value: raw.RawDeprecation | None, stability: str | None
) -> Deprecation | None:
    """The deprecation of a definition: as written, else `unspecified` for the legacy
    `stability: deprecated`."""
    found = deprecation(value)
    return Deprecation("unspecified") if found is None and stability == "deprecated" else found


def examples(value: Any) -> tuple[Any, ...] | None:
    if value is None:
        return None
    return tuple(value) if isinstance(value, list) else (value,)


def definition_examples(written: Any, value: Any, holds_text: bool) -> tuple[Any, ...] | None:
    """A definition's examples; for a text attribute, each plain YAML scalar as `written`
    (`1.10`, not 1.1)."""
    return examples(written if written is not None and holds_text else value)


def value_type(value: object) -> PrimitiveType:
    if isinstance(value, bool):
        return PrimitiveType.BOOLEAN
    if isinstance(value, int):
        return PrimitiveType.INT
    if isinstance(value, float):
        return PrimitiveType.DOUBLE
    return PrimitiveType.STRING


def attribute_type(
    defs: Definitions,
    value: raw.RawType,
    key: str,
    location: SourceLocation,
    stability_default: Stability,
) -> AttributeType | None:
    if isinstance(value, raw.RawEnumType):
        return enum_type(defs, value, key, location, stability_default)
    is_template = value.startswith("template[") and value.endswith("]")
    name = value[len("template[") : -1] if is_template else value
    try:
        primitive = PrimitiveType(name)
    except ValueError:
        defs.diagnostics.report(
            catalogue.ATTRIBUTE_UNKNOWN_TYPE,
            f"attribute `{key}` has unknown type `{value}`",
            location.at("type"),
            suggest(name, _TYPE_NAMES)
            or f"use one of {', '.join(_TYPE_NAMES)}, template[...] or an enum",
        )
        return None
    return AttributeType(primitive, is_template=is_template)


def enum_type(
    defs: Definitions,
    value: raw.RawEnumType,
    key: str,
    location: SourceLocation,
    stability_default: Stability,
) -> AttributeType | None:
    if not value.members:
        defs.diagnostics.report(
            catalogue.ENUM_NO_MEMBERS,
            f"enum attribute `{key}` has no members",
            location.at("type", "members"),
        )
        return None
    members = tuple(
        EnumMember(
            id=m.id,
            value=m.value,
            brief=text(m.brief),
            note=text(m.note),
            stability=Stability.parse(m.stability) if m.stability else stability_default,
            deprecation=deprecation(m.deprecated),
            location=m.location,
            code_generation_excluded=excluded_from_code_generation(m.annotations),
        )
        for m in value.members
    )
    kinds = {value_type(m.value) for m in members}
    if len(kinds) != 1:
        defs.diagnostics.report(
            catalogue.ENUM_MIXED_VALUES,
            f"enum attribute `{key}` mixes value types "
            f"({', '.join(sorted(k.value for k in kinds))})",
            location.at("type"),
            "give every member a value of the same type",
        )
        return None
    return AttributeType(kinds.pop(), members=members, closed=value.allow_custom_values is False)


def define(
    defs: Definitions,
    key: str,
    type_: raw.RawType,
    entry: raw.RawV1Attribute | raw.RawV2Attribute,
) -> Attribute | None:
    """Add the definition of attribute `key` written by `entry`; None when its type is wrong."""
    level = Stability.parse(entry.stability)
    attr_type = attribute_type(defs, type_, key, entry.location, level)
    if attr_type is None:
        return None
    v1 = entry if isinstance(entry, raw.RawV1Attribute) else None
    attribute = Attribute(
        key=key,
        type=attr_type,
        brief=text(entry.brief),
        note=text(entry.note),
        examples=definition_examples(
            entry.examples_as_written, entry.examples, attr_type.holds_text
        ),
        stability=level,
        deprecation=declared_deprecation(entry.deprecated, entry.stability),
        annotations=dict(entry.annotations or {}),
        location=entry.location,
        requirement_level=requirement(v1.requirement_level) if v1 else None,
        sampling_relevant=v1.sampling_relevant if v1 else None,
        role=v1.role if v1 else None,
    )
    defs.attributes.append(attribute)
    return attribute


def ref(
    entry: raw.RawV1Attribute | raw.RawAttributeRef, key: str, role: str | None
) -> AttributeRefSpec:
    """A group's use of attribute `key`, with the fields `entry` overrides."""
    written = entry.examples_as_written
    return AttributeRefSpec(
        key=key,
        location=entry.location,
        brief=optional_text(entry.brief),
        note=optional_text(entry.note),
        examples=examples(entry.examples),
        examples_text=examples(written) if written is not None else None,
        stability=stability(entry.stability),
        deprecation=deprecation(entry.deprecated),
        annotations=dict(entry.annotations) if entry.annotations is not None else None,
        requirement_level=requirement(entry.requirement_level),
        sampling_relevant=entry.sampling_relevant,
        role=role,
    )


def members(
    entries: Iterable[raw.RawAttributeRef] | None, role: str | None = None
) -> tuple[MemberSpec, ...]:
    """The `ref`s and `ref_group`s of a v2 signal or attribute group."""
    found: list[MemberSpec] = []
    for entry in entries or ():
        if entry.ref_group is not None:
            found.append(GroupRefSpec(entry.ref_group, entry.location))
        elif entry.ref is not None:
            found.append(ref(entry, entry.ref, role))
    return tuple(found)


def add_imports(defs: Definitions, imports: raw.RawImports | None) -> None:
    if imports is None:
        return
    for kind, patterns in (
        (GroupKind.METRIC, imports.metrics),
        (GroupKind.EVENT, imports.events),
        (GroupKind.ENTITY, imports.entities),
        (GroupKind.SPAN, imports.spans),
        (GroupKind.ATTRIBUTE_GROUP, imports.attribute_groups),
    ):
        for pattern in patterns or ():
            defs.imports.append(ImportSpec(kind, pattern, imports.location))
