"""The body of a v1 event (`body:`, weaver's "any value"): a typed value, or a map of fields.

Read apart from the rest of the group (which leaves `body` unchecked), with the same schema
errors as every other node, so that the generated emit function can type the body.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import SourceLocation
from typed_semconv.load import definitions as common
from typed_semconv.load import schema as raw
from typed_semconv.load.definitions import Definitions
from typed_semconv.load.documents import validate
from typed_semconv.load.yaml_reader import LocatedDict
from typed_semconv.model import BodyField, RequirementLevel, Stability

BodyTypeName = Literal[
    "string",
    "int",
    "double",
    "boolean",
    "string[]",
    "int[]",
    "double[]",
    "boolean[]",
    "byte[]",
    "map",
    "map[]",
    "enum",
    "undefined",
]


class RawBodyMember(raw.RawNode):
    id: str
    value: str | int | float | bool
    brief: str | None = None
    note: str | None = None
    stability: raw.StabilityName | None = None
    deprecated: raw.RawDeprecation | None = None


class RawBodyField(raw.RawNode):
    id: str
    type: BodyTypeName
    brief: str | None = None
    note: str | None = None
    stability: raw.StabilityName | None = None
    deprecated: raw.RawDeprecation | None = None
    requirement_level: raw.RawRequirementLevel | None = None
    examples: raw.ExampleValue = None
    # The fields of a map, each a body field in turn: read one level at a time (by
    # `_parse`), since the schema readers take no class that holds itself.
    fields: list[Any] | None = None
    members: list[RawBodyMember] | None = None

    def rules(self) -> None:
        if self.type not in get_args(BodyTypeName):
            return  # the type itself is reported; what it allows is moot
        is_map = self.type in ("map", "map[]")
        if is_map != (self.fields is not None):
            raise ValueError(
                f"body field `{self.id}` of type `{self.type}` "
                + ("needs `fields`" if is_map else "cannot have `fields` (only a map has them)")
            )
        if (self.type == "enum") != (self.members is not None):
            raise ValueError(
                f"body field `{self.id}` of type `{self.type}` "
                + ("needs `members`" if self.type == "enum" else "cannot have `members`")
            )


def event_body(defs: Definitions, value: Any, location: SourceLocation) -> BodyField | None:
    """The body of an event as written under `body:` (at `location`); None when there is
    none, or after reporting why it is invalid."""
    if value is None:
        return None
    if not isinstance(value, LocatedDict):
        defs.diagnostics.report(
            catalogue.SCHEMA_INVALID_VALUE,
            "`body` must be a mapping with `id` and `type` (and its fields, for a map)",
            location,
        )
        return None
    return _parse(defs, value, location)


def _parse(defs: Definitions, value: LocatedDict, location: SourceLocation) -> BodyField | None:
    parsed = validate(RawBodyField, value, location.path, defs.diagnostics)
    if parsed is None:
        return None
    fields = []
    for item in parsed.fields or ():
        if not isinstance(item, LocatedDict):
            defs.diagnostics.report(
                catalogue.SCHEMA_INVALID_VALUE,
                f"a field of the map `{parsed.id}` must be a mapping with `id` and `type`",
                parsed.key_location("fields"),
            )
            return None
        field = _parse(defs, item, item.location)
        if field is None:
            return None
        fields.append(field)
    return _field(parsed, tuple(fields))


def _field(field: RawBodyField, fields: tuple[BodyField, ...]) -> BodyField:
    return BodyField(
        id=field.id,
        type=field.type,
        brief=common.text(field.brief),
        note=common.text(field.note),
        requirement_level=common.requirement(field.requirement_level) or RequirementLevel(),
        stability=Stability.parse(field.stability),
        deprecation=common.deprecation(field.deprecated),
        fields=fields,
        members=tuple(m.value for m in field.members or ()),
    )
