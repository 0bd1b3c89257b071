"""The command line as a user runs it: exit codes, diagnostics, configuration and options.

Every test runs the command line (in the test's process, as `python -m typed_semconv` would
run; in a process of its own where the entry point or a hang is the point) against the tiny
registry in `tests/fixtures/small` (namespaces `kiln` and `glaze`) or one of the broken ones in
`tests/fixtures/broken`.
"""

from __future__ import annotations

import ast
import gc
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import CliResult, run_cli, run_installed_cli

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SMALL = FIXTURES / "small"
BROKEN = FIXTURES / "broken"
PACKAGE = "pottery"

Result = CliResult


# --- helpers -------------------------------------------------------------------------------


def no_traceback(result: Result) -> Result:
    assert "Traceback" not in result.stderr, result.stderr
    assert "internal error" not in result.stderr, result.stderr
    return result


def cli(*args: str | Path, cwd: Path) -> Result:
    return no_traceback(run_cli(*args, cwd=cwd))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder holding a copy of the small registry at `registry/` and an empty pyproject
    (so that no [tool.typed-semconv] of an enclosing folder is picked up)."""
    shutil.copytree(SMALL, tmp_path / "registry")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'someone-else'\n")
    return tmp_path


def generate(project: Path, *extra: str | Path, output: str = "out") -> Result:
    return cli(
        "generate",
        "--registry",
        "registry",
        "--output",
        output,
        "--package",
        PACKAGE,
        *extra,
        cwd=project,
    )


def module_names(path: Path) -> set[str]:
    """Module-level constants, functions and classes (and `Class.MEMBER` for enum members)."""
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.add(node.name)
            for statement in node.body:
                if isinstance(statement, ast.Assign):
                    names.update(
                        f"{node.name}.{t.id}" for t in statement.targets if isinstance(t, ast.Name)
                    )
    return names


def package_files(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every entry below `root` (hidden ones too) with its inode, mtime and size."""
    state: dict[str, tuple[int, int, int]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            info = path.lstat()
            state[path.relative_to(root).as_posix()] = (info.st_ino, info.st_mtime_ns, info.st_size)
    return state


def run_python(code: str, cwd: Path) -> Result:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=False
    )


# --- success -------------------------------------------------------------------------------


def test_generate_writes_an_importable_typed_package(project: Path) -> None:
    result = generate(project)
    assert result.returncode == 0, result.stderr
    package = project / "out" / PACKAGE
    files = package_files(package)
    assert f"{len(files) - 1} added" in result.stdout  # all but the ownership record
    assert files >= {
        ".typed-semconv.json",
        "__init__.py",
        "py.typed",
        "attributes/__init__.py",
        "attributes/kiln_attributes.py",
        "attributes/glaze_attributes.py",
        "metrics/__init__.py",
        "metrics/kiln_metrics.py",
        "metrics/glaze_metrics.py",
    }
    check = run_python(
        "from pottery.attributes import kiln_attributes as k\n"
        "from pottery.metrics import kiln_metrics as m\n"
        "assert k.KILN_ATMOSPHERE == 'kiln.atmosphere'\n"
        "assert k.KilnAtmosphereValues.REDUCTION.value == 'reduction'\n"
        "assert m.KILN_FIRING_DURATION == 'kiln.firing.duration'\n"
        "from opentelemetry.metrics import NoOpMeter\n"
        "m.create_kiln_firing_duration(NoOpMeter('test'))\n",
        cwd=project / "out",
    )
    assert check.returncode == 0, check.stderr


def test_quiet_prints_nothing_on_success(project: Path) -> None:
    result = generate(project, "-q")
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr == ""


def test_version_and_help_exit_zero(tmp_path: Path) -> None:
    """Through the entry point, in processes of their own."""
    assert no_traceback(run_installed_cli("--version", cwd=tmp_path)).returncode == 0
    for command in ("generate", "check", "resolve"):
        result = no_traceback(run_installed_cli(command, "--help", cwd=tmp_path))
        assert result.returncode == 0
        assert "--registry" in result.stdout


HEAVY = ("pydantic", "jinja2", "yaml", "black", "typed_semconv.pipeline", "typed_semconv.load")


@pytest.mark.parametrize("command", ["generate", "check", "resolve"])
def test_help_loads_no_stage(tmp_path: Path, command: str) -> None:
    """`--help` stays fast: the stages and their libraries are imported by a run, not by the
    command line's definition."""
    shown = run_python(
        "import sys\n"
        "from typed_semconv.cli.commands import main\n"
        "try:\n"
        f"    main([{command!r}, '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print([m for m in sys.modules if m.split('.')[0] in {HEAVY!r} "
        f"or m.startswith({HEAVY!r})])\n",
        cwd=tmp_path,
    )
    assert shown.returncode == 0, shown.stderr
    assert "--registry" in shown.stdout
    assert shown.stdout.splitlines()[-1] == "[]"


