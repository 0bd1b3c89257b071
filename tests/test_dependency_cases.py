"""Registry dependencies as weaver v0.25.1 resolves them, case by case: `tests/resolution/
dependencies-*/` (the rule each case proves is in tests/resolution/README.md).

A case folder holds small registries written for it: `main/` is the project, the other
folders are what it depends on, directly or not. Beside them, as for the other resolution cases
(`tests/test_resolution_cases.py`), what resolving `main` must give (see `expectations`):
`expected.json` is what `typed-semconv resolve --format json --registry main` prints in the
case folder.

Unlike those single-registry cases, these run the whole pipeline of the command line
(`load_resolved`: fetch, the dependency graph, load, resolve, validate), in-process, in the case
folder, with a fresh cache. After a deliberate change rewrite the expectations with
`TYPED_SEMCONV_UPDATE_RESOLUTION=1 .venv/bin/pytest tests/test_dependency_cases.py` and review
the diff against the rule of each case.

Each case that resolves also checks the cheap look of the unchanged-input check
(`dependency_folders`): it covers every folder the full load read. A case whose dependency
graph is wrong (a cycle, a version conflict, a registry without schema URL) makes the cheap look
answer that it cannot judge, so that the run does a full load and reports it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from typed_semconv.diagnostics.core import Diagnostics, InputError
from typed_semconv.load.dependencies import dependency_folders, load_graph
from typed_semconv.options import RegistrySpec, SourceOptions
from typed_semconv.pipeline import load_resolved
from typed_semconv.resolve.export import dump_registry

from conftest import run_cli
from expectations import (
    CASES_DIR,
    EXPECTED,
    EXPECTED_DIAGNOSTICS,
    cases_without_rule,
    expect,
    printed,
)

CASES = sorted(p.name for p in CASES_DIR.glob("dependencies-*") if (p / "main").is_dir())
GRAPH_CODES = {
    "dependency-cycle",
    "dependency-version-conflict",
    "dependency-no-schema-url",
    "dependency-outside-archive",
    "dependency-no-path",
    "dependency-too-deep",
    "dependency-too-many",
}


def run_case(cache: Path) -> tuple[str | None, str, Diagnostics]:
    """Resolve `main` of the working folder as the command line does: the exported registry
    (None when there are errors), the diagnostics as text, and the diagnostics."""
    diagnostics = Diagnostics()
    try:
        registry = load_resolved(
            [RegistrySpec("main")], SourceOptions(cache_dir=cache), diagnostics
        )
    except InputError:
        registry = None
    exported = None if registry is None else dump_registry(registry, "json") + "\n"
    return exported, printed(diagnostics), diagnostics


@pytest.mark.parametrize("name", CASES)
def test_dependency_case(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES_DIR / name
    monkeypatch.chdir(case)  # paths in the output are relative to the case folder
    exported, text, diagnostics = run_case(tmp_path / "cache")
    expect(case / EXPECTED_DIAGNOSTICS, text)
    expect(case / EXPECTED, exported)
    options = SourceOptions(cache_dir=tmp_path / "cache")
    if exported is not None:
        assert_cheap_look_covers_full_load(options)
    elif {d.code.name for d in diagnostics} & GRAPH_CODES:
        assert dependency_folders([Path("main")], options) is None


def assert_cheap_look_covers_full_load(options: SourceOptions) -> None:
    """Every folder the full load read is among the cheap look's, which reads no folder
    outside the case."""
    cheap = dependency_folders([Path("main")], options)
    assert cheap is not None
    cheap_folders = {os.path.realpath(p) for p in cheap}
    loaded = load_graph([Path("main")], options, Diagnostics())
    read = {os.path.realpath(r.source.root) for r in loaded if not r.is_project}
    assert read
    assert read <= cheap_folders
    case = os.path.realpath(".")
    assert all(os.path.commonpath([case, folder]) == case for folder in cheap_folders)


def test_the_command_line_prints_what_the_cases_expect(tmp_path: Path) -> None:
    """The in-process run is the command line's: `resolve` prints `expected.json` exactly and
    `check` prints `expected-diagnostics.txt`."""
    case = CASES_DIR / "dependencies-published-registry"
    result = run_cli(
        "resolve", "--format", "json", "--registry", "main", "--cache-dir", tmp_path, cwd=case
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == (case / EXPECTED).read_text(encoding="utf-8")
    case = CASES_DIR / "dependencies-cycle"
    result = run_cli("check", "--registry", "main", "--cache-dir", tmp_path, cwd=case)
    assert result.returncode == 1
    assert (case / EXPECTED_DIAGNOSTICS).read_text(encoding="utf-8") in result.stderr


def test_every_case_is_listed_with_its_rule() -> None:
    missing = cases_without_rule(CASES)
    assert not missing, f"cases without a rule in tests/resolution/README.md: {missing}"
