"""The Python view: what each generated module contains, with every name and literal decided.

Templates receive only these objects; they print fields and never derive names, types or
escapes themselves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from typed_semconv.check.span_naming import span_naming
from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics, Problem
from typed_semconv.model import (
    Attribute,
    Deprecation,
    EnumMember,
    Group,
    GroupKind,
    Instrument,
    Registry,
    Stability,
)
from typed_semconv.options import FilterOptions
from typed_semconv.python import naming
from typed_semconv.python.spans import EnumClass, PySpansModule, SpanViewBuilder

TOOL_NAME = "typed-semconv"


@dataclass(frozen=True)
class PyEnumMember:
    name: str
    value: str
    docstring: str


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


@dataclass(frozen=True)
class PyMetricsModule:
    path: str
    header: str
    docstring: str
    imports: tuple[str, ...]
    metrics: tuple[PyMetric, ...]


@dataclass(frozen=True)
class PyFixedModule:
    """A module whose content is fixed by its template (package `__init__`s, span support)."""

    path: str
    template: str
    header: str
    docstring: str


@dataclass(frozen=True)
class PyPackage:
    name: str
    attribute_modules: tuple[PyAttributesModule, ...]
    metric_modules: tuple[PyMetricsModule, ...]
    span_modules: tuple[PySpansModule, ...]
    fixed_modules: tuple[PyFixedModule, ...]
    renames: tuple[str, ...]


_INSTRUMENTS: dict[Instrument, tuple[str, str]] = {
    Instrument.COUNTER: ("create_counter", "Counter"),
    Instrument.UPDOWNCOUNTER: ("create_up_down_counter", "UpDownCounter"),
    Instrument.HISTOGRAM: ("create_histogram", "Histogram"),
    Instrument.GAUGE: ("create_observable_gauge", "ObservableGauge"),
}


def deprecation_text(deprecation: Deprecation) -> str:
    if deprecation.note:
        return naming.clean_sentence(deprecation.note)
    if deprecation.reason == "renamed" and deprecation.renamed_to:
        return f"Replaced by `{deprecation.renamed_to}`"
    if deprecation.reason == "obsoleted":
        return "Obsoleted"
    return "No replacement"


def _describe(
    brief: str,
    note: str,
    stability: Stability,
    deprecation: Deprecation | None,
    extra: Sequence[str] = (),
) -> str:
    parts = []
    if brief:
        parts.append(naming.clean_sentence(brief) + ".")
    if note:
        parts.append("Note: " + note.strip())
    details = [*extra, f"Stability: {stability.value}."]
    if deprecation is not None:
        details.append(f"Deprecated: {deprecation_text(deprecation)}.")
    parts.append("\n".join(details))
    return "\n\n".join(parts)


class _Selection:
    """Which items the options keep.

    A dependency registry contributes only what the project uses: the attributes its groups
    reference and the signals its `imports` name, unless the whole dependency is asked for.
    """

    def __init__(self, options: FilterOptions, registry: Registry) -> None:
        self.options = options
        self.used_keys = frozenset(
            use.key
            for group in registry.groups
            if self._origin_kept(group)
            for use in group.attributes
        )

    def _origin_kept(self, group: Group) -> bool:
        return not group.from_dependency or group.imported or self.options.include_dependencies

    def _namespace_kept(self, key: str) -> bool:
        excluded = self.options.exclude_namespaces
        return not any(key == ns or key.startswith(ns + ".") for ns in excluded)

    def _level_kept(self, stability: Stability, deprecation: Deprecation | None) -> bool:
        if self.options.stable_only and stability is not Stability.STABLE:
            return False
        return self.options.include_deprecated or deprecation is None

    def attribute(self, attribute: Attribute) -> bool:
        if (
            attribute.from_dependency
            and not self.options.include_dependencies
            and attribute.key not in self.used_keys
        ):
            return False
        return (
            not attribute.code_generation_excluded
            and self._namespace_kept(attribute.key)
            and self._level_kept(attribute.stability, attribute.deprecation)
        )

    def member(self, member: EnumMember) -> bool:
        return not member.code_generation_excluded and self._level_kept(
            member.stability, member.deprecation
        )

    def span(self, group: Group) -> bool:
        return (
            group.kind is GroupKind.SPAN
            and self._origin_kept(group)
            and not group.code_generation_excluded
            and self._namespace_kept(group.signal_name or group.id)
            and self._level_kept(group.stability, group.deprecation)
        )

    def metric(self, group: Group) -> bool:
        return (
            group.kind is GroupKind.METRIC
            and self._origin_kept(group)
            and group.refines is None
            and group.signal_name is not None
            and not group.code_generation_excluded
            and self._namespace_kept(group.signal_name)
            and self._level_kept(group.stability, group.deprecation)
        )


def _header(source: str) -> str:
    return (
        f"# Generated by {TOOL_NAME} from {naming.comment_text(source)}.\n"
        "# Do not edit: change the registry or the templates and generate again."
    )


class _ViewBuilder:
    def __init__(
        self,
        registry: Registry,
        package: str,
        options: FilterOptions,
        closed_enums: bool,
        diagnostics: Diagnostics,
    ) -> None:
        self.registry = registry
        self.package = package
        self.selection = _Selection(options, registry)
        self.diagnostics = diagnostics
        self.renames: list[str] = []
        self.enum_classes: dict[str, EnumClass] = {}
        self.closed_enums = closed_enums
        source = (
            registry.schema_url
            or ", ".join(s.rstrip("/").rsplit("/", 1)[-1] for s in registry.sources)
            or "a registry"
        )
        self.header = _header(source)

    def build(self) -> PyPackage:
        attribute_modules = self.attribute_modules()
        metric_modules = self.metric_modules()
        span_modules = self.span_modules()
        fixed = [
            self.fixed(
                "__init__.py",
                "__init__.py.j2",
                "Typed OpenTelemetry semantic conventions, generated by typed-semconv.",
            ),
            self.fixed(
                "attributes/__init__.py",
                "__init__.py.j2",
                "Attribute name constants and enum values, one module per root namespace.",
            ),
            self.fixed(
                "metrics/__init__.py",
                "__init__.py.j2",
                "Metric name constants and instrument factories, one module per root namespace.",
            ),
        ]
        if span_modules:
            fixed += [
                self.fixed(
                    "spans/__init__.py",
                    "spans_init.py.j2",
                    "Typed span factories, one module per root namespace.",
                ),
                self.fixed(
                    "spans/_support.py",
                    "span_support.py.j2",
                    "What every generated "
                    "span factory shares: the span name type and the typed span base.",
                ),
            ]
        return PyPackage(
            self.package,
            attribute_modules,
            metric_modules,
            span_modules,
            tuple(fixed),
            tuple(self.renames),
        )

    def fixed(self, path: str, template: str, doc: str) -> PyFixedModule:
        return PyFixedModule(path, template, self.header, naming.docstring_literal(doc))

    # -- naming with collision handling ------------------------------------------------------

    def unique(
        self, kind: str, wanted: Sequence[tuple[str, str]], reserved: Sequence[str] = ()
    ) -> dict[str, str]:
        """Collision-free names; renames are warned about (enum members by validation)."""
        result = naming.disambiguate(wanted, reserved)
        for item, name in wanted:
            if result[item] != name and not kind.startswith("member of"):
                message = (
                    f"{kind} `{item}` would be named `{name}` like another; "
                    f"named `{result[item]}` instead"
                )
                self.renames.append(message)
                self.diagnostics.report(catalogue.NAME_COLLISION, message)
        return result

    @staticmethod
    def precedence(attribute: Attribute) -> tuple[bool, str]:
        """Non-deprecated attributes win a name; then codepoint order of the key."""
        return (attribute.deprecation is not None, attribute.key)

    # -- attributes --------------------------------------------------------------------------

    def attribute_modules(self) -> tuple[PyAttributesModule, ...]:
        by_module: dict[str, list[Attribute]] = defaultdict(list)
        for attribute in self.registry.attributes:
            if self.selection.attribute(attribute):
                by_module[naming.module_name(attribute.root_namespace)].append(attribute)
        return tuple(self.attribute_module(name, by_module[name]) for name in sorted(by_module))

    def attribute_module(self, module: str, attributes: list[Attribute]) -> PyAttributesModule:
        ranked = sorted(attributes, key=self.precedence)
        constants = self.unique(
            "attribute",
            [
                (a.key, naming.constant_name(a.key) + ("_TEMPLATE" if a.type.is_template else ""))
                for a in ranked
            ],
        )
        enum_attrs = [a for a in ranked if a.type.is_enum]
        classes = self.unique(
            "enum", [(a.key, naming.class_name(a.key) + "Values") for a in enum_attrs]
        )
        templates = [a for a in ranked if a.type.is_template]
        functions = self.unique(
            "template",
            [(a.key, naming.function_name(a.key)) for a in templates],
            ("annotations", "deprecated"),  # names the module imports
        )
        py_attributes = tuple(
            PyAttribute(
                constant=constants[a.key],
                key=naming.string_literal(a.key),
                docstring=naming.docstring_literal(self.attribute_doc(a)),
                template_function=self.template_function(a, functions[a.key], constants[a.key])
                if a.type.is_template
                else None,
            )
            for a in sorted(attributes, key=lambda a: a.key)
        )
        enums = tuple(self.enum(a, classes[a.key]) for a in sorted(enum_attrs, key=lambda a: a.key))
        for attribute in enum_attrs:
            self.enum_classes[attribute.key] = EnumClass(
                f"{module}_attributes", classes[attribute.key]
            )
        standard = ["from enum import Enum"] if enums else []
        standard.append("from typing import Final")
        deprecated_used = any(e.deprecated_message for e in enums) or any(
            a.template_function and a.template_function.deprecated_message for a in py_attributes
        )
        third_party = ["from typing_extensions import deprecated"] if deprecated_used else []
        shown = module if module != "other" else "attributes without a namespace"
        return PyAttributesModule(
            path=f"attributes/{module}_attributes.py",
            header=self.header,
            docstring=naming.docstring_literal(f"Attributes of the `{shown}` namespace."),
            imports=naming.import_block(standard, third_party),
            attributes=py_attributes,
            enums=enums,
        )

    def attribute_doc(self, attribute: Attribute) -> str:
        extra = [f"Type: {attribute.type.describe()}."]
        if attribute.examples:
            shown = ", ".join(
                naming.value_literal(e) if not isinstance(e, (list, dict)) else str(e)
                for e in attribute.examples[:3]
            )
            extra.append(f"Examples: {shown}.")
        return _describe(
            attribute.brief, attribute.note, attribute.stability, attribute.deprecation, extra
        )

    def template_function(
        self, attribute: Attribute, name: str, constant: str
    ) -> PyTemplateFunction:
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

    def warn_member_collisions(
        self,
        attribute: Attribute,
        ranked: Sequence[EnumMember],
        wanted: Mapping[str, str],
        names: Mapping[str, str],
    ) -> None:
        """Members renamed with a `_2`, `_3`... suffix, which a reader would not expect.

        The member that ranks first keeps the name. A deprecated member that yields its name to
        its replacement (`azure_vm` renamed to `azure.vm`) is the expected case: no warning.
        """
        holder = {names[m.id]: m for m in ranked}
        for member in ranked:
            name = wanted[member.id]
            if names[member.id] == name:
                continue
            winner = holder.get(name)
            if winner is None or (member.deprecation is not None and winner.deprecation is None):
                continue
            self.diagnostics.report(
                catalogue.ENUM_MEMBER_COLLISION,
                f"enum member `{member.id}` of `{attribute.key}` has the same Python name "
                f"`{name}` as member `{winner.id}`",
                member.location.at("id"),
                f"`{winner.id}` is at {winner.location.at('id')}; give the members ids that "
                "differ in more than `.`, `_` or other punctuation",
            )

    def enum(self, attribute: Attribute, class_name: str) -> PyEnum:
        assert attribute.type.members is not None
        kept = [m for m in attribute.type.members if self.selection.member(m)]
        ranked = sorted(kept, key=lambda m: (m.deprecation is not None, m.id))
        wanted = [(m.id, naming.member_name(m.id)) for m in ranked]
        names = self.unique(f"member of {class_name}", wanted)
        self.warn_member_collisions(attribute, ranked, dict(wanted), names)
        members = tuple(
            PyEnumMember(
                name=names[m.id],
                value=naming.value_literal(m.value),
                docstring=naming.docstring_literal(
                    _describe(m.brief or m.id, m.note, m.stability, m.deprecation)
                ),
            )
            for m in kept
        )
        deprecated = None
        if attribute.deprecation is not None:
            deprecated = naming.string_literal(
                f"The attribute {attribute.key} is deprecated - "
                f"{deprecation_text(attribute.deprecation)}"
            )
        closed = "closed" if attribute.type.closed else "open: other values are allowed too"
        doc = f"Values of `{attribute.key}` ({closed})."
        return PyEnum(
            class_name,
            naming.docstring_literal(doc),
            deprecated,
            members,
        )

    # -- spans -------------------------------------------------------------------------------

    def span_modules(self) -> tuple[PySpansModule, ...]:
        by_module: dict[str, list[Group]] = defaultdict(list)
        for group in self.registry.groups:
            if not self.selection.span(group):
                continue
            kept = tuple(u for u in group.attributes if self.selection.attribute(u.attribute))
            if not self.pattern_attributes_kept(group, {u.key for u in kept}):
                continue
            stem = group.signal_name or group.id.removeprefix("span.")
            namespace = stem.split(".", 1)[0] if "." in stem else ""
            by_module[naming.module_name(namespace)].append(replace(group, attributes=kept))
        builder = SpanViewBuilder(
            header=self.header,
            enum_classes=self.enum_classes,
            closed_enums=self.closed_enums,
            unique=self.unique,
            deprecation_text=lambda g: (
                f"The span {g.signal_name or g.id} is deprecated - "
                f"{deprecation_text(g.deprecation)}"
                if g.deprecation
                else None
            ),
        )
        return tuple(builder.module(name, by_module[name]) for name in sorted(by_module))

    def pattern_attributes_kept(self, group: Group, kept: set[str]) -> bool:
        """A name pattern needs its attributes: report one the options leave out."""
        try:
            naming_ = span_naming(group)
        except Problem:
            return False  # validation has reported it
        missing = sorted({p.key for p in naming_.pattern or () if p.key is not None} - kept)
        for key in missing:
            self.diagnostics.report(
                catalogue.SPAN_NAME_FILTERED_ATTRIBUTE,
                f"the name pattern of span `{group.id}` uses `{key}`, which the generation "
                "options leave out (--stable-only, --exclude-deprecated or --exclude-namespace)",
                naming_.location,
                "keep that attribute, or give the span a static `span_name`",
            )
        return not missing

    # -- metrics -----------------------------------------------------------------------------

    def metric_modules(self) -> tuple[PyMetricsModule, ...]:
        by_module: dict[str, list[Group]] = defaultdict(list)
        for group in self.registry.groups:
            if self.selection.metric(group):
                assert group.signal_name is not None
                namespace = group.signal_name.split(".", 1)[0] if "." in group.signal_name else ""
                by_module[naming.module_name(namespace)].append(group)
        return tuple(self.metric_module(name, by_module[name]) for name in sorted(by_module))

    def metric_module(self, module: str, groups: list[Group]) -> PyMetricsModule:
        by_name: dict[str, Group] = {}
        for group in sorted(groups, key=lambda g: (g.deprecation is not None, g.id)):
            assert group.signal_name is not None
            by_name.setdefault(group.signal_name, group)
        ranked = sorted(
            by_name.values(), key=lambda g: (g.deprecation is not None, g.signal_name or "")
        )
        constants = self.unique(
            "metric",
            [(g.signal_name or "", naming.constant_name(g.signal_name or "")) for g in ranked],
        )
        factories = self.unique(
            "metric factory",
            [
                (g.signal_name or "", "create_" + naming.function_name(g.signal_name or ""))
                for g in ranked
            ],
        )
        metrics = tuple(
            self.metric(g, constants[g.signal_name or ""], factories[g.signal_name or ""])
            for g in sorted(by_name.values(), key=lambda g: g.signal_name or "")
        )
        instrument_types = sorted({m.return_type for m in metrics} | {"Meter"})
        standard = ["from typing import Final"]
        if any(m.takes_callbacks for m in metrics):
            standard.insert(0, "from collections.abc import Sequence")
            instrument_types = sorted({*instrument_types, "CallbackT"})
        third_party = [f"from opentelemetry.metrics import {', '.join(instrument_types)}"]
        if any(m.deprecated_message for m in metrics):
            third_party.append("from typing_extensions import deprecated")
        return PyMetricsModule(
            path=f"metrics/{module}_metrics.py",
            header=self.header,
            docstring=naming.docstring_literal(f"Metrics of the `{module}` namespace."),
            imports=naming.import_block(standard, third_party),
            metrics=metrics,
        )

    def metric(self, group: Group, constant: str, factory: str) -> PyMetric:
        assert group.signal_name is not None and group.instrument is not None
        method, return_type = _INSTRUMENTS[group.instrument]
        unit = group.unit or ""
        doc = _describe(
            group.brief,
            group.note,
            group.stability,
            group.deprecation,
            [f"Instrument: {group.instrument.value}.", f"Unit: {unit or '(none)'}."],
        )
        deprecated = None
        if group.deprecation is not None:
            deprecated = naming.string_literal(
                f"The metric {group.signal_name} is deprecated - "
                f"{deprecation_text(group.deprecation)}"
            )
        return PyMetric(
            constant=constant,
            name=naming.string_literal(group.signal_name),
            docstring=naming.docstring_literal(doc),
            factory=factory,
            factory_docstring=naming.docstring_literal(
                f"Create the `{group.signal_name}` {group.instrument.value}: "
                f"{naming.clean_sentence(group.brief) or 'no description'}."
            ),
            meter_method=method,
            return_type=return_type,
            takes_callbacks=group.instrument is Instrument.GAUGE,
            description=naming.string_literal(" ".join(group.brief.split())),
            unit=naming.string_literal(unit),
            deprecated_message=deprecated,
        )


def build_view(
    registry: Registry,
    package: str,
    options: FilterOptions,
    diagnostics: Diagnostics,
    closed_enums: bool = False,
) -> PyPackage:
    """Decide every module, name and literal of the package generated from `registry`."""
    return _ViewBuilder(registry, package, options, closed_enums, diagnostics).build()