# --- invalid input: exit 1 with located diagnostics ------------------------------------------

INVALID_CASES = [
    # fixture folder, file, line, column, code, text the message or hint must contain
    ("yaml_syntax", "registry.yaml", 7, 15, "yaml-syntax", "YAML syntax error"),
    ("unknown_ref", "registry.yaml", 15, 9, "unknown-ref", "did you mean `wheel.speed`?"),
    ("unknown_key", "registry.yaml", 8, 5, "schema-unknown-key", "did you mean `examples`?"),
]

OFFENDING = {"yaml_syntax": "stability:", "unknown_ref": "wheel.sped", "unknown_key": "exampels"}


@pytest.mark.parametrize("command", ["check", "generate"])
@pytest.mark.parametrize(
    ("case", "file", "line", "column", "code", "text"),
    INVALID_CASES,
    ids=[c[0] for c in INVALID_CASES],
)
def test_invalid_input_exits_1_with_a_located_diagnostic(
    tmp_path: Path,
    command: str,
    case: str,
    file: str,
    line: int,
    column: int,
    code: str,
    text: str,
) -> None:
    shutil.copytree(BROKEN / case, tmp_path / "registry")
    (tmp_path / "pyproject.toml").write_text("")
    args = ["--output", "out", "--package", PACKAGE] if command == "generate" else []
    result = cli(command, "--registry", "registry", *args, cwd=tmp_path)

    assert result.returncode == 1, result.stderr
    expected = re.compile(
        rf"^registry/{re.escape(file)}:{line}:{column}: error: .+ \[{re.escape(code)}\]$",
        re.MULTILINE,
    )
    assert expected.search(result.stderr), result.stderr
    assert text in result.stderr
    assert "1 error(s)" in result.stderr
    # the line named is really the offending one
    offending = (tmp_path / "registry" / file).read_text().splitlines()[line - 1]
    assert OFFENDING[case] in offending, offending
    assert not (tmp_path / "out").exists()


def test_all_problems_are_reported_not_just_the_first(project: Path) -> None:
    (project / "registry" / "extra.yaml").write_text(
        "file_format: definition/2\n"
        "attributes:\n"
        "  - key: clay.body\n"
        "    type: string\n"
        "    stability: development\n"
        "    breif: Clay body used.\n"
        "metrics:\n"
        "  - name: clay.bags\n"
        "    brief: Bags of clay opened.\n"
        "    instrument: counter\n"
        "    unit: '{bag}'\n"
        "    stability: development\n"
        "    attributes:\n"
        "      - ref: kiln.atmosphre\n"
    )
    result = cli("check", "--registry", "registry", cwd=project)
    assert result.returncode == 1
    assert "registry/extra.yaml:6:5: error: unknown key `breif`" in result.stderr
    assert "did you mean `brief`?" in result.stderr


def test_missing_registry_folder_is_invalid_input(project: Path) -> None:
    result = cli("check", "--registry", "no-such-folder", cwd=project)
    assert result.returncode == 1
    assert "[source-not-found]" in result.stderr


def test_output_that_is_a_file_is_reported_without_traceback(project: Path) -> None:
    (project / "out").write_text("a file, not a folder\n")
    result = generate(project)
    assert result.returncode == 1
    assert "[io-error]" in result.stderr
    assert (project / "out").read_text() == "a file, not a folder\n"


