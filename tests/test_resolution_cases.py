"""Resolution as weaver v0.25.1 does it, case by case (data-driven, like weaver's own tests).

Each folder of tests/resolution/ is one case: a small registry in `registry/`, and what
resolving it must give, written by this test and reviewed by hand:
- `expected.json`: the resolved registry as `typed-semconv resolve --format json` prints it
  (only for a registry that resolves, perhaps with warnings);
- `expected-diagnostics.txt`: every diagnostic, as the command line prints them (path, line,
  column, severity, message, code and hint), for a case that has any.

The case runs in-process, stage by stage: load, resolve, validate, export. After a deliberate
change, rewrite the expectations with
`TYPED_SEMCONV_UPDATE_RESOLUTION=1 .venv/bin/pytest tests/test_resolution_cases.py` and review
the diff against the rule each case proves (tests/resolution/README.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from typed_semconv.check.validation import validate
from typed_semconv.diagnostics.core import Diagnostics
from typed_semconv.diagnostics.formats import format_text
from typed_semconv.load.registry import load_registry
from typed_semconv.resolve.export import dump_registry
from typed_semconv.resolve.resolver import resolve

CASES = Path(__file__).resolve().parent / "resolution"
UPDATE = os.environ.get("TYPED_SEMCONV_UPDATE_RESOLUTION", "") not in ("", "0")
EXPECTED = "expected.json"
EXPECTED_DIAGNOSTICS = "expected-diagnostics.txt"


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "registry").is_dir())


def run_case() -> tuple[str | None, str]:
    """Resolve `registry/` of the working folder: the exported registry (None when there are
    errors) and the diagnostics as text."""
    diagnostics = Diagnostics()
    registry = resolve([load_registry(Path("registry"), diagnostics)], diagnostics)
    validate(registry, diagnostics)
    printed = "".join(format_text(d) + "\n" for d in diagnostics)
    exported = None if diagnostics.has_errors else dump_registry(registry, "json") + "\n"
    return exported, printed


def _expect(path: Path, actual: str | None) -> None:
    """Compare with the expectation file, or (in update mode) write or remove it."""
    if UPDATE:
        if actual:
            path.write_text(actual, encoding="utf-8")
        else:
            path.unlink(missing_ok=True)
        return
    if not actual:
        assert not path.exists(), f"{path.name} expects output that the case no longer gives"
        return
    assert path.exists(), (
        f"{path.parent.name} has no {path.name}; write it with TYPED_SEMCONV_UPDATE_RESOLUTION=1 "
        "and review it"
    )
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", case_names())
def test_resolution_case(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES / name
    monkeypatch.chdir(case)  # paths in the output are relative to the case folder
    exported, printed = run_case()
    _expect(case / EXPECTED_DIAGNOSTICS, printed)
    _expect(case / EXPECTED, exported)


def test_every_case_is_listed_with_its_rule() -> None:
    """tests/resolution/README.md names the rule each case proves."""
    readme = (CASES / "README.md").read_text(encoding="utf-8")
    missing = [name for name in case_names() if f"`{name}`" not in readme]
    assert not missing, f"cases without a rule in tests/resolution/README.md: {missing}"
