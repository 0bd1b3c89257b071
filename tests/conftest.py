"""Shared fixtures: where the real registries are, and one generation of each, per session."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[1]
# The committed example package, importable as a user's service would import it.
sys.path.insert(0, str(REPO / "generated"))
REAL_VERSIONS = ("v1.26.0", "v1.37.0", "v1.44.0")
FIGURES: list[str] = []


def shared_dir() -> Path:
    """`../shared` beside the checkout, or wherever TYPED_SEMCONV_SHARED points."""
    return Path(os.environ.get("TYPED_SEMCONV_SHARED", REPO.parent / "shared"))


def real_registry(version: str) -> Path:
    path = shared_dir() / "semconv" / version / "model"
    if not path.is_dir():
        pytest.skip(f"real registry {version} not found at {path} (set TYPED_SEMCONV_SHARED)")
    return path


def run_cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed command line as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "typed_semconv", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="session")
def generated_real(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Generate a real registry once per session; returns the output folder (on sys.path)."""
    cache: dict[str, Path] = {}

    def generate(version: str) -> Path:
        if version not in cache:
            registry = real_registry(version)
            output = tmp_path_factory.mktemp(f"real-{version}")
            package = "semconv_" + version.replace(".", "_").lstrip("v")
            result = run_cli(
                "generate", "--registry", registry, "--output", output, "--package", package, "-q"
            )
            assert result.returncode == 0, result.stderr
            cache[version] = output
        return cache[version]

    return generate


@pytest.fixture(scope="session")
def typed_semconv_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """typed-semconv built as a wheel, once per session; returns the wheel file."""
    dist = tmp_path_factory.mktemp("dist")
    build = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    return next(dist.glob("typed_semconv-*.whl"))


def clean_environment() -> dict[str, str]:
    """The environment for a fresh virtual environment: nothing leaks in from the checkout."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def report_figure(line: str) -> None:
    """A measured figure, printed in pytest's closing summary."""
    FIGURES.append(line)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if FIGURES:
        terminalreporter.section("typed-semconv figures")
        for line in FIGURES:
            terminalreporter.write_line(line)
