"""Does a span name carry values? Span names must be low-cardinality: one name for every
request of a kind, the values in attributes. These patterns find what usually slips in."""

from __future__ import annotations

import re
from functools import lru_cache

_FINDERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a URL", re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)),
    ("an e-mail address", re.compile(r"[^\s@/:]+@[^\s@/:]+\.[a-z]{2,}", re.IGNORECASE)),
    (
        "a UUID",
        re.compile(r"\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b", re.I),
    ),
    ("an IP address", re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")),
    ("a query string", re.compile(r"\?[^\s=]+=")),
    ("a hexadecimal id", re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{16,}\b", re.I)),
)
# A number standing alone: a whole path segment, or a word of two digits or more.
_NUMBER = re.compile(r"(?:(?<=/)\d+(?=/|$|\s|\?))|(?:(?<![\w.])\d{2,}(?![\w.]))")
_SEPARATED_NUMBER = re.compile(r"(?<=[-_:#=])\d{2,}\b")


@lru_cache(maxsize=4096)
def high_cardinality_parts(name: str) -> tuple[str, ...]:
    """What in `name` looks like a value (a UUID, a number, ...), in a few words; () if none."""
    found: list[str] = []
    rest = name
    for label, pattern in _FINDERS:
        if pattern.search(rest):
            found.append(label)
            rest = pattern.sub(" ", rest)
    if _NUMBER.search(rest) or _SEPARATED_NUMBER.search(rest):
        found.append("a number")
    return tuple(found)
