"""Which characters a span, metric, event or entity name may hold.

ASCII always. Non-ASCII letters, marks and digits only where the definition opts in with
`annotations: {typed_semconv: {non_ascii_name: true}}`: such a letter can pass for an ASCII one
(a Cyrillic `\u0435` for the Latin `e`), so a registry says so where a reviewer sees it, one
definition at a time. Variants of ASCII characters (full-width or mathematical letters,
ligatures) stay refused even then: they are nothing but disguises.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

ANNOTATION = "typed_semconv"
NON_ASCII_NAME = "non_ascii_name"
OPT_IN = f"`annotations: {{{ANNOTATION}: {{{NON_ASCII_NAME}: true}}}}`"


def allows_non_ascii(annotations: Mapping[str, Any]) -> bool:
    own = annotations.get(ANNOTATION)
    return isinstance(own, Mapping) and own.get(NON_ASCII_NAME) is True


def ascii_variant(character: str) -> str | None:
    """The ASCII text a character is a mere variant of (full-width `t` -> `t`), else None."""
    plain = unicodedata.normalize("NFKC", character)
    return plain if plain.isascii() and plain != character else None


def character_allowed(character: str, opted_in: bool) -> bool:
    if character.isascii():
        return True
    return (
        opted_in
        and unicodedata.category(character)[0] in "LMN"
        and ascii_variant(character) is None
    )
