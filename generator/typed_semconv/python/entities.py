"""The entity modules: per entity (a resource) a TypedDict of its attributes and a builder of
the attribute mapping `Resource(...)` takes, identifying attributes required; one module per root
namespace of the entity types."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace

from typed_semconv.model import AttributeUse, Group, Registry
from typed_semconv.python import naming
from typed_semconv.python.context import Context, EnumClass, claim_signal_names
from typed_semconv.python.namer import Namer, by_precedence
from typed_semconv.python.parameters import (
    attributes_section,
    module_enums,
    parameters,
    typed_dict_imports,
    uses_enum_value,
)
from typed_semconv.python.selection import signal_name
from typed_semconv.python.span_types import ValueTypes
from typed_semconv.python.texts import deprecation_text
from typed_semconv.python.view import PyEntitiesModule, PyEntity


def entity_modules(
    context: Context, registry: Registry, enum_classes: Mapping[str, EnumClass]
) -> tuple[PyEntitiesModule, ...]:
    by_name: dict[str, Group] = {}
    entities = [g for g in registry.groups if context.selection.entity(g)]
    for group in by_precedence(entities, lambda g: g.id):
        kept = context.selection.kept_uses(group)
        by_name.setdefault(signal_name(group), replace(group, attributes=kept))
    by_module: dict[str, list[Group]] = defaultdict(list)
    for name, group in by_name.items():
        # A one-word name (`exception`, `host`) is its own root namespace.
        namespace = name.split(".", 1)[0]
        by_module[naming.module_name(namespace)].append(group)
    return tuple(
        _module(context, name, by_module[name], enum_classes) for name in sorted(by_module)
    )


def identifying(use: AttributeUse) -> bool:
    """Identifying attributes are required; an attribute without a role (a v1 entity that does
    not say) is required when its requirement level says so."""
    if use.role is not None:
        return use.role == "identifying"
    return use.requirement_level.level == "required"


def _claim_names(namer: Namer, ranked: Sequence[Group]) -> dict[str, tuple[str, str]]:
    functions = claim_signal_names(
        namer, ranked, "entity function", lambda t: f"{naming.function_name(t)}_entity_attributes"
    )
    dicts = claim_signal_names(
        namer, ranked, "entity attributes type", lambda t: naming.class_name(t) + "EntityAttributes"
    )
    return {signal_name(g): (functions[signal_name(g)], dicts[signal_name(g)]) for g in ranked}


def _module(
    context: Context, module: str, groups: list[Group], enum_classes: Mapping[str, EnumClass]
) -> PyEntitiesModule:
    namer = context.namer(context.vocabulary.entities_module)
    names = _claim_names(namer, by_precedence(groups, signal_name))
    ordered = sorted(groups, key=signal_name)
    enums = module_enums(context, namer, [u for g in ordered for u in g.attributes], enum_classes)
    entities = tuple(_entity(context, g, *names[signal_name(g)], enums.types) for g in ordered)
    standard = ["from typing import TYPE_CHECKING"]
    third_party = (
        ["from typing_extensions import deprecated"]
        if any(e.deprecated_message for e in entities)
        else []
    )
    local = (
        ["from .._values import plain_value"]
        if any(uses_enum_value(e.attributes) for e in entities)
        else []
    )
    parameters_of = [p for e in entities for p in e.attributes]
    typing_standard = ["from typing import Any"]
    if any(p.is_template for p in parameters_of):
        typing_standard.insert(0, "from collections.abc import Mapping")
    return PyEntitiesModule(
        path=f"entities/{module}_entities.py",
        header=context.header,
        docstring=naming.docstring_literal(f"Entities (resources) of the `{module}` namespace."),
        imports=naming.import_block(standard, third_party, local),
        typing_imports=naming.import_block(
            typing_standard,
            [
                "from opentelemetry.util.types import AttributeValue",
                typed_dict_imports(p.required for e in entities for p in e.typed_dict_attributes),
            ],
            list(enums.imports),
            indent=4,
        ),
        entities=entities,
    )


def _entity(
    context: Context, group: Group, function: str, typed_dict: str, types: ValueTypes
) -> PyEntity:
    name = signal_name(group)
    params = parameters(
        context,
        function,
        group.attributes,
        types,
        context.vocabulary.entity_function,
        required=identifying,
        level=_role,
    )
    lines = [f"The attributes of the `{name}` entity, for `Resource(...)` or `Resource.create`."]
    if group.brief:
        lines += ["", naming.clean_sentence(group.brief) + "."]
    lines += ["", f"Stability: {group.stability.value}."]
    deprecated = None
    if group.deprecation is not None:
        lines.append(f"Deprecated: {deprecation_text(group.deprecation)}.")
        deprecated = naming.string_literal(
            f"The entity {name} is deprecated - {deprecation_text(group.deprecation)}"
        )
    lines += attributes_section(params.doc_lines)
    lines += ["", "Identifying attributes are required; the others are left out when None."]
    return PyEntity(
        function=function,
        docstring=naming.docstring_literal("\n".join(lines)),
        typed_dict=typed_dict,
        typed_dict_name=naming.string_literal(typed_dict),
        attributes=params.items,
        deprecated_message=deprecated,
    )


def _role(use: AttributeUse) -> str:
    return "identifying (required)" if identifying(use) else "descriptive"