# --- usage errors: exit 2 ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["generate", "--registry", "registry"], "--output and --package are required"),
        (["generate", "--registry", "registry", "--output", "out"], "are required"),
        (["generate", "--registry", "registry", "--package", PACKAGE], "are required"),
        (["generate", "--registry", "registry", "--output", "o", "--package", "1abc"], "1abc"),
        (["generate", "--registry", "registry", "--output", "o", "--package", "class"], "class"),
        (["generate", "--registry", "registry", "--output", "o", "--package", "a-b"], "a-b"),
        (
            ["generate", "--registry", "registry", "--output", "o", "--package", "acme\n"],
            "package name `acme\\n` is not a valid Python package name",
        ),
        (
            ["generate", "--registry", "registry", "--output", "o", "--package", "typing"],
            "package name `typing` would shadow the standard library's `typing`",
        ),
        (
            ["generate", "--registry", "registry", "--output", "o", "--package", "json.semconv"],
            "would shadow the standard library's `json`",
        ),
        (
            ["generate", "--registry", "registry", "--output", "o", "--package", "collections"],
            "would shadow the standard library's `collections`",
        ),
        (
            ["generate", "--registry", "registry", "--output", "o", "--package", "opentelemetry"],
            "would shadow the generated code's run-time dependency `opentelemetry`",
        ),
        (
            [
                "generate",
                "--registry",
                "registry",
                "--output",
                "o",
                "--package",
                "typing_extensions.semconv",
            ],
            "would shadow the generated code's run-time dependency `typing_extensions`",
        ),
        (["generate", "--output", "o", "--package", PACKAGE], "no registry"),
        (
            [
                "generate",
                "--registry",
                "registry",
                "--output",
                "o",
                "--package",
                PACKAGE,
                "--templates",
                "missing",
            ],
            "templates folder",
        ),
        (["generate", "--registry", "registry", "--frobnicate"], "No such option"),
        (["check"], "no registry"),
        (["check", "--registry", "registry", "--diagnostic-format", "xml"], "xml"),
        (["resolve", "--registry", "registry", "--format", "toml"], "toml"),
        (["explode"], "No such command"),
    ],
)
def test_usage_errors_exit_2(project: Path, args: list[str], message: str) -> None:
    result = cli(*args, cwd=project)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert message in result.stderr
    assert "Usage:" in result.stderr
    assert not (project / "o").exists()


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('registry = ["registry"]\nflavour = "sour"\n', "unknown key `flavour`"),
        ('registry = ["registry"]\nstable-only = "yes"\n', "`stable-only` must be true or false"),
        ("registry = [1, 2]\n", "`registry` entries must be strings or tables"),
        ('"\\u001b[2Jflavour\\u202e" = 1\n', r"unknown key `\x1b[2Jflavour\u202e`"),
    ],
)
def test_bad_pyproject_config_is_a_usage_error(project: Path, table: str, message: str) -> None:
    (project / "pyproject.toml").write_text("[tool.typed-semconv]\n" + table)
    for command in ("check", "generate"):
        result = cli(command, cwd=project)
        assert result.returncode == 2, result.stderr
        assert message in result.stderr
        assert "pyproject.toml" in result.stderr


def test_pyproject_package_that_shadows_a_module_is_a_usage_error(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.typed-semconv]\nregistry = ["registry"]\noutput = "out"\npackage = "enum"\n'
    )
    for command in ("check", "generate"):
        result = cli(command, cwd=project)
        assert result.returncode == 2, result.stderr
        assert "package name `enum` would shadow the standard library's `enum`" in result.stderr
    assert not (project / "out").exists()


def test_build_hook_refuses_a_package_name_that_shadows_a_module(tmp_path: Path) -> None:
    from typed_semconv.cli.hatch_hook import GenerationFailed, TypedSemconvBuildHook

    shutil.copytree(SMALL, tmp_path / "registry")
    (tmp_path / "pyproject.toml").write_text(
        "[tool.typed-semconv]\nregistry = ['registry']\noutput = 'src'\n"
        "package = 'opentelemetry.acme'\n"
    )
    hook = TypedSemconvBuildHook(
        str(tmp_path),
        {},
        None,
        None,
        str(tmp_path / "dist"),
        "wheel",  # type: ignore[arg-type]
    )
    with pytest.raises(GenerationFailed, match="run-time dependency `opentelemetry`"):
        hook.initialize("standard", {"force_include": {}})
    assert not (tmp_path / "src").exists()


def test_the_run_time_packages_are_those_generated_code_imports() -> None:
    """`RUNTIME_PACKAGES` (the names `--package` may not shadow besides the standard library)
    is every package outside the standard library that generated code imports."""
    from typed_semconv.options import RUNTIME_PACKAGES

    repo = FIXTURES.parents[1]
    imported: set[str] = set()
    own: set[str] = set()
    for root in (repo / "generated", repo / "tests" / "golden" / "edge"):
        own |= {p.name for p in root.iterdir() if p.is_dir()}
        for path in root.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    imported |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    imported.add(node.module.split(".")[0])
    assert imported - set(sys.stdlib_module_names) - own == RUNTIME_PACKAGES


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[tool.typed-semconv\n", "cannot read"),
        (b"\xff\xfe[tool]\n", "cannot read"),  # not UTF-8
        (b"tool = 'not a table'\n", "no registry"),  # someone else's odd pyproject
        (b"[tool]\ntyped-semconv = 3\n", "must be a table"),
    ],
)
def test_odd_pyproject_is_a_usage_error(project: Path, content: bytes, message: str) -> None:
    (project / "pyproject.toml").write_bytes(content)
    result = cli("check", cwd=project)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr


