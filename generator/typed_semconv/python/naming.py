"""Python names and literals from registry text.

Every function here turns arbitrary registry text into something that is safe in Python source:
an identifier that is not a keyword, or a string literal/comment that cannot end early. Names
follow the rules of `opentelemetry-semantic-conventions` so both packages agree name for name.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Collection, Iterable, Sequence

_NON_IDENTIFIER = re.compile(r"[^0-9A-Za-z_]")
_SEGMENT_SPLIT = re.compile(r"[._\-\s]+")


# Soft keywords of every Python version we generate for (3.12 added `type`), so that names do
# not depend on the interpreter that runs the generator.
_SOFT_KEYWORDS = frozenset({"_", "case", "match", "type", *keyword.softkwlist})
_PLACEHOLDER = "_EMPTY"


def _is_sunder(name: str) -> bool:
    """`_X_`: a name `enum` reserves (a member named so makes the class definition fail)."""
    return len(name) > 2 and name[0] == name[-1] == "_" and name[1] != "_" and name[-2] != "_"


def _identifier(text: str) -> str:
    """An ASCII identifier that is no (soft) keyword and is safe as an enum member name.

    A leading `__` is reduced to `_` (it would be name-mangled in a class body, and `__X__` is
    not an enum member); a `_X_` name gets one more `_` (enum reserves those names).
    """
    name = _NON_IDENTIFIER.sub("_", text)
    if not name.strip("_"):
        return _PLACEHOLDER
    if name[0].isdigit():
        name = "_" + name
    elif name.startswith("__"):
        name = "_" + name.lstrip("_")
    if _is_sunder(name):
        name += "_"
    if keyword.iskeyword(name) or name in _SOFT_KEYWORDS:
        name += "_"
    return name


def constant_name(key: str) -> str:
    """`http.request.method` -> `HTTP_REQUEST_METHOD`."""
    return _identifier(key.upper().replace(".", "_"))


def member_name(member_id: str) -> str:
    """`azure.vm` -> `AZURE_VM`; never a name `Enum` treats specially (`_x_`, `__x`)."""
    name = constant_name(member_id)
    return "V" + name if name.startswith("_") else name


def function_name(key: str) -> str:
    """`http.server.request.duration` -> `http_server_request_duration`."""
    return _identifier(key.lower().replace(".", "_"))


def class_name(key: str) -> str:
    """`gen_ai.token.type` -> `GenAiTokenType`: each `.`/`_` piece gets a capital first letter."""
    pieces = [p for p in _SEGMENT_SPLIT.split(key) if p]
    return _identifier("".join(p[0].upper() + p[1:] for p in pieces))


def module_name(namespace: str) -> str:
    """A root namespace as a module name prefix; dotless keys live in `other`.

    Surrounding `_` are dropped; the result is itself a valid identifier and no keyword
    (`class` -> `class_`, `9x` -> `_9x`).
    """
    name = _NON_IDENTIFIER.sub("_", namespace.lower()).strip("_")
    return _identifier(name) if name else "other"


def disambiguate(names: Iterable[tuple[str, str]], reserved: Iterable[str] = ()) -> dict[str, str]:
    """Give every (item id, wanted name) pair a unique name, in the order given.

    The first item keeps the wanted name; later ones, and any that would take a `reserved`
    name, get `_2`, `_3`, ... The caller orders the items so that the one that should win comes
    first, which keeps the result deterministic.
    """
    taken: set[str] = set(reserved)
    result: dict[str, str] = {}
    for item, wanted in names:
        name = free_name(wanted, taken)
        taken.add(name)
        result[item] = name
    return result


def free_name(wanted: str, taken: Collection[str]) -> str:
    """`wanted` when it is not taken, else the first of `wanted_2`, `wanted_3`... that is not."""
    name = wanted
    counter = 2
    while name in taken:
        name = f"{wanted}_{counter}"
        counter += 1
    return name


def _escape_char(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _escape_unprintable(match: re.Match[str]) -> str:
    char = match.group(0)
    return char if char.isprintable() else _escape_char(char)


# Characters that may need escaping: anything outside printable ASCII, plus `\` and `"`.
_STRING_SPECIAL = re.compile(r'[^\x20-\x7e]|[\\"]')
_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"}


def _string_char(match: re.Match[str]) -> str:
    char = match.group(0)
    escaped = _STRING_ESCAPES.get(char)
    if escaped is not None:
        return escaped
    return char if char.isprintable() else _escape_char(char)


def string_literal(text: str) -> str:
    """A double-quoted Python string literal with exactly the characters of `text`."""
    return '"' + _STRING_SPECIAL.sub(_string_char, text) + '"'


def value_literal(value: object) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return f'float("{text}")' if text in ("inf", "-inf", "nan") else text
    return string_literal(str(value))


# Characters a docstring may need to escape: anything but printable ASCII, newline and tab.
_DOC_SPECIAL = re.compile(r"[^\x20-\x7e\n\t]")


def docstring_literal(text: str) -> str:
    """A triple-quoted docstring whose content is `text`, whatever characters it holds."""
    body = text.replace("\r\n", "\n").replace("\\", "\\\\")
    if not body.isascii() or not body.replace("\n", "").replace("\t", "").isprintable():
        body = _DOC_SPECIAL.sub(_escape_unprintable, body)
    escaped = body.replace('"""', '\\"\\"\\"')
    lines = [line.rstrip() for line in escaped.split("\n")]
    if len(lines) == 1:
        # A final `"` would run into the closing quotes; escape it (unless it already is).
        line = lines[0]
        if line.endswith('"') and not _escaped_at_end(line):
            line = line[:-1] + '\\"'
        return f'"""{line}"""'
    return '"""' + "\n".join(lines) + '\n"""'


def _escaped_at_end(text: str) -> bool:
    """Whether the last character of `text` is escaped by an odd run of backslashes."""
    body = text[:-1]
    return (len(body) - len(body.rstrip("\\"))) % 2 == 1


# PEP 263: `coding:`/`coding=` in a comment on line 1 or 2 sets the encoding of the source file.
_CODING_COOKIE = re.compile(r"(?<=coding)[:=]")


def comment_text(text: str) -> str:
    """Text for a `#` comment: one line, with anything unprintable escaped.

    The `:`/`=` after `coding` is escaped too, so that registry text in a header comment can
    never declare the encoding of the generated file.
    """
    escaped = "".join(c if c.isprintable() else _escape_char(c) for c in text)
    return _CODING_COOKIE.sub(lambda match: _escape_char(match.group()), escaped)


def clean_sentence(text: str) -> str:
    """Trim whitespace and trailing full stops (the reference package's docstring style)."""
    return text.strip().rstrip(".").strip()


def import_block(*groups: Sequence[str], indent: int = 0) -> tuple[str, ...]:
    """Import lines, groups separated by an empty line (isort's layout), long ones exploded.

    Lines are given without indentation; `indent` is where the template will print them.
    """
    lines: list[str] = []
    for group in groups:
        if group:
            wrapped = [_wrap_import(line, indent) for line in sorted(group)]
            lines.extend([""] * bool(lines) + wrapped)
    return tuple(lines)


def _wrap_import(line: str, indent: int) -> str:
    """`from x import a, b` longer than the line limit, in black's one-name-per-line form."""
    if indent + len(line) <= 100 or " import " not in line:
        return line
    head, names = line.split(" import ", 1)
    pad = " " * indent
    body = "".join(f"{pad}    {name.strip()},\n" for name in names.split(","))
    return f"{head} import (\n{body}{pad})"
