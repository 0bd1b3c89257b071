"""Property tests for `typed_semconv.naming`: whatever text a registry holds, the names and
literals it becomes are valid, safe Python that means exactly that text.

Text comes from all of Unicode (lone surrogates included), mixed with fragments that are known to
be awkward in Python source. Examples are derandomized so every run checks the same inputs.
"""

from __future__ import annotations

import ast
import io
import keyword
import math
import re
import tokenize
import warnings
from collections.abc import Callable

from hypothesis import example, given, settings
from hypothesis import strategies as st

from typed_semconv.python import naming

# Every code point, surrogates included (hypothesis leaves category Cs out by default).
ANY_CHAR = st.characters(exclude_categories=())

# Pieces that have broken string literals, docstrings, comments or names somewhere.
# fmt: off
AWKWARD = (
    '"', '"""', "'", "'''", "\\", "\\\\", "\n", "\r", "\r\n", "\t", " ", "\x00", "\x0b", "\x0c",
    "\x85", "\u2028", "\u2029", "\ufeff", "\u202e", "\ud800", "\U0001f680", "é", "日本",
    "#", "{{", "}}", "{%", "%}", "coding:", "coding=", "-*- coding: latin-1 -*-", "\x0coding:",
    "_", "__", ".", "-", "0", "1", "class", "match", "case", "type", "None", "true", "lambda",
    "_missing_", "__init__", "N{BULLET}", "x41",
)
# fmt: on
TEXT = st.one_of(
    st.text(ANY_CHAR),
    st.lists(st.one_of(st.sampled_from(AWKWARD), st.text(ANY_CHAR, max_size=2))).map("".join),
)
SOFT_KEYWORDS = {"_", "case", "match", "type", *keyword.softkwlist}

# Twice the profile's examples: 200 in the full run.
DETERMINISTIC = settings(
    derandomize=True, database=None, deadline=None, max_examples=2 * settings.default.max_examples
)


def _compile_strict(source: str, mode: str = "exec") -> None:
    """Compile as Python would from a UTF-8 file; any warning (bad escape...) is an error."""
    data = source.encode("utf-8")  # raises on a lone surrogate left in the source
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compile(data, "<generated>", mode, dont_inherit=True)


def _tokens(source: str) -> list[tokenize.TokenInfo]:
    return list(tokenize.generate_tokens(io.StringIO(source).readline))


# --- string literals --------------------------------------------------------------------------


@DETERMINISTIC
@given(TEXT)
@example('ends with a quote"')
@example("C:\\path\\")
@example("\ud800\udfff")
def test_string_literal_is_one_line_and_evaluates_to_the_text(text: str) -> None:
    literal = naming.string_literal(text)
    _compile_strict(literal, "eval")
    _compile_strict(f"x = {literal}\n")
    assert ast.literal_eval(literal) == text
    assert len(literal.splitlines()) == 1  # no line break of any kind in the source
    strings = [t for t in _tokens(literal) if t.type == tokenize.STRING]
    assert [t.string for t in strings] == [literal]  # one token: nothing escapes it


# --- docstrings -------------------------------------------------------------------------------


def _check_docstring_value(text: str, value: str) -> None:
    """`value` is `text` (CRLF read as LF) with, at most, trailing whitespace cut from lines."""
    lines = text.replace("\r\n", "\n").split("\n")
    if len(lines) > 1:
        assert value.endswith("\n"), "a multi-line docstring closes on its own line"
        value = value[:-1]
    got = value.split("\n")
    assert len(got) == len(lines)
    for kept, original in zip(got, lines, strict=True):
        assert original.startswith(kept)
        cut = original[len(kept) :]
        assert cut == "" or cut.isspace(), (kept, original)


@DETERMINISTIC
@given(TEXT)
@example('text that ends with triple quotes """')
@example('a quote and a space at the end" ')
@example('ends with an escaped quote \\"')
@example('""""')
@example("last line\nends with a backslash \\")
@example("")
def test_docstring_literal_keeps_the_text(text: str) -> None:
    literal = naming.docstring_literal(text)
    _compile_strict(literal + "\n")
    value = ast.literal_eval(literal)
    _check_docstring_value(text, value)
    assert ast.get_docstring(ast.parse(literal), clean=False) == value
    # Only `\n` breaks lines in the source, so an indenting template (Jinja's `indent`, which
    # splits with `str.splitlines`) changes nothing but the indentation.
    assert literal.splitlines() == literal.split("\n")


@DETERMINISTIC
@given(TEXT)
@example('in a class: ends with """')
def test_docstring_literal_survives_indentation_in_a_class_body(text: str) -> None:
    literal = naming.docstring_literal(text)
    first, *rest = literal.split("\n")
    indented = "\n".join([first, *("    " + line if line else line for line in rest)])
    _compile_strict(f"class C:\n    {indented}\n    X = 1\n")


# --- comments ---------------------------------------------------------------------------------

_COOKIE = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.ASCII)


