"""Every name a generated package exports, and the registry item each was named after.

The tables are read from the generator's own view of the package (`python.view.build_view`), so
the names `upgrade` writes are exactly the names `generate` produces, collisions and all.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from typed_semconv.model import GroupKind, Registry
from typed_semconv.python import naming
from typed_semconv.python.package import PyPackage
from typed_semconv.python.selection import Selection
from typed_semconv.python.view import PyEnum


class Role(enum.Enum):
    """What a generated name stands for."""

    CONSTANT = "attribute constant"
    TEMPLATE_FUNCTION = "template key function"
    ENUM_CLASS = "enum class"
    METRIC_CONSTANT = "metric constant"
    METRIC_FACTORY = "metric factory"
    SPAN_FACTORY = "span factory"
    SPAN_CLASS = "span class"
    SPAN_ATTRIBUTES = "span attributes type"
    SPAN_UPDATE = "span attribute update type"
    SPAN_NAME = "span name constant"
    SETTER_CLASS = "setter mixin"

    @property
    def of_attribute(self) -> bool:
        return self in (Role.CONSTANT, Role.TEMPLATE_FUNCTION, Role.ENUM_CLASS, Role.SETTER_CLASS)

    @property
    def of_metric(self) -> bool:
        return self in (Role.METRIC_CONSTANT, Role.METRIC_FACTORY)


@dataclass(frozen=True)
class Item:
    """A registry item under one of its generated names: an attribute key, a metric name or a
    span's group id, with the role of the name."""

    role: Role
    id: str


@dataclass(frozen=True)
class Symbol:
    """A name in a module of the package; `module` is relative to the package
    (`attributes.http_attributes`)."""

    module: str
    name: str


@dataclass(frozen=True)
class PackageNames:
    symbols: Mapping[Item, tuple[Symbol, ...]]
    items: Mapping[Symbol, Item]
    members: Mapping[tuple[str, str], str]  # (attribute key, member id) -> member name
    member_ids: Mapping[tuple[str, str], str]  # (attribute key, member name) -> member id
    parameters: Mapping[tuple[str, str], str]  # (span id, attribute key) -> parameter
    parameter_keys: Mapping[tuple[str, str], str]  # (span id, parameter) -> attribute key
    required: Mapping[str, tuple[str, ...]]  # span id -> parameters a call must pass
    setters: Mapping[str, str]  # attribute key -> setter method
    setter_keys: Mapping[str, str]  # setter method -> attribute key
    by_name: Mapping[tuple[Role, str], tuple[Symbol, ...]] = field(default_factory=dict)

    def symbol(self, item: Item, near: str | None = None) -> Symbol | None:
        """The name of `item`; in module `near` if it has one there (setter mixins)."""
        found = self.symbols.get(item, ())
        return next((s for s in found if s.module == near), found[0] if found else None)


def _module(path: str) -> str:
    """`attributes/http_attributes.py` -> `attributes.http_attributes`."""
    return path.removesuffix(".py").replace("/", ".")


class _Tables:
    def __init__(self) -> None:
        self.symbols: dict[Item, list[Symbol]] = {}
        self.items: dict[Symbol, Item] = {}

    def add(self, role: Role, item_id: str, module: str, name: str) -> None:
        symbol = Symbol(module, name)
        self.symbols.setdefault(Item(role, item_id), []).append(symbol)
        self.items[symbol] = Item(role, item_id)


def package_names(view: PyPackage, registry: Registry, selection: Selection) -> PackageNames:
    """The names of `view`, the package built from `registry` with the options of `selection`."""
    attributes = {a.key: a for a in registry.attributes}
    keys = {naming.string_literal(key): key for key in attributes}
    metric_names = {
        naming.string_literal(g.signal_name): g.signal_name
        for g in registry.groups_of(GroupKind.METRIC)
        if g.signal_name
    }
    tables = _Tables()
    enums: dict[tuple[str, str], PyEnum] = {}
    for attribute_module in view.attribute_modules:
        module = _module(attribute_module.path)
        for attribute in attribute_module.attributes:
            key = keys[attribute.key]
            tables.add(Role.CONSTANT, key, module, attribute.constant)
            if attribute.template_function is not None:
                tables.add(Role.TEMPLATE_FUNCTION, key, module, attribute.template_function.name)
        enums.update(((module, e.class_name), e) for e in attribute_module.enums)
    members: dict[tuple[str, str], str] = {}
    for key, enum_class in view.enum_classes.items():
        module = f"attributes.{enum_class.module}"
        tables.add(Role.ENUM_CLASS, key, module, enum_class.class_name)
        # An enum's members are the kept ones, in registry order.
        kept = [m for m in attributes[key].type.members or () if selection.member(m)]
        members_of = enums[module, enum_class.class_name].members
        members.update(((key, m.id), py.name) for m, py in zip(kept, members_of, strict=True))
    for metric_module in view.metric_modules:
        module = _module(metric_module.path)
        for metric in metric_module.metrics:
            metric_name = metric_names[metric.name]
            tables.add(Role.METRIC_CONSTANT, metric_name, module, metric.constant)
            tables.add(Role.METRIC_FACTORY, metric_name, module, metric.factory)
    spans = {
        (spans_module.path, span.factory): span
        for spans_module in view.span_modules
        for span in spans_module.spans
    }
    setters: dict[str, str] = {}
    for spans_module in view.span_modules:
        module = _module(spans_module.path)
        for setter in spans_module.setters:
            key = keys[setter.key]
            tables.add(Role.SETTER_CLASS, key, module, setter.class_name)
            setters.setdefault(key, setter.method)
    parameters: dict[tuple[str, str], str] = {}
    required: dict[str, tuple[str, ...]] = {}
    for span_id, (path, factory) in view.span_factories.items():
        span = spans[path, factory]
        named: tuple[tuple[Role, str | None], ...] = (
            (Role.SPAN_FACTORY, span.factory),
            (Role.SPAN_CLASS, span.class_name),
            (Role.SPAN_ATTRIBUTES, span.typed_dict),
            (Role.SPAN_UPDATE, span.update_dict),
            (Role.SPAN_NAME, span.name_constant),
        )
        for role, span_name in named:
            if span_name is not None:
                tables.add(role, span_id, _module(path), span_name)
        for span_attribute in span.attributes:
            parameters[span_id, keys[span_attribute.key]] = span_attribute.param
        required[span_id] = tuple(a.param for a in span.attributes if a.required)
    return PackageNames(
        symbols={item: tuple(found) for item, found in tables.symbols.items()},
        items=tables.items,
        members=members,
        member_ids={(key, name): member for (key, member), name in members.items()},
        parameters=parameters,
        parameter_keys={(span, param): key for (span, key), param in parameters.items()},
        required=required,
        setters=setters,
        setter_keys={method: key for key, method in setters.items()},
        by_name=_by_name(tables.items),
    )


def _by_name(items: Mapping[Symbol, Item]) -> dict[tuple[Role, str], tuple[Symbol, ...]]:
    found: dict[tuple[Role, str], list[Symbol]] = {}
    for symbol, item in items.items():
        found.setdefault((item.role, symbol.name), []).append(symbol)
    return {key: tuple(symbols) for key, symbols in found.items()}
