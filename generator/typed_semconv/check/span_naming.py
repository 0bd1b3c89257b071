"""How a span is named: a static name, a pattern over its own attributes, or a caller's name.

typed-semconv's own data lives under `annotations.typed_semconv` so registry files stay valid for
weaver. A span that carries that mapping is one of the project's own spans:

- `span_name: <name>` sets its static name;
- `name_pattern: "{http.request.method} {http.route}"` builds the name from its attributes
  (the equivalent of `otel.name` in Rust's tracing-opentelemetry);
- with neither, the static name is the span id without its `span.` prefix.

A span without it (OpenTelemetry's spans, whose naming rules are prose) gets no static name, and
its factory asks the caller for one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from typed_semconv.check.names import ANNOTATION, allows_non_ascii, character_allowed
from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Problem, SourceLocation
from typed_semconv.load.yaml_reader import LocatedDict
from typed_semconv.model import AttributeUse, Group

# `names`: the span's name overrides (see `python/name_overrides.py`).
SPAN_KEYS = frozenset({"span_name", "name_pattern", "names"})
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_STATIC_NAME = re.compile(r"[A-Za-z0-9_.:/\- ]{1,200}")


@dataclass(frozen=True)
class NamePiece:
    """Literal text followed by the value of an attribute (`key` None: trailing text)."""

    prefix: str
    key: str | None


@dataclass(frozen=True)
class SpanNaming:
    static_name: str | None
    pattern: tuple[NamePiece, ...] | None
    location: SourceLocation

    @property
    def needs_caller_name(self) -> bool:
        return self.static_name is None and self.pattern is None


@dataclass(frozen=True)
class SpanNamings:
    """The naming of every span, decided once (by `name_spans`) and read by every later step.

    A span whose naming annotation is invalid has no naming, only the problem to report.
    """

    namings: Mapping[str, SpanNaming]
    problems: Mapping[str, Problem]

    def of(self, group: Group) -> SpanNaming | None:
        return self.namings.get(group.id)


def name_spans(groups: Iterable[Group]) -> SpanNamings:
    """The naming of each span of `groups`, by group id."""
    namings: dict[str, SpanNaming] = {}
    problems: dict[str, Problem] = {}
    for group in groups:
        try:
            namings[group.id] = span_naming(group)
        except Problem as problem:
            problems[group.id] = problem
    return SpanNamings(namings, problems)


def span_stem(group: Group) -> str:
    """What a span is called in the registry: its type (v2), or its id without `span.` (v1)."""
    return group.signal_name or group.id.removeprefix("span.")


def own_annotations(annotations: Mapping[str, Any]) -> Mapping[str, Any] | None:
    value = annotations.get(ANNOTATION)
    return value if isinstance(value, Mapping) else None


def is_low_cardinality(use: AttributeUse) -> bool:
    """Enums and attributes annotated `typed_semconv: {low_cardinality: true}` are safe in names."""
    if use.attribute.type.is_enum:
        return True
    own = own_annotations(use.attribute.annotations)
    return bool(own and own.get("low_cardinality") is True)


def parse_pattern(text: str, location: SourceLocation) -> tuple[NamePiece, ...]:
    pieces: list[NamePiece] = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        prefix = text[position : match.start()]
        if "{" in prefix or "}" in prefix:
            raise Problem(
                catalogue.SPAN_NAME_INVALID, f"unbalanced brace in name pattern `{text}`", location
            )
        key = match.group(1).strip()
        if not key:
            raise Problem(
                catalogue.SPAN_NAME_INVALID, f"empty `{{}}` in name pattern `{text}`", location
            )
        pieces.append(NamePiece(prefix, key))
        position = match.end()
    rest = text[position:]
    if "{" in rest or "}" in rest:
        raise Problem(
            catalogue.SPAN_NAME_INVALID, f"unbalanced brace in name pattern `{text}`", location
        )
    if not pieces:
        raise Problem(
            catalogue.SPAN_NAME_INVALID,
            f"name pattern `{text}` uses no attribute",
            location,
            "use `span_name` for a fixed name, or put attribute keys in braces",
        )
    if rest:
        pieces.append(NamePiece(rest, None))
    return tuple(pieces)


def span_naming(group: Group) -> SpanNaming:
    """The naming of a span; raises Problem for an invalid annotation."""
    own = own_annotations(group.annotations)
    location = group.location
    if own is None:
        return SpanNaming(None, None, location)
    if isinstance(own, LocatedDict):
        location = own.location
    static = own.get("span_name")
    pattern = own.get("name_pattern")
    if static is not None and pattern is not None:
        raise Problem(
            catalogue.SPAN_NAME_INVALID,
            f"span `{group.id}` sets both `span_name` and `name_pattern`",
            location,
            "keep one of them",
        )
    if pattern is not None:
        where = own.key_location("name_pattern") if isinstance(own, LocatedDict) else location
        if not isinstance(pattern, str):
            raise Problem(catalogue.SPAN_NAME_INVALID, "`name_pattern` must be a string", where)
        return SpanNaming(None, parse_pattern(pattern, where), where)
    if static is None:
        static = span_stem(group)
    where = own.key_location("span_name") if isinstance(own, LocatedDict) else location
    if not isinstance(static, str) or not _is_static_name(static, group):
        raise Problem(
            catalogue.SPAN_NAME_INVALID,
            f"span name {static!r} is not a short static name",
            where,
            "use letters, digits and `._-/: ` only; put values in `name_pattern` instead",
        )
    return SpanNaming(static, None, where)


def _is_static_name(name: str, group: Group) -> bool:
    """Short and printable; non-ASCII letters only where the span opts in (see `names`)."""
    if name.isascii() or not allows_non_ascii(group.annotations):
        return _STATIC_NAME.fullmatch(name) is not None
    return len(name) <= 200 and all(
        _STATIC_NAME.fullmatch(c) if c.isascii() else character_allowed(c, True) for c in name
    )