@DETERMINISTIC
@given(TEXT)
@example("https://example.invalid/?coding=rot13")
@example("-*- coding: latin-1 -*-")
@example("\x0coding:ascii")
@example("line\nraise SystemExit(3)")
def test_comment_text_stays_one_comment_line(text: str) -> None:
    comment = "# " + naming.comment_text(text)
    assert len(comment.splitlines()) == 1
    assert "\n" not in comment and "\r" not in comment
    tokens = _tokens(comment + "\n")
    assert [t.string for t in tokens if t.type == tokenize.COMMENT] == [comment]
    assert {t.type for t in tokens} <= {tokenize.COMMENT, tokenize.NL, tokenize.ENDMARKER}
    # As the first line of a UTF-8 file it must not declare another source encoding.
    assert _COOKIE.match(comment) is None
    source = f"{comment}\n# second line\nVALUE = 'café 日本 🚀'\n"
    namespace: dict[str, object] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        exec(compile(source.encode("utf-8"), "<header>", "exec", dont_inherit=True), namespace)
    assert namespace["VALUE"] == "café 日本 🚀"


# --- names ------------------------------------------------------------------------------------

NAME_FUNCTIONS: list[Callable[[str], str]] = [
    naming.constant_name,
    naming.member_name,
    naming.class_name,
    naming.function_name,
    naming.module_name,
]


def _assert_safe_identifier(name: str) -> None:
    assert name.isidentifier(), name
    assert name.isascii(), name
    assert not keyword.iskeyword(name), name
    assert name not in SOFT_KEYWORDS, name


@DETERMINISTIC
@given(TEXT)
@example("")
@example("_")
@example("1.")
@example("9lives")
@example("class")
@example("None")
@example("match")
@example("type")
@example("日本")
def test_names_are_identifiers_and_never_keywords(text: str) -> None:
    for function in NAME_FUNCTIONS:
        name = function(text)
        _assert_safe_identifier(name)
        assert function(text) == name  # deterministic


@DETERMINISTIC
@given(TEXT)
@example("_missing_")
@example("__init__")
@example("__secret")
@example("1.")
@example("-x-")
@example("")
def test_member_names_are_real_enum_members(text: str) -> None:
    """`enum` reserves `_x_` names and hides `__x__` and `__x` ones; a member must stay a member."""
    for name in (naming.member_name(text), naming.constant_name(text)):
        namespace: dict[str, object] = {}
        exec(f"import enum\nclass E(str, enum.Enum):\n    {name} = 'v'\n", namespace)
        members = namespace["E"].__members__  # type: ignore[attr-defined]
        assert list(members) == [name]


def test_names_of_typical_keys() -> None:
    assert naming.constant_name("http.request.method") == "HTTP_REQUEST_METHOD"
    assert naming.function_name("http.server.request.duration") == "http_server_request_duration"
    assert naming.class_name("gen_ai.token.type") == "GenAiTokenType"
    assert naming.module_name("http") == "http"
    assert naming.module_name("") == "other"
    assert naming.constant_name("1st") == "_1ST"
    assert naming.function_name("lambda") == "lambda_"
    assert naming.class_name("none") == "None_"


# --- disambiguate -----------------------------------------------------------------------------

WANTED = st.one_of(
    st.sampled_from(["A", "A_2", "A_2_2", "A_3", "B", "B_2", "_", "x"]),
    TEXT.map(naming.constant_name),
)
PAIRS = st.lists(st.tuples(TEXT, WANTED), unique_by=lambda pair: pair[0], max_size=30)


@DETERMINISTIC
@given(PAIRS)
@example([("a.b", "A_B"), ("a_b", "A_B"), ("a.b_2", "A_B_2")])
def test_disambiguate_gives_unique_names_deterministically(pairs: list[tuple[str, str]]) -> None:
    result = naming.disambiguate(pairs)
    assert list(result) == [item for item, _ in pairs]
    assert len(set(result.values())) == len(result)
    assert naming.disambiguate(list(pairs)) == result
    if pairs:
        first_item, first_wanted = pairs[0]
        assert result[first_item] == first_wanted
    taken: set[str] = set()
    for item, wanted in pairs:
        name = result[item]
        if wanted in taken:
            suffix = name.removeprefix(wanted + "_")
            assert name.startswith(wanted + "_") and suffix.isdigit() and int(suffix) >= 2
        else:
            assert name == wanted  # a free name is never changed
        taken.add(name)
        if wanted.isidentifier():
            assert name.isidentifier()


@DETERMINISTIC
@given(PAIRS, st.lists(WANTED, max_size=5))
def test_disambiguate_never_hands_out_a_reserved_name(
    pairs: list[tuple[str, str]], reserved: list[str]
) -> None:
    result = naming.disambiguate(pairs, reserved)
    assert not set(result.values()) & set(reserved)
    assert len(set(result.values())) == len(result)


# --- values -----------------------------------------------------------------------------------

VALUES = st.one_of(
    st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), TEXT
)


@DETERMINISTIC
@given(VALUES)
def test_value_literal_evaluates_to_the_value(value: object) -> None:
    literal = naming.value_literal(value)
    _compile_strict(literal, "eval")
    result = eval(literal, {"__builtins__": {}, "float": float})
    assert type(result) is type(value)
    if isinstance(value, float) and math.isnan(value):
        assert math.isnan(result)
    else:
        assert result == value