@pytest.mark.parametrize(
    ("kind", "message"),
    [("pipe", "not a regular file"), ("sparse-9-mib", "the file is larger than 8 MiB")],
)
def test_a_pyproject_that_is_not_a_small_file_is_refused_not_waited_on(
    project: Path, kind: str, message: str
) -> None:
    """The configuration is read as every input is: a pipe is never waited on (and not passed
    over for an enclosing folder's pyproject), a huge file never read."""
    pyproject = project / "pyproject.toml"
    pyproject.unlink()
    if kind == "pipe":
        os.mkfifo(pyproject)
    else:
        with pyproject.open("wb") as file:
            file.truncate(9 * 2**20)
    # In a process of its own: a reader that waits on the pipe fails at the timeout instead of
    # hanging the suite.
    result = run_installed_cli("check", "--registry", "registry", cwd=project)
    assert result.returncode == 2, result.stderr
    assert f"pyproject.toml: {message}" in result.stderr
    assert "Traceback" not in result.stderr


# --- generate --check ----------------------------------------------------------------------


def test_check_fails_on_stale_output_lists_the_changes_and_writes_nothing(project: Path) -> None:
    assert generate(project, "-q").returncode == 0
    package = Path("out", PACKAGE)  # as given on the command line
    # one namespace more, one changed definition, and one namespace left out
    (project / "registry" / "wheel.yaml").write_text(
        "file_format: definition/2\n"
        "attributes:\n"
        "  - key: wheel.speed\n"
        "    type: int\n"
        "    stability: development\n"
        "    brief: Revolutions per minute.\n"
    )
    kiln = project / "registry" / "kiln" / "registry.yaml"
    kiln.write_text(kiln.read_text().replace("Number of shelves loaded.", "Shelves in use."))
    before = snapshot(project)

    result = generate(project, "--check", "--exclude-namespace", "glaze")

    assert result.returncode == 1, result.stderr
    assert "out of date" in result.stdout
    lines = {tuple(line.split()) for line in result.stdout.splitlines()[1:]}
    assert ("add", str(package / "attributes" / "wheel_attributes.py")) in lines
    assert ("update", str(package / "attributes" / "kiln_attributes.py")) in lines
    # the typed instrument's docstring gives the brief of each attribute it records
    assert ("update", str(package / "metrics" / "kiln_metrics.py")) in lines
    assert ("remove", str(package / "attributes" / "glaze_attributes.py")) in lines
    assert ("remove", str(package / "metrics" / "glaze_metrics.py")) in lines
    assert len(lines) == 5, result.stdout
    assert snapshot(project) == before


