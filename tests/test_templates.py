"""Templates as a public interface: `docs/templates.md` documents every field a template sees,
a failing `--templates` override is a located diagnostic (never an internal error), and the names
an override uses are reserved like those of the defaults."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from typed_semconv.python import view

from conftest import REPO, CliResult, run_cli

DOCS = REPO / "docs" / "templates.md"
DEFAULTS = REPO / "templates" / "python"
SMALL = REPO / "tests" / "fixtures" / "small"
VIEW_CLASSES = sorted(
    (name, cls)
    for name, cls in vars(view).items()
    if dataclasses.is_dataclass(cls) and cls.__module__ == view.__name__
)


def documented_fields() -> dict[str, set[str]]:
    """`### Class` sections of the docs and the names of the rows of their tables."""
    sections = re.split(r"^### (\w+)\n", DOCS.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return {
        title: set(re.findall(r"^\| `(\w+)` \|", body, flags=re.MULTILINE))
        for title, body in zip(sections[1::2], sections[2::2], strict=True)
    }


def test_every_object_a_template_sees_is_documented_field_by_field() -> None:
    documented = documented_fields()
    assert {name for name, _ in VIEW_CLASSES} == set(documented)
    for name, cls in VIEW_CLASSES:
        fields = {f.name for f in dataclasses.fields(cls)}
        properties = {k for k, v in vars(cls).items() if isinstance(v, property)}
        missing = fields - documented[name]
        stale = documented[name] - fields - properties
        assert not missing, f"{name}: fields not documented in docs/templates.md: {missing}"
        assert not stale, f"{name}: docs/templates.md documents fields that do not exist: {stale}"


def test_the_default_templates_use_every_field_of_the_view() -> None:
    """A field no default template prints is dead weight in a public interface."""
    text = "".join(path.read_text(encoding="utf-8") for path in DEFAULTS.glob("*.j2"))
    # The renderer, not a template, reads where a module goes and which template renders it.
    renderer_only = {("PyFixedModule", "template")}
    for name, cls in VIEW_CLASSES:
        for field in dataclasses.fields(cls):
            if field.name == "path" or (name, field.name) in renderer_only:
                continue
            assert re.search(rf"\.{field.name}\b", text), f"{name}.{field.name} is never used"


# --- errors in a user's template ------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(SMALL, tmp_path / "registry")
    (tmp_path / "templates").mkdir()
    return tmp_path


def generate(project: Path, *extra: str) -> CliResult:
    return run_cli(
        "generate", "--registry", "registry", "--output", "out", "--package", "pottery",
        "--templates", "templates", *extra, cwd=project,
    )  # fmt: skip


FAILING = {
    "zero division": ({"attributes.py.j2": "{{ module.header }}\n\n{{ 1 // 0 }}\n"}, 3),
    "wrong call": ({"metrics.py.j2": "x\n{{ def_line(0) }}\n"}, 2),
    "missing key": ({"spans.py.j2": '\n\n\n{{ {"a": 1}.pop("b") }}\n'}, 4),
    "unknown field": ({"attributes.py.j2": "x\ny\n{{ module.no_such_field }}\n"}, 3),
    "syntax": ({"attributes.py.j2": "{% for x in %}\n"}, 1),
}


@pytest.mark.parametrize("case", sorted(FAILING))
def test_an_error_in_a_user_template_is_a_located_diagnostic(project: Path, case: str) -> None:
    files, line = FAILING[case]
    for name, text in files.items():
        (project / "templates" / name).write_text(text, encoding="utf-8")
    result = generate(project)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    (name,) = files
    assert re.search(
        rf"^templates/{re.escape(name)}:{line}:1: error: .*\[template-error\]$",
        result.stderr,
        flags=re.MULTILINE,
    ), result.stderr
    assert not (project / "out").exists()


def test_an_error_in_an_included_template_points_at_the_included_file(project: Path) -> None:
    (project / "templates" / "attributes.py.j2").write_text('x\n{% include "part.j2" %}\n')
    (project / "templates" / "part.j2").write_text("a\nb\nc\n{{ 1 / 0 }}\n")
    result = generate(project)
    assert result.returncode == 1
    assert "templates/part.j2:4:1: error: rendering attributes.py.j2 failed: ZeroDivisionError" in (
        result.stderr
    ), result.stderr


# --- an override's own names are reserved -----------------------------------------------------


def test_a_name_a_user_template_uses_is_reserved(project: Path) -> None:
    """An override that imports `os` makes the template attribute `os` yield that name."""
    (project / "registry" / "os.yaml").write_text(
        "file_format: definition/2\n"
        "attributes:\n"
        "  - {key: os, type: 'template[string]', stability: development, brief: Like a module.}\n",
        encoding="utf-8",
    )
    default = (DEFAULTS / "attributes.py.j2").read_text(encoding="utf-8")
    (project / "templates" / "attributes.py.j2").write_text(
        default.replace(
            "{% for line in module.imports %}", "import os\n{% for line in module.imports %}"
        )
        + "\n\nSEPARATOR = os.sep\n",
        encoding="utf-8",
    )
    result = generate(project)
    assert result.returncode == 0, result.stderr
    assert re.search(
        r"^registry/os\.yaml:3:\d+: warning: template function `os` would be named `os`, a name "
        r"the generated code uses itself; named `os_2` instead \[name-collision\]$",
        result.stderr,
        flags=re.MULTILINE,
    ), result.stderr
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "from pottery.attributes.other_attributes import SEPARATOR, os_2\n"
            "assert SEPARATOR == '/' and os_2('x') == 'os.x'\n",
        ],
        cwd=project / "out",
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr
