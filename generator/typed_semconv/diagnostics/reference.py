"""`docs/diagnostics.md`, made from the catalogue: one table per stage (code, severity, meaning,
how to fix). `make docs` writes it; the test suite fails while the committed page is stale."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from typed_semconv.diagnostics.catalogue import CATALOGUE
from typed_semconv.diagnostics.core import Code

STAGE_TITLES = {
    "source": "Registry references: archives, git repositories, the cache",
    "file": "Registry folders, files and YAML",
    "schema": "The format of a file",
    "resolution": "Resolution: references, inheritance, dependencies",
    "validation": "Validation of the resolved registry",
    "naming": "The Python view: names of the generated package",
    "output": "Rendering and writing",
    "live-check": "The live check: telemetry a program emits",
    "upgrade": "Upgrading code to a new registry release",
}

INTRO = """\
# Diagnostics

<!-- Made by `make docs` from generator/typed_semconv/diagnostics/catalogue.py: edit that file,
not this page. -->

Every problem typed-semconv finds is printed with its place and a code:

```
registry/kiln.yaml:12:9: error: `ref: kiln.atmosphre` names no attribute [unknown-ref]
  hint: did you mean `kiln.atmosphere`?
```

An error stops the run with exit code 1 and leaves the previously generated package as it was; a
warning is printed and the run goes on, unless `--werror` makes warnings errors too.
`--diagnostic-format json` prints the same fields as a JSON list, and
`--diagnostic-format github` as GitHub Actions annotations.

Every code typed-semconv can print is listed below, by the stage of the run that reports it.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _stages(codes: Sequence[Code]) -> list[str]:
    """The stages in the order the run reaches them (the catalogue's order)."""
    return list(dict.fromkeys(code.stage for code in codes))


def markdown(codes: Sequence[Code] = CATALOGUE) -> str:
    parts = [INTRO]
    for stage in _stages(codes):
        parts.append(f"\n## {STAGE_TITLES.get(stage, stage)}\n\n")
        parts.append("| code | severity | meaning | how to fix |\n| --- | --- | --- | --- |\n")
        for code in codes:
            if code.stage == stage:
                parts.append(
                    f"| `{code.name}` | {code.severity.value} | {_cell(code.meaning)} "
                    f"| {_cell(code.fix)} |\n"
                )
    return "".join(parts)


def main(arguments: Sequence[str]) -> None:
    """`python -m typed_semconv.diagnostics.reference PATH`: write the page to PATH."""
    (target,) = arguments
    Path(target).write_text(markdown(), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
