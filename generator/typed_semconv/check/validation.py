"""Checks on the resolved registry that go beyond the schema of a single file."""

from __future__ import annotations

import re

from typed_semconv.check.span_naming import (
    SPAN_KEYS,
    SpanNamings,
    is_low_cardinality,
    name_spans,
    own_annotations,
)
from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics
from typed_semconv.diagnostics.suggest import suggest
from typed_semconv.load.yaml_reader import LocatedDict
from typed_semconv.model import Attribute, EnumMember, Group, GroupKind, Registry

_ATTRIBUTE_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
_MEMBER_ID = re.compile(r"^[a-z0-9_.\-]+$", re.IGNORECASE)


def validate(registry: Registry, diagnostics: Diagnostics) -> SpanNamings:
    """Report what is wrong beyond single files; returns how each span is named."""
    keys = {attribute.key: attribute for attribute in registry.attributes}
    for attribute in registry.attributes:
        _check_name(attribute, keys, diagnostics)
        _check_members(attribute, diagnostics)
        deprecation = attribute.deprecation
        if deprecation and deprecation.renamed_to and deprecation.renamed_to not in keys:
            diagnostics.report(
                catalogue.UNKNOWN_RENAMED_TO,
                f"`{attribute.key}` is renamed to `{deprecation.renamed_to}`, "
                "which is not an attribute of the registry",
                attribute.location.at("deprecated", "renamed_to"),
                suggest(deprecation.renamed_to, (k for k in keys if k != attribute.key)),
            )
    spans = registry.groups_of(GroupKind.SPAN)
    namings = name_spans(spans)
    names = {g.signal_name for g in spans if g.refines is None}
    for group in spans:
        if group.refines is not None and group.refines not in names:
            continue  # resolution reported the unknown target; kind and attributes are moot
        _check_span(group, namings, diagnostics)
    return namings


def _check_span(group: Group, namings: SpanNamings, diagnostics: Diagnostics) -> None:
    if group.span_kind is None:
        diagnostics.report(
            catalogue.SPAN_NO_KIND,
            f"span `{group.id}` has no kind; its factory will ask the caller for one",
            group.location,
            "add `span_kind:` (v1) or `kind:` (v2): client, server, producer, consumer or internal",
        )
    if not group.attributes:
        diagnostics.report(
            catalogue.SPAN_NO_ATTRIBUTES,
            f"span `{group.id}` has no attributes",
            group.location,
            "reference the attributes the span records",
        )
    own = own_annotations(group.annotations)
    for key in sorted(set(own or ()) - SPAN_KEYS, key=str):
        diagnostics.report(
            catalogue.ANNOTATION_UNKNOWN_KEY,
            f"unknown key `{key}` in `annotations.typed_semconv` of a span",
            own.key_location(key) if isinstance(own, LocatedDict) else group.location,
            suggest(str(key), SPAN_KEYS) or f"known keys: {', '.join(sorted(SPAN_KEYS))}",
        )
    problem = namings.problems.get(group.id)
    if problem is not None:
        diagnostics.add(problem.diagnostic)
    naming = namings.of(group)
    if naming is None:
        return
    uses = {use.key: use for use in group.attributes}
    for piece in naming.pattern or ():
        if piece.key is None:
            continue
        use = uses.get(piece.key)
        if use is None:
            diagnostics.report(
                catalogue.SPAN_NAME_UNKNOWN_ATTRIBUTE,
                f"name pattern of span `{group.id}` uses `{piece.key}`, "
                "which is not an attribute of the span",
                naming.location,
                suggest(piece.key, uses) or "add the attribute to the span",
            )
        elif use.attribute.code_generation_excluded:
            diagnostics.report(
                catalogue.SPAN_NAME_EXCLUDED_ATTRIBUTE,
                f"name pattern of span `{group.id}` uses `{piece.key}`, which is excluded from "
                "code generation, so the span factory could not take it",
                naming.location,
                "remove `code_generation: {exclude: true}` from the attribute or leave it out "
                "of the pattern",
            )
        elif not is_low_cardinality(use):
            diagnostics.report(
                catalogue.SPAN_NAME_HIGH_CARDINALITY,
                f"name pattern of span `{group.id}` uses `{piece.key}`, which is not known to "
                "have few distinct values",
                naming.location,
                "use an enum attribute, or mark the attribute "
                "`annotations: {typed_semconv: {low_cardinality: true}}`",
            )


def _check_name(attribute: Attribute, keys: dict[str, Attribute], diagnostics: Diagnostics) -> None:
    key = attribute.key
    if not _ATTRIBUTE_NAME.match(key):
        diagnostics.report(
            catalogue.ATTRIBUTE_INVALID_NAME,
            f"attribute name `{key}` breaks the naming rules",
            attribute.location.first_of("id", "key"),
            "use lowercase dot-separated namespaces and snake_case segments, "
            "e.g. `http.request.method`",
        )
        return
    parts = key.split(".")
    for end in range(1, len(parts)):
        namespace = ".".join(parts[:end])
        other = keys.get(namespace)
        if other is not None and other.deprecation is None and attribute.deprecation is None:
            diagnostics.report(
                catalogue.ATTRIBUTE_NAMESPACE_COLLISION,
                f"`{namespace}` is an attribute and also the namespace of `{key}`",
                attribute.location.first_of("id", "key"),
                f"rename one of them, or deprecate `{namespace}` "
                f"({other.location.first_of('id', 'key')})",
            )


def _check_members(attribute: Attribute, diagnostics: Diagnostics) -> None:
    members = attribute.type.members
    if not members:
        return
    seen: dict[str, EnumMember] = {}
    for member in members:
        first = seen.get(member.id)
        if first is not None:
            diagnostics.report(
                catalogue.ENUM_DUPLICATE_MEMBER,
                f"enum `{attribute.key}` has member `{member.id}` twice",
                member.location.at("id"),
                f"first written at {first.location.at('id')}; give each member its own id",
            )
            continue
        seen[member.id] = member
        if not _MEMBER_ID.match(member.id):
            diagnostics.report(
                catalogue.ENUM_MEMBER_INVALID_ID,
                f"enum member id `{member.id}` of `{attribute.key}` is not lowercase "
                "snake_case; its Python name is derived safely",
                member.location.at("id"),
            )
