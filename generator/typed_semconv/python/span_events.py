"""Span events: the events a span definition lists (`events:`) become typed methods of its
wrapper, one mixin per event shared by the spans of a module that list it."""

from __future__ import annotations

from collections.abc import Mapping

from typed_semconv.diagnostics import catalogue
from typed_semconv.model import Group, Registry
from typed_semconv.python import naming
from typed_semconv.python.context import Context
from typed_semconv.python.events import kept_events
from typed_semconv.python.parameters import attributes_section, parameters
from typed_semconv.python.selection import signal_name
from typed_semconv.python.span_types import ValueTypes
from typed_semconv.python.view import PySpanEvent


class SpanEvents:
    """The events a span lists, found by event name (or by group id, as older registries
    write them) among the events the options keep."""

    def __init__(self, context: Context, registry: Registry) -> None:
        self._context = context
        self._by_name = kept_events(context, registry)
        self._by_id: Mapping[str, Group] = {g.id: g for g in self._by_name.values()}

    def of(self, span: Group) -> tuple[Group, ...]:
        found: dict[str, Group] = {}
        for listed in span.events:
            event = self._by_name.get(listed) or self._by_id.get(listed)
            if event is None:
                self._context.diagnostics.report(
                    catalogue.SPAN_EVENT_UNKNOWN,
                    f"span `{span.id}` lists event `{listed}`, which is not defined or which "
                    "the generation options leave out",
                    span.location.at("events"),
                    "name the event by its `name`; the span gets no method for it",
                )
                continue
            found.setdefault(signal_name(event), event)
        return tuple(found.values())


def span_event(
    context: Context, event: Group, class_name: str, method: str, types: ValueTypes
) -> PySpanEvent:
    name = signal_name(event)
    params = parameters(context, method, event.attributes, types, context.vocabulary.span_method)
    lines = [f"Add the `{name}` event to the span, with its attributes."]
    if event.brief:
        lines += ["", naming.clean_sentence(event.brief) + "."]
    lines += attributes_section(params.doc_lines)
    lines += ["", "Attributes given as None are left out; `timestamp` defaults to now."]
    return PySpanEvent(
        class_name=class_name,
        class_docstring=naming.docstring_literal(f"A span that lists the `{name}` event."),
        method=method,
        name=naming.string_literal(name),
        docstring=naming.docstring_literal("\n".join(lines)),
        attributes=params.items,
    )
