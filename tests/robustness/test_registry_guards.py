"""The guards of reading a registry folder that the other robustness tests do not reach: a file
that cannot be read even by root, and the checks of `load_registry` itself, which the command
line never gets to (it reports a missing registry as `source-not-found` before loading)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from robustness_support import Project, assert_clean_failure, generated_small

from typed_semconv.diagnostics.core import Diagnostics
from typed_semconv.load import registry as registry_loading
from typed_semconv.load.discovery import read_at_most


@pytest.fixture
def project(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Project:
    return Project(tmp_path / "project", generated_small(tmp_path_factory.getbasetemp()))


def codes(diagnostics: Diagnostics) -> list[str]:
    return [d.code.name for d in diagnostics]


def test_a_dangling_link_is_unreadable(project: Project) -> None:
    """A registry file that vanished (here a link to nothing) cannot be opened, as root too."""
    os.symlink("gone.yaml", project.registry / "ghost.yaml")

    run = project.generate()

    assert_clean_failure(run)
    (diag,) = run.diagnostics
    assert (diag.code, diag.path, diag.severity) == (
        "file-unreadable",
        "registry/ghost.yaml",
        "error",
    )
    assert "No such file" in diag.message
    project.assert_output_untouched()


def test_a_missing_folder(tmp_path: Path) -> None:
    diagnostics = Diagnostics()
    loaded = registry_loading.load_registry(tmp_path / "nowhere", diagnostics)
    assert codes(diagnostics) == ["registry-not-found"]
    assert "nowhere" in next(iter(diagnostics)).message
    assert (loaded.attributes, loaded.groups) == ((), ())


def test_a_file_not_a_folder(tmp_path: Path) -> None:
    file = tmp_path / "registry.yaml"
    file.write_text("groups: []\n")
    diagnostics = Diagnostics()
    registry_loading.load_registry(file, diagnostics)
    assert codes(diagnostics) == ["registry-not-a-folder"]


@pytest.mark.parametrize(
    ("size_when_checked", "content", "expected"),
    [
        (5, b"abcde", b"abcde"),  # as checked
        (5, b"abc", b"abc"),  # shrank meanwhile
        (5, b"abcdefgh", b"abcdefgh"),  # grew meanwhile, still within the limit: read whole
        (5, b"abcdefghijklmnop", b"abcdefghijk"),  # grew past the limit: limit + 1, no more
        (10, b"abcdefghijklmnop", b"abcdefghijk"),
    ],
)
def test_a_file_is_read_to_its_checked_size_and_on_to_the_limit_if_it_grew(
    size_when_checked: int, content: bytes, expected: bytes
) -> None:
    read = read_at_most(io.BufferedReader(io.BytesIO(content)), size_when_checked, limit=10)
    assert read == expected
