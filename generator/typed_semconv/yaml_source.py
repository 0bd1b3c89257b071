"""Safe YAML reading that keeps where every mapping and key came from.

libyaml composes the node graph; the graph is then turned into Python values here rather than by
PyYAML's constructor so that (1) every mapping remembers its file, line and column, and the line of
each key, (2) only the plain YAML tags are accepted (no ``!!python/...`` object is ever built),
(3) duplicate keys are reported, and (4) aliases cannot expand the document beyond a fixed size
("billion laughs") nor nest deeper than a fixed depth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from typed_semconv.diagnostics import Diagnostics, SourceLocation

MAX_EXPANDED_NODES = 2_000_000
MAX_DEPTH = 200
MAX_FILE_BYTES = 8 * 1024 * 1024

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALAR_CONSTRUCTOR = yaml.SafeLoader("")

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SAFE_SCALAR_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
}
_SIMPLE_SCALARS = {_STR, *_SAFE_SCALAR_TAGS}
_ANCHOR = re.compile(r"(?:^|[\s:,\[\{-])&[^\s]")


class LocatedDict(dict[str, Any]):
    """A YAML mapping that knows where it and each of its keys were written."""

    __slots__ = ("key_locations", "location")

    def __init__(self, location: SourceLocation) -> None:
        super().__init__()
        self.location = location
        self.key_locations: dict[str, SourceLocation] = {}

    def key_location(self, key: str) -> SourceLocation:
        return self.key_locations.get(key, self.location)


class YamlProblem(Exception):
    def __init__(self, code: str, message: str, location: SourceLocation, hint: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.location = location
        self.hint = hint


@dataclass
class _Builder:
    path: str
    diagnostics: Diagnostics
    check_expansion: bool
    expanded: int = 0

    def location(self, node: yaml.Node) -> SourceLocation:
        mark = node.start_mark
        return SourceLocation(self.path, mark.line + 1, mark.column + 1)

    def build(self, node: yaml.Node, depth: int, memo: dict[int, Any]) -> Any:
        if depth > MAX_DEPTH:
            raise YamlProblem(
                "yaml-too-deep",
                f"the document nests deeper than {MAX_DEPTH} levels",
                self.location(node),
                "flatten the structure",
            )
        if self.check_expansion:
            self.expanded += 1
            if self.expanded > MAX_EXPANDED_NODES:
                raise YamlProblem(
                    "yaml-alias-bomb",
                    f"aliases expand the document beyond {MAX_EXPANDED_NODES:,} nodes",
                    self.location(node),
                    "use fewer nested aliases (&anchor / *alias)",
                )
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        key = id(node)
        if key in memo and not self.check_expansion:
            return memo[key]
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise self.unsafe_tag(node)
            value: Any = [self.build(child, depth + 1, memo) for child in node.value]
        elif isinstance(node, yaml.MappingNode):
            if node.tag != _MAP:
                raise self.unsafe_tag(node)
            value = self.mapping(node, depth, memo)
        else:  # pragma: no cover - libyaml yields only the three node kinds
            raise self.unsafe_tag(node)
        memo[key] = value
        return value

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag not in _SAFE_SCALAR_TAGS:
            raise self.unsafe_tag(node)
        return _SCALAR_CONSTRUCTOR.construct_object(node)

    def mapping(self, node: yaml.MappingNode, depth: int, memo: dict[int, Any]) -> LocatedDict:
        result = LocatedDict(self.location(node))
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem(
                    "yaml-merge-key",
                    "merge keys (<<) are not supported",
                    self.location(key_node),
                    "write the keys out",
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem(
                    "yaml-key-type", "a mapping key must be a plain scalar", self.location(key_node)
                )
            key = self.scalar(key_node)
            if not isinstance(key, str):
                key = str(key).lower() if isinstance(key, bool) else str(key)
            key_location = self.location(key_node)
            if key in result:
                self.diagnostics.error(
                    "yaml-duplicate-key",
                    f"key `{key}` appears twice in the same mapping",
                    key_location,
                    f"first written at line {result.key_locations[key].line}",
                )
            result.key_locations[key] = key_location
            result[key] = self.build(value_node, depth + 1, memo)
        return result

    def unsafe_tag(self, node: yaml.Node) -> YamlProblem:
        return YamlProblem(
            "yaml-unsafe-tag",
            f"tag `{node.tag}` is not allowed in a registry file",
            self.location(node),
            "use plain YAML values: no !!python or custom tags",
        )


def read_text(path: str, display_path: str) -> str:
    """Read a registry file as UTF-8 text, refusing oversized and binary files."""
    location = SourceLocation(display_path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise YamlProblem(
            "file-unreadable", f"cannot read the file: {exc.strerror}", location
        ) from exc
    if len(raw) > MAX_FILE_BYTES:
        raise YamlProblem(
            "file-too-large",
            f"the file is larger than {MAX_FILE_BYTES // 2**20} MiB",
            location,
            "split it into several files",
        )
    if b"\x00" in raw:
        raise YamlProblem("file-binary", "the file is binary (it contains NUL bytes)", location)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlProblem(
            "file-encoding",
            f"the file is not valid UTF-8 (byte {exc.start})",
            SourceLocation(display_path, line, 1),
            "save the file as UTF-8",
        ) from exc


def load_yaml(path: str, display_path: str, diagnostics: Diagnostics) -> Any:
    """Parse one YAML document; None for an empty document. Raises YamlProblem."""
    text = read_text(path, display_path)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        location = (
            SourceLocation(display_path, mark.line + 1, mark.column + 1)
            if mark
            else SourceLocation(display_path)
        )
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlProblem("yaml-syntax", f"YAML syntax error: {problem}", location) from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(
            "yaml-syntax", f"YAML error: {exc}", SourceLocation(display_path)
        ) from exc
    finally:
        loader.dispose()
    if node is None:
        return None
    builder = _Builder(display_path, diagnostics, check_expansion=_ANCHOR.search(text) is not None)
    try:
        return builder.build(node, 0, {})
    except RecursionError as exc:
        raise YamlProblem(
            "yaml-too-deep", "the document nests too deeply", builder.location(node)
        ) from exc
