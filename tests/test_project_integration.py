"""README's "Use it in your project", as written: a user project whose pyproject.toml is the
README's, built into a wheel by pip with the build hook, checked by the pre-commit hook, and by the
CI step's commands. Each runs in a fresh virtual environment or a fresh pre-commit home."""

from __future__ import annotations

import re
import shutil
import subprocess
import venv
from pathlib import Path

import pytest
import yaml

from conftest import REPO, clean_environment

pytestmark = pytest.mark.slow

SERVICE_CODE = """\
from acme_semconv.attributes.kiln_attributes import KILN_PEAK_TEMPERATURE


def firing_attribute() -> str:
    return KILN_PEAK_TEMPERATURE
"""


def readme_section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return text.split("## Use it in your project", 1)[1].split("\n## ", 1)[0]


def readme_block(language: str, index: int = 0) -> str:
    blocks = re.findall(rf"```{language}\n(.*?)```", readme_section(), flags=re.S)
    return str(blocks[index])


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env=env or clean_environment(),
    )
    assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def user_project(root: Path) -> Path:
    """A service repository laid out as README describes, with our small test registry."""
    project = root / "acme-service"
    (project / "src" / "acme_service").mkdir(parents=True)
    (project / "pyproject.toml").write_text(readme_block("toml"), encoding="utf-8")
    shutil.copytree(REPO / "tests" / "fixtures" / "small", project / "semconv")
    (project / "src" / "acme_service" / "__init__.py").write_text(SERVICE_CODE, encoding="utf-8")
    return project


def fresh_venv(path: Path) -> Path:
    venv.create(path, with_pip=True)
    return path / "bin" / "python"


def test_pip_install_runs_the_build_hook_and_ships_the_generated_package(
    tmp_path: Path, typed_semconv_wheel: Path
) -> None:
    project = user_project(tmp_path)
    python = fresh_venv(tmp_path / "venv")
    # The build environment takes typed-semconv from our wheel, the rest from the index.
    run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "--find-links",
            str(typed_semconv_wheel.parent),
            str(project),
        ],
        cwd=tmp_path,
    )
    shown = run(
        [
            str(python),
            "-c",
            "import acme_semconv, acme_service; print(acme_semconv.__file__); "
            "print(acme_service.firing_attribute())",
        ],
        cwd=tmp_path,
    )
    installed, value = shown.split()
    assert installed.startswith(str(tmp_path / "venv"))  # from the installed wheel
    assert value == "kiln.peak_temperature"


def test_pre_commit_hook_passes_on_current_output_and_fails_on_stale(tmp_path: Path) -> None:
    project = user_project(tmp_path)
    hooks = yaml.safe_load(readme_block("yaml", 1))["repos"][0]["hooks"]
    hook_ids = [hook["id"] for hook in hooks]
    declared = {
        hook["id"]
        for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    }
    assert set(hook_ids) <= declared
    env = {**clean_environment(), "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    run([str(REPO / ".venv" / "bin" / "typed-semconv"), "generate", "-q"], cwd=project)
    run(["git", "init", "-q"], cwd=project)
    run(["git", "add", "-A"], cwd=project)
    run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init"], cwd=project)
    pre_commit = str(REPO / ".venv" / "bin" / "pre-commit")
    for hook_id in hook_ids:
        run([pre_commit, "try-repo", str(REPO), hook_id, "--all-files"], cwd=project, env=env)

    registry = project / "semconv" / "kiln" / "registry.yaml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace(
            "kiln.peak_temperature", "kiln.highest_temperature"
        ),
        encoding="utf-8",
    )
    stale = subprocess.run(
        [pre_commit, "try-repo", str(REPO), hook_ids[0], "--all-files"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert stale.returncode == 1, stale.stdout[-3000:]
    assert "out of date" in stale.stdout


def test_ci_step_commands_pass_on_a_current_project(
    tmp_path: Path, typed_semconv_wheel: Path
) -> None:
    project = user_project(tmp_path)
    step = yaml.safe_load(readme_block("yaml", 2))[0]
    commands = [line.strip() for line in step["run"].splitlines() if line.strip()]
    assert commands == ["pip install typed-semconv", "typed-semconv generate --check"]
    python = fresh_venv(tmp_path / "venv")
    bin_dir = python.parent
    # `pip install typed-semconv`, from the wheel this checkout builds.
    run(
        [
            str(bin_dir / "pip"),
            "install",
            "-q",
            "--find-links",
            str(typed_semconv_wheel.parent),
            "typed-semconv",
        ],
        cwd=project,
    )
    run([str(bin_dir / "typed-semconv"), "generate", "-q"], cwd=project)
    run([str(bin_dir / "typed-semconv"), "generate", "--check"], cwd=project)
