"""Python names and literals from registry text.

Every function here turns arbitrary registry text into something that is safe in Python source:
an identifier that is not a keyword, or a string literal/comment that cannot end early. Names
follow the rules of `opentelemetry-semantic-conventions` so both packages agree name for name.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable, Mapping

_NON_IDENTIFIER = re.compile(r"[^0-9A-Za-z_]")
_SEGMENT_SPLIT = re.compile(r"[._\-\s]+")


def _identifier(text: str) -> str:
    name = _NON_IDENTIFIER.sub("_", text)
    if not name:
        return "_"
    if name[0].isdigit():
        name = "_" + name
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name += "_"
    return name


def constant_name(key: str) -> str:
    """`http.request.method` -> `HTTP_REQUEST_METHOD`."""
    return _identifier(key.upper().replace(".", "_"))


def function_name(key: str) -> str:
    """`http.server.request.duration` -> `http_server_request_duration`."""
    return _identifier(key.lower().replace(".", "_"))


def class_name(key: str) -> str:
    """`gen_ai.token.type` -> `GenAiTokenType`: each `.`/`_` piece gets a capital first letter."""
    pieces = [p for p in _SEGMENT_SPLIT.split(key) if p]
    name = "".join(p[0].upper() + p[1:] for p in pieces)
    return _identifier(name) if name else "_"


def module_name(namespace: str) -> str:
    """A root namespace as a module name prefix; dotless keys live in `other`."""
    if not namespace:
        return "other"
    name = _identifier(namespace.lower())
    return name.strip("_") or "other"


def disambiguate(names: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Give every (item id, wanted name) pair a unique name, in the order given.

    The first item keeps the wanted name; later ones get `_2`, `_3`, ... The caller orders the
    items so that the one that should win comes first, which keeps the result deterministic.
    """
    taken: set[str] = set()
    result: dict[str, str] = {}
    for item, wanted in names:
        name = wanted
        counter = 2
        while name in taken:
            name = f"{wanted}_{counter}"
            counter += 1
        taken.add(name)
        result[item] = name
    return result


def _escape_char(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def string_literal(text: str) -> str:
    """A double-quoted Python string literal with exactly the characters of `text`."""
    parts = ['"']
    for char in text:
        if char == "\\":
            parts.append("\\\\")
        elif char == '"':
            parts.append('\\"')
        elif char == "\n":
            parts.append("\\n")
        elif char == "\t":
            parts.append("\\t")
        elif not char.isprintable():
            parts.append(_escape_char(char))
        else:
            parts.append(char)
    parts.append('"')
    return "".join(parts)


def value_literal(value: object) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return f'float("{text}")' if text in ("inf", "-inf", "nan") else text
    return string_literal(str(value))


def docstring_literal(text: str) -> str:
    """A triple-quoted docstring whose content is `text`, whatever characters it holds."""
    body: list[str] = []
    for char in text.replace("\r\n", "\n"):
        if char == "\\":
            body.append("\\\\")
        elif char in "\n\t" or char.isprintable():
            body.append(char)
        else:
            body.append(_escape_char(char))
    escaped = "".join(body).replace('"""', '\\"\\"\\"')
    if escaped.endswith('"'):
        escaped = escaped[:-1] + '\\"'
    lines = [line.rstrip() for line in escaped.split("\n")]
    if len(lines) == 1:
        return f'"""{lines[0]}"""'
    return '"""' + "\n".join(lines) + '\n"""'


def comment_text(text: str) -> str:
    """Text for a `#` comment: one line, with anything unprintable escaped."""
    return "".join(c if c.isprintable() else _escape_char(c) for c in text)


def clean_sentence(text: str) -> str:
    """Trim whitespace and trailing full stops (the reference package's docstring style)."""
    return text.strip().rstrip(".").strip()


def lookup_renames(renames: Mapping[str, str], originals: Mapping[str, str]) -> list[str]:
    """Human-readable lines for the names that had to change to stay unique."""
    return [
        f"`{item}`: {originals[item]} -> {name}"
        for item, name in renames.items()
        if name != originals[item]
    ]
