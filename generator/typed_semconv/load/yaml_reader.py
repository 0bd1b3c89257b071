"""Safe YAML reading that keeps where every mapping and key came from.

libyaml composes the node graph; the graph is then turned into Python values here rather than by
PyYAML's constructor so that (1) every mapping remembers its file, line and column, and the line of
each key, (2) only the plain YAML tags are accepted (no ``!!python/...`` object is ever built),
(3) duplicate keys are reported, and (4) aliases cannot expand the document beyond a fixed size
("billion laughs": the expanded size is counted on the node graph before anything is built)
nor nest deeper than a fixed depth.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics, Problem, SourceLocation
from typed_semconv.load.discovery import read_bytes

MAX_EXPANDED_NODES = 2_000_000
# Aliases may repeat a node, but not grow the document by more than this many nodes: the largest
# file of the real registries has about 3,400 nodes and uses no alias at all.
MAX_ALIAS_GROWTH = 100_000
MAX_DEPTH = 200

_SCALAR_CONSTRUCTOR = yaml.SafeLoader("")

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
# An unquoted date is a string to weaver (YAML 1.2 has no timestamps); keep the text as written.
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
# YAML 1.2, which weaver reads, knows only true and false: `yes`, `no`, `on`, `off` are text.
_BOOL = "tag:yaml.org,2002:bool"
_BOOLS = ("true", "false")
_NULL = "tag:yaml.org,2002:null"
_SAFE_SCALAR_TAGS = {
    _NULL,
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
}
_NESTING_MESSAGE = "exceeded maximum nesting depth"

# How the safe loader tags a plain scalar: by its first character, the patterns to try in order.
_IMPLICIT: dict[str | None, tuple[tuple[str, Any], ...]] = {
    first: tuple(found) for first, found in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
_ANY_FIRST = _IMPLICIT.pop(None, ())


def _composer_class() -> Any:
    """libyaml's composer tagging as the safe loader does, with less work per node (the safe
    loader has no path resolvers to follow); the pure-Python loader where libyaml is missing."""
    if not getattr(yaml, "__with_libyaml__", False):
        return yaml.SafeLoader
    from yaml._yaml import CParser

    class Composer(CParser):
        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None

        def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
            if kind is ScalarNode:
                if implicit[0]:
                    for tag, pattern in _IMPLICIT.get(value[:1], ()) + _ANY_FIRST:
                        if pattern.match(value):
                            return str(tag)
                return _STR
            return _SEQ if kind is SequenceNode else _MAP

    return Composer


_Loader = _composer_class()


class LocatedDict(dict[str, Any]):
    """A YAML mapping that knows where it and each of its keys were written.

    Positions are kept as (line, column) pairs; the `SourceLocation` of the mapping and of its
    keys are made when asked for (most never are). `plain_texts` keeps, for a key whose value
    holds a plain (unquoted) scalar read as a number or a boolean (`1.10`, `True`), the value as
    written: scalars as their text, lists as lists. A text field takes that text, as weaver does
    (`"1.10"`, not `1.1`).
    """

    __slots__ = ("_location", "column", "key_marks", "line", "path", "plain_texts")

    def __init__(self, path: str, line: int, column: int) -> None:
        super().__init__()
        self.path = path
        self.line = line
        self.column = column
        self.key_marks: dict[str, tuple[int, int]] = {}
        self.plain_texts: dict[str, Any] = {}
        self._location: SourceLocation | None = None

    @property
    def location(self) -> SourceLocation:
        """Where the mapping starts; it knows its keys: `location.at("key")` (see
        SourceLocation)."""
        if self._location is None:
            self._location = SourceLocation(self.path, self.line, self.column, _KeyLocations(self))
        return self._location

    def key_location(self, key: str) -> SourceLocation:
        return self.location.keys.get(key, self.location)


class _KeyLocations(Mapping[str, SourceLocation]):
    """The locations of a mapping's keys, each made on first use and kept (naming asks for the
    same key's location again for every module that uses it); the location of a key whose
    value is a mapping knows that mapping's keys in turn."""

    __slots__ = ("_made_once", "_mapping")

    def __init__(self, mapping: LocatedDict) -> None:
        self._mapping = mapping
        self._made_once: dict[str, SourceLocation] = {}

    def __getitem__(self, key: str) -> SourceLocation:
        found = self._made(key)
        if found is None:
            raise KeyError(key)
        return found

    def get(self, key: str, default: Any = None) -> Any:  # called often: no KeyError raised
        found = self._made(key)
        return default if found is None else found

    def _made(self, key: str) -> SourceLocation | None:
        made = self._made_once.get(key)
        if made is not None:
            return made
        mapping = self._mapping
        mark = mapping.key_marks.get(key)
        if mark is None:
            return None
        value = dict.get(mapping, key)
        keys = value.location.keys if isinstance(value, LocatedDict) else {}
        made = self._made_once[key] = SourceLocation(mapping.path, mark[0], mark[1], keys)
        return made

    def __contains__(self, key: object) -> bool:
        return key in self._mapping.key_marks

    def __iter__(self) -> Iterator[str]:
        return iter(self._mapping.key_marks)

    def __len__(self) -> int:
        return len(self._mapping.key_marks)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    return []


