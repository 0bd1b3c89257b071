"""The Python view of spans: one typed factory, wrapper class and TypedDict per span definition."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from typed_semconv.check.span_naming import NamePiece, SpanNaming, span_naming
from typed_semconv.model import AttributeUse, Group, PrimitiveType, SpanKind
from typed_semconv.python import naming

# Names a factory uses for itself: its fixed parameters and its local variable.
RESERVED_PARAMETERS = (
    "tracer",
    "name",
    "kind",
    "attributes",
    "context",
    "links",
    "start_time",
    "record_exception",
    "set_status_on_exception",
    "end_on_exit",
)
# Names every span module imports, which no generated class may take.
MODULE_IMPORTS = (
    "annotations",
    "Any",
    "AttributeValue",
    "Context",
    "Final",
    "Link",
    "Mapping",
    "NotRequired",
    "ReadOnly",
    "Required",
    "Sequence",
    "SpanKind",
    "SpanName",
    "Tracer",
    "TypedDict",
    "TypedSpan",
    "deprecated",
    "plain_attributes",
    "plain_value",
    "span_name_from_parts",
)
RESERVED_METHODS = (
    "set_attributes",
    "set_status",
    "add_event",
    "record_exception",
    "is_recording",
    "span",
)
_KINDS = {kind: f"SpanKind.{kind.name}" for kind in SpanKind}
_VALUE_TYPES = {
    PrimitiveType.STRING: "str",
    PrimitiveType.INT: "int",
    PrimitiveType.DOUBLE: "float",
    PrimitiveType.BOOLEAN: "bool",
    PrimitiveType.ANY: "AttributeValue",
    # list | tuple rather than Sequence: a plain str is a Sequence[str] and would slip through.
    PrimitiveType.STRING_ARRAY: "list[str] | tuple[str, ...]",
    PrimitiveType.INT_ARRAY: "list[int] | tuple[int, ...]",
    PrimitiveType.DOUBLE_ARRAY: "list[float] | tuple[float, ...]",
    PrimitiveType.BOOLEAN_ARRAY: "list[bool] | tuple[bool, ...]",
}
_LEVEL_TEXT = {
    "required": "required",
    "conditionally_required": "conditionally required",
    "recommended": "recommended",
    "opt_in": "opt-in",
}


@dataclass(frozen=True)
class EnumClass:
    """A generated enum class a span parameter can take: where it lives and its name."""

    module: str
    class_name: str


@dataclass(frozen=True)
class PySpanAttribute:
    key: str
    key_prefix: str
    param: str
    value_type: str
    required: bool
    is_template: bool
    value_expression: str
    doc_line: str


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
    spans: tuple[PySpan, ...]


Unique = Callable[[str, Sequence[tuple[str, str]], Sequence[str]], dict[str, str]]


@dataclass
class SpanViewBuilder:
    """Builds the span modules; `unique` gives collision-free names and reports renames."""

    header: str
    enum_classes: Mapping[str, EnumClass]
    closed_enums: bool
    unique: Unique
    deprecation_text: Callable[[Group], str | None]

    def module(self, module: str, groups: Sequence[Group]) -> PySpansModule:
        ranked = sorted(groups, key=lambda g: (g.deprecation is not None, g.id))
        stems = {g.id: _span_stem(g) for g in ranked}
        factories = self.unique(
            "span factory",
            [(g.id, f"start_{naming.function_name(stems[g.id])}_span") for g in ranked],
            (),
        )
        classes = self.unique(
            "span class",
            [(g.id, naming.class_name(stems[g.id]) + "Span") for g in ranked],
            MODULE_IMPORTS,
        )
        dicts = self.unique(
            "span attributes type",
            [(g.id, naming.class_name(stems[g.id]) + "SpanAttributes") for g in ranked],
            MODULE_IMPORTS,
        )
        updates = self.unique(
            "span attribute update type",
            [(g.id, naming.class_name(stems[g.id]) + "SpanAttributeUpdate") for g in ranked],
            MODULE_IMPORTS,
        )
        constants = self.unique(
            "span name constant",
            [(g.id, naming.constant_name(stems[g.id]) + "_SPAN_NAME") for g in ranked],
            (),
        )
        setters = self.setters(groups, (*MODULE_IMPORTS, *classes.values()))
        spans = tuple(
            self.span(
                g,
                factories[g.id],
                classes[g.id],
                (dicts[g.id], updates[g.id]),
                constants[g.id],
                tuple(setters[u.key].class_name for u in sorted(g.attributes, key=_by_key)),
            )
            for g in sorted(groups, key=lambda g: g.id)
        )
        runtime_imports, typing_imports = self.imports(spans, groups)
        return PySpansModule(
            path=f"spans/{module}_spans.py",
            header=self.header,
            docstring=naming.docstring_literal(f"Span factories of the `{module}` namespace."),
            imports=runtime_imports,
            typing_imports=typing_imports,
            setters=tuple(setters[key] for key in sorted(setters)),
            spans=spans,
        )

    def setters(self, groups: Sequence[Group], taken: Sequence[str]) -> dict[str, PySetter]:
        """One setter mixin per attribute key used by the module's spans."""
        uses: dict[str, AttributeUse] = {}
        for group in groups:
            for use in group.attributes:
                uses.setdefault(use.key, use)
        keys = sorted(uses)
        methods = self.unique(
            "span setter", [(k, "set_" + naming.function_name(k)) for k in keys], RESERVED_METHODS
        )
        classes = self.unique(
            "setter class", [(k, "Sets" + naming.class_name(k)) for k in keys], taken
        )
        return {k: self.setter(uses[k], classes[k], methods[k]) for k in keys}

    def setter(self, use: AttributeUse, class_name: str, method: str) -> PySetter:
        attribute = use.attribute
        brief = naming.clean_sentence(attribute.brief)
        shown = f"{attribute.key}.<key>" if attribute.type.is_template else attribute.key
        return PySetter(
            class_name=class_name,
            class_docstring=naming.docstring_literal(f"A span that records `{shown}`."),
            method=method,
            key=naming.string_literal(attribute.key),
            key_prefix=naming.string_literal(attribute.key + "."),
            value_type=self.value_type(use),
            is_template=attribute.type.is_template,
            value_expression="plain_value(value)" if use.key in self.enum_classes else "value",
            docstring=naming.docstring_literal(
                f"Set `{shown}`" + (f": {brief}." if brief else ".")
            ),
        )

    def imports(
        self, spans: Sequence[PySpan], groups: Sequence[Group]
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Imports needed at run time, and those needed only by type checkers.

        Annotations are never evaluated (`from __future__ import annotations`) and the TypedDicts
        exist only for type checkers, so a span module imports almost nothing at run time.
        """
        runtime_third_party = ["from opentelemetry.trace import SpanKind"]
        if any(s.deprecated_message for s in spans):
            runtime_third_party.append("from typing_extensions import deprecated")
        support = {"SpanName", "TypedSpan", "plain_attributes"}
        if any(s.name_parts for s in spans):
            support.add("span_name_from_parts")
        if any(a.value_expression != a.param for s in spans for a in s.attributes):
            support.add("plain_value")
        runtime = naming.import_block(
            ["from typing import TYPE_CHECKING"],
            runtime_third_party,
            [f"from ._support import {', '.join(sorted(support))}"],
        )
        has_templates = any(a.is_template for s in spans for a in s.attributes)
        standard = [
            "from collections.abc import Mapping, Sequence"
            if has_templates
            else "from collections.abc import Sequence"
        ]
        # The factories' local dict holds values whose types the parameters already fixed;
        # `Any` spares the type checker re-proving each one against the AttributeValue union.
        standard.append(
            "from typing import Any, Final"
            if any(s.name_constant for s in spans)
            else "from typing import Any"
        )
        third_party = [
            "from opentelemetry.context import Context",
            "from opentelemetry.trace import Link, Tracer",
            "from typing_extensions import NotRequired, ReadOnly, Required, TypedDict",
        ]
        if any("AttributeValue" in a.value_type for s in spans for a in s.attributes):
            third_party.append("from opentelemetry.util.types import AttributeValue")
        classes: dict[str, set[str]] = {}
        for group in groups:
            for use in group.attributes:
                enum = self.enum_classes.get(use.key)
                if enum is not None:
                    classes.setdefault(enum.module, set()).add(enum.class_name)
        local = [
            f"from ..attributes.{module} import {', '.join(sorted(names))}"
            for module, names in sorted(classes.items())
        ]
        typing_only = naming.import_block(standard, third_party, local, indent=4)
        return runtime, typing_only

    def span(
        self,
        group: Group,
        factory: str,
        class_name: str,
        typed_dicts: tuple[str, str],
        constant: str,
        bases: tuple[str, ...],
    ) -> PySpan:
        span_naming_ = span_naming(group)
        ordered = sorted(group.attributes, key=lambda u: (not _required(u), u.key))
        params = self.unique(
            f"parameter of {factory}",
            [(u.key, naming.function_name(u.key)) for u in ordered],
            RESERVED_PARAMETERS,
        )
        attributes = tuple(self.attribute(u, params[u.key]) for u in ordered)
        name_parts = None
        name_suffix = '""'
        if span_naming_.pattern is not None:
            pieces = span_naming_.pattern
            name_parts = tuple(self.name_part(p, params) for p in pieces if p.key is not None)
            name_suffix = naming.string_literal("".join(p.prefix for p in pieces if p.key is None))
        kind = group.span_kind
        deprecated = self.deprecation_text(group)
        return PySpan(
            factory=factory,
            class_name=class_name,
            bases=bases or ("TypedSpan",),
            typed_dict=typed_dicts[0],
            typed_dict_name=naming.string_literal(typed_dicts[0]),
            update_dict=typed_dicts[1],
            update_dict_name=naming.string_literal(typed_dicts[1]),
            name_constant=constant if span_naming_.static_name is not None else None,
            name_value=naming.string_literal(span_naming_.static_name)
            if span_naming_.static_name is not None
            else None,
            name_parts=name_parts,
            name_suffix=name_suffix,
            takes_name=span_naming_.needs_caller_name,
            takes_kind=kind is None,
            kind_expression=_KINDS[kind] if kind is not None else "kind",
            attributes=attributes,
            factory_docstring=naming.docstring_literal(
                self.factory_doc(group, span_naming_, attributes, kind)
            ),
            class_docstring=naming.docstring_literal(
                f"The `{_span_stem(group)}` span: a typed setter per attribute, from its bases.\n\n"
                "The OpenTelemetry span is `.span`."
            ),
            deprecated_message=naming.string_literal(deprecated) if deprecated else None,
        )

    @staticmethod
    def name_part(piece: NamePiece, params: Mapping[str, str]) -> PyNamePart:
        return PyNamePart(naming.string_literal(piece.prefix), params[piece.key or ""])

    def value_type(self, use: AttributeUse) -> str:
        attribute_type = use.attribute.type
        plain = _VALUE_TYPES[attribute_type.primitive]
        enum = self.enum_classes.get(use.key)
        if enum is None:
            return plain
        return enum.class_name if self.closed_enums else f"{enum.class_name} | {plain}"

    def attribute(self, use: AttributeUse, param: str) -> PySpanAttribute:
        attribute = use.attribute
        is_enum = use.key in self.enum_classes
        value_type = self.value_type(use)
        level = _LEVEL_TEXT[use.requirement_level.level]
        condition = use.requirement_level.condition
        brief = naming.clean_sentence(attribute.brief)
        doc_line = f"{param}: `{attribute.key}`, {level}"
        if condition:
            doc_line += f" ({naming.clean_sentence(condition)})"
        if use.sampling_relevant:
            doc_line += ", relevant for sampling (give it here, at start)"
        doc_line += f". {brief}." if brief else "."
        return PySpanAttribute(
            key=naming.string_literal(attribute.key),
            key_prefix=naming.string_literal(attribute.key + "."),
            param=param,
            value_type=value_type,
            required=_required(use) and not attribute.type.is_template,
            is_template=attribute.type.is_template,
            value_expression=f"plain_value({param})" if is_enum else param,
            doc_line=doc_line,
        )

    @staticmethod
    def factory_doc(
        group: Group,
        naming_: SpanNaming,
        attributes: Sequence[PySpanAttribute],
        kind: SpanKind | None,
    ) -> str:
        stem = _span_stem(group)
        shown_kind = kind.value if kind is not None else "kind given by the caller"
        lines = [f"Start the `{stem}` span ({shown_kind}) as the current span."]
        if group.brief:
            lines += ["", naming.clean_sentence(group.brief) + "."]
        lines.append("")
        if naming_.static_name is not None:
            lines.append(f"Span name: `{naming_.static_name}` (static).")
        elif naming_.pattern is not None:
            shown = "".join(p.prefix + (f"{{{p.key}}}" if p.key else "") for p in naming_.pattern)
            lines.append(f"Span name: built from `{shown}`; missing optional values are left out.")
        else:
            lines.append(
                "Span name: `name`, a low-cardinality name chosen by the caller "
                "(the convention describes it in prose)."
            )
            if group.span_name_note:
                lines.append("Naming rule: " + " ".join(group.span_name_note.split()))
        if attributes:
            lines += ["", "Attributes:"]
            lines += [f"    {a.doc_line}" for a in attributes]
        lines += [
            "",
            "Use it as `with factory(tracer, ...) as span:`; `span.span` is the OpenTelemetry "
            "span.",
            "An exception leaving the block is recorded and sets the status to error.",
        ]
        return "\n".join(lines)


def _by_key(use: AttributeUse) -> str:
    return use.key


def _required(use: AttributeUse) -> bool:
    return use.requirement_level.level == "required"


def _span_stem(group: Group) -> str:
    return group.signal_name or group.id.removeprefix("span.")
