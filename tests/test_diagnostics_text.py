"""Registry text shown in diagnostics: every hidden character escaped, huge text shortened, and
the diagnostics' own formats built on it."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostic, SourceLocation
from typed_semconv.diagnostics.formats import format_github, format_json, format_text
from typed_semconv.diagnostics.text import MAX_SHOWN, describe, is_hidden, printable

# What a shortened text adds: `…[1,234,567 characters left out]…`.
MARKER_ROOM = 40


def test_plain_text_is_shown_as_it_is() -> None:
    text = "unknown key `stabilty` in café.yaml: 日本 🙂 (a \\x1b written out)"
    assert printable(text) == text


def test_hidden_characters_are_escaped() -> None:
    assert printable("a\x1b[2Jb") == r"a\x1b[2Jb"
    assert printable("line\nforged\r\ttab") == r"line\nforged\r\ttab"
    assert printable("\x00\x7f\x85") == r"\x00\x7f\x85"
    assert printable("bidi\u202eevil\u2066") == r"bidi\u202eevil\u2066"
    assert printable("zero\u200bwidth\ufeff") == r"zero\u200bwidth\ufeff"
    assert printable("nbsp\xa0ls\u2028") == r"nbsp\xa0ls\u2028"
    assert printable("tag\U000e0041 private\ue000 lone\ud800") == (
        r"tag\U000e0041 private\ue000 lone\ud800"
    )


def test_huge_text_keeps_its_start_and_end() -> None:
    text = "start " + "x" * 10_000 + " end"
    shown = printable(text)
    assert shown.startswith("start xxx") and shown.endswith("xxx end")
    assert "…[9,510 characters left out]…" in shown
    assert len(shown) <= MAX_SHOWN + MARKER_ROOM


def test_an_escape_is_never_cut_in_two() -> None:
    shown = printable("\x1b" * 1_000, limit=101)
    head, tail = shown.split("…")[0], shown.split("…")[-1]
    assert head == r"\x1b" * 12 and tail == r"\x1b" * 12


def test_describe_names_the_character() -> None:
    assert describe("\u0435") == "U+0435 CYRILLIC SMALL LETTER IE"
    assert describe("\x1b") == "U+001B"


@given(st.text(), st.integers(min_value=20, max_value=2_000))
def test_nothing_hidden_survives_and_the_length_is_bounded(text: str, limit: int) -> None:
    shown = printable(text, limit)
    assert not any(is_hidden(c) for c in shown)
    assert len(shown) <= limit + MARKER_ROOM
    if text.isprintable() and len(text) <= limit:
        assert shown == text


HOSTILE = Diagnostic(
    catalogue.SCHEMA_UNKNOWN_KEY,
    "unknown key `\x1b[31mred\u202e`",
    SourceLocation("registry/a\nb.yaml", 3, 5),
    "did you mean `x\ny`?",
)


def test_every_format_escapes_message_hint_and_path() -> None:
    text = format_text(HOSTILE)
    assert text == (
        r"registry/a\nb.yaml:3:5: error: unknown key `\x1b[31mred\u202e` [schema-unknown-key]"
        "\n"
        r"  hint: did you mean `x\ny`?"
    )
    github = format_github(HOSTILE)
    assert "\n" not in github and not any(is_hidden(c) for c in github)
    assert github.startswith(r"::error file=registry/a\nb.yaml,line=3,col=5,")
    [problem] = json.loads(format_json([HOSTILE]))
    assert problem["message"] == r"unknown key `\x1b[31mred\u202e`"
    assert problem["path"] == r"registry/a\nb.yaml"
    assert problem["hint"] == r"did you mean `x\ny`?"
    assert str(HOSTILE) == (
        r"unknown key `\x1b[31mred\u202e` [schema-unknown-key] (hint: did you mean `x\ny`?)"
    )
