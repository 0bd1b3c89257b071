"""The package tree is the pipeline: a stage imports only the shared vocabulary and the stages
before it, never a later one (so a change to rendering can never break loading)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "generator" / "typed_semconv"

# In the order data flows; each layer may import itself and every layer listed before it.
LAYERS = (
    ("diagnostics", "model", "options"),
    ("sources",),
    ("load",),
    ("resolve",),
    ("check",),
    # Consumers of the checked registry: what changed between two, and what a program emits.
    ("diff",),
    ("livecheck",),
    ("python",),
    ("output",),
    ("upgrade",),  # rewrites code to the Python names of two registries' views
    ("pipeline",),
    ("cli", "__main__", "pytest_plugin"),
)
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def _part(module: str) -> str:
    """`typed_semconv.load.registry` -> `load`."""
    return module.split(".")[1]


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "typed_semconv":
                found += [(node.lineno, f"typed_semconv.{alias.name}") for alias in node.names]
            elif node.module.startswith("typed_semconv."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [
                (node.lineno, alias.name)
                for alias in node.names
                if alias.name.startswith("typed_semconv.")
            ]
    return found


def _modules() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if path.name != "__init__.py" or path.parent != PACKAGE
    )


def test_every_stage_is_in_a_layer() -> None:
    parts = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in _modules()}
    assert parts <= set(RANK), f"packages missing from LAYERS: {sorted(parts - set(RANK))}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_flow_down_the_pipeline(path: Path) -> None:
    own = RANK[path.relative_to(PACKAGE).parts[0].removesuffix(".py")]
    upward = [
        f"line {line}: {module}"
        for line, module in _imports(path)
        if module.count(".") >= 1
        and _part(module) in RANK
        and RANK[_part(module)] > own
        and _part(module) not in LAYERS[own]
    ]
    assert not upward, f"{path.name} imports a later stage: {upward}"
