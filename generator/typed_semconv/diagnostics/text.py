"""Registry text as diagnostics show it: invisible characters escaped, huge values shortened.

A diagnostic quotes names, keys and values written in a registry, and a registry may be hostile:
an escape sequence (`\\x1b[2J`) would rewrite the terminal, a newline would forge a diagnostic
line of its own, and a bidirectional override (U+202E) or a zero-width character would make the
text read differently from what it is. Every output format passes its text through `printable`.
"""

from __future__ import annotations

import unicodedata

# Longer text keeps its start and end; what lies between is counted instead of shown.
MAX_SHOWN = 500


def is_hidden(character: str) -> bool:
    """Whether a character does not show as itself: controls (C0, DEL, C1), format characters
    (bidirectional controls, zero-width characters, the BOM), separators other than the plain
    space, surrogates, private-use and unassigned code points (Python's "not printable")."""
    return not character.isprintable()


_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape(character: str) -> str:
    """`\\n`, `\\x1b`, `\\u202e` or `\\U000e0041`: the character as a Python string literal
    writes it."""
    short = _SHORT_ESCAPES.get(character)
    if short is not None:
        return short
    point = ord(character)
    if point < 0x100:
        return f"\\x{point:02x}"
    if point < 0x10000:
        return f"\\u{point:04x}"
    return f"\\U{point:08x}"


def describe(character: str) -> str:
    """`U+0435 CYRILLIC SMALL LETTER IE`: a character named so that no one can mistake it."""
    name = unicodedata.name(character, "")
    return f"U+{ord(character):04X}" + (f" {name}" if name else "")


def printable(text: str, limit: int = MAX_SHOWN) -> str:
    """`text` with every hidden character escaped, and at most about `limit` characters long."""
    if text.isprintable() and len(text) <= limit:
        return text
    pieces = [escape(c) if is_hidden(c) else c for c in text]
    if sum(len(p) for p in pieces) <= limit:
        return "".join(pieces)
    head = _take(pieces, limit // 2)
    tail = _take(pieces[::-1], limit // 2)[::-1]
    left_out = len(pieces) - len(head) - len(tail)
    return f"{''.join(head)}…[{left_out:,} characters left out]…{''.join(tail)}"


def _take(pieces: list[str], budget: int) -> list[str]:
    """The leading pieces whose total length fits the budget (an escape is never cut)."""
    taken: list[str] = []
    for piece in pieces:
        budget -= len(piece)
        if budget < 0:
            break
        taken.append(piece)
    return taken
