"""The quick reading of a document into the schema classes and pydantic's reading agree.

A registry file that fits its schema exactly is read without pydantic (`schema_fields`); any
other is read by pydantic's mirror of the schema (`schema_mirror`), which converts what it
accepts and reports what it refuses. Both must give the same nodes wherever the quick reading
takes a document, or a run's result would depend on which path read it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from typed_semconv.diagnostics.core import Diagnostics
from typed_semconv.load import schema as raw
from typed_semconv.load.documents import validate
from typed_semconv.load.schema import RawNode
from typed_semconv.load.schema_fields import construct
from typed_semconv.load.schema_mirror import mirror
from typed_semconv.load.yaml_reader import LocatedDict, load_yaml

from conftest import REAL_VERSIONS, REPO, real_registry

FIXTURES = REPO / "tests" / "fixtures"


def _schema_of(data: LocatedDict) -> type[RawNode]:
    if "file_format" in data and data["file_format"] != "definition/1":
        return raw.RawV2File
    return raw.RawV1File


def _as_plain(value: Any) -> Any:
    """A node tree as comparable values: fields, location, keys written, examples as written."""
    if isinstance(value, RawNode):
        return (
            type(value).__name__,
            {k: _as_plain(v) for k, v in vars(value).items() if not k.startswith("_")},
            value.location,
            value.written_keys,
            value.examples_as_written,
        )
    if isinstance(value, list):
        return [_as_plain(item) for item in value]
    if isinstance(value, dict):
        return {k: _as_plain(v) for k, v in value.items()}
    return (type(value).__name__, value)


def _both_readings(model: type[RawNode], data: LocatedDict) -> tuple[Any, Any]:
    quick = construct(model, data)
    checked = mirror(model).model_validate(data).as_node()
    return quick, checked


def _documents(root: Path) -> list[tuple[Path, LocatedDict]]:
    found = []
    for path in sorted(root.rglob("*.y*ml")):
        if path.name in ("manifest.yaml", "registry_manifest.yaml"):
            continue
        try:
            data = load_yaml(str(path), path.name, Diagnostics())
        except Exception:  # a broken fixture: not a document to compare
            continue
        if isinstance(data, LocatedDict) and ("groups" in data or "file_format" in data):
            found.append((path, data))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("version", REAL_VERSIONS)
def test_every_real_file_reads_the_same_quickly_and_through_pydantic(version: str) -> None:
    documents = _documents(real_registry(version))
    assert len(documents) > 100
    for path, data in documents:
        model = _schema_of(data)
        quick, checked = _both_readings(model, data)
        assert quick is not None, f"{path}: the quick reading gave up on a valid file"
        assert _as_plain(quick) == _as_plain(checked), path


def test_the_fixtures_read_the_same_wherever_the_quick_reading_takes_them() -> None:
    documents = _documents(FIXTURES)
    taken = 0
    for path, data in documents:
        model = _schema_of(data)
        quick = construct(model, data)
        if quick is None:
            continue
        taken += 1
        checked = mirror(model).model_validate(data).as_node()
        assert _as_plain(quick) == _as_plain(checked), path
    assert taken > 10


def _located(text: str) -> LocatedDict:
    path = Path(__file__)  # only named in locations
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as handle:
        handle.write(text)
    try:
        data = load_yaml(handle.name, path.name, Diagnostics())
    finally:
        Path(handle.name).unlink()
    assert isinstance(data, LocatedDict)
    return data


def test_a_value_pydantic_converts_is_read_by_pydantic() -> None:
    """A quoted "true" for a boolean is no exact fit: pydantic reads it (as weaver does)."""
    data = _located(
        "groups:\n  - id: shop\n    type: attribute_group\n    brief: Shop.\n    attributes:\n"
        "      - id: shop.open\n        type: boolean\n        brief: Open.\n"
        "        stability: stable\n        sampling_relevant: 'true'\n"
    )
    assert construct(raw.RawV1File, data) is None
    diagnostics = Diagnostics()
    read = validate(raw.RawV1File, data, "shop.yaml", diagnostics)
    assert not list(diagnostics)
    assert read is not None and read.groups is not None
    attribute = read.groups[0].attributes[0]  # type: ignore[index]
    assert attribute.sampling_relevant is True
    assert attribute.location.line == 6


def test_a_valid_registry_is_read_without_importing_pydantic() -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from typed_semconv.diagnostics.core import Diagnostics\n"
        "from typed_semconv.load.registry import load_registry\n"
        f"source = load_registry(Path({str(FIXTURES / 'small')!r}), Diagnostics())\n"
        "assert source.groups, 'nothing read'\n"
        "print('pydantic' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# -- random documents: whatever the quick reading takes, pydantic takes alike -----------------

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(-2, 2, allow_nan=False),
    st.sampled_from(["stable", "development", "renamed", "x", "1.10", "true", "string"]),
)
_KEYS = st.sampled_from(
    [
        "id",
        "ref",
        "type",
        "brief",
        "note",
        "stability",
        "deprecated",
        "requirement_level",
        "sampling_relevant",
        "examples",
        "members",
        "value",
        "reason",
        "renamed_to",
        "allow_custom_values",
        "annotations",
        "prefix",
        "role",
        "tag",
        "recommended",
        "opt_in",
    ]
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=12,
)


def _yaml(value: Any, indent: int = 0) -> str:
    import json

    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "".join(f"\n{pad}{k}: {_yaml(v, indent + 2)}" for k, v in value.items())
    if isinstance(value, list):
        if not value:
            return "[]"
        return "".join(f"\n{pad}- {_yaml(v, indent + 2).lstrip()}" for v in value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value) if value in ("true", "x") else value
    return repr(value)


_BASES = st.sampled_from(
    [
        {"id": "shop.open", "type": "boolean", "brief": "Open.", "stability": "stable"},
        {"id": "shop.mode", "type": {"members": [{"id": "a", "value": "a"}]}, "brief": "M."},
        {"ref": "shop.open"},
        {"ref": "shop.open", "requirement_level": {"recommended": "When open."}},
        {"ref": "shop.open", "deprecated": {"reason": "renamed", "renamed_to": "shop.x"}},
    ]
)


@settings(
    max_examples=2 * settings.default.max_examples,  # 200 in the full run
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    base=_BASES,
    changes=st.dictionaries(_KEYS, _VALUES, max_size=2),
    dropped=st.lists(_KEYS, max_size=1),
)
def test_a_random_attribute_reads_alike_on_both_paths(
    base: dict[str, Any], changes: dict[str, Any], dropped: list[str]
) -> None:
    attribute = {k: v for k, v in {**base, **changes}.items() if k not in dropped}
    text = "groups:\n  - id: g\n    brief: G.\n    attributes:\n      -" + _yaml(attribute, 8)
    try:
        data = _located(text)
    except Exception:  # not YAML this strategy meant to write: nothing to compare
        return
    quick = construct(raw.RawV1File, data)
    diagnostics = Diagnostics()
    checked = validate(raw.RawV1File, data, "random.yaml", diagnostics)
    if quick is not None:
        assert checked is not None and not list(diagnostics)
        assert _as_plain(quick) == _as_plain(mirror(raw.RawV1File).model_validate(data).as_node())
    else:
        # Given up: pydantic read it, or said what is wrong.
        assert (checked is None) == bool(list(diagnostics))
