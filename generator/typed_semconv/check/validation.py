"""Checks on the resolved registry that go beyond the schema of a single file."""

from __future__ import annotations

import math
import re

from typed_semconv.check.names import (
    NON_ASCII_NAME,
    OPT_IN,
    allows_non_ascii,
    ascii_variant,
    character_allowed,
)
from typed_semconv.check.span_naming import (
    SPAN_KEYS,
    SpanNamings,
    is_low_cardinality,
    name_spans,
    own_annotations,
)
from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics, SourceLocation
from typed_semconv.diagnostics.suggest import suggest
from typed_semconv.diagnostics.text import describe, is_hidden
from typed_semconv.load.yaml_reader import LocatedDict
from typed_semconv.model import Attribute, EnumMember, Group, GroupKind, Registry

_ATTRIBUTE_NAME = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")
_MEMBER_ID = re.compile(r"[a-z0-9_.\-]+", re.IGNORECASE)
# The instrument names OpenTelemetry's metrics API accepts; the SDK refuses any other name.
_METRIC_NAME = re.compile(r"[A-Za-z][-_./A-Za-z0-9]{0,254}")
_METRIC_UNIT = re.compile(r"[\x00-\x7F]{0,63}")  # as the metrics API checks it
_INT64 = range(-(2**63), 2**63)
_SIGNALS = (GroupKind.SPAN, GroupKind.METRIC, GroupKind.EVENT, GroupKind.ENTITY)


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
    for group in registry.groups:
        _check_signal_name(group, diagnostics)
        if group.kind is GroupKind.METRIC and group.refines is None:
            _check_metric_unit(group, diagnostics)
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
    known = SPAN_KEYS | {NON_ASCII_NAME}
    for key in sorted(set(own or ()) - known, key=str):
        diagnostics.report(
            catalogue.ANNOTATION_UNKNOWN_KEY,
            f"unknown key `{key}` in `annotations.typed_semconv` of a span",
            own.key_location(key) if isinstance(own, LocatedDict) else group.location,
            suggest(str(key), known) or f"known keys: {', '.join(sorted(known))}",
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
    if not _ATTRIBUTE_NAME.fullmatch(key):
        odd = next((c for c in key if not c.isascii() or is_hidden(c)), None)
        diagnostics.report(
            catalogue.ATTRIBUTE_INVALID_NAME,
            f"attribute name `{key}` breaks the naming rules"
            + (f": it holds {describe(odd)}" if odd else ""),
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
        _check_member_value(attribute, member, diagnostics)
        if not _MEMBER_ID.fullmatch(member.id):
            diagnostics.report(
                catalogue.ENUM_MEMBER_INVALID_ID,
                f"enum member id `{member.id}` of `{attribute.key}` is not lowercase "
                "snake_case; its Python name is derived safely",
                member.location.at("id"),
            )


def _check_member_value(attribute: Attribute, member: EnumMember, diagnostics: Diagnostics) -> None:
    value = member.value
    if isinstance(value, int) and not isinstance(value, bool) and value not in _INT64:
        diagnostics.report(
            catalogue.ENUM_VALUE_OUT_OF_RANGE,
            f"value {value} of member `{member.id}` of enum `{attribute.key}` is outside "
            "OpenTelemetry's signed 64-bit integer range",
            member.location.at("value"),
            f"use a value from {_INT64.start} to {_INT64.stop - 1}, or a string enum",
        )
    elif isinstance(value, float) and not math.isfinite(value):
        diagnostics.report(
            catalogue.ENUM_VALUE_NOT_FINITE,
            f"value {value} of member `{member.id}` of enum `{attribute.key}` is not a finite "
            "number",
            member.location.at("value"),
            "use a finite number"
            + (
                ": NaN equals no value, not even itself, so no recorded value could match it"
                if math.isnan(value)
                else ""
            ),
        )


def _name_location(group: Group) -> SourceLocation | None:
    """Where the name of a span, metric, event or entity is written; None for groups that
    have no name of their own (attribute groups, and refinements, which take their target's,
    except a span refinement, which is named by its id)."""
    location = group.location
    if group.kind not in _SIGNALS or group.signal_name is None:
        return None
    if "id" in location.keys:  # v1 groups and refinements
        if group.kind is GroupKind.SPAN:
            return location.at("id")
        if group.refines is not None:
            return None
        return location.at("metric_name" if group.kind is GroupKind.METRIC else "name")
    return location.at("type" if group.kind in (GroupKind.SPAN, GroupKind.ENTITY) else "name")


def _check_metric_unit(group: Group, diagnostics: Diagnostics) -> None:
    unit = group.unit or ""
    if _METRIC_UNIT.fullmatch(unit):
        return
    odd = next((c for c in unit if not c.isascii()), None)
    reason = f"holds {describe(odd)}" if odd is not None else f"is {len(unit)} characters long"
    diagnostics.report(
        catalogue.METRIC_UNIT_INVALID,
        f"the unit of metric `{group.signal_name}` {reason}; the metrics API accepts at most 63 "
        "ASCII characters, so the SDK would refuse to create the instrument",
        group.location.at("unit"),
        "write the unit in UCUM's ASCII form, e.g. `Cel`, `By` or `{request}`",
    )


def _check_signal_name(group: Group, diagnostics: Diagnostics) -> None:
    """A signal's name is code (a factory's name) and telemetry (what is sent): it may hold no
    invisible character, and no non-ASCII one that passes for ASCII unless the definition opts
    in; a metric's name must also be one OpenTelemetry's metrics API accepts."""
    location = _name_location(group)
    name = group.signal_name
    if location is None or name is None:
        return
    what = f"{group.kind.value} name `{name}`"
    plain = name.isascii() and name.isprintable()
    hidden = None if plain else next((c for c in name if is_hidden(c)), None)
    if hidden is not None:
        diagnostics.report(
            catalogue.SIGNAL_NAME_CONTROL_CHARACTER,
            f"{what} holds {describe(hidden)}, which does not show as itself",
            location,
            "remove the character; a name is plain, visible text",
        )
        return
    opted_in = allows_non_ascii(group.annotations) and group.kind is not GroupKind.METRIC
    odd = None if plain else next((c for c in name if not character_allowed(c, opted_in)), None)
    if odd is not None:
        variant = ascii_variant(odd)
        if group.kind is GroupKind.METRIC:
            message = f"{what} holds {describe(odd)}, which is not ASCII and can pass for it"
            hint = "write the name in ASCII: OpenTelemetry's metrics API accepts no other"
        elif not opted_in:
            message = f"{what} holds {describe(odd)}, which is not ASCII and can pass for it"
            hint = f"write the name in ASCII; if the character is meant, add {OPT_IN}"
        elif variant is not None:
            message = f"{what} holds {describe(odd)}, a variant of `{variant}`"
            hint = f"write `{variant}` instead"
        else:
            message = f"{what} holds {describe(odd)}, which is not a letter, mark or digit"
            hint = f"{NON_ASCII_NAME} allows non-ASCII letters, marks and digits only"
        diagnostics.report(catalogue.SIGNAL_NAME_NON_ASCII, message, location, hint)
        return
    if group.kind is GroupKind.METRIC and not _METRIC_NAME.fullmatch(name):
        diagnostics.report(
            catalogue.METRIC_NAME_INVALID,
            f"metric name `{name}` is not one OpenTelemetry's metrics API accepts, so the SDK "
            "would refuse to create the instrument",
            location,
            "start with an ASCII letter, then use at most 254 ASCII letters, digits, `_`, `.`, "
            "`-` or `/`",
        )
