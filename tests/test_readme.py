"""README.md stays true: its set-up commands install a working tool on a fresh copy of the
repository, its main job regenerates `generated/` exactly, its test command is what CI runs, its
command-line example runs as written (on the real registry), and the settings it gives make mypy
and pyright report deprecated definitions, which they do not report without them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, real_registry

COPIED = (
    "generator",
    "templates",
    "models",
    "generated",
    "pyproject.toml",
    "Makefile",
    "README.md",
)


def section_blocks(title: str, language: str) -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split(f"## {title}", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", section, flags=re.S)


def quick_start_blocks() -> list[list[str]]:
    blocks = section_blocks("Quick start", "sh")
    return [[line for line in block.splitlines() if line.strip()] for block in blocks]


def test_quick_start_has_setup_main_job_and_test_command() -> None:
    setup, main_job, test = quick_start_blocks()
    assert len(setup) == 2
    assert main_job == ["make generate"]
    assert test == ["make test"]
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.slow
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


# --- the command-line example and deprecated definitions ---------------------------------------

BIN = Path(sys.executable).parent  # typed-semconv, python and mypy of this environment
PLACEHOLDER = "path/to/semantic-conventions/model"


def shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        command, shell=True, cwd=cwd, capture_output=True, text=True, check=False, env=env
    )


@pytest.fixture(scope="module")
def command_line_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """README's command-line example run line by line in an empty folder, with the real v1.44.0
    registry where it says `path/to/semantic-conventions/model`; returns that folder."""
    registry = real_registry("v1.44.0")
    (block,) = section_blocks("Command line", "sh")[:1]
    where = tmp_path_factory.mktemp("readme-example")
    for line in filter(None, block.splitlines()):
        assert PLACEHOLDER in line or "typed-semconv generate" not in line
        result = shell(line.replace(PLACEHOLDER, str(registry)), where)
        assert result.returncode == 0, f"{line}\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
    return where


@pytest.mark.slow
def test_the_command_line_example_runs_as_written(command_line_example: Path) -> None:
    package = command_line_example / "src" / "acme_semconv"
    assert (package / "attributes" / "http_attributes.py").is_file()
    assert (package / "py.typed").is_file()


USES_DEPRECATED = """\
from opentelemetry.metrics import Meter

from acme_semconv.attributes.net_attributes import NetTransportValues
from acme_semconv.metrics.rpc_metrics import create_rpc_client_duration


def record(meter: Meter) -> None:
    create_rpc_client_duration(meter)
    print(NetTransportValues.IP_TCP)
"""
DEPRECATED_NAMES = ("NetTransportValues", "create_rpc_client_duration")


def reported_by_mypy(project: Path, target: str, *flags: str) -> list[tuple[str, str]]:
    """(file, message) of what mypy reports on `target` and the modules it imports."""
    result = shell(f"mypy {' '.join(flags)} {target}", project)
    assert result.returncode in (0, 1), result.stdout[-2000:] + result.stderr[-2000:]
    found = [line.split(":", 2) for line in result.stdout.splitlines() if ": error: " in line]
    assert all(m.endswith("[deprecated]") for _, _, m in found), result.stdout
    return [(path, message) for path, _, message in found]


def reported_by_pyright(project: Path, *files: str) -> list[tuple[str, str]]:
    """(file, message) of what pyright reports on `files`, or on the whole project (the package
    and the service)."""
    result = shell(f"pyright --outputjson --pythonpath {sys.executable} {' '.join(files)}", project)
    assert result.returncode in (0, 1), result.stdout[-2000:] + result.stderr[-2000:]
    found = json.loads(result.stdout)["generalDiagnostics"]
    assert all(d.get("rule") == "reportDeprecated" for d in found), found
    return [(str(Path(d["file"]).relative_to(project)), d["message"]) for d in found]


@pytest.mark.slow
def test_deprecated_uses_are_reported_with_the_readme_settings_only(
    command_line_example: Path, tmp_path: Path
) -> None:
    project = tmp_path / "acme-service"
    shutil.copytree(command_line_example / "src", project / "src")
    (project / "src" / "acme_service").mkdir()
    (project / "src" / "acme_service" / "__init__.py").write_text(USES_DEPRECATED)
    (settings,) = section_blocks("Deprecated definitions", "toml")
    assert "--enable-error-code deprecated" in " ".join(
        (REPO / "README.md").read_text(encoding="utf-8").split()
    )

    (project / "pyproject.toml").write_text("[project]\nname = 'acme-service'\n")
    assert reported_by_mypy(project, "src/acme_service") == []
    assert reported_by_pyright(project, "src/acme_service") == []
    by_flag = reported_by_mypy(project, "src/acme_service", "--enable-error-code", "deprecated")

    (project / "pyproject.toml").write_text("[project]\nname = 'acme-service'\n\n" + settings)
    by_config = reported_by_mypy(project, "src")  # the whole package too
    by_pyright = reported_by_pyright(project)

    assert by_config == by_flag
    for reported in (by_config, by_pyright):
        # the service's uses, each name at least once; nothing in the generated package itself
        assert {path for path, _ in reported} == {"src/acme_service/__init__.py"}, reported
        for name in DEPRECATED_NAMES:
            assert any(
                f"{name} is deprecated" in m or f'"{name}" is deprecated' in m for _, m in reported
            ), (name, reported)
