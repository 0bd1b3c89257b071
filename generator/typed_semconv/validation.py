"""Checks on the resolved registry that go beyond the schema of a single file."""

from __future__ import annotations

import difflib
import re

from typed_semconv.diagnostics import Diagnostics
from typed_semconv.model import Attribute, Group, GroupKind, Registry
from typed_semconv.span_naming import (
    SPAN_KEYS,
    NamingError,
    is_low_cardinality,
    own_annotations,
    span_naming,
)

_ATTRIBUTE_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
_MEMBER_ID = re.compile(r"^[a-z0-9_.\-]+$", re.IGNORECASE)


def validate(registry: Registry, diagnostics: Diagnostics) -> None:
    keys = {attribute.key: attribute for attribute in registry.attributes}
    for attribute in registry.attributes:
        _check_name(attribute, keys, diagnostics)
        _check_members(attribute, diagnostics)
        deprecation = attribute.deprecation
        if deprecation and deprecation.renamed_to and deprecation.renamed_to not in keys:
            diagnostics.warning(
                "unknown-renamed-to",
                f"`{attribute.key}` is renamed to `{deprecation.renamed_to}`, "
                "which is not an attribute of the registry",
                attribute.location,
            )
    for group in registry.groups_of(GroupKind.SPAN):
        _check_span(group, diagnostics)


def _check_span(group: Group, diagnostics: Diagnostics) -> None:
    if group.span_kind is None:
        diagnostics.warning(
            "span-no-kind",
            f"span `{group.id}` has no kind; its factory will ask the caller for one",
            group.location,
            "add `span_kind:` (v1) or `kind:` (v2): client, server, producer, consumer or internal",
        )
    if not group.attributes:
        diagnostics.warning(
            "span-no-attributes",
            f"span `{group.id}` has no attributes",
            group.location,
            "reference the attributes the span records",
        )
    own = own_annotations(group.annotations)
    for key in sorted(set(own or ()) - SPAN_KEYS):
        diagnostics.warning(
            "annotation-unknown-key",
            f"unknown key `{key}` in `annotations.typed_semconv` of a span",
            group.location,
            f"known keys: {', '.join(sorted(SPAN_KEYS))}",
        )
    try:
        naming = span_naming(group)
    except NamingError as problem:
        diagnostics.error("span-name-invalid", problem.message, problem.location, problem.hint)
        return
    uses = {use.key: use for use in group.attributes}
    for piece in naming.pattern or ():
        if piece.key is None:
            continue
        use = uses.get(piece.key)
        if use is None:
            close = difflib.get_close_matches(piece.key, list(uses), n=1)
            diagnostics.error(
                "span-name-unknown-attribute",
                f"name pattern of span `{group.id}` uses `{piece.key}`, "
                "which is not an attribute of the span",
                naming.location,
                f"did you mean `{close[0]}`?" if close else "add the attribute to the span",
            )
        elif not is_low_cardinality(use):
            diagnostics.warning(
                "span-name-high-cardinality",
                f"name pattern of span `{group.id}` uses `{piece.key}`, which is not known to "
                "have few distinct values",
                naming.location,
                "use an enum attribute, or mark the attribute "
                "`annotations: {typed_semconv: {low_cardinality: true}}`",
            )


def _check_name(attribute: Attribute, keys: dict[str, Attribute], diagnostics: Diagnostics) -> None:
    key = attribute.key
    if not _ATTRIBUTE_NAME.match(key):
        diagnostics.error(
            "attribute-invalid-name",
            f"attribute name `{key}` breaks the naming rules",
            attribute.location,
            "use lowercase dot-separated namespaces and snake_case segments, "
            "e.g. `http.request.method`",
        )
        return
    parts = key.split(".")
    for end in range(1, len(parts)):
        namespace = ".".join(parts[:end])
        other = keys.get(namespace)
        if other is not None and other.deprecation is None and attribute.deprecation is None:
            diagnostics.error(
                "attribute-namespace-collision",
                f"`{namespace}` is an attribute and also the namespace of `{key}`",
                attribute.location,
                f"rename one of them, or deprecate `{namespace}` ({other.location})",
            )


def _check_members(attribute: Attribute, diagnostics: Diagnostics) -> None:
    members = attribute.type.members
    if not members:
        return
    seen: set[str] = set()
    for member in members:
        if member.id in seen:
            diagnostics.error(
                "enum-duplicate-member",
                f"enum `{attribute.key}` has member `{member.id}` twice",
                member.location,
                "give each member its own id",
            )
        seen.add(member.id)
        if not _MEMBER_ID.match(member.id):
            diagnostics.warning(
                "enum-member-invalid-id",
                f"enum member id `{member.id}` of `{attribute.key}` is not lowercase "
                "snake_case; its Python name is derived safely",
                member.location,
            )
