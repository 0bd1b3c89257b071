"""Checks on the resolved registry that go beyond the schema of a single file."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from typed_semconv.diagnostics import Diagnostics
from typed_semconv.model import Attribute, EnumMember, Group, GroupKind, Registry
from typed_semconv.naming import member_name
from typed_semconv.span_naming import (
    SPAN_KEYS,
    NamingError,
    is_low_cardinality,
    own_annotations,
    span_naming,
)
from typed_semconv.yaml_source import LocatedDict

_ATTRIBUTE_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
_MEMBER_ID = re.compile(r"^[a-z0-9_.\-]+$", re.IGNORECASE)


def _suggest(name: str, candidates: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.7)
    return f"did you mean `{close[0]}`?" if close else None


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
                attribute.location.at("deprecated", "renamed_to"),
                _suggest(deprecation.renamed_to, (k for k in keys if k != attribute.key)),
            )
    spans = registry.groups_of(GroupKind.SPAN)
    names = {g.signal_name for g in spans if g.refines is None}
    for group in spans:
        if group.refines is not None and group.refines not in names:
            continue  # resolution reported the unknown target; kind and attributes are moot
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
    for key in sorted(set(own or ()) - SPAN_KEYS, key=str):
        close = difflib.get_close_matches(str(key), sorted(SPAN_KEYS), n=1)
        diagnostics.warning(
            "annotation-unknown-key",
            f"unknown key `{key}` in `annotations.typed_semconv` of a span",
            own.key_location(key) if isinstance(own, LocatedDict) else group.location,
            f"did you mean `{close[0]}`?"
            if close
            else f"known keys: {', '.join(sorted(SPAN_KEYS))}",
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
        elif use.attribute.code_generation_excluded:
            diagnostics.error(
                "span-name-excluded-attribute",
                f"name pattern of span `{group.id}` uses `{piece.key}`, which is excluded from "
                "code generation, so the span factory could not take it",
                naming.location,
                "remove `code_generation: {exclude: true}` from the attribute or leave it out "
                "of the pattern",
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
            diagnostics.error(
                "attribute-namespace-collision",
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
            diagnostics.error(
                "enum-duplicate-member",
                f"enum `{attribute.key}` has member `{member.id}` twice",
                member.location.at("id"),
                f"first written at {first.location.at('id')}; give each member its own id",
            )
            continue
        seen[member.id] = member
        if not _MEMBER_ID.match(member.id):
            diagnostics.warning(
                "enum-member-invalid-id",
                f"enum member id `{member.id}` of `{attribute.key}` is not lowercase "
                "snake_case; its Python name is derived safely",
                member.location.at("id"),
            )
    # The generated enum names members as naming.member_name does; the member that ranks first
    # (not deprecated, then by id: the order python_view uses) keeps the name, later ones get a
    # `_2`, `_3`... suffix, which a reader would not expect. A deprecated member that yields its
    # name to its replacement (`azure_vm` renamed to `azure.vm`) is the expected case: no warning.
    named: dict[str, EnumMember] = {}
    for member in sorted(seen.values(), key=lambda m: (m.deprecation is not None, m.id)):
        name = member_name(member.id)
        winner = named.get(name)
        if winner is None:
            named[name] = member
            continue
        if member.deprecation is not None and winner.deprecation is None:
            continue
        diagnostics.warning(
            "enum-member-collision",
            f"enum member `{member.id}` of `{attribute.key}` has the same Python name "
            f"`{name}` as member `{winner.id}`",
            member.location.at("id"),
            f"`{winner.id}` is at {winner.location.at('id')}; give the members ids that differ "
            "in more than `.`, `_` or other punctuation",
        )
