"""README's "Use it in your project", as written: a user project whose pyproject.toml is the
README's, built into a wheel by pip with the build hook, checked by the pre-commit hook, and by the
CI step's commands. Each runs in a fresh virtual environment or a fresh pre-commit home.

README requires typed-semconv by its git repository at a tag; here the same requirement points at
a local git repository of this checkout (tagged as README says), so nothing but the package index
is reached."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
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


# `typed-semconv @ git+https://host/owner/name@tag`, as README writes the requirement
REQUIREMENT = re.compile(r"typed-semconv @ git\+(?P<url>https://[^\s\"@]+)@(?P<tag>[\w.-]+)")


@pytest.fixture(scope="module")
def local_repository(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A git repository of this checkout's files as they are on disk, tagged with the tag README
    requires; returns (the repository URL README names, a file URL of the local one)."""
    match = REQUIREMENT.search(readme_section())
    assert match, "README must require typed-semconv by a git URL and a tag"
    repository = tmp_path_factory.mktemp("typed-semconv-git")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for relative in filter(None, listed.split("\0")):
        source = REPO / relative
        if source.is_file():
            (repository / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repository / relative)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "release"]):
        run([*git, *command], cwd=repository)
    run([*git, "tag", match["tag"]], cwd=repository)
    # With a host: a requirement's URL needs one (git takes `localhost` as this machine).
    return match["url"], f"file://localhost{repository}"


def with_local_repository(text: str, urls: tuple[str, str]) -> str:
    readme_url, local_url = urls
    assert readme_url in text
    return text.replace(f"git+{readme_url}@", f"git+{local_url}@")


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


def user_project(root: Path, urls: tuple[str, str]) -> Path:
    """A service repository laid out as README describes, with our small test registry."""
    project = root / "acme-service"
    (project / "src" / "acme_service").mkdir(parents=True)
    pyproject = with_local_repository(readme_block("toml"), urls)
    (project / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    shutil.copytree(REPO / "tests" / "fixtures" / "small", project / "semconv")
    (project / "src" / "acme_service" / "__init__.py").write_text(SERVICE_CODE, encoding="utf-8")
    return project


def fresh_venv(path: Path) -> Path:
    venv.create(path, with_pip=True)
    return path / "bin" / "python"


def test_the_project_requires_a_python_typed_semconv_runs_on() -> None:
    project = tomllib.loads(readme_block("toml"))["project"]
    ours = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == ours["requires-python"]


def test_pip_install_runs_the_build_hook_and_ships_the_generated_package(
    tmp_path: Path, local_repository: tuple[str, str]
) -> None:
    project = user_project(tmp_path, local_repository)
    python = fresh_venv(tmp_path / "venv")
    # The build environment takes typed-semconv from the git requirement, the rest from the index.
    run([str(python), "-m", "pip", "install", "-q", str(project)], cwd=tmp_path)
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


def test_pre_commit_hook_passes_on_current_output_and_fails_on_stale(
    tmp_path: Path, local_repository: tuple[str, str]
) -> None:
    project = user_project(tmp_path, local_repository)
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
    tmp_path: Path, local_repository: tuple[str, str]
) -> None:
    project = user_project(tmp_path, local_repository)
    step = yaml.safe_load(readme_block("yaml", 2))[0]
    commands = [line.strip() for line in step["run"].splitlines() if line.strip()]
    assert len(commands) == 2 and commands[1] == "typed-semconv generate --check"
    assert REQUIREMENT.search(commands[0]), commands[0]  # the requirement of the build, too
    python = fresh_venv(tmp_path / "venv")
    env = {**clean_environment(), "PATH": f"{python.parent}:{clean_environment()['PATH']}"}
    run(["sh", "-c", with_local_repository(commands[0], local_repository)], cwd=project, env=env)
    run([str(python.parent / "typed-semconv"), "generate", "-q"], cwd=project, env=env)
    run(["sh", "-c", commands[1]], cwd=project, env=env)