def measure(root: yaml.Node, path: str) -> dict[int, tuple[int, int]]:
    """For each node (by id): how many nodes and how many levels it stands for once every alias
    is expanded (both capped just above their limits), computed without expanding anything.

    Each distinct node is visited once, so a "billion laughs" document costs microseconds and no
    memory. A node that contains itself (`&a [*a]`) would expand forever and is refused.
    """
    measures: dict[int, tuple[int, int]] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            children = [measures[id(child)] for child in _children(node)]
            size = 1 + sum(size for size, _ in children)
            depth = 1 + max((depth for _, depth in children), default=0)
            measures[key] = (min(size, MAX_EXPANDED_NODES + 1), min(depth, MAX_DEPTH + 1))
            continue
        if key in measures:
            continue
        if key in open_nodes:
            mark = node.start_mark
            raise Problem(
                catalogue.YAML_RECURSIVE_ALIAS,
                "an alias refers to a node that contains it, so the document never ends",
                SourceLocation(path, mark.line + 1, mark.column + 1),
                "remove the alias (*name) that points back at its own anchor (&name)",
            )
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in measures)
    return measures


def _culprit(root: yaml.Node, too_big: Callable[[yaml.Node], bool]) -> yaml.Node:
    """The innermost node that alone breaks the limit: where the bomb is defined."""
    node = root
    while True:
        larger = [child for child in _children(node) if too_big(child)]
        if not larger:
            return node
        node = larger[0]


