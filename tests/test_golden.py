"""Golden tests: what the generator writes, byte for byte.

- The edge-case registry (tests/fixtures/edge) must generate exactly the files under
  tests/golden/edge. After a deliberate change to the output, regenerate them with
  `UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py` and review the diff.
- The committed `generated/` package must be what `typed-semconv generate` renders from `models/`
  today (`generate --check` in the repository root).
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_cli

EDGE = REPO / "tests" / "fixtures" / "edge"
GOLDEN = REPO / "tests" / "golden" / "edge"
PACKAGE = "edge_semconv"
UPDATE = os.environ.get("UPDATE_GOLDEN", "") not in ("", "0")


def _content(path: Path) -> bytes:
    """A file's bytes; the ownership record without its digest of the inputs, which changes
    with every change to the generator's own code."""
    if path.name != ".typed-semconv.json":
        return path.read_bytes()
    record = json.loads(path.read_text(encoding="utf-8"))
    record.pop("inputs", None)
    return (json.dumps(record, indent=1) + "\n").encode("utf-8")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (bytecode caches aside), by relative POSIX path."""
    return {
        path.relative_to(folder).as_posix(): _content(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def describe_differences(expected: dict[str, bytes], actual: dict[str, bytes]) -> str:
    """Missing and unexpected files, and a unified diff of each file that differs."""
    report: list[str] = []
    for relative in sorted(expected.keys() - actual.keys()):
        report.append(f"missing from the output: {relative}")
    for relative in sorted(actual.keys() - expected.keys()):
        report.append(f"not in the golden files: {relative}")
    for relative in sorted(expected.keys() & actual.keys()):
        if expected[relative] == actual[relative]:
            continue
        old = expected[relative].decode("utf-8", "backslashreplace").splitlines(keepends=True)
        new = actual[relative].decode("utf-8", "backslashreplace").splitlines(keepends=True)
        diff = "".join(
            difflib.unified_diff(old, new, f"golden/{relative}", f"generated/{relative}")
        )
        # Lines that differ only in invisible characters (line endings) still need a diff.
        report.append(diff or f"{relative}: bytes differ in line endings or invisible characters")
    return "\n".join(report)


def test_edge_registry_generates_the_golden_package(tmp_path: Path) -> None:
    result = run_cli(
        "generate",
        "--registry",
        EDGE,
        "--output",
        tmp_path,
        "--package",
        PACKAGE,
        "-q",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    actual = tree(tmp_path / PACKAGE)
    if UPDATE:
        shutil.rmtree(GOLDEN / PACKAGE, ignore_errors=True)
        shutil.copytree(tmp_path / PACKAGE, GOLDEN / PACKAGE)
    expected = tree(GOLDEN / PACKAGE)
    assert expected, f"no golden files in {GOLDEN}; create them with UPDATE_GOLDEN=1"
    differences = describe_differences(expected, actual)
    if differences:
        pytest.fail(
            f"{differences}\n\nIf the change is intended, regenerate the golden files: "
            "UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py",
            pytrace=False,
        )


def test_committed_generated_package_is_current(tmp_path: Path) -> None:
    result = run_cli("generate", "--check", cwd=REPO)
    if result.returncode != 0:
        # Show what would change: render the same configuration elsewhere and compare.
        fresh = run_cli("generate", "--output", tmp_path, "-q", cwd=REPO)
        details = fresh.stderr
        if fresh.returncode == 0:
            package = next(p for p in tmp_path.iterdir() if p.is_dir())
            details = describe_differences(tree(REPO / "generated" / package.name), tree(package))
        pytest.fail(
            f"{result.stdout}{result.stderr}\n{details}\n\n"
            "Run `.venv/bin/typed-semconv generate` and commit the result.",
            pytrace=False,
        )
