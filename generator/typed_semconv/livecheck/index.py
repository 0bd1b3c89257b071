"""The resolved registry arranged for look-ups by name: built once, read for every sample."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from typed_semconv.check.span_naming import NamePiece, span_naming
from typed_semconv.diagnostics.core import Problem
from typed_semconv.model import Attribute, AttributeUse, Group, GroupKind, Registry


@dataclass(frozen=True)
class Requirement:
    """An attribute a signal asks for: its key, whether it is a template, and its level."""

    key: str
    is_template: bool
    level: str


@dataclass(frozen=True)
class SignalDefinition:
    """A metric, event or span of the registry, with what the checks need of it."""

    group: Group
    name: str
    requirements: tuple[Requirement, ...]
    keys: frozenset[str]


@dataclass(frozen=True)
class SpanDefinition(SignalDefinition):
    """A span definition; `static_name` or `pattern` when typed-semconv knows how it is named."""

    static_name: str | None = None
    pattern: tuple[NamePiece, ...] | None = None
    kind: str | None = None
    required: frozenset[str] = frozenset()

    @property
    def naming(self) -> str | None:
        """The naming rule, as a person writes it (None: the name is the caller's)."""
        if self.static_name is not None:
            return self.static_name
        if self.pattern is not None:
            return "".join(p.prefix + (f"{{{p.key}}}" if p.key else "") for p in self.pattern)
        return None


def render_name(pattern: Sequence[NamePiece], attributes: Mapping[str, Any]) -> str:
    """The name a pattern gives a span with these attributes, as the generated factories build
    it: an absent attribute is left out with the text before it."""
    parts = []
    for piece in pattern:
        if piece.key is None:
            parts.append(piece.prefix)
            continue
        value = attributes.get(piece.key)
        if value is None:
            continue
        text = str(list(value)) if isinstance(value, tuple) else str(value)
        parts.append(piece.prefix + text)
    return "".join(parts).strip()


def _requirements(uses: Sequence[AttributeUse]) -> tuple[Requirement, ...]:
    """Deprecated attributes are never asked for, whatever their level."""
    return tuple(
        Requirement(use.key, use.attribute.type.is_template, use.requirement_level.level)
        for use in uses
        if use.attribute.deprecation is None
    )


def _signal(group: Group, name: str) -> SignalDefinition:
    return SignalDefinition(
        group, name, _requirements(group.attributes), frozenset(u.key for u in group.attributes)
    )


def _span(group: Group) -> SpanDefinition:
    try:
        naming = span_naming(group)
        static_name, pattern = naming.static_name, naming.pattern
    except Problem:  # `check` reports it; the live check matches the span by its attributes
        static_name = pattern = None
    return SpanDefinition(
        group,
        group.id.removeprefix("span."),
        _requirements(group.attributes),
        frozenset(u.key for u in group.attributes),
        static_name=static_name,
        pattern=pattern,
        kind=group.span_kind.value if group.span_kind else None,
        required=frozenset(
            u.key
            for u in group.attributes
            if u.requirement_level.level == "required" and not u.attribute.type.is_template
        ),
    )


def _namespaces(key: str) -> list[str]:
    """`a.b.c` -> [`a`, `a.b`]: every namespace the key lives in."""
    parts = key.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts))]


@dataclass(frozen=True)
class RegistryIndex:
    attributes: Mapping[str, Attribute]
    templates: tuple[tuple[str, Attribute], ...]  # longest key first
    metrics: Mapping[str, SignalDefinition]
    events: Mapping[str, SignalDefinition]
    spans: tuple[SpanDefinition, ...]
    spans_by_static_name: Mapping[str, tuple[SpanDefinition, ...]]
    patterned_spans: tuple[SpanDefinition, ...]
    attribute_namespaces: frozenset[str]  # `illegal_namespace`: keys of live attributes
    known_namespaces: frozenset[str]  # `extends_namespace`: namespaces of registry attributes
    counted_attributes: frozenset[str]  # what registry coverage counts
    counted_metrics: frozenset[str]
    counted_events: frozenset[str]
    counted_spans: frozenset[str]

    def template_of(self, key: str) -> Attribute | None:
        """The longest template attribute `key` is an instance of (`<template>.<something>`)."""
        for template_key, attribute in self.templates:
            if (
                len(key) > len(template_key) + 1
                and key.startswith(template_key)
                and key[len(template_key)] == "."
            ):
                return attribute
        return None


def _used_by_project(registry: Registry) -> tuple[set[str], set[str]]:
    """Attribute keys and group ids of the project and of the dependency definitions it uses."""
    groups = {g.id for g in registry.groups if not g.from_dependency or g.imported}
    keys = {a.key for a in registry.attributes if not a.from_dependency}
    for group in registry.groups:
        if group.id in groups:
            keys.update(u.key for u in group.attributes)
    return keys, groups


def build_index(registry: Registry) -> RegistryIndex:
    attributes = {a.key: a for a in registry.attributes if not a.type.is_template}
    templates = sorted(
        ((a.key, a) for a in registry.attributes if a.type.is_template),
        key=lambda item: (-len(item[0]), item[0]),
    )
    metrics: dict[str, SignalDefinition] = {}
    events: dict[str, SignalDefinition] = {}
    spans: list[SpanDefinition] = []
    for group in sorted(registry.groups, key=lambda g: g.id):
        if group.kind is GroupKind.METRIC and group.signal_name:
            metrics.setdefault(group.signal_name, _signal(group, group.signal_name))
        elif group.kind is GroupKind.EVENT and group.signal_name:
            events.setdefault(group.signal_name, _signal(group, group.signal_name))
        elif group.kind is GroupKind.SPAN:
            spans.append(_span(group))
    by_static_name: dict[str, list[SpanDefinition]] = {}
    for span in spans:
        if span.static_name is not None:
            by_static_name.setdefault(span.static_name, []).append(span)
    used_keys, used_groups = _used_by_project(registry)
    live = [a for a in registry.attributes if a.deprecation is None]
    return RegistryIndex(
        attributes=attributes,
        templates=tuple(templates),
        metrics=metrics,
        events=events,
        spans=tuple(spans),
        spans_by_static_name={name: tuple(found) for name, found in by_static_name.items()},
        patterned_spans=tuple(s for s in spans if s.pattern is not None),
        attribute_namespaces=frozenset(a.key for a in live if not a.type.is_template),
        known_namespaces=frozenset(ns for a in registry.attributes for ns in _namespaces(a.key)),
        counted_attributes=frozenset(a.key for a in live if a.key in used_keys),
        counted_metrics=frozenset(
            name
            for name, m in metrics.items()
            if m.group.id in used_groups and m.group.deprecation is None
        ),
        counted_events=frozenset(
            name
            for name, e in events.items()
            if e.group.id in used_groups and e.group.deprecation is None
        ),
        counted_spans=frozenset(
            s.group.id for s in spans if s.group.id in used_groups and s.group.deprecation is None
        ),
    )
