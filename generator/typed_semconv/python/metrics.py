"""The metric modules: per metric a name constant, the instrument factory of the PyPI package,
and a typed instrument class whose recording method takes the metric's attributes as typed
keyword-only parameters; one module per root namespace."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from typed_semconv.model import Group, Instrument, Registry
from typed_semconv.python import naming
from typed_semconv.python.context import Context, EnumClass, claim_signal_names
from typed_semconv.python.namer import Namer, by_precedence
from typed_semconv.python.parameters import (
    Parameters,
    attributes_section,
    module_enums,
    parameters,
    typed_dict_imports,
    uses_enum_value,
)
from typed_semconv.python.selection import signal_name
from typed_semconv.python.span_types import ValueTypes
from typed_semconv.python.texts import deprecation_text, describe
from typed_semconv.python.view import PyMetric, PyMetricsModule


@dataclass(frozen=True)
class _Kind:
    """How one instrument kind is created and recorded."""

    meter_method: str  # what the PyPI package's factory calls
    return_type: str
    base: str  # the typed instrument base of `metrics/_support.py`
    record_method: str  # the API's own verb
    observable: bool  # also has an asynchronous (observable) form


_KINDS: dict[Instrument, _Kind] = {
    Instrument.COUNTER: _Kind("create_counter", "Counter", "TypedCounter", "add", True),
    Instrument.UPDOWNCOUNTER: _Kind(
        "create_up_down_counter", "UpDownCounter", "TypedUpDownCounter", "add", True
    ),
    Instrument.HISTOGRAM: _Kind("create_histogram", "Histogram", "TypedHistogram", "record", False),
    Instrument.GAUGE: _Kind(
        "create_observable_gauge", "ObservableGauge", "TypedGauge", "set", True
    ),
}


def metric_modules(
    context: Context, registry: Registry, enum_classes: Mapping[str, EnumClass]
) -> tuple[PyMetricsModule, ...]:
    by_module: dict[str, list[Group]] = defaultdict(list)
    for group in registry.groups:
        if context.selection.metric(group):
            name = signal_name(group)
            namespace = name.split(".", 1)[0] if "." in name else ""
            by_module[naming.module_name(namespace)].append(
                replace(group, attributes=context.selection.kept_uses(group))
            )
    return tuple(
        _module(context, name, by_module[name], enum_classes) for name in sorted(by_module)
    )


@dataclass(frozen=True)
class _Names:
    constant: str
    factory: str
    class_name: str
    typed_dict: str


def _claim_names(namer: Namer, ranked: Sequence[Group]) -> dict[str, _Names]:
    """The module-level names of each metric: the PyPI package's names claim first."""

    constants = claim_signal_names(namer, ranked, "metric", naming.constant_name)
    factories = claim_signal_names(
        namer, ranked, "metric factory", lambda n: "create_" + naming.function_name(n)
    )
    classes = claim_signal_names(namer, ranked, "metric class", naming.class_name)
    dicts = claim_signal_names(
        namer, ranked, "metric attributes type", lambda n: naming.class_name(n) + "Attributes"
    )
    return {
        signal_name(g): _Names(
            constants[signal_name(g)],
            factories[signal_name(g)],
            classes[signal_name(g)],
            dicts[signal_name(g)],
        )
        for g in ranked
    }


def _module(
    context: Context, module: str, groups: list[Group], enum_classes: Mapping[str, EnumClass]
) -> PyMetricsModule:
    by_name: dict[str, Group] = {}
    for group in by_precedence(groups, lambda g: g.id):
        by_name.setdefault(signal_name(group), group)
    namer = context.namer(context.vocabulary.metrics_module)
    names = _claim_names(namer, by_precedence(by_name.values(), signal_name))
    ordered = sorted(by_name.values(), key=signal_name)
    enums = module_enums(context, namer, [u for g in ordered for u in g.attributes], enum_classes)
    metrics = tuple(_metric(context, g, names[signal_name(g)], enums.types) for g in ordered)
    return PyMetricsModule(
        path=f"metrics/{module}_metrics.py",
        header=context.header,
        docstring=naming.docstring_literal(f"Metrics of the `{module}` namespace."),
        imports=_runtime_imports(metrics),
        typing_imports=_typing_imports(metrics, enums.imports),
        metrics=metrics,
    )


