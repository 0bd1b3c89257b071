"""Attributes as keyword-only parameters of a generated function or method: metric recording
methods and observations, event emitters, span event methods and entity builders share the rules
of span factories (required first, then by key; optional ones default to None)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from typed_semconv.model import AttributeUse
from typed_semconv.python import naming
from typed_semconv.python.context import Context, EnumClass
from typed_semconv.python.namer import Namer, Wanted
from typed_semconv.python.span_types import ValueTypes
from typed_semconv.python.view import PyParameter

_LEVEL_TEXT = {
    "required": "required",
    "conditionally_required": "conditionally required",
    "recommended": "recommended",
    "opt_in": "opt-in",
}


def is_required(use: AttributeUse) -> bool:
    return use.requirement_level.level == "required"


@dataclass(frozen=True)
class Parameters:
    """The parameters of one function, and the docstring line of each."""

    items: tuple[PyParameter, ...]
    doc_lines: tuple[str, ...]


def parameters(
    context: Context,
    owner: str,
    uses: Iterable[AttributeUse],
    types: ValueTypes,
    reserved: frozenset[str],
    required: Callable[[AttributeUse], bool] = is_required,
    level: Callable[[AttributeUse], str] | None = None,
) -> Parameters:
    """One parameter per attribute of `owner` (a function name, for warnings), named in a scope
    of its own that avoids `reserved` (what the function itself uses). `level` says how the
    docstring describes an attribute's requirement (by default its requirement level)."""
    ordered = sorted(uses, key=lambda u: (not required(u), u.key))
    names = context.namer(reserved).claim(
        f"parameter of {owner}",
        [
            Wanted(u.key, naming.function_name(u.key), u.attribute.location.first_of("id", "key"))
            for u in ordered
        ],
    )
    items = tuple(
        PyParameter(
            key=naming.string_literal(u.key),
            key_prefix=naming.string_literal(u.key + "."),
            param=names[u.key],
            value_type=types.of(u),
            required=required(u) and not u.attribute.type.is_template,
            is_template=u.attribute.type.is_template,
            value_expression=types.expression(u, names[u.key]),
        )
        for u in ordered
    )
    return Parameters(
        items, tuple(doc_line(u, names[u.key], level(u) if level else None) for u in ordered)
    )


def doc_line(use: AttributeUse, param: str, level: str | None = None) -> str:
    """The docstring line that describes a parameter: its key, requirement level and brief."""
    attribute = use.attribute
    shown_level = level or _LEVEL_TEXT[use.requirement_level.level]
    condition = use.requirement_level.condition
    brief = naming.clean_sentence(attribute.brief)
    line = f"{param}: `{attribute.key}`, {shown_level}"
    if attribute.type.is_template:
        line += ", a mapping: one attribute per key"
    if condition:
        line += f" ({naming.clean_sentence(condition)})"
    return line + (f". {brief}." if brief else ".")


def attributes_section(doc_lines: Sequence[str]) -> list[str]:
    """The `Attributes:` block of a docstring (nothing when there are none)."""
    if not doc_lines:
        return []
    return ["", "Attributes:", *(f"    {line}" for line in doc_lines)]


def uses_enum_value(items: Iterable[PyParameter]) -> bool:
    """Whether any parameter's value goes through `plain_value` (an enum)."""
    return any(p.value_expression != p.param for p in items)


@dataclass(frozen=True)
class ModuleEnums:
    """The enum classes a module's parameters take, imported for type checkers under the names
    the module's scope gives them."""

    types: ValueTypes
    imports: tuple[str, ...]


def module_enums(
    context: Context,
    namer: Namer,
    uses: Iterable[AttributeUse],
    enum_classes: Mapping[str, EnumClass],
) -> ModuleEnums:
    """Claim, in the module's `namer`, a name for the enum class of every enum attribute among
    `uses` (after the module's own names: they yield to those)."""
    first: dict[str, AttributeUse] = {}
    for use in uses:
        if use.key in enum_classes:
            first.setdefault(use.key, use)
    keys = sorted(first)
    names = namer.claim(
        "imported enum class",
        [
            Wanted(k, enum_classes[k].class_name, first[k].attribute.location.first_of("id", "key"))
            for k in keys
        ],
    )
    by_module: dict[str, set[str]] = {}
    for key in keys:
        enum = enum_classes[key]
        local = names[key]
        shown = enum.class_name if local == enum.class_name else f"{enum.class_name} as {local}"
        by_module.setdefault(enum.module, set()).add(shown)
    # Names in isort's order for classes: case-insensitive.
    imports = tuple(
        f"from ..attributes.{module} import {', '.join(sorted(shown, key=_isort_key))}"
        for module, shown in sorted(by_module.items())
    )
    return ModuleEnums(ValueTypes(names, context.closed_enums), imports)


def _isort_key(name: str) -> tuple[str, str]:
    return (name.lower(), name)


def typed_dict_imports(required: Iterable[bool]) -> str:
    """The TypedDict import, with `Required` and `NotRequired` only when the keys use them."""
    flags = set(required)
    names = [
        *(["NotRequired"] if False in flags else []),
        *(["Required"] if True in flags else []),
        "TypedDict",
    ]
    return f"from typing_extensions import {', '.join(names)}"
