"""The expectation files of the data-driven resolution cases (tests/resolution/), shared by
`test_resolution_cases.py` (one registry each) and `test_dependency_cases.py` (a project and
the registries it depends on).

A case folder holds, beside its registries, what resolving it must give:
- `expected.json`: the resolved registry as `typed-semconv resolve --format json` prints it
  (only for a registry that resolves, perhaps with warnings);
- `expected-diagnostics.txt`: every diagnostic, as the command line prints them (path, line,
  column, severity, message, code and hint), for a case that has any.

After a deliberate change, `TYPED_SEMCONV_UPDATE_RESOLUTION=1` makes the tests rewrite these
files instead of comparing; review the diff against the rule each case proves
(tests/resolution/README.md).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from typed_semconv.diagnostics.core import Diagnostics
from typed_semconv.diagnostics.formats import format_text

CASES_DIR = Path(__file__).resolve().parent / "resolution"
UPDATE = os.environ.get("TYPED_SEMCONV_UPDATE_RESOLUTION", "") not in ("", "0")
EXPECTED = "expected.json"
EXPECTED_DIAGNOSTICS = "expected-diagnostics.txt"


def printed(diagnostics: Diagnostics) -> str:
    """The diagnostics as the command line prints them, one a line."""
    return "".join(format_text(d) + "\n" for d in diagnostics)


def expect(path: Path, actual: str | None) -> None:
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


def cases_without_rule(names: Iterable[str]) -> list[str]:
    """The cases tests/resolution/README.md does not name (it names the rule each proves)."""
    readme = (CASES_DIR / "README.md").read_text(encoding="utf-8")
    return [name for name in names if f"`{name}`" not in readme]