def test_check_passes_on_current_output_and_writes_nothing(project: Path) -> None:
    assert generate(project, "-q").returncode == 0
    before = snapshot(project)
    result = generate(project, "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout
    assert snapshot(project) == before


def test_check_without_previous_output_fails_and_creates_nothing(project: Path) -> None:
    result = generate(project, "--check")
    assert result.returncode == 1
    assert not (project / "out").exists()
    assert generate(project, "-q").returncode == 0
    generated = package_files(project / "out" / PACKAGE) - {".typed-semconv.json"}
    listed = {line.split()[1] for line in result.stdout.splitlines() if line.startswith("  add ")}
    assert listed == {f"out/{PACKAGE}/{relative}" for relative in generated}


def test_check_does_not_touch_leftovers_of_a_killed_run(project: Path) -> None:
    assert generate(project, "-q").returncode == 0
    staging = project / "out" / f".{PACKAGE}.typed-semconv-staging-4242"
    staging.mkdir()
    (staging / "half-written.py").write_text("x = ")
    before = snapshot(project)
    assert generate(project, "--check").returncode == 0
    assert snapshot(project) == before


# --- [tool.typed-semconv] ------------------------------------------------------------------

CONFIG = """\
[project]
name = "studio"

[tool.typed-semconv]
registry = ["registry"]
output = "generated"
package = "pottery"
exclude-namespace = ["glaze"]
"""


@pytest.mark.parametrize("where", [".", "src/deeper"])
def test_bare_generate_uses_the_nearest_pyproject(project: Path, where: str) -> None:
    (project / "pyproject.toml").write_text(CONFIG)
    cwd = project / where
    cwd.mkdir(parents=True, exist_ok=True)

    result = cli("generate", cwd=cwd)

    assert result.returncode == 0, result.stderr
    package = project / "generated" / PACKAGE  # relative to pyproject.toml, not to cwd
    assert (package / "attributes" / "kiln_attributes.py").is_file()
    assert not (package / "attributes" / "glaze_attributes.py").exists()
    assert not (cwd / "generated").exists() or cwd == project
    assert cli("generate", "--check", cwd=cwd).returncode == 0
    assert cli("check", cwd=cwd).returncode == 0


def test_cli_values_override_the_config(project: Path) -> None:
    (project / "pyproject.toml").write_text(CONFIG)
    result = cli(
        "generate",
        "--output",
        "elsewhere",
        "--package",
        "ceramics",
        "--exclude-namespace",
        "kiln",
        cwd=project,
    )
    assert result.returncode == 0, result.stderr
    assert not (project / "generated").exists()
    package = project / "elsewhere" / "ceramics"
    assert (package / "attributes" / "glaze_attributes.py").is_file()
    assert not (package / "attributes" / "kiln_attributes.py").exists()


def test_nearest_pyproject_without_a_table_hides_an_outer_one(project: Path) -> None:
    (project / "pyproject.toml").write_text(CONFIG)
    inner = project / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[project]\nname = 'inner'\n")
    result = cli("generate", cwd=inner)
    assert result.returncode == 2
    assert "are required" in result.stderr


def test_config_filters_and_format_keys(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.typed-semconv]\nregistry = 'registry'\noutput = 'out'\npackage = 'pottery'\n"
        "stable-only = true\ninclude-deprecated = false\nformat = false\n"
    )
    assert cli("generate", cwd=project).returncode == 0
    names = module_names(project / "out" / PACKAGE / "attributes" / "kiln_attributes.py")
    assert "KILN_PEAK_TEMPERATURE" in names
    assert "KILN_SHELF_COUNT" not in names  # development
    assert "KILN_CONE" not in names  # deprecated
    assert not (project / "out" / PACKAGE / "attributes" / "glaze_attributes.py").exists()


FIRING_SPAN = """\
file_format: definition/2
spans:
  - type: kiln.firing
    kind: internal
    brief: A firing.
    stability: development
    name:
      note: Fixed.
    attributes:
      - ref: kiln.atmosphere
"""


def atmosphere_parameter_accepts_str(out: Path) -> bool:
    shown = run_python(
        "import inspect\n"
        "from pottery.spans.kiln_spans import start_kiln_firing_span as start\n"
        "annotation = inspect.signature(start).parameters['kiln_atmosphere'].annotation\n"
        "print('str' in annotation.split(' | '))\n",
        cwd=out,
    )
    assert shown.returncode == 0, shown.stderr
    return {"True": True, "False": False}[shown.stdout.strip()]


def test_closed_enums_from_the_config_and_open_enums_from_the_command_line(
    project: Path,
) -> None:
    (project / "registry" / "firing.yaml").write_text(FIRING_SPAN)
    (project / "pyproject.toml").write_text(
        "[tool.typed-semconv]\nregistry = 'registry'\noutput = 'out'\npackage = 'pottery'\n"
        "closed-enums = true\n"
    )
    assert cli("generate", "-q", cwd=project).returncode == 0
    assert not atmosphere_parameter_accepts_str(project / "out")
    assert cli("generate", "-q", "--open-enums", cwd=project).returncode == 0
    assert atmosphere_parameter_accepts_str(project / "out")


# --- options that shape the output ---------------------------------------------------------


