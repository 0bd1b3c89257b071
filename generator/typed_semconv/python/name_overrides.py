"""Name overrides: the Python name a definition gets instead of the derived one, like weaver's
text maps.

Three layers, each over the one before: the defaults (which reproduce the names of the
`opentelemetry-semantic-conventions` package where its templates hard-code one), the registry's
own `annotations: {typed_semconv: {names: {<kind>: <name>}}}` on a definition, and the user's
`[tool.typed-semconv.names]` table. An overridden name is still claimed in its scope like any
other: if it is taken, it gets a `_2` and a `name-collision` warning.
"""

from __future__ import annotations

import keyword
from collections.abc import Iterable, Mapping
from typing import Any

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics, SourceLocation
from typed_semconv.model import Attribute, Group, GroupKind, Registry
from typed_semconv.options import NameOverride

# The kinds of names that can be overridden, by what names the definition: the key a kind is
# looked up by is an attribute key, a metric/event name, an entity type or a span id.
ATTRIBUTE_KINDS = ("attribute", "enum_class", "template_function", "setter_class", "setter_method")
GROUP_KINDS: Mapping[GroupKind, tuple[str, ...]] = {
    GroupKind.METRIC: ("metric", "metric_factory", "metric_class", "metric_attributes_type"),
    GroupKind.SPAN: (
        "span_class",
        "span_factory",
        "span_attributes_type",
        "span_attribute_update_type",
        "span_name_constant",
    ),
    GroupKind.EVENT: (
        "event_name_constant",
        "event_function",
        "event_body_type",
        "span_event_class",
        "span_event_method",
    ),
    GroupKind.ENTITY: ("entity_function", "entity_attributes_type"),
}
KINDS = frozenset((*ATTRIBUTE_KINDS, *(k for kinds in GROUP_KINDS.values() for k in kinds)))

# The reference package spells these with capitals its naming rule would not give.
DEFAULTS = (NameOverride("enum_class", "cpython.gc.generation", "CPythonGCGenerationValues"),)


def problem_with(kind: str, name: object) -> str | None:
    """Why (kind, name) cannot be an override, or None when it can."""
    if kind not in KINDS:
        return f"`{kind}` is not a kind of name (known: {', '.join(sorted(KINDS))})"
    if not isinstance(name, str) or not name.isidentifier() or not name.isascii():
        return f"`{name}` is not a Python identifier (ASCII letters, digits and `_`)"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return f"`{name}` is a Python keyword"
    return None


def name_overrides(
    registry: Registry, configured: Iterable[NameOverride], diagnostics: Diagnostics
) -> dict[tuple[str, str], str]:
    """(kind, item) -> name: the defaults, then the registry's annotations, then `configured`
    (checked when the configuration was read)."""
    table = {(o.kind, o.item): o.name for o in DEFAULTS}
    for attribute in registry.attributes:
        table.update(_annotated(attribute, attribute.key, ATTRIBUTE_KINDS, diagnostics))
    for group in registry.groups:
        kinds = GROUP_KINDS.get(group.kind)
        item = group.id if group.kind is GroupKind.SPAN else group.signal_name
        if kinds and item is not None and group.refines is None:
            table.update(_annotated(group, item, kinds, diagnostics))
    table.update({(o.kind, o.item): o.name for o in configured})
    return table


def _annotated(
    definition: Attribute | Group, item: str, kinds: tuple[str, ...], diagnostics: Diagnostics
) -> dict[tuple[str, str], str]:
    own = definition.annotations.get("typed_semconv")
    names: Any = own.get("names") if isinstance(own, Mapping) else None
    if names is None:
        return {}
    location = definition.location.at("annotations", "typed_semconv", "names")
    if not isinstance(names, Mapping):
        _report(diagnostics, "`names` must map kinds of names to Python names", location, kinds)
        return {}
    found = {}
    for kind, name in names.items():
        problem = problem_with(str(kind), name)
        if problem is None and kind not in kinds:
            problem = f"`{kind}` does not name this kind of definition"
        if problem is not None:
            _report(diagnostics, problem, location.at(str(kind)), kinds)
            continue
        found[(str(kind), item)] = str(name)
    return found


def _report(
    diagnostics: Diagnostics, problem: str, location: SourceLocation, kinds: tuple[str, ...]
) -> None:
    diagnostics.report(
        catalogue.NAME_OVERRIDE_INVALID,
        f"name override: {problem}",
        location,
        f"kinds of names of this definition: {', '.join(kinds)}",
    )
