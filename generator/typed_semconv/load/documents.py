"""Read one registry document: parse the YAML safely and check it against its schema, each
problem reported at the YAML node it comes from."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics, Problem, SourceLocation
from typed_semconv.load.schema import RawNode
from typed_semconv.load.schema_errors import unchecked_rules, unknown_key_hint
from typed_semconv.load.schema_fields import construct
from typed_semconv.load.yaml_reader import LocatedDict, load_yaml

if TYPE_CHECKING:
    from pydantic import ValidationError

_N = TypeVar("_N", bound=RawNode)


def read_document(path: Path, shown: str, diagnostics: Diagnostics) -> Any:
    """The parsed YAML of `path` (shown as `shown`); None when it is empty or unreadable."""
    try:
        data = load_yaml(str(path), shown, diagnostics)
    except Problem as problem:
        diagnostics.add(problem.diagnostic)
        return None
    if data is None:
        diagnostics.report(
            catalogue.FILE_EMPTY,
            "the file is empty",
            SourceLocation(shown),
            "delete it or add definitions",
        )
    return data


def validate(model: type[_N], data: LocatedDict, shown: str, diagnostics: Diagnostics) -> _N | None:
    """`data` as an instance of the schema `model`, or None after reporting why it is not.

    A document that fits the schema exactly is read without pydantic; any other is handed to
    pydantic, which converts what it accepts and says what is wrong."""
    node = construct(model, data)
    if node is not None:
        return node
    from pydantic import ValidationError

    from typed_semconv.load.schema_mirror import mirror

    try:
        checked = mirror(model).model_validate(data)
    except ValidationError as exc:
        _report_validation(exc, model, data, shown, diagnostics)
        return None
    return cast(_N, checked.as_node())


# Error types that only say "this node has the wrong shape for this branch of the union".
_SHAPE_ERRORS = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_from_float": "an integer",
    "float_type": "a number",
    "bool_type": "a boolean",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "literal_error": "",  # the message lists the allowed values
}


def _report_validation(
    exc: ValidationError,
    model: type[RawNode],
    data: LocatedDict,
    shown: str,
    diagnostics: Diagnostics,
) -> None:
    """Turn pydantic's errors into one diagnostic per YAML node, located at that node.

    A value that matches no branch of a union (`deprecated: <text or mapping>`) gets an error
    from every branch; only the branch the value's shape fits is reported (the errors that go
    deeper than the value, or a validator's own message), and when the shape fits no branch,
    one diagnostic lists what would. The rules across the keys of a mapping that its invalid
    keys kept pydantic from running are run on the mapping as written, so every problem of the
    file is reported at once.
    """
    located = []
    for error in exc.errors(include_url=False):
        location, path = _locate(data, error["loc"], shown, error["type"])
        located.append((error, location, path))

    def explained_elsewhere(error: Any, path: list[Any]) -> bool:
        """A shape error of a node that another branch's error explains better."""
        return any(
            other is not error
            and other_path[: len(path)] == path
            and (len(other_path) > len(path) or other["type"] not in _SHAPE_ERRORS)
            for other, _, other_path in located
        )

    shapes: dict[tuple[SourceLocation, str], list[str]] = {}
    order: list[tuple[Any, SourceLocation, list[Any]]] = []
    for error, location, path in located:
        kind = error["type"]
        if kind in _SHAPE_ERRORS:
            if explained_elsewhere(error, path):
                continue
            where = ".".join(str(p) for p in path) or "file"
            expected = _SHAPE_ERRORS[kind] or str(error["msg"]).removeprefix("Input should be ")
            slot = (location, where)
            if slot not in shapes:
                shapes[slot] = []
                order.append((error, location, path))
            if expected not in shapes[slot]:
                shapes[slot].append(expected)
            continue
        order.append((error, location, path))

    reported: set[tuple[SourceLocation, str, str]] = set()
    for error, location, path in order:
        where = ".".join(str(p) for p in path) or "file"
        kind = error["type"]
        hint = None
        if kind == "extra_forbidden":
            key = str(path[-1]) if path else "?"
            message = f"unknown key `{key}`"
            code = catalogue.SCHEMA_UNKNOWN_KEY
            hint = unknown_key_hint(model, path[:-1], key)
        elif kind == "missing":
            message = f"missing required key `{path[-1] if path else '?'}`"
            code = catalogue.SCHEMA_MISSING_KEY
            hint = f"add `{path[-1]}:` to the mapping that starts here" if path else None
        elif kind in _SHAPE_ERRORS:
            wanted = shapes[(location, where)]
            if len(wanted) == 1 and not _SHAPE_ERRORS[kind]:
                message = f"`{where}`: {error['msg']}"
            else:
                options = ", ".join(wanted[:-1]) + (" or " if len(wanted) > 1 else "")
                message = f"`{where}`: expected {options}{wanted[-1]}"
            code = catalogue.SCHEMA_INVALID_VALUE
        else:
            message = f"`{where}`: {str(error['msg']).removeprefix('Value error, ')}"
            code = catalogue.SCHEMA_INVALID_VALUE
        identity = (location, code.name, message)  # branches of a union may repeat an error
        if identity in reported:
            continue
        reported.add(identity)
        diagnostics.report(code, message, location, hint)
    for mapping, rule in unchecked_rules(model, data, (path for _, _, path in located)):
        location, _ = _locate(data, mapping, shown)
        message = f"`{'.'.join(str(p) for p in mapping) or 'file'}`: {rule}"
        if (location, catalogue.SCHEMA_INVALID_VALUE.name, message) not in reported:
            diagnostics.report(catalogue.SCHEMA_INVALID_VALUE, message, location)


def _locate(
    data: Any, loc: Sequence[int | str], shown: str, kind: str = ""
) -> tuple[SourceLocation, list[Any]]:
    """Follow pydantic's error path through the YAML data; returns where the error is and the
    path of keys and indexes that leads there. An unknown key (error `kind` extra_forbidden) is
    located at the key itself, even when its value is a mapping.

    pydantic's path also holds labels of union branches and validators (`str`, `RawEnumType`,
    `function-wrap[...]`); they are skipped: a name that is not a key of the mapping at hand is a
    label, unless it ends the path of a `missing` error (the missing key).
    """
    location = data.location if isinstance(data, LocatedDict) else SourceLocation(shown)
    current = data
    path: list[Any] = []
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if isinstance(current, LocatedDict) and isinstance(part, str):
            if part in current:
                path.append(part)
                location = current.key_location(part)
                current = current[part]
                if isinstance(current, LocatedDict) and not (last and kind == "extra_forbidden"):
                    location = current.location
            elif last and kind == "missing":
                path.append(part)  # a missing key: located at the mapping that lacks it
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
            if isinstance(current, LocatedDict):
                location = current.location
    return location, path
