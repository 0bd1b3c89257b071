"""`make check` in the test suite: the tool and the committed generated package stay lint-clean
and `mypy --strict` clean."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO


def run(*args: str, cwd: str = str(REPO)) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("target", ["generator", "generated", "tests", "benchmarks"])
def test_ruff_is_clean(target: str) -> None:
    result = run("ruff", "check", target)
    assert result.returncode == 0, result.stdout[-3000:]


def test_generator_is_ruff_formatted() -> None:
    result = run("ruff", "format", "--check", "generator")
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.slow
def test_generator_passes_mypy_strict() -> None:
    result = run("mypy", "--strict", "--no-incremental", "generator")
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.slow
def test_generated_package_passes_mypy_strict() -> None:
    result = run(
        "mypy", "--strict", "--no-incremental", "gateway_semconv", cwd=str(REPO / "generated")
    )
    assert result.returncode == 0, result.stdout[-3000:]