@pytest.fixture(scope="module")
def full_names(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """The names of every module when nothing is filtered out."""
    where = tmp_path_factory.mktemp("full")
    shutil.copytree(SMALL, where / "registry")
    assert generate(where, "-q").returncode == 0
    package = where / "out" / PACKAGE
    return {f: module_names(package / f) for f in package_files(package) if f.endswith(".py")}


def test_exclude_namespace_drops_its_modules(project: Path) -> None:
    assert generate(project, "--exclude-namespace", "glaze").returncode == 0
    files = package_files(project / "out" / PACKAGE)
    assert "attributes/kiln_attributes.py" in files
    assert "metrics/kiln_metrics.py" in files
    assert not any("glaze" in f for f in files)


def test_exclude_namespace_is_repeatable(project: Path) -> None:
    result = generate(project, "--exclude-namespace", "glaze", "--exclude-namespace", "kiln")
    assert result.returncode == 0
    files = package_files(project / "out" / PACKAGE)
    assert not any("glaze" in f or "kiln" in f for f in files)


def test_stable_only_keeps_stable_definitions_only(
    project: Path, full_names: dict[str, set[str]]
) -> None:
    assert generate(project, "--stable-only").returncode == 0
    package = project / "out" / PACKAGE
    assert not any("glaze" in f for f in package_files(package))  # all in development
    kiln = module_names(package / "attributes" / "kiln_attributes.py")
    full_kiln = full_names["attributes/kiln_attributes.py"]
    assert {"KILN_SHELF_COUNT", "KilnAtmosphereValues.SALT"} <= full_kiln
    assert full_kiln - kiln == {"KILN_SHELF_COUNT", "KilnAtmosphereValues.SALT"}
    assert "KILN_FIRING_DURATION" in module_names(package / "metrics" / "kiln_metrics.py")


def test_exclude_deprecated_drops_deprecated_definitions(
    project: Path, full_names: dict[str, set[str]]
) -> None:
    assert "KILN_CONE" in full_names["attributes/kiln_attributes.py"]
    assert generate(project, "--exclude-deprecated").returncode == 0
    kiln = module_names(project / "out" / PACKAGE / "attributes" / "kiln_attributes.py")
    assert full_names["attributes/kiln_attributes.py"] - kiln == {"KILN_CONE"}


def test_include_deprecated_overrides_config(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.typed-semconv]\nregistry = 'registry'\noutput = 'out'\npackage = 'pottery'\n"
        "include-deprecated = false\n"
    )
    assert cli("generate", "--include-deprecated", cwd=project).returncode == 0
    kiln = module_names(project / "out" / PACKAGE / "attributes" / "kiln_attributes.py")
    assert "KILN_CONE" in kiln


def test_no_format_still_produces_importable_code(
    project: Path, full_names: dict[str, set[str]]
) -> None:
    assert generate(project, "--no-format").returncode == 0
    package = project / "out" / PACKAGE
    unformatted = {
        f: module_names(package / f) for f in package_files(package) if f.endswith(".py")
    }
    assert unformatted == full_names
    check = run_python(
        "import pottery.attributes.kiln_attributes, pottery.attributes.glaze_attributes\n"
        "import pottery.metrics.kiln_metrics, pottery.metrics.glaze_metrics\n",
        cwd=project / "out",
    )
    assert check.returncode == 0, check.stderr


def test_templates_override_changes_only_that_kind_of_module(project: Path) -> None:
    assert generate(project, "-q", output="default").returncode == 0
    templates = project / "my-templates"
    templates.mkdir()
    (templates / "metrics.py.j2").write_text(
        "{{ module.header }}\n"
        "{{ module.docstring }}\n"
        "\n"
        "{% for metric in module.metrics %}\n"
        "{{ metric.constant }} = {{ metric.name }}  # studio flavour\n"
        "{% endfor %}\n"
    )
    assert generate(project, "--templates", templates).returncode == 0

    default = project / "default" / PACKAGE
    custom = project / "out" / PACKAGE
    assert package_files(default) == package_files(custom)
    for relative in sorted(package_files(default) - {".typed-semconv.json"}):
        same = (default / relative).read_bytes() == (custom / relative).read_bytes()
        is_metrics_module = relative.startswith("metrics/") and relative not in (
            "metrics/__init__.py",
            "metrics/_support.py",
        )
        assert same != is_metrics_module, relative
    kiln_metrics = (custom / "metrics" / "kiln_metrics.py").read_text()
    assert 'KILN_FIRING_DURATION = "kiln.firing.duration"  # studio flavour' in kiln_metrics
    assert "def create_" not in kiln_metrics


def test_template_producing_invalid_python_is_reported(project: Path) -> None:
    templates = project / "my-templates"
    templates.mkdir()
    (templates / "attributes.py.j2").write_text("def broken(:\n")
    result = generate(project, "--templates", templates)
    assert result.returncode == 1
    assert "[template-invalid-python]" in result.stderr
    assert not (project / "out").exists()


def test_template_error_is_reported(project: Path) -> None:
    templates = project / "my-templates"
    templates.mkdir()
    (templates / "attributes.py.j2").write_text("{{ module.no_such_field }}\n")
    result = generate(project, "--templates", templates)
    assert result.returncode == 1
    assert "[template-error]" in result.stderr
    assert not (project / "out").exists()


# --- check and resolve ---------------------------------------------------------------------


