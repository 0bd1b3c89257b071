"""The span modules: for each span a typed factory, a wrapper class and TypedDicts, plus the
setter mixins its attributes share, one module per root namespace of the span names."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from typed_semconv.check.span_naming import SpanNaming, SpanNamings, span_stem
from typed_semconv.diagnostics import catalogue
from typed_semconv.model import AttributeUse, Group, Registry
from typed_semconv.python import naming
from typed_semconv.python.context import Context, EnumClass, group_location
from typed_semconv.python.namer import Namer, Wanted, by_precedence
from typed_semconv.python.selection import signal_name
from typed_semconv.python.span_events import SpanEvents, span_event
from typed_semconv.python.span_factories import SpanNames, span
from typed_semconv.python.span_imports import span_imports
from typed_semconv.python.span_setters import setter
from typed_semconv.python.span_types import ValueTypes
from typed_semconv.python.view import PySpansModule

Named = tuple[Group, SpanNaming]


def span_modules(
    context: Context,
    registry: Registry,
    namings: SpanNamings,
    enum_classes: Mapping[str, EnumClass],
) -> tuple[tuple[PySpansModule, ...], dict[str, tuple[str, str]]]:
    """The modules, and the module path and factory of each span's group id."""
    events = SpanEvents(context, registry)
    by_module: dict[str, list[Named]] = defaultdict(list)
    for group in registry.groups:
        span_naming = namings.of(group)
        if not context.selection.span(group) or span_naming is None:
            continue  # a span whose naming is invalid was reported by validation
        kept = context.selection.kept_uses(group)
        if not _pattern_attributes_kept(context, group, span_naming, {u.key for u in kept}):
            continue
        stem = span_stem(group)
        namespace = stem.split(".", 1)[0] if "." in stem else ""
        by_module[naming.module_name(namespace)].append(
            (replace(group, attributes=kept), span_naming)
        )
    modules = []
    factories: dict[str, tuple[str, str]] = {}
    for name in sorted(by_module):
        module = _module(context, name, by_module[name], enum_classes, events)
        modules.append(module)
        ids = sorted(group.id for group, _ in by_module[name])  # the order of `module.spans`
        factories.update(
            (i, (module.path, s.factory)) for i, s in zip(ids, module.spans, strict=True)
        )
    return tuple(modules), factories


def _pattern_attributes_kept(
    context: Context, group: Group, span_naming: SpanNaming, kept: set[str]
) -> bool:
    """A name pattern needs its attributes: report one the options leave out."""
    missing = sorted({p.key for p in span_naming.pattern or () if p.key is not None} - kept)
    for key in missing:
        context.diagnostics.report(
            catalogue.SPAN_NAME_FILTERED_ATTRIBUTE,
            f"the name pattern of span `{group.id}` uses `{key}`, which the generation "
            "options leave out (--stable-only, --exclude-deprecated or --exclude-namespace)",
            span_naming.location,
            "keep that attribute, or give the span a static `span_name`",
        )
    return not missing


def _module(
    context: Context,
    module: str,
    spans: Sequence[Named],
    enum_classes: Mapping[str, EnumClass],
    events: SpanEvents,
) -> PySpansModule:
    groups = [group for group, _ in spans]
    namer = context.namer(context.vocabulary.spans_module)
    names = _span_names(namer, groups)
    listed = {group.id: events.of(group) for group in groups}
    uses: dict[str, AttributeUse] = {}
    for group in groups:
        for use in group.attributes:
            uses.setdefault(use.key, use)
    # Event attributes take enum classes too, but get no setter.
    typed_uses = dict(uses)
    for event in {e.id: e for found in listed.values() for e in found}.values():
        for use in event.attributes:
            typed_uses.setdefault(use.key, use)
    keys = sorted(uses)

    def wanted(name: Callable[[str], str], among: Sequence[str] = keys) -> list[Wanted]:
        return [Wanted(k, name(k), uses[k].attribute.location.first_of("id", "key")) for k in among]

    # The spans' public names come first; setter mixins yield to them, and the enum classes
    # (imported from the attribute modules) yield to everything the module defines.
    setter_classes = namer.claim("setter class", wanted(lambda k: "Sets" + naming.class_name(k)))
    event_groups = sorted(
        {e.id: e for found in listed.values() for e in found}.values(), key=signal_name
    )
    event_classes = namer.claim(
        "span event class",
        [
            Wanted(signal_name(e), f"Adds{naming.class_name(signal_name(e))}Event", e.location)
            for e in event_groups
        ],
    )
    enums = [enum_classes[k] for k in sorted(typed_uses) if k in enum_classes]
    enum_names = namer.claim(
        "imported enum class",
        [
            Wanted(
                e.key,
                e.class_name,
                typed_uses[e.key].attribute.location.first_of("id", "key"),
            )
            for e in enums
        ],
    )
    class_scope = context.namer(context.vocabulary.span_class)
    methods = class_scope.claim("setter method", wanted(lambda k: "set_" + naming.function_name(k)))
    event_methods = class_scope.claim(
        "span event method",
        [
            Wanted(signal_name(e), f"add_{naming.function_name(signal_name(e))}_event", e.location)
            for e in event_groups
        ],
    )
    types = ValueTypes(enum_names, context.closed_enums)
    event_bases = {
        group.id: tuple(event_classes[signal_name(e)] for e in listed[group.id]) for group in groups
    }
    py_spans = tuple(
        span(
            context,
            group,
            span_naming,
            replace(
                names[group.id],
                bases=tuple(setter_classes[u.key] for u in sorted(group.attributes, key=_key))
                + event_bases[group.id],
            ),
            types,
        )
        for group, span_naming in sorted(spans, key=lambda named: named[0].id)
    )
    span_events = tuple(
        span_event(context, e, event_classes[signal_name(e)], event_methods[signal_name(e)], types)
        for e in event_groups
    )
    runtime_imports, typing_imports = span_imports(py_spans, span_events, enums, enum_names)
    return PySpansModule(
        path=f"spans/{module}_spans.py",
        header=context.header,
        docstring=naming.docstring_literal(f"Span factories of the `{module}` namespace."),
        imports=runtime_imports,
        typing_imports=typing_imports,
        setters=tuple(setter(uses[k], setter_classes[k], methods[k], types) for k in keys),
        span_events=span_events,
        spans=py_spans,
    )


def _span_names(namer: Namer, groups: Sequence[Group]) -> dict[str, SpanNames]:
    """The module-level names of each span (bases are filled in by the module)."""
    ranked = by_precedence(groups, lambda g: g.id)
    stems = {g.id: span_stem(g) for g in ranked}

    def claim(kind: str, name: Callable[[str], str]) -> dict[str, str]:
        return namer.claim(
            kind, [Wanted(g.id, name(stems[g.id]), group_location(g)) for g in ranked]
        )

    classes = claim("span class", lambda s: naming.class_name(s) + "Span")
    dicts = claim("span attributes type", lambda s: naming.class_name(s) + "SpanAttributes")
    updates = claim(
        "span attribute update type", lambda s: naming.class_name(s) + "SpanAttributeUpdate"
    )
    factories = claim("span factory", lambda s: f"start_{naming.function_name(s)}_span")
    constants = claim("span name constant", lambda s: naming.constant_name(s) + "_SPAN_NAME")
    return {
        g.id: SpanNames(
            factories[g.id], classes[g.id], dicts[g.id], updates[g.id], constants[g.id], ()
        )
        for g in groups
    }


def _key(use: AttributeUse) -> str:
    return use.key
