"""The YAML reader tags every scalar as PyYAML's safe loader does, and finds every key's place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from typed_semconv.diagnostics.core import Diagnostics
from typed_semconv.load.yaml_reader import LocatedDict, _Loader, load_yaml

from conftest import REAL_VERSIONS, real_registry

TRICKY = [
    "yes", "No", "on", "OFF", "~", "null", "Null", "", "1e3", "1.0e+3", ".inf", "-.Inf", ".NaN",
    "0x1F", "0o17", "017", "1_000", "+12", "-0", "2001-12-14", "2001-12-14t21:59:43.10-05:00",
    "=", "true", "True", "'true'", '"1"', "[1, a, ~]", "{a: 1}", "1:20", "190:20:30", "0b101",
    "y", "n", "1.10", "v1.2",
]  # fmt: skip


def _tags(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return (node.tag, node.value)
    if isinstance(node, yaml.SequenceNode):
        return (node.tag, [_tags(child) for child in node.value])
    return (node.tag, [(_tags(k), _tags(v)) for k, v in node.value])


def _composed(loader: Any, text: str) -> Any:
    reader = loader(text)
    try:
        return _tags(reader.get_single_node())
    finally:
        reader.dispose()


def test_tricky_scalars_are_tagged_as_the_safe_loader_tags_them() -> None:
    text = "\n".join(f"k{index}: {value}" for index, value in enumerate(TRICKY))
    assert _composed(_Loader, text) == _composed(yaml.SafeLoader, text)


@pytest.mark.slow
@pytest.mark.parametrize("version", REAL_VERSIONS)
def test_every_real_file_is_tagged_as_the_safe_loader_tags_it(version: str) -> None:
    for path in sorted(real_registry(version).rglob("*.y*ml")):
        text = path.read_text(encoding="utf-8")
        assert _composed(_Loader, text) == _composed(yaml.SafeLoader, text), path


def test_keys_are_located_where_written_and_mappings_know_their_keys(tmp_path: Path) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(
        "groups:\n  - id: shop\n    deprecated:\n      reason: renamed\n      renamed_to: x\n"
        "    brief: Shop.\n    brief: Again.\n",
        encoding="utf-8",
    )
    diagnostics = Diagnostics()
    data = load_yaml(str(path), "shop.yaml", diagnostics)
    assert isinstance(data, LocatedDict)
    group = data["groups"][0]
    assert (group.location.line, group.location.column) == (2, 5)
    assert group.location.at("deprecated", "renamed_to").line == 5
    assert group.location.at("deprecated", "nothing").line == 3  # the deepest key found
    assert group.key_location("missing") == group.location
    assert group["brief"] == "Again." and group.key_location("brief").line == 7
    assert set(group.location.keys) == {"id", "deprecated", "brief"}
    [duplicate] = list(diagnostics)
    assert duplicate.code.name == "yaml-duplicate-key" and duplicate.location is not None
    assert duplicate.location.line == 7 and duplicate.hint == "first written at line 6"
