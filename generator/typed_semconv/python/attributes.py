"""The attribute modules: a constant per attribute, a function per template attribute and an
enum class per enum attribute, one module per root namespace."""

from __future__ import annotations

from collections import defaultdict

from typed_semconv.model import Attribute, Registry
from typed_semconv.python import naming
from typed_semconv.python.context import Context, EnumClass
from typed_semconv.python.enums import enum
from typed_semconv.python.namer import Wanted, by_precedence
from typed_semconv.python.texts import deprecation_text, describe
from typed_semconv.python.view import PyAttribute, PyAttributesModule, PyTemplateFunction


def attribute_modules(
    context: Context, registry: Registry
) -> tuple[tuple[PyAttributesModule, ...], dict[str, EnumClass]]:
    """The modules, and the enum class of each enum attribute (which span modules import)."""
    by_module: dict[str, list[Attribute]] = defaultdict(list)
    for attribute in registry.attributes:
        if context.selection.attribute(attribute):
            by_module[naming.module_name(attribute.root_namespace)].append(attribute)
    modules = []
    enum_classes: dict[str, EnumClass] = {}
    for module in sorted(by_module):
        built, classes = _module(context, module, by_module[module])
        modules.append(built)
        enum_classes.update(classes)
    return tuple(modules), enum_classes


def _module(
    context: Context, module: str, attributes: list[Attribute]
) -> tuple[PyAttributesModule, dict[str, EnumClass]]:
    ranked = by_precedence(attributes, lambda a: a.key)
    namer = context.namer(context.vocabulary.attributes_module)
    constants = namer.claim(
        "attribute",
        [
            Wanted(
                a.key,
                naming.constant_name(a.key) + ("_TEMPLATE" if a.type.is_template else ""),
                a.location.first_of("id", "key"),
            )
            for a in ranked
        ],
    )
    enum_attributes = [a for a in ranked if a.type.is_enum]
    classes = namer.claim(
        "enum class",
        [
            Wanted(a.key, naming.class_name(a.key) + "Values", a.location.first_of("id", "key"))
            for a in enum_attributes
        ],
    )
    functions = namer.claim(
        "template function",
        [
            Wanted(a.key, naming.function_name(a.key), a.location.first_of("id", "key"))
            for a in ranked
            if a.type.is_template
        ],
    )
    py_attributes = tuple(
        PyAttribute(
            constant=constants[a.key],
            key=naming.string_literal(a.key),
            docstring=naming.docstring_literal(_attribute_doc(a)),
            template_function=_template_function(a, functions[a.key])
            if a.type.is_template
            else None,
        )
        for a in sorted(attributes, key=lambda a: a.key)
    )
    enums = tuple(
        enum(context, a, classes[a.key]) for a in sorted(enum_attributes, key=lambda a: a.key)
    )
    standard = ["from enum import Enum"] if enums else []
    standard.append("from typing import Final")
    deprecated_used = any(e.deprecated_message for e in enums) or any(
        a.template_function and a.template_function.deprecated_message for a in py_attributes
    )
    third_party = ["from typing_extensions import deprecated"] if deprecated_used else []
    shown = module if module != "other" else "attributes without a namespace"
    built = PyAttributesModule(
        path=f"attributes/{module}_attributes.py",
        header=context.header,
        docstring=naming.docstring_literal(f"Attributes of the `{shown}` namespace."),
        imports=naming.import_block(standard, third_party),
        attributes=py_attributes,
        enums=enums,
    )
    enum_classes = {
        a.key: EnumClass(a.key, f"{module}_attributes", classes[a.key]) for a in enum_attributes
    }
    return built, enum_classes


def _attribute_doc(attribute: Attribute) -> str:
    extra = [f"Type: {attribute.type.describe()}."]
    if attribute.examples:
        shown = ", ".join(
            naming.value_literal(e) if not isinstance(e, (list, dict)) else str(e)
            for e in attribute.examples[:3]
        )
        extra.append(f"Examples: {shown}.")
    return describe(
        attribute.brief, attribute.note, attribute.stability, attribute.deprecation, extra
    )


def _template_function(attribute: Attribute, name: str) -> PyTemplateFunction:
    doc = (
        f"The attribute key `{attribute.key}.<key>` for the given key.\n\n"
        f"{naming.clean_sentence(attribute.brief)}."
    )
    deprecated = None
    if attribute.deprecation is not None:
        deprecated = naming.string_literal(
            f"{attribute.key} is deprecated: {deprecation_text(attribute.deprecation)}"
        )
    return PyTemplateFunction(name, naming.docstring_literal(doc), deprecated)