def test_check_summarises_a_valid_registry(project: Path) -> None:
    result = cli("check", "--registry", "registry", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok: 6 attributes, 3 groups"
    assert result.stderr == ""


def test_a_batch_command_runs_without_the_cycle_collector_and_gives_it_back(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typed_semconv import pipeline
    from typed_semconv.cli.commands import main

    collector_on_during_run = []
    real_check = pipeline.check

    def spy(*args: Any, **kwargs: Any) -> Any:
        collector_on_during_run.append(gc.isenabled())
        return real_check(*args, **kwargs)

    monkeypatch.setattr(pipeline, "check", spy)
    monkeypatch.chdir(project)
    assert gc.isenabled()
    with pytest.raises(SystemExit) as exited:
        main(["check", "--registry", "registry", "-q"])
    assert exited.value.code == 0
    assert collector_on_during_run == [False]
    assert gc.isenabled()  # a caller that goes on (a test, a build) keeps its collector


def test_check_accepts_several_registries(project: Path) -> None:
    shutil.copytree(BROKEN / "warning_only", project / "wheel")
    (project / "wheel" / "empty.yaml").unlink()
    result = cli("check", "--registry", "registry", "--registry", "wheel", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok: 7 attributes, 3 groups"


def test_check_takes_the_options_that_shape_the_python_view(project: Path) -> None:
    """A name pattern over a development attribute is fine, until --stable-only leaves the
    attribute out (from the command line, or from the configuration)."""
    (project / "registry" / "firing.yaml").write_text(
        FIRING_SPAN.replace("stability: development", "stability: stable")
        .replace(
            "      note: Fixed.\n",
            "      note: By shelf count.\n"
            "    annotations:\n"
            "      typed_semconv:\n"
            "        name_pattern: 'firing {kiln.shelf_count}'\n",
        )
        .replace("ref: kiln.atmosphere", "ref: kiln.shelf_count")
    )
    assert cli("check", "--registry", "registry", cwd=project).returncode == 0
    narrowed = cli("check", "--registry", "registry", "--stable-only", cwd=project)
    assert narrowed.returncode == 1
    assert "[span-name-filtered-attribute]" in narrowed.stderr
    (project / "pyproject.toml").write_text(
        "[tool.typed-semconv]\nregistry = 'registry'\nstable-only = true\n"
    )
    assert cli("check", cwd=project).returncode == 1
    assert cli("check", "--all-stabilities", cwd=project).returncode == 0


@pytest.mark.parametrize("command", ["check", "resolve"])
def test_check_and_resolve_take_the_cache_and_offline_options(project: Path, command: str) -> None:
    remote = "https://registry.invalid/semconv.tar.gz[model]"  # never fetched: offline
    result = cli(
        command, "--registry", remote, "--offline", "--cache-dir", project / "cache", cwd=project
    )
    assert result.returncode == 1, result.stderr
    assert "[source-offline-missing]" in result.stderr
    assert f"looked for {project / 'cache'}" in result.stderr  # the cache asked for


def _group(data: dict[str, object], group_id: str) -> dict[str, object]:
    groups = data["groups"]
    assert isinstance(groups, list)
    return next(g for g in groups if g["id"] == group_id)


def test_resolve_json_carries_resolved_attributes(project: Path) -> None:
    result = cli("resolve", "--registry", "registry", cwd=project)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    metric = _group(data, "metric.kiln.firing.duration")
    uses = {u["attribute"]["key"]: u for u in metric["attributes"]}
    atmosphere = uses["kiln.atmosphere"]
    assert atmosphere["requirement_level"]["level"] == "required"
    assert atmosphere["attribute"]["note"] == "Recorded once, at the start of the firing."
    assert atmosphere["attribute"]["brief"] == "Chamber atmosphere during the firing."
    assert [m["id"] for m in atmosphere["attribute"]["type"]["members"]] == [
        "oxidation",
        "reduction",
        "salt",
    ]
    assert uses["kiln.shelf_count"]["requirement_level"]["level"] == "opt_in"
    # the registry's own definition keeps its (empty) note: the override is local to the ref
    registry_attribute = next(a for a in data["attributes"] if a["key"] == "kiln.atmosphere")
    assert registry_attribute["note"] == ""
    assert data["schema_url"] == "https://example.test/schemas/pottery/0.1.0"


def test_resolve_help_says_what_the_output_is_for(tmp_path: Path) -> None:
    result = cli("resolve", "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "see how the registry resolved" in text
    assert "compare two registries" in text and "feed other tools" in text
    # what it is not: the templates print the Python view, not this registry
    assert "Templates do not receive this data" in text


def test_resolve_yaml_matches_json(project: Path) -> None:
    as_json = cli("resolve", "--registry", "registry", "--format", "json", cwd=project)
    as_yaml = cli("resolve", "--registry", "registry", "--format", "yaml", cwd=project)
    assert as_yaml.returncode == 0, as_yaml.stderr
    assert not as_yaml.stdout.lstrip().startswith(("{", "["))
    assert yaml.safe_load(as_yaml.stdout) == json.loads(as_json.stdout)


def test_resolve_of_a_broken_registry_prints_no_data(tmp_path: Path) -> None:
    result = cli("resolve", "--registry", BROKEN / "unknown_ref", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "[unknown-ref]" in result.stderr


# --- diagnostic formats and --werror -------------------------------------------------------


def test_json_diagnostics(tmp_path: Path) -> None:
    shutil.copytree(BROKEN / "unknown_ref", tmp_path / "registry")
    result = cli("check", "--registry", "registry", "--diagnostic-format", "json", cwd=tmp_path)
    assert result.returncode == 1
    problems = json.loads(result.stderr)
    assert problems == [
        {
            "severity": "error",
            "code": "unknown-ref",
            "message": "`ref: wheel.sped` names no attribute",
            "path": "registry/registry.yaml",
            "line": 15,
            "column": 9,
            "hint": "did you mean `wheel.speed`?",
        }
    ]


def test_json_diagnostics_on_success_is_an_empty_list(project: Path) -> None:
    result = cli("check", "--registry", "registry", "--diagnostic-format", "json", cwd=project)
    assert result.returncode == 0
    assert json.loads(result.stderr) == []


def test_github_diagnostics(tmp_path: Path) -> None:
    shutil.copytree(BROKEN / "unknown_key", tmp_path / "registry")
    result = cli(
        "generate",
        "--registry",
        "registry",
        "--output",
        "out",
        "--package",
        PACKAGE,
        "--diagnostic-format",
        "github",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("::")]
    assert lines == [
        "::error file=registry/registry.yaml,line=8,col=5,title=schema-unknown-key::"
        "unknown key `exampels` (hint: did you mean `examples`?)"
    ]


def test_warning_alone_passes_and_werror_fails(tmp_path: Path) -> None:
    shutil.copytree(BROKEN / "warning_only", tmp_path / "registry")
    plain = cli("check", "--registry", "registry", cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr
    assert "registry/empty.yaml: warning: the file is empty [file-empty]" in plain.stderr
    assert "0 error(s), 1 warning(s)" in plain.stderr

    strict = cli("check", "--registry", "registry", "--werror", cwd=tmp_path)
    assert strict.returncode == 1
    assert "[file-empty]" in strict.stderr

    quiet = cli("check", "--registry", "registry", "-q", cwd=tmp_path)
    assert quiet.returncode == 0
    assert quiet.stdout == "" and quiet.stderr == ""


def test_werror_generate_writes_nothing(tmp_path: Path) -> None:
    shutil.copytree(BROKEN / "warning_only", tmp_path / "registry")
    args = ["generate", "--registry", "registry", "--output", "out", "--package", PACKAGE]
    strict = cli(*args, "--werror", cwd=tmp_path)
    assert strict.returncode == 1
    assert not (tmp_path / "out").exists()
    assert cli(*args, cwd=tmp_path).returncode == 0
    assert (tmp_path / "out" / PACKAGE / "attributes" / "wheel_attributes.py").is_file()


# --- the tests' own runner -----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("generate", "--registry", "registry", "--output", "out", "--package", PACKAGE),
        ("check", "--registry", "broken"),
        ("check", "--registry", "broken", "--diagnostic-format", "json"),
        ("check", "--registry", "warned", "--werror"),
        ("resolve", "--registry", "registry", "--format", "yaml"),
        ("generate", "--no-such-option"),
        ("--version",),
    ],
    ids=["generate", "errors", "errors-json", "werror", "resolve", "usage-error", "version"],
)
def test_a_run_in_the_tests_process_ends_as_the_installed_command_does(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    """Most tests run the command line in their own process (`run_cli`): each run must end
    exactly as the command does in a process of its own, in exit code, stdout and stderr."""
    results = []
    for runner in (run_cli, run_installed_cli):
        project = tmp_path / runner.__name__
        shutil.copytree(SMALL, project / "registry")
        shutil.copytree(BROKEN / "unknown_ref", project / "broken")
        shutil.copytree(BROKEN / "warning_only", project / "warned")
        (project / "pyproject.toml").write_text("[project]\nname = 'someone-else'\n")
        results.append(runner(*args, cwd=project))
    in_process, installed = results
    assert in_process == installed
