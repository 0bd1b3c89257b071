"""Setter mixins: one class per attribute a module's spans record, with its typed setter."""

from __future__ import annotations

from typed_semconv.model import AttributeUse
from typed_semconv.python import naming
from typed_semconv.python.span_types import ValueTypes
from typed_semconv.python.view import PySetter


def setter(use: AttributeUse, class_name: str, method: str, types: ValueTypes) -> PySetter:
    attribute = use.attribute
    brief = naming.clean_sentence(attribute.brief)
    shown = f"{attribute.key}.<key>" if attribute.type.is_template else attribute.key
    return PySetter(
        class_name=class_name,
        class_docstring=naming.docstring_literal(f"A span that records `{shown}`."),
        method=method,
        key=naming.string_literal(attribute.key),
        key_prefix=naming.string_literal(attribute.key + "."),
        value_type=types.of(use),
        is_template=attribute.type.is_template,
        value_expression=types.expression(use, "value"),
        docstring=naming.docstring_literal(f"Set `{shown}`" + (f": {brief}." if brief else ".")),
    )
