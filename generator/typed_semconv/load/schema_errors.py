"""What pydantic's errors of a document leave unsaid, read from the schema classes themselves.

- Which keys the formats allow where: the hint for an unknown key suggests a key allowed in that
  very mapping, or says where the key belongs instead, and never suggests the key it rejects.
- The rules across the keys of one mapping (`id` or `ref`, `renamed` needs `renamed_to`), which
  pydantic runs only once every key of the mapping is valid: run on the mapping as written, so
  that a file reports all of its problems at once.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, get_args, get_origin

from typed_semconv.diagnostics.suggest import suggest
from typed_semconv.load import schema as raw
from typed_semconv.load.schema_fields import fields, is_schema, new_node, options
from typed_semconv.load.yaml_reader import LocatedDict

# Every document a registry holds, and how a hint names it.
ROOTS: tuple[tuple[type[raw.RawNode], str], ...] = (
    (raw.RawV1File, "a v1 file"),
    (raw.RawV2File, "a v2 file"),
    (raw.RawManifest, "the manifest"),
)
_MOST_PLACES = 3


def _model_in(annotation: Any) -> type[raw.RawNode] | None:
    """The schema a mapping written for this annotation is read as (one per union here)."""
    for option in options(annotation):
        if is_schema(option):
            return option  # type: ignore[no-any-return]
    return None


def _items_in(annotation: Any) -> Any:
    """The annotation of the items of a list written for this annotation, if it takes lists."""
    for option in options(annotation):
        if get_origin(option) is list:
            return get_args(option)[0]
    return None


def model_at(root: type[raw.RawNode], path: Sequence[int | str]) -> type[raw.RawNode] | None:
    """The schema of the mapping at `path` (keys and list indexes) below a document of `root`."""
    annotation: Any = root
    for part in path:
        if isinstance(part, int):
            annotation = _items_in(annotation)
        else:
            model = _model_in(annotation)
            field = fields(model).get(part) if model else None
            annotation = field.annotation if field else None
        if annotation is None:
            return None
    return _model_in(annotation)


@functools.cache
def _places() -> dict[str, tuple[str, ...]]:
    """For every key of the formats, the mappings that allow it, e.g. `imports` ->
    ("at the top level of a v1 file or a v2 file",)."""
    found: dict[str, dict[str, list[str]]] = {}  # key -> mapping path -> documents

    def visit(model: type[raw.RawNode], path: str, document: str, depth: int) -> None:
        for name, field in fields(model).items():
            documents = found.setdefault(name, {}).setdefault(path, [])
            if document not in documents:
                documents.append(document)
            if depth > 8:
                continue
            items = _items_in(field.annotation)
            child = _model_in(items) if items is not None else _model_in(field.annotation)
            if child is not None:
                below = f"{path}.{name}" if path else name
                visit(child, below + ("[]" if items is not None else ""), document, depth + 1)

    for root, document in ROOTS:
        visit(root, "", document, 0)
    return {
        key: tuple(
            f"{'in `' + path + '`' if path else 'at the top level'} of {' or '.join(documents)}"
            for path, documents in by_path.items()
        )
        for key, by_path in found.items()
    }


def unknown_key_hint(root: type[raw.RawNode], mapping: Sequence[int | str], key: str) -> str | None:
    """The hint for `key`, refused in the mapping at `mapping`: a close key allowed there, else
    where the key is allowed, else nothing."""
    model = model_at(root, mapping)
    here = sorted(fields(model)) if model else sorted(_places())
    close = suggest(key, (k for k in here if k != key))
    if close is not None:
        return close
    places = _places().get(key)
    if not places:
        return None
    shown = list(places[:_MOST_PLACES])
    if len(places) > _MOST_PLACES:
        shown.append(f"{len(places) - _MOST_PLACES} other places")
    listed = ", ".join(shown[:-1]) + (" or " if len(shown) > 1 else "") + shown[-1]
    return f"`{key}` belongs {listed}, not here"


def unchecked_rules(
    root: type[raw.RawNode], data: Any, failed: Iterable[Sequence[int | str]]
) -> Iterator[tuple[tuple[int | str, ...], str]]:
    """The cross-key rules broken by the mappings whose rules did not run: those holding a
    failed path below them. Yields each mapping's path and the rule's message."""
    mappings = {tuple(path[:end]) for path in failed for end in range(len(path))}
    for path in sorted(mappings, key=lambda p: [str(part) for part in p]):
        mapping = _value_at(data, path)
        model = model_at(root, path)
        if not isinstance(mapping, LocatedDict) or model is None:
            continue
        if model.rules is raw.RawNode.rules:
            continue
        known = fields(model)
        written = tuple(k for k in mapping if k in known)
        values = {k: mapping[k] for k in written}
        values.update(
            (k, f.default) for k, f in known.items() if k not in written and not f.required
        )
        try:
            new_node(model, values, mapping, written).rules()
        except ValueError as exc:
            yield path, str(exc)
        except (AttributeError, TypeError):  # it needs a key that is missing or invalid
            continue


def _value_at(data: Any, path: Sequence[int | str]) -> Any:
    for part in path:
        listed = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not (listed or (isinstance(data, dict) and part in data)):
            return None
        data = data[part]
    return data
