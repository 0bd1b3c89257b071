"""Span factories: the typed `start_<span>_span` function and the wrapper class of each span."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from typed_semconv.check.span_naming import NamePiece, SpanNaming, span_stem
from typed_semconv.model import AttributeUse, Group, SpanKind
from typed_semconv.python import naming
from typed_semconv.python.context import Context
from typed_semconv.python.namer import Wanted
from typed_semconv.python.span_types import ValueTypes
from typed_semconv.python.texts import deprecation_text
from typed_semconv.python.view import PyNamePart, PySpan, PySpanAttribute

_KINDS = {kind: f"SpanKind.{kind.name}" for kind in SpanKind}
_LEVEL_TEXT = {
    "required": "required",
    "conditionally_required": "conditionally required",
    "recommended": "recommended",
    "opt_in": "opt-in",
}


@dataclass(frozen=True)
class SpanNames:
    """The module-level names of one span, decided by the module."""

    factory: str
    class_name: str
    typed_dict: str
    update_dict: str
    constant: str
    bases: tuple[str, ...]


def span(
    context: Context, group: Group, span_naming: SpanNaming, names: SpanNames, types: ValueTypes
) -> PySpan:
    ordered = sorted(group.attributes, key=lambda u: (not _required(u), u.key))
    params = context.namer(context.vocabulary.span_factory).claim(
        f"parameter of {names.factory}",
        [
            Wanted(u.key, naming.function_name(u.key), u.attribute.location.first_of("id", "key"))
            for u in ordered
        ],
    )
    attributes = tuple(_attribute(u, params[u.key], types) for u in ordered)
    name_parts = None
    name_suffix = '""'
    if span_naming.pattern is not None:
        pieces = span_naming.pattern
        name_parts = tuple(_name_part(p, params) for p in pieces if p.key is not None)
        name_suffix = naming.string_literal("".join(p.prefix for p in pieces if p.key is None))
    kind = group.span_kind
    deprecated = None
    if group.deprecation is not None:
        deprecated = naming.string_literal(
            f"The span {span_stem(group)} is deprecated - {deprecation_text(group.deprecation)}"
        )
    static_name = span_naming.static_name
    return PySpan(
        factory=names.factory,
        class_name=names.class_name,
        bases=names.bases or ("TypedSpan",),
        typed_dict=names.typed_dict,
        typed_dict_name=naming.string_literal(names.typed_dict),
        update_dict=names.update_dict,
        update_dict_name=naming.string_literal(names.update_dict),
        name_constant=names.constant if static_name is not None else None,
        name_value=naming.string_literal(static_name) if static_name is not None else None,
        name_parts=name_parts,
        name_suffix=name_suffix,
        takes_name=span_naming.needs_caller_name,
        takes_kind=kind is None,
        kind_expression=_KINDS[kind] if kind is not None else "kind",
        attributes=attributes,
        factory_docstring=naming.docstring_literal(
            _factory_doc(group, span_naming, [_doc_line(u, params[u.key]) for u in ordered], kind)
        ),
        class_docstring=naming.docstring_literal(
            f"The `{span_stem(group)}` span: a typed setter per attribute, from its bases.\n\n"
            "The OpenTelemetry span is `.span`."
        ),
        deprecated_message=deprecated,
    )


def _name_part(piece: NamePiece, params: Mapping[str, str]) -> PyNamePart:
    return PyNamePart(naming.string_literal(piece.prefix), params[piece.key or ""])


def _attribute(use: AttributeUse, param: str, types: ValueTypes) -> PySpanAttribute:
    attribute = use.attribute
    return PySpanAttribute(
        key=naming.string_literal(attribute.key),
        key_prefix=naming.string_literal(attribute.key + "."),
        param=param,
        value_type=types.of(use),
        required=_required(use) and not attribute.type.is_template,
        is_template=attribute.type.is_template,
        value_expression=types.expression(use, param),
    )


def _doc_line(use: AttributeUse, param: str) -> str:
    """The line of the factory's docstring that describes a parameter."""
    attribute = use.attribute
    level = _LEVEL_TEXT[use.requirement_level.level]
    condition = use.requirement_level.condition
    brief = naming.clean_sentence(attribute.brief)
    line = f"{param}: `{attribute.key}`, {level}"
    if condition:
        line += f" ({naming.clean_sentence(condition)})"
    if use.sampling_relevant:
        line += ", relevant for sampling (give it here, at start)"
    return line + (f". {brief}." if brief else ".")


def _factory_doc(
    group: Group,
    span_naming: SpanNaming,
    doc_lines: Sequence[str],
    kind: SpanKind | None,
) -> str:
    stem = span_stem(group)
    shown_kind = kind.value if kind is not None else "kind given by the caller"
    lines = [f"Start the `{stem}` span ({shown_kind}) as the current span."]
    if group.brief:
        lines += ["", naming.clean_sentence(group.brief) + "."]
    lines.append("")
    if span_naming.static_name is not None:
        lines.append(f"Span name: `{span_naming.static_name}` (static).")
    elif span_naming.pattern is not None:
        shown = "".join(p.prefix + (f"{{{p.key}}}" if p.key else "") for p in span_naming.pattern)
        lines.append(f"Span name: built from `{shown}`; missing optional values are left out.")
    else:
        lines.append(
            "Span name: `name`, a low-cardinality name chosen by the caller "
            "(the convention describes it in prose)."
        )
        if group.span_name_note:
            lines.append("Naming rule: " + " ".join(group.span_name_note.split()))
    if doc_lines:
        lines += ["", "Attributes:"]
        lines += [f"    {line}" for line in doc_lines]
    lines += [
        "",
        "Use it as `with factory(tracer, ...) as span:`; `span.span` is the OpenTelemetry span.",
        "An exception leaving the block is recorded and sets the status to error.",
    ]
    return "\n".join(lines)


def _required(use: AttributeUse) -> bool:
    return use.requirement_level.level == "required"
