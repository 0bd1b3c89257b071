"""The event modules: per event a name constant and a typed emit function over the Logs API's
`Logger.emit(..., event_name=...)`, with the registry's body typed where it defines one; one
module per root namespace of the event names."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from typed_semconv.model import BodyField, Group, Registry
from typed_semconv.python import naming
from typed_semconv.python.context import Context, EnumClass, claim_signal_names
from typed_semconv.python.namer import Namer, Wanted, by_precedence
from typed_semconv.python.parameters import (
    attributes_section,
    module_enums,
    parameters,
    typed_dict_imports,
    uses_enum_value,
)
from typed_semconv.python.selection import signal_name
from typed_semconv.python.span_types import ValueTypes
from typed_semconv.python.texts import deprecation_text, describe
from typed_semconv.python.view import PyBodyDict, PyBodyField, PyEvent, PyEventsModule

# A body field's Python type, by its registry type (`map`, `map[]` and `enum` are built apart).
_BODY_TYPES = {
    "string": "str",
    "int": "int",
    "double": "float",
    "boolean": "bool",
    "string[]": "list[str] | tuple[str, ...]",
    "int[]": "list[int] | tuple[int, ...]",
    "double[]": "list[float] | tuple[float, ...]",
    "boolean[]": "list[bool] | tuple[bool, ...]",
    "byte[]": "bytes",
    "undefined": "AnyValue",
}


def event_modules(
    context: Context, registry: Registry, enum_classes: Mapping[str, EnumClass]
) -> tuple[PyEventsModule, ...]:
    by_module: dict[str, list[Group]] = defaultdict(list)
    for group in kept_events(context, registry).values():
        name = signal_name(group)
        # A one-word name (`exception`, `host`) is its own root namespace.
        namespace = name.split(".", 1)[0]
        by_module[naming.module_name(namespace)].append(group)
    return tuple(
        _module(context, name, by_module[name], enum_classes) for name in sorted(by_module)
    )


def kept_events(context: Context, registry: Registry) -> dict[str, Group]:
    """The events the options keep, by name (the first in precedence when two share a name),
    each with only the attributes the options keep."""
    kept: dict[str, Group] = {}
    events = [g for g in registry.groups if context.selection.event(g)]
    for group in by_precedence(events, lambda g: g.id):
        kept.setdefault(
            signal_name(group), replace(group, attributes=context.selection.kept_uses(group))
        )
    return kept


@dataclass(frozen=True)
class _Names:
    constant: str
    function: str
    body: str


def _claim_names(namer: Namer, ranked: Sequence[Group]) -> dict[str, _Names]:
    constants = claim_signal_names(
        namer, ranked, "event name constant", lambda n: naming.constant_name(n) + "_EVENT_NAME"
    )
    functions = claim_signal_names(
        namer, ranked, "event function", lambda n: f"emit_{naming.function_name(n)}_event"
    )
    bodies = claim_signal_names(
        namer, ranked, "event body type", lambda n: naming.class_name(n) + "EventBody"
    )
    return {
        signal_name(g): _Names(
            constants[signal_name(g)], functions[signal_name(g)], bodies[signal_name(g)]
        )
        for g in ranked
    }


def _module(
    context: Context, module: str, groups: list[Group], enum_classes: Mapping[str, EnumClass]
) -> PyEventsModule:
    namer = context.namer(context.vocabulary.events_module)
    names = _claim_names(namer, by_precedence(groups, signal_name))
    ordered = sorted(groups, key=signal_name)
    bodies = {signal_name(g): _Body(context, namer, names[signal_name(g)].body, g) for g in ordered}
    enums = module_enums(context, namer, [u for g in ordered for u in g.attributes], enum_classes)
    events = tuple(
        _event(context, g, names[signal_name(g)], bodies[signal_name(g)], enums.types)
        for g in ordered
    )
    return PyEventsModule(
        path=f"events/{module}_events.py",
        header=context.header,
        docstring=naming.docstring_literal(f"Events of the `{module}` namespace."),
        imports=_runtime_imports(events),
        typing_imports=_typing_imports(events, enums.imports),
        events=events,
    )


def _runtime_imports(events: Sequence[PyEvent]) -> tuple[str, ...]:
    standard = ["from typing import TYPE_CHECKING, Final"]
    if any(e.body_dicts for e in events):
        standard = ["from typing import TYPE_CHECKING, Final, cast"]
    third_party = (
        ["from typing_extensions import deprecated"]
        if any(e.deprecated_message for e in events)
        else []
    )
    local = (
        ["from .._values import plain_value"]
        if any(uses_enum_value(e.attributes) for e in events)
        else []
    )
    return naming.import_block(standard, third_party, local)


def _typing_imports(events: Sequence[PyEvent], enum_imports: Sequence[str]) -> tuple[str, ...]:
    parameters_of = [p for e in events for p in e.attributes]
    standard = ["from typing import Any"]
    if any("Literal[" in _all_body_types(e) for e in events):
        standard = ["from typing import Any, Literal"]
    collections = sorted(
        {"Mapping" for p in parameters_of if p.is_template}
        | {"Sequence" for e in events if "Sequence[" in _all_body_types(e)}
    )
    if collections:
        standard.insert(0, f"from collections.abc import {', '.join(collections)}")
    value_types = (
        "AnyValue, AttributeValue"
        if any("AttributeValue" in p.value_type for p in parameters_of)
        else "AnyValue"
    )
    third_party = [
        "from opentelemetry._logs import Logger, SeverityNumber",
        "from opentelemetry.context import Context",
        f"from opentelemetry.util.types import {value_types}",
    ]
    if any(e.body_dicts for e in events):
        third_party.append(
            typed_dict_imports(f.required for e in events for d in e.body_dicts for f in d.fields)
        )
    return naming.import_block(standard, third_party, list(enum_imports), indent=4)


def _all_body_types(event: PyEvent) -> str:
    """Every type annotation of an event's body, in one text."""
    return " ".join([event.body_type, *(f.value_type for d in event.body_dicts for f in d.fields)])


