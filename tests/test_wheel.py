"""The built wheel carries the default templates and works outside the source checkout."""

from __future__ import annotations

import subprocess
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, clean_environment

pytestmark = pytest.mark.slow


def test_wheel_installs_and_generates_from_its_own_templates(
    tmp_path: Path, typed_semconv_wheel: Path
) -> None:
    clean_env = clean_environment()
    wheel = typed_semconv_wheel
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert "typed_semconv/templates/python/attributes.py.j2" in names
    assert "typed_semconv/cli/commands.py" in names

    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel)],
        capture_output=True,
        text=True,
        check=False,
        env=clean_env,
    )
    assert install.returncode == 0, install.stderr[-2000:]

    # Run from a folder with no pyproject.toml, far from the checkout's templates.
    workdir = tmp_path / "work"
    workdir.mkdir()
    command = environment / "bin" / "typed-semconv"
    result = subprocess.run(
        [
            str(command),
            "generate",
            "--registry",
            str(REPO / "models"),
            "--output",
            "out",
            "--package",
            "gateway_semconv",
            "-q",
        ],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
        env=clean_env,
    )
    assert result.returncode == 0, result.stderr
    located = subprocess.run(
        [
            str(python),
            "-c",
            "from typed_semconv.output.templates import default_templates_dir; "
            "print(default_templates_dir())",
        ],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=True,
        env=clean_env,
    )
    assert str(environment) in located.stdout  # the wheel's copy, not the checkout's

    produced = workdir / "out" / "gateway_semconv"
    committed = REPO / "generated" / "gateway_semconv"
    files = sorted(p.relative_to(committed) for p in committed.rglob("*.py"))
    assert files
    for relative in files:
        assert (produced / relative).read_bytes() == (committed / relative).read_bytes()
