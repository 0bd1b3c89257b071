"""The schema classes as pydantic models, for the documents the quick reading gives up on.

Each model mirrors one schema class: the same keys with the same annotations and defaults
(schema classes inside an annotation become their mirrors), unknown keys forbidden, and the
class's `rules` run once its keys are valid. pydantic then converts what it accepts (a quoted
`"true"` for a boolean) and reports, node by node, what it refuses. Built on first use: most runs
never import pydantic.
"""

from __future__ import annotations

import functools
import types
from typing import Any, ClassVar, Literal, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    PrivateAttr,
    ValidatorFunctionWrapHandler,
    create_model,
    model_validator,
)

from typed_semconv.load.schema import RawNode
from typed_semconv.load.schema_fields import fields, is_schema, new_node, text_fields
from typed_semconv.load.yaml_reader import LocatedDict


class MirrorNode(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=False)

    # No defaults: pydantic would deep-copy them into every node.
    _data: LocatedDict = PrivateAttr()
    mirrored: ClassVar[type[RawNode]] = RawNode  # the schema class this model stands for

    @model_validator(mode="wrap")
    @classmethod
    def _keep_location(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        texts = data.plain_texts if isinstance(data, LocatedDict) else None
        if texts:
            # A plain scalar in a text field is the text as written: `brief: 1.10` is "1.10".
            names = text_fields(cls.mirrored)
            written = {k: v for k, v in texts.items() if k in names and isinstance(v, str)}
            model = handler({**data, **written} if written else data)
        else:
            model = handler(data)
        if isinstance(data, LocatedDict) and isinstance(model, MirrorNode):
            model._data = data
            if cls.mirrored.rules is not RawNode.rules:  # the rules across the (valid) keys
                cls.mirrored.rules(model.as_node())
        return model

    def as_node(self) -> RawNode:
        """The schema class's node holding what pydantic accepted."""
        schema = self.mirrored
        values = {name: _plain(getattr(self, name)) for name in fields(schema)}
        data: LocatedDict | None = getattr(self, "_data", None)
        if data is None:  # pragma: no cover - every node is validated from a LocatedDict
            raise TypeError(f"{schema.__name__} was not read from a YAML mapping")
        written = tuple(k for k in data if k in self.model_fields_set)
        return new_node(schema, values, data, written)


def _plain(value: Any) -> Any:
    if isinstance(value, MirrorNode):
        return value.as_node()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


_MIRRORS: dict[type[RawNode], type[MirrorNode]] = {}


def mirror(schema: type[RawNode]) -> type[MirrorNode]:
    """The pydantic model of a schema class."""
    model = _MIRRORS.get(schema)
    if model is None:
        definitions: dict[str, Any] = {
            name: (_mirrored(field.annotation), ... if field.required else field.default)
            for name, field in fields(schema).items()
        }
        model = create_model(schema.__name__, __base__=MirrorNode, **definitions)
        model.mirrored = schema
        _MIRRORS[schema] = model
    return model


def _mirrored(annotation: Any) -> Any:
    """The annotation with each schema class replaced by its mirror."""
    if is_schema(annotation):
        return mirror(annotation)
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return functools.reduce(lambda a, b: a | b, [_mirrored(a) for a in get_args(annotation)])
    if origin is list:
        return list[_mirrored(get_args(annotation)[0])]  # type: ignore[misc]
    if origin in (dict, Literal) or annotation is Any or isinstance(annotation, type):
        return annotation
    raise TypeError(f"cannot mirror {annotation!r}")