@dataclass
class _Builder:
    path: str
    diagnostics: Diagnostics
    # Values already built, by node: only a document with anchors has aliases to look up.
    memo: dict[int, Any] | None

    def location(self, node: yaml.Node) -> SourceLocation:
        mark = node.start_mark
        return SourceLocation(self.path, mark.line + 1, mark.column + 1)

    def build(self, node: yaml.Node, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise Problem(
                catalogue.YAML_TOO_DEEP,
                f"the document nests deeper than {MAX_DEPTH} levels",
                self.location(node),
                "flatten the structure",
            )
        if type(node) is ScalarNode:
            return self.scalar(node)
        memo = self.memo
        key = id(node)
        if memo is not None and key in memo:
            # An alias: the same (read-only) value; its size was checked up front.
            return memo[key]
        if type(node) is SequenceNode:
            if node.tag != _SEQ:
                raise self.unsafe_tag(node)
            value: Any = self.sequence(node, depth)
        elif type(node) is MappingNode:
            if node.tag != _MAP:
                raise self.unsafe_tag(node)
            value = self.mapping(node, depth)
        else:  # pragma: no cover - libyaml yields only the three node kinds
            raise self.unsafe_tag(node)
        if memo is not None:
            memo[key] = value
        return value

    def sequence(self, node: yaml.SequenceNode, depth: int) -> list[Any]:
        build = self.build
        leaves = depth < MAX_DEPTH  # text children are taken as they are (see `mapping`)
        return [
            child.value
            if leaves and child.tag == _STR and type(child) is ScalarNode
            else build(child, depth + 1)
            for child in node.value
        ]

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag in (_STR, _TIMESTAMP) or (tag == _BOOL and node.value.lower() not in _BOOLS):
            return node.value
        if tag not in _SAFE_SCALAR_TAGS:
            raise self.unsafe_tag(node)
        try:
            return _SCALAR_CONSTRUCTOR.construct_object(node)
        except (ValueError, yaml.YAMLError) as exc:  # e.g. an int of more than 4300 digits
            raise Problem(
                catalogue.YAML_INVALID_SCALAR,
                f"value `{node.value[:40]}{'...' if len(node.value) > 40 else ''}` cannot be read: "
                f"{str(exc).split(';')[0]}",
                self.location(node),
                "quote it to keep it as text",
            ) from exc

    def mapping(self, node: yaml.MappingNode, depth: int) -> LocatedDict:
        mark = node.start_mark
        result = LocatedDict(self.path, mark.line + 1, mark.column + 1)
        marks = result.key_marks
        build = self.build
        leaves = depth < MAX_DEPTH  # a text value below the depth limit needs no other check
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode or key_node.tag != _STR:
                key = self.odd_key(key_node)
            else:
                key = key_node.value
            mark = key_node.start_mark
            if key in marks:
                self.diagnostics.report(
                    catalogue.YAML_DUPLICATE_KEY,
                    f"key `{key}` appears twice in the same mapping",
                    SourceLocation(self.path, mark.line + 1, mark.column + 1),
                    f"first written at line {marks[key][0]}",
                )
            tag = value_node.tag
            if leaves and tag == _STR and type(value_node) is ScalarNode:  # most values
                value: Any = value_node.value
            else:
                value = build(value_node, depth + 1)
                if tag != _MAP and _has_plain_value(value_node):
                    result.plain_texts[key] = _as_written(value_node)
            marks[key] = (mark.line + 1, mark.column + 1)
            result[key] = value
        return result

    def odd_key(self, key_node: yaml.Node) -> str:
        """A key that is not plain text: a scalar is kept as written (`1`, `true`, `~`)."""
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise Problem(
                catalogue.YAML_MERGE_KEY,
                "merge keys (<<) are not supported",
                self.location(key_node),
                "write the keys out",
            )
        if not isinstance(key_node, yaml.ScalarNode):
            raise Problem(
                catalogue.YAML_KEY_TYPE,
                "a mapping key must be a plain scalar",
                self.location(key_node),
            )
        key = self.scalar(key_node)
        return key if isinstance(key, str) else str(key_node.value)

    def unsafe_tag(self, node: yaml.Node) -> Problem:
        return Problem(
            catalogue.YAML_UNSAFE_TAG,
            f"tag `{node.tag}` is not allowed in a registry file",
            self.location(node),
            "use plain YAML values: no !!python or custom tags",
        )


def _is_plain_value(node: yaml.Node) -> bool:
    """An unquoted scalar read as a number or a boolean (null stays null)."""
    return (
        isinstance(node, yaml.ScalarNode)
        and not node.style  # plain: None, or "" from libyaml
        and node.tag in _SAFE_SCALAR_TAGS
        and node.tag != _NULL
        and not (node.tag == _BOOL and node.value.lower() not in _BOOLS)
    )


def _has_plain_value(node: yaml.Node) -> bool:
    if isinstance(node, yaml.SequenceNode):
        return any(_has_plain_value(child) for child in node.value)
    return _is_plain_value(node)


def _as_written(node: yaml.Node) -> Any:
    """A scalar or a list of scalars as written (only called below a size-checked document)."""
    if isinstance(node, yaml.SequenceNode):
        return [_as_written(child) for child in node.value]
    if isinstance(node, yaml.ScalarNode):
        return None if node.tag == _NULL else node.value
    return None


def read_text(path: str, display_path: str) -> str:
    """Read a registry file as UTF-8 text, refusing oversized, binary and special files."""
    raw = read_bytes(Path(path), display_path)
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise Problem(
            catalogue.FILE_BINARY,
            "the file is binary (it contains NUL bytes)",
            _byte_location(raw, nul, display_path),
            "registry files are UTF-8 text",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Problem(
            catalogue.FILE_ENCODING,
            f"the file is not valid UTF-8 (byte {exc.start})",
            _byte_location(raw, exc.start, display_path),
            "save the file as UTF-8",
        ) from exc


def _byte_location(raw: bytes, offset: int, display_path: str) -> SourceLocation:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return SourceLocation(display_path, raw.count(b"\n", 0, offset) + 1, offset - line_start + 1)


def load_yaml(path: str, display_path: str, diagnostics: Diagnostics) -> Any:
    """Parse one YAML document; None for an empty document. Raises Problem."""
    text = read_text(path, display_path)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        location = (
            SourceLocation(display_path, mark.line + 1, mark.column + 1)
            if mark
            else SourceLocation(display_path, 1, 1)
        )
        if exc.problem and _NESTING_MESSAGE in exc.problem:
            raise Problem(
                catalogue.YAML_TOO_DEEP,
                "the document nests too deeply for the YAML parser",
                location,
                "flatten the structure",
            ) from exc
        problem = "; ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
        raise Problem(catalogue.YAML_SYNTAX, f"YAML syntax error: {problem}", location) from exc
    except yaml.YAMLError as exc:
        raise Problem(
            catalogue.YAML_SYNTAX, f"YAML error: {exc}", SourceLocation(display_path, 1, 1)
        ) from exc
    except RecursionError as exc:  # the pure-Python parser, where libyaml is missing
        raise Problem(
            catalogue.YAML_TOO_DEEP,
            "the document nests too deeply for the YAML parser",
            SourceLocation(display_path, 1, 1),
            "flatten the structure",
        ) from exc
    finally:
        loader.dispose()
    if node is None:
        return None
    # Only an anchor makes aliases possible; without one the graph is a tree no larger than
    # the (capped) file, and the builder enforces the depth limit itself.
    anchors = "&" in text
    builder = _Builder(display_path, diagnostics, {} if anchors else None)
    if anchors:
        _refuse_expansion(node, display_path, builder)
    try:
        return builder.build(node, 0)
    except RecursionError as exc:
        raise Problem(
            catalogue.YAML_TOO_DEEP, "the document nests too deeply", builder.location(node)
        ) from exc


def _refuse_expansion(node: yaml.Node, display_path: str, builder: _Builder) -> None:
    """Raise before building when aliases would make the document too large or too deep."""
    measures = measure(node, display_path)
    expanded = measures[id(node)][0]
    if expanded > MAX_EXPANDED_NODES or expanded - len(measures) > MAX_ALIAS_GROWTH:
        limit = min(MAX_EXPANDED_NODES, MAX_ALIAS_GROWTH)
        bomb = _culprit(node, lambda n: measures[id(n)][0] > limit)
        raise Problem(
            catalogue.YAML_ALIAS_BOMB,
            f"aliases expand the document by more than {MAX_ALIAS_GROWTH:,} nodes"
            if expanded <= MAX_EXPANDED_NODES
            else f"aliases expand the document beyond {MAX_EXPANDED_NODES:,} nodes",
            builder.location(bomb),
            "use fewer nested aliases (*alias) of large anchors (&anchor)",
        )
    if measures[id(node)][1] > MAX_DEPTH:
        deep = node
        for _ in range(MAX_DEPTH):  # follow the deepest branch down to the level that is too deep
            deep = max(_children(deep), key=lambda n: measures[id(n)][1], default=deep)
        raise Problem(
            catalogue.YAML_TOO_DEEP,
            f"the document nests deeper than {MAX_DEPTH} levels",
            builder.location(deep),
            "flatten the structure",
        )
