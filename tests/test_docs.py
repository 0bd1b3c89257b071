"""The pages made from the code are current: `docs/diagnostics.md` is the catalogue's reference,
and README's list of options is the option table's. Both are what `make docs` writes; a change to
the catalogue or the table without `make docs` fails here."""

from __future__ import annotations

import re

from typed_semconv.cli import reference as options_reference
from typed_semconv.cli.option_table import OPTIONS
from typed_semconv.diagnostics import reference as diagnostics_reference
from typed_semconv.diagnostics.catalogue import CATALOGUE

from conftest import REPO

DIAGNOSTICS_PAGE = REPO / "docs" / "diagnostics.md"
README = REPO / "README.md"
STALE = "stale: run `make docs` and commit the result"


def test_the_diagnostics_page_is_current() -> None:
    assert DIAGNOSTICS_PAGE.read_text(encoding="utf-8") == diagnostics_reference.markdown(), STALE


def test_the_diagnostics_page_lists_every_code_once_under_its_stage() -> None:
    page = diagnostics_reference.markdown()
    sections = re.split(r"^## ", page, flags=re.M)[1:]
    listed: dict[str, str] = {}
    for section in sections:
        title = section.splitlines()[0]
        for name in re.findall(r"^\| `([a-z0-9-]+)` \|", section, flags=re.M):
            assert name not in listed, name
            listed[name] = title
    assert set(listed) == {code.name for code in CATALOGUE}
    for code in CATALOGUE:
        assert listed[code.name] == diagnostics_reference.STAGE_TITLES[code.stage]
        row = next(line for line in page.splitlines() if line.startswith(f"| `{code.name}` |"))
        assert f"| {code.severity.value} |" in row


def test_readme_lists_the_options_of_the_table() -> None:
    readme = README.read_text(encoding="utf-8")
    assert options_reference.with_options(readme) == readme, STALE
    listed = options_reference.options_markdown()
    for option in OPTIONS:
        assert f"`{option.flag}" in listed and f"`{option.key} = " in listed, option.key


def test_the_options_list_replaces_only_what_is_between_its_markers() -> None:
    text = f"before\n{options_reference.BEGIN}\nold list\n{options_reference.END}\nafter\n"
    made = options_reference.with_options(text)
    assert made.startswith("before\n") and made.endswith("\nafter\n")
    assert "old list" not in made
    assert options_reference.with_options(made) == made