class _Body:
    """The Python type of an event's body, and the TypedDicts its maps need (inner ones first,
    as each refers to those it holds)."""

    def __init__(self, context: Context, namer: Namer, name: str, group: Group) -> None:
        self.context = context
        self.namer = namer
        self.location = group.location.first_of("body", "id")
        self.dicts: list[PyBodyDict] = []
        body = group.body
        self.type = "AnyValue" if body is None else self._type(body, name)
        self.required = body is not None and body.requirement_level.level == "required"

    def _type(self, field: BodyField, name: str) -> str:
        if field.type in ("map", "map[]"):
            inner = self._dict(field, name)
            # A str is no Sequence of mappings: Sequence does not let a string through here.
            return inner if field.type == "map" else f"Sequence[{inner}]"
        if field.type == "enum":
            if self.context.closed_enums and field.members:
                return f"Literal[{', '.join(naming.value_literal(v) for v in field.members)}]"
            kinds = {_value_kind(v) for v in field.members}
            return " | ".join(sorted(kinds)) if kinds else "str"
        return _BODY_TYPES[field.type]

    def _dict(self, field: BodyField, name: str) -> str:
        fields = []
        for child in field.fields:
            if child.type in ("map", "map[]"):
                wanted = name + naming.class_name(child.id)
                claimed = self.namer.claim(
                    "event body type", [Wanted(f"{name}.{child.id}", wanted, self.location)]
                )
                value_type = self._type(child, claimed[f"{name}.{child.id}"])
            else:
                value_type = self._type(child, name)
            required = child.requirement_level.level == "required"
            fields.append(PyBodyField(naming.string_literal(child.id), value_type, required))
        self.dicts.append(PyBodyDict(name, naming.string_literal(name), tuple(fields)))
        return name


def _value_kind(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    return "float" if isinstance(value, float) else "str"


def _event(
    context: Context, group: Group, names: _Names, body: _Body, types: ValueTypes
) -> PyEvent:
    name = signal_name(group)
    params = parameters(
        context, names.function, group.attributes, types, context.vocabulary.event_function
    )
    deprecated = None
    if group.deprecation is not None:
        deprecated = naming.string_literal(
            f"The event {name} is deprecated - {deprecation_text(group.deprecation)}"
        )
    lines = [f"Emit the `{name}` event as a log record (`Logger.emit(..., event_name=...)`)."]
    if group.brief:
        lines += ["", naming.clean_sentence(group.brief) + "."]
    lines += ["", f"Stability: {group.stability.value}."]
    if group.deprecation is not None:
        lines.append(f"Deprecated: {deprecation_text(group.deprecation)}.")
    lines += attributes_section(params.doc_lines)
    lines += ["", _body_doc(group.body, body)]
    lines += [
        "",
        "Attributes given as None are left out; `severity_number`, `timestamp` and `context`",
        "are passed on to the logger. Needs opentelemetry-api 1.38 or newer.",
    ]
    return PyEvent(
        name_constant=names.constant,
        name_value=naming.string_literal(name),
        name_docstring=naming.docstring_literal(
            describe(group.brief, group.note, group.stability, group.deprecation)
        ),
        function=names.function,
        docstring=naming.docstring_literal("\n".join(lines)),
        attributes=params.items,
        body_type=body.type,
        body_required=body.required,
        body_expression='cast("AnyValue", body)' if body.dicts else "body",
        body_dicts=tuple(body.dicts),
        deprecated_message=deprecated,
    )


def _body_doc(field: BodyField | None, body: _Body) -> str:
    if field is None:
        return "body: any value; the convention defines none."
    level = field.requirement_level.level.replace("_", " ")
    shown = body.type if not body.dicts else f"`{body.dicts[-1].name}` (a mapping)"
    brief = naming.clean_sentence(field.brief)
    return f"body: {shown}, {level}" + (f". {brief}." if brief else ".")
