"""The Python view: what each generated module contains, with every name and literal decided.

Templates receive only these objects (documented field by field in `docs/templates.md`, which a
test keeps complete); they print fields and never derive names, types or escapes themselves.
Fields holding Python source (a literal, a docstring, an annotation) are ready to print as they
are; the others are plain names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PyEnumMember:
    name: str
    value: str
    docstring: str
    repeats_value: bool


@dataclass(frozen=True)
class PyEnum:
    class_name: str
    docstring: str
    deprecated_message: str | None
    members: tuple[PyEnumMember, ...]


@dataclass(frozen=True)
class PyTemplateFunction:
    name: str
    docstring: str
    deprecated_message: str | None


@dataclass(frozen=True)
class PyAttribute:
    constant: str
    key: str
    docstring: str
    template_function: PyTemplateFunction | None


@dataclass(frozen=True)
class PyAttributesModule:
    path: str
    header: str
    docstring: str
    imports: tuple[str, ...]
    attributes: tuple[PyAttribute, ...]
    enums: tuple[PyEnum, ...]


@dataclass(frozen=True)
class PyParameter:
    """An attribute of a metric, event, span event or entity as a keyword-only parameter."""

    key: str
    key_prefix: str
    param: str
    value_type: str
    required: bool
    is_template: bool
    value_expression: str


@dataclass(frozen=True)
class PyMetric:
    constant: str
    name: str
    docstring: str
    factory: str
    factory_docstring: str
    meter_method: str
    return_type: str
    takes_callbacks: bool
    description: str
    unit: str
    deprecated_message: str | None
    class_name: str
    class_docstring: str
    base: str
    record_method: str
    record_docstring: str
    typed_dict: str
    typed_dict_name: str
    attributes: tuple[PyParameter, ...]

    @property
    def typed_dict_attributes(self) -> tuple[PyParameter, ...]:
        return tuple(a for a in self.attributes if not a.is_template)


@dataclass(frozen=True)
class PyMetricsModule:
    path: str
    header: str
    docstring: str
    imports: tuple[str, ...]
    typing_imports: tuple[str, ...]
    metrics: tuple[PyMetric, ...]


@dataclass(frozen=True)
class PyBodyField:
    """One field of a map body, as a key of the body's TypedDict."""

    key: str
    value_type: str
    required: bool


@dataclass(frozen=True)
class PyBodyDict:
    """The TypedDict of a map body, or of a map inside one."""

    name: str
    name_literal: str
    fields: tuple[PyBodyField, ...]


@dataclass(frozen=True)
class PyEvent:
    name_constant: str
    name_value: str
    name_docstring: str
    function: str
    docstring: str
    attributes: tuple[PyParameter, ...]
    body_type: str
    body_required: bool
    body_expression: str
    body_dicts: tuple[PyBodyDict, ...]
    deprecated_message: str | None


@dataclass(frozen=True)
class PyEventsModule:
    path: str
    header: str
    docstring: str
    imports: tuple[str, ...]
    typing_imports: tuple[str, ...]
    events: tuple[PyEvent, ...]


@dataclass(frozen=True)
class PySpanEvent:
    """A mixin with the typed method that adds one event to a span that lists it."""

    class_name: str
    class_docstring: str
    method: str
    name: str
    docstring: str
    attributes: tuple[PyParameter, ...]


@dataclass(frozen=True)
class PyEntity:
    function: str
    docstring: str
    typed_dict: str
    typed_dict_name: str
    attributes: tuple[PyParameter, ...]
    deprecated_message: str | None

    @property
    def typed_dict_attributes(self) -> tuple[PyParameter, ...]:
        return tuple(a for a in self.attributes if not a.is_template)


@dataclass(frozen=True)
class PyEntitiesModule:
    path: str
    header: str
    docstring: str
    imports: tuple[str, ...]
    typing_imports: tuple[str, ...]
    entities: tuple[PyEntity, ...]


@dataclass(frozen=True)
class PySpanAttribute:
    key: str
    key_prefix: str
    param: str
    value_type: str
    required: bool
    is_template: bool
    value_expression: str


@dataclass(frozen=True)
class PySetter:
    """A mixin with the typed setter of one attribute, shared by every span that has it.

    Spans list these mixins as bases, so each setter is defined once per module rather than once
    per span (which also keeps type-checking the generated package fast), and
    `SetsHttpResponseStatusCode` can type any span that records that attribute.
    """

    class_name: str
    class_docstring: str
    method: str
    key: str
    key_prefix: str
    value_type: str
    is_template: bool
    value_expression: str
    docstring: str


@dataclass(frozen=True)
class PyNamePart:
    prefix: str
    param: str


@dataclass(frozen=True)
class PySpan:
    factory: str
    class_name: str
    bases: tuple[str, ...]
    typed_dict: str
    typed_dict_name: str
    update_dict: str
    update_dict_name: str
    name_constant: str | None
    name_value: str | None
    name_parts: tuple[PyNamePart, ...] | None
    name_suffix: str
    takes_name: bool
    takes_kind: bool
    kind_expression: str
    attributes: tuple[PySpanAttribute, ...]
    factory_docstring: str
    class_docstring: str
    deprecated_message: str | None

    @property
    def typed_dict_attributes(self) -> tuple[PySpanAttribute, ...]:
        return tuple(a for a in self.attributes if not a.is_template)


@dataclass(frozen=True)
class PySpansModule:
    path: str
    header: str
    docstring: str
    imports: tuple[str, ...]
    typing_imports: tuple[str, ...]
    setters: tuple[PySetter, ...]
    span_events: tuple[PySpanEvent, ...]
    spans: tuple[PySpan, ...]


@dataclass(frozen=True)
class PyFixedModule:
    """A module whose content is fixed by its template (package `__init__`s, span support)."""

    path: str
    template: str
    header: str
    docstring: str
