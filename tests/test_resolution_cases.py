"""Resolution as weaver v0.25.1 does it, case by case (data-driven, like weaver's own tests).

Each folder of tests/resolution/ with a `registry/` is one case: a small registry, and what
resolving it must give (`expected.json`, `expected-diagnostics.txt`: see `expectations`),
written by this test and reviewed by hand.

The case runs in-process, stage by stage: load, resolve, validate, export. After a deliberate
change, rewrite the expectations with
`TYPED_SEMCONV_UPDATE_RESOLUTION=1 .venv/bin/pytest tests/test_resolution_cases.py` and review
the diff against the rule each case proves (tests/resolution/README.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from typed_semconv.check.validation import validate
from typed_semconv.diagnostics.core import Diagnostics
from typed_semconv.load.registry import load_registry
from typed_semconv.resolve.export import dump_registry
from typed_semconv.resolve.resolver import resolve

from expectations import (
    CASES_DIR,
    EXPECTED,
    EXPECTED_DIAGNOSTICS,
    cases_without_rule,
    expect,
    printed,
)


def case_names() -> list[str]:
    return sorted(p.name for p in CASES_DIR.iterdir() if (p / "registry").is_dir())


def run_case() -> tuple[str | None, str]:
    """Resolve `registry/` of the working folder: the exported registry (None when there are
    errors) and the diagnostics as text."""
    diagnostics = Diagnostics()
    registry = resolve([load_registry(Path("registry"), diagnostics)], diagnostics)
    validate(registry, diagnostics)
    exported = None if diagnostics.has_errors else dump_registry(registry, "json") + "\n"
    return exported, printed(diagnostics)


@pytest.mark.parametrize("name", case_names())
def test_resolution_case(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES_DIR / name
    monkeypatch.chdir(case)  # paths in the output are relative to the case folder
    exported, diagnostics = run_case()
    expect(case / EXPECTED_DIAGNOSTICS, diagnostics)
    expect(case / EXPECTED, exported)


def test_every_case_is_listed_with_its_rule() -> None:
    """tests/resolution/README.md names the rule each case proves."""
    missing = cases_without_rule(case_names())
    assert not missing, f"cases without a rule in tests/resolution/README.md: {missing}"
