"""Black's layout for the few statement shapes the default templates emit.

Rendering already in black's style lets generation skip black for almost every module: black is
the slowest stage by far (about 90 % of a full run). `formatting.needs_black` sends any module with
a line these rules do not cover through black, and a test checks that black leaves the default
templates' output unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

LINE_LENGTH = 100
_SIMPLE_CALL = re.compile(r"^([A-Za-z_][A-Za-z0-9_.]*)\((.*)\)$", re.DOTALL)


def width(text: str) -> int:
    """Display width as black measures it: wide East Asian characters count twice."""
    if text.isascii():
        return len(text)
    total = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


def fits(line: str) -> bool:
    return width(line) <= LINE_LENGTH


def _bracketed(indent: int, head: str, items: Sequence[str], tail: str) -> str:
    """`head(items)tail` on one line; else the items on one line of their own after `(`; else
    one item per line with a trailing comma: black's right-hand split of a bracket."""
    pad = " " * indent
    joined = ", ".join(items)
    line = f"{pad}{head}({joined}){tail}"
    if fits(line):
        return line
    body = f"{pad}    {joined}"
    if fits(body):
        return f"{pad}{head}(\n{body}\n{pad}){tail}"
    exploded = "".join(f"{pad}    {item},\n" for item in items)
    return f"{pad}{head}(\n{exploded}{pad}){tail}"


def def_line(indent: int, name: str, params: Sequence[str], returns: str) -> str:
    """`def name(params) -> returns:`, split the way black does when too long."""
    return _bracketed(indent, f"def {name}", params, f" -> {returns}:")


def class_line(indent: int, name: str, bases: Sequence[str]) -> str:
    """`class name(bases):`, split the way black does when too long."""
    return _bracketed(indent, f"class {name}", bases, ":")


def call_line(indent: int, callee: str, argument: str) -> str:
    """`callee(argument)` with one atom argument (a decorator, a NewType call)."""
    pad = " " * indent
    line = f"{pad}{callee}({argument})"
    if fits(line):
        return line
    return f"{pad}{callee}(\n{pad}    {argument}\n{pad})"


def assign_line(indent: int, target: str, value: str) -> str:
    """`target = value` for an atom or a one-argument call, as black lays it out.

    Too long for one line: a call is split inside its brackets when `target = callee(` fits;
    otherwise the value is wrapped in parentheses, which black does for an annotated or
    subscripted target even when the value still does not fit, and for a plain name only when
    it does. Any other case stays on one line, and `formatting.needs_black` catches it.
    """
    pad = " " * indent
    line = f"{pad}{target} = {value}"
    if fits(line):
        return line
    call = _SIMPLE_CALL.match(value)
    if call and fits(f"{pad}{target} = {call.group(1)}("):
        return f"{pad}{target} = {call.group(1)}(\n{pad}    {call.group(2)}\n{pad})"
    wraps_anyway = ":" in target or "[" in target
    if fits(f"{pad}{target} = (") and (wraps_anyway or fits(f"{pad}    {value}")):
        return f"{pad}{target} = (\n{pad}    {value}\n{pad})"
    return line


def parameter_line(indent: int, name: str, annotation: str, default: str | None = None) -> str:
    """One parameter of an exploded signature; black parenthesizes a long annotation."""
    pad = " " * indent
    tail = f" = {default}," if default is not None else ","
    line = f"{pad}{name}: {annotation}{tail}"
    if fits(line) or not fits(f"{pad}    {annotation}"):
        return line
    return f"{pad}{name}: (\n{pad}    {annotation}\n{pad}){tail}"


def subscript_entry_line(indent: int, key: str, wrapper: str, inner: str) -> str:
    """`key: Wrapper[inner],` in an exploded dict; black splits inside the subscript."""
    pad = " " * indent
    line = f"{pad}{key}: {wrapper}[{inner}],"
    if fits(line):
        return line
    return f"{pad}{key}: {wrapper}[\n{pad}    {inner}\n{pad}],"


def entry_line(indent: int, key: str, value: str) -> str:
    """`key: value,` in an exploded dict; a call too long for one line is split inside its
    brackets, as black does."""
    pad = " " * indent
    line = f"{pad}{key}: {value},"
    if fits(line):
        return line
    call = _SIMPLE_CALL.match(value)
    if call and fits(f"{pad}{key}: {call.group(1)}("):
        return f"{pad}{key}: {call.group(1)}(\n{pad}    {call.group(2)}\n{pad}),"
    return line


def update_from_items_line(indent: int, target: str, prefix: str, mapping: str) -> str:
    """`target.update({prefix + k: v for k, v in mapping.items()})` in black's layout."""
    pad = " " * indent
    comprehension = f"{{{prefix} + k: v for k, v in {mapping}.items()}}"
    line = f"{pad}{target}.update({comprehension})"
    if fits(line):
        return line
    if fits(f"{pad}    {comprehension}"):
        return f"{pad}{target}.update(\n{pad}    {comprehension}\n{pad})"
    inner = " " * (indent + 8)
    return (
        f"{pad}{target}.update(\n{pad}    {{\n{inner}{prefix} + k: v\n"
        f"{inner}for k, v in {mapping}.items()\n{pad}    }}\n{pad})"
    )
