"""The fields of the schema classes (`schema`), read from their annotations, and the quick
reading of a YAML mapping into those classes.

`construct` takes only what it is sure about: each value of exactly the annotated type (no
conversion of any kind), every required key present, no unknown key, every rule of the mapping
kept. Anything else makes it give up (None), and the document is then checked by pydantic
(`schema_mirror`), which converts what it accepts and explains what it refuses. So pydantic is
imported only for a document that is not a plain fit, and a document reads the same either way
(`tests/test_schema_fields.py` holds the two paths to that).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

from typed_semconv.load.schema import RawNode
from typed_semconv.load.yaml_reader import LocatedDict

_N = TypeVar("_N", bound=RawNode)
_REQUIRED: Any = object()


class _GiveUp(Exception):
    """The quick reading is not sure: pydantic decides."""


Check = Callable[[Any], Any]


@dataclass(frozen=True)
class Field:
    name: str
    annotation: Any
    default: Any  # _REQUIRED when the key must be written

    @property
    def required(self) -> bool:
        return self.default is _REQUIRED


def options(annotation: Any) -> Iterator[Any]:
    """The members of a union annotation (`list[X] | None` -> `list[X]`, `None`)."""
    if get_origin(annotation) in (Union, types.UnionType):
        for member in get_args(annotation):
            yield from options(member)
    else:
        yield annotation


def is_schema(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, RawNode)


_FIELDS: dict[type[RawNode], dict[str, Field]] = {}
_TEXT_FIELDS: dict[type[RawNode], frozenset[str]] = {}


def fields(model: type[RawNode]) -> dict[str, Field]:
    """The keys a mapping read as `model` may hold, in the order the schema declares them."""
    found = _FIELDS.get(model)
    if found is None:
        hints = typing.get_type_hints(model)
        found = _FIELDS[model] = {
            name: Field(name, annotation, getattr(model, name, _REQUIRED))
            for name, annotation in hints.items()
            if not name.startswith("_")
        }
    return found


def _is_text(annotation: Any) -> bool:
    """Whether a field holds text (perhaps or a mapping), and never a number or a boolean."""
    found = set(options(annotation))
    return str in found and not {int, float, bool} & found


def text_fields(model: type[RawNode]) -> frozenset[str]:
    found = _TEXT_FIELDS.get(model)
    if found is None:
        found = frozenset(name for name, f in fields(model).items() if _is_text(f.annotation))
        _TEXT_FIELDS[model] = found
    return found


def construct(model: type[_N], data: LocatedDict) -> _N | None:
    """`data` as a `model`, when it fits exactly; None when pydantic must decide."""
    try:
        return _reader(model)(data)  # type: ignore[return-value]
    except _GiveUp:
        return None


def new_node(
    model: type[_N], values: dict[str, Any], data: LocatedDict, written: tuple[str, ...]
) -> _N:
    """A `model` holding `values`, located where `data` was written."""
    node = model.__new__(model)
    node.__dict__.update(values)
    node._location = data.location
    node._written = written
    texts = data.plain_texts
    if texts and "examples" in texts:
        node._examples_text = texts["examples"]
    return node


_READERS: dict[type[RawNode], Callable[[LocatedDict], RawNode]] = {}


def _reader(model: type[RawNode]) -> Callable[[LocatedDict], RawNode]:
    """The quick reading of a mapping as `model` (made once per schema class)."""
    found = _READERS.get(model)
    if found is None:
        found = _READERS[model] = _make_reader(model)
    return found


def _make_reader(model: type[RawNode]) -> Callable[[LocatedDict], RawNode]:
    checks = {name: _check(field.annotation) for name, field in fields(model).items()}
    texts_read = text_fields(model)
    required = frozenset(name for name, field in fields(model).items() if field.required)
    defaults = {name: field.default for name, field in fields(model).items() if not field.required}
    rules = model.rules if model.rules is not RawNode.rules else None
    make = model.__new__

    def read(data: LocatedDict) -> RawNode:
        values = {}
        texts = data.plain_texts
        for key, value in data.items():
            check = checks.get(key)
            if check is None:
                raise _GiveUp
            if texts and key in texts_read and isinstance(texts.get(key), str):
                value = texts[key]  # a plain scalar in a text field is the text as written
            values[key] = check(value)
        if len(values) < len(checks):
            if not required <= values.keys():
                raise _GiveUp
            values = {**defaults, **values}
        node = make(model)
        node.__dict__ = values
        node._location = data.location
        node._written = tuple(data)
        if texts and "examples" in texts:
            node._examples_text = texts["examples"]
        if rules is not None:
            try:
                rules(node)
            except ValueError:
                raise _GiveUp from None
        return node

    return read


def _check(annotation: Any) -> Check:
    """What a value must be, exactly, to be taken as it is for `annotation`."""
    if annotation is Any:
        return _same
    if get_origin(annotation) in (Union, types.UnionType):
        return _union(list(options(annotation)))
    return _union([annotation])


def _same(value: Any) -> Any:
    return value


def _union(members: list[Any]) -> Check:
    """One check per kind of YAML value: a value is taken by the one member of its kind."""
    scalars: set[type] = set()
    literals: set[Any] = set()
    mapping: Check | None = None
    sequence: Check | None = None
    for member in members:
        origin = get_origin(member)
        if member is type(None) or member in (str, int, float, bool):
            scalars.add(member)
        elif origin is Literal:
            literals.update(get_args(member))
        elif origin is list:
            if sequence is not None:
                raise TypeError(f"two kinds of list in one union: {members}")
            sequence = _list(_check(get_args(member)[0]))
        elif origin is dict and get_args(member)[0] is str and get_args(member)[1] is Any:
            mapping = _plain_mapping if mapping is None else _give_up
        elif is_schema(member):
            mapping = _schema(member) if mapping is None else _give_up
        else:
            raise TypeError(f"the quick schema reading does not know {member!r}")
    if literals and not all(type(value) is str for value in literals):
        raise TypeError(f"only text literals are supported: {members}")
    frozen_literals = frozenset(literals)
    kinds = frozenset(scalars)
    if not frozen_literals and sequence is None and mapping is None:

        def check_scalar(value: Any) -> Any:  # the most common field: text, or nothing
            if type(value) in kinds:
                return value
            raise _GiveUp

        return check_scalar

    def check(value: Any) -> Any:
        kind = type(value)
        if kind in kinds:
            return value
        if kind is str and value in frozen_literals:
            return value
        if kind is list and sequence is not None:
            return sequence(value)
        if isinstance(value, LocatedDict) and mapping is not None:
            return mapping(value)
        raise _GiveUp

    return check


def _give_up(value: Any) -> Any:
    raise _GiveUp


def _plain_mapping(value: LocatedDict) -> dict[str, Any]:
    return dict(value)  # as pydantic's `dict[str, Any]` does: a plain copy, values untouched


def _list(item: Check) -> Check:
    def check(value: list[Any]) -> list[Any]:
        return [item(entry) for entry in value]

    return check


def _schema(model: type[RawNode]) -> Check:
    def check(value: LocatedDict) -> RawNode:
        return _reader(model)(value)

    return check
