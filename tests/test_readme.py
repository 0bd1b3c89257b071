"""README.md stays true: its set-up commands install a working tool on a fresh copy of the
repository, its main job regenerates `generated/` exactly, and its test command is what CI runs."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow

COPIED = (
    "generator",
    "templates",
    "models",
    "generated",
    "pyproject.toml",
    "Makefile",
    "README.md",
)


def quick_start_blocks() -> list[list[str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    return [[line for line in block.splitlines() if line.strip()] for block in blocks]


def test_quick_start_has_setup_main_job_and_test_command() -> None:
    setup, main_job, test = quick_start_blocks()
    assert len(setup) == 2
    assert main_job == ["make generate"]
    assert test == ["make test"]
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_setup_and_main_job_work_on_a_fresh_copy(tmp_path: Path) -> None:
    setup, main_job, _ = quick_start_blocks()
    copy = tmp_path / "typed-semconv"
    copy.mkdir()
    for name in COPIED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(
                source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
            )
        else:
            shutil.copy2(source, copy / name)
    for command in [*setup, *main_job]:
        result = subprocess.run(
            command, shell=True, cwd=copy, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, f"{command}\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
    produced = copy / "generated"
    for path in sorted((REPO / "generated").rglob("*.py")):
        relative = path.relative_to(REPO / "generated")
        assert (produced / relative).read_bytes() == path.read_bytes(), relative