def _runtime_imports(metrics: Sequence[PyMetric]) -> tuple[str, ...]:
    instrument_types = {m.return_type for m in metrics} | {"Meter"}
    standard = ["from typing import TYPE_CHECKING, Final"]
    if any(m.takes_callbacks for m in metrics):
        standard.insert(0, "from collections.abc import Sequence")
        instrument_types.add("CallbackT")
    third_party = [f"from opentelemetry.metrics import {', '.join(sorted(instrument_types))}"]
    if any(m.deprecated_message for m in metrics):
        third_party.append("from typing_extensions import deprecated")
    support = {m.base for m in metrics}
    local = [f"from ._support import {', '.join(sorted(support))}"]
    if any(uses_enum_value(m.attributes) for m in metrics):
        local.insert(0, "from .._values import plain_value")
    return naming.import_block(standard, third_party, local)


def _typing_imports(metrics: Sequence[PyMetric], enum_imports: Sequence[str]) -> tuple[str, ...]:
    parameters_of = [p for m in metrics for p in m.attributes]
    standard = ["from typing import Any"]
    if any(p.is_template for p in parameters_of):
        standard.insert(0, "from collections.abc import Mapping")
    third_party = [
        "from opentelemetry.context import Context",
        typed_dict_imports(p.required for m in metrics for p in m.typed_dict_attributes),
    ]
    if any("AttributeValue" in p.value_type for p in parameters_of):
        third_party.append("from opentelemetry.util.types import AttributeValue")
    return naming.import_block(standard, third_party, list(enum_imports), indent=4)


def _metric(context: Context, group: Group, names: _Names, types: ValueTypes) -> PyMetric:
    assert group.instrument is not None
    name = signal_name(group)
    kind = _KINDS[group.instrument]
    unit = group.unit or ""
    doc = describe(
        group.brief,
        group.note,
        group.stability,
        group.deprecation,
        [f"Instrument: {group.instrument.value}.", f"Unit: {unit or '(none)'}."],
    )
    deprecated = None
    if group.deprecation is not None:
        deprecated = naming.string_literal(
            f"The metric {name} is deprecated - {deprecation_text(group.deprecation)}"
        )
    params = parameters(
        context,
        f"{names.class_name}.{kind.record_method}",
        group.attributes,
        types,
        context.vocabulary.metric_method,
    )
    brief = naming.clean_sentence(group.brief)
    return PyMetric(
        constant=names.constant,
        name=naming.string_literal(name),
        docstring=naming.docstring_literal(doc),
        factory=names.factory,
        factory_docstring=naming.docstring_literal(
            f"Create the `{name}` {group.instrument.value}: {brief or 'no description'}."
        ),
        meter_method=kind.meter_method,
        return_type=kind.return_type,
        takes_callbacks=group.instrument is Instrument.GAUGE,
        description=naming.string_literal(" ".join(group.brief.split())),
        unit=naming.string_literal(unit),
        deprecated_message=deprecated,
        class_name=names.class_name,
        class_docstring=naming.docstring_literal(_class_doc(group, kind, unit, params)),
        base=kind.base,
        record_method=kind.record_method,
        record_docstring=naming.docstring_literal(
            f"{kind.record_method.capitalize()} a measurement of `{name}`; attributes given "
            "as None are left out."
        ),
        typed_dict=names.typed_dict,
        typed_dict_name=naming.string_literal(names.typed_dict),
        attributes=params.items,
    )


def _class_doc(group: Group, kind: _Kind, unit: str, params: Parameters) -> str:
    assert group.instrument is not None
    name = signal_name(group)
    lines = [f"The `{name}` {group.instrument.value}, typed."]
    if group.brief:
        lines += ["", naming.clean_sentence(group.brief) + "."]
    lines += [
        "",
        f"Unit: {unit or '(none)'}. Stability: {group.stability.value}.",
    ]
    if group.deprecation is not None:
        lines.append(f"Deprecated: {deprecation_text(group.deprecation)}.")
    lines += [
        "",
        f"Create it once from a `Meter`, then `.{kind.record_method}(amount, ...)`; "
        f"`.instrument` is the",
        f"OpenTelemetry `{_API_CLASSES[group.instrument]}`.",
    ]
    if kind.observable:
        lines += [
            "The asynchronous form: `create_observable(meter, callbacks)`, whose callbacks",
            "return `observation(amount, ...)`s.",
        ]
    lines += attributes_section(params.doc_lines)
    return "\n".join(lines)


_API_CLASSES = {
    Instrument.COUNTER: "Counter",
    Instrument.UPDOWNCOUNTER: "UpDownCounter",
    Instrument.HISTOGRAM: "Histogram",
    Instrument.GAUGE: "Gauge",
}
