"""What a deprecated definition's docstring says it was replaced by."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

from conftest import run_cli

REGISTRY = """\
file_format: definition/2
attributes:
  - key: lamp.watts
    type: int
    stability: development
    brief: Power.
  - key: lamp.power
    type: int
    stability: development
    brief: Power, the old way.
    deprecated: {reason: uncategorized, renamed_to: "Use lamp.watts, or lamp.lumens for light"}
  - key: lamp.wattage
    type: int
    stability: development
    brief: Power, the older way.
    deprecated: {reason: obsoleted, renamed_to: lamp.watts}
  - key: lamp.level
    type: int
    stability: development
    brief: Gone.
    deprecated: {reason: uncategorized}
"""


def docstrings(module: Path) -> dict[str, str]:
    """`CONSTANT: Final = "key"` followed by its docstring: key -> docstring."""
    body = ast.parse(module.read_text(encoding="utf-8")).body
    return {
        statement.value.value: following.value.value
        for statement, following in itertools.pairwise(body)
        if isinstance(statement, ast.AnnAssign)
        and isinstance(statement.value, ast.Constant)
        and isinstance(following, ast.Expr)
        and isinstance(following.value, ast.Constant)
    }


def test_renamed_to_is_shown_as_an_id_or_as_the_prose_it_holds(tmp_path: Path) -> None:
    (tmp_path / "registry").mkdir()
    (tmp_path / "registry" / "lamp.yaml").write_text(REGISTRY, encoding="utf-8")
    result = run_cli(
        "generate", "--registry", "registry", "--output", "out", "--package", "lamps", "-q",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    docs = docstrings(tmp_path / "out" / "lamps" / "attributes" / "lamp_attributes.py")
    assert "Deprecated: Use lamp.watts, or lamp.lumens for light." in docs["lamp.power"]
    assert "Deprecated: Replaced by `lamp.watts`." in docs["lamp.wattage"]
    assert "Deprecated: No replacement." in docs["lamp.level"]
