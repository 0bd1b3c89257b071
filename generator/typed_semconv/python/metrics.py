"""The metric modules: a name constant and an instrument factory per metric."""

from __future__ import annotations

from collections import defaultdict

from typed_semconv.model import Group, Instrument, Registry
from typed_semconv.python import naming
from typed_semconv.python.context import Context, group_location
from typed_semconv.python.namer import Wanted, by_precedence
from typed_semconv.python.texts import deprecation_text, describe
from typed_semconv.python.view import PyMetric, PyMetricsModule

_INSTRUMENTS: dict[Instrument, tuple[str, str]] = {
    Instrument.COUNTER: ("create_counter", "Counter"),
    Instrument.UPDOWNCOUNTER: ("create_up_down_counter", "UpDownCounter"),
    Instrument.HISTOGRAM: ("create_histogram", "Histogram"),
    Instrument.GAUGE: ("create_observable_gauge", "ObservableGauge"),
}


def metric_modules(context: Context, registry: Registry) -> tuple[PyMetricsModule, ...]:
    by_module: dict[str, list[Group]] = defaultdict(list)
    for group in registry.groups:
        if context.selection.metric(group):
            name = _name(group)
            namespace = name.split(".", 1)[0] if "." in name else ""
            by_module[naming.module_name(namespace)].append(group)
    return tuple(_module(context, name, by_module[name]) for name in sorted(by_module))


def _name(group: Group) -> str:
    assert group.signal_name is not None
    return group.signal_name


def _module(context: Context, module: str, groups: list[Group]) -> PyMetricsModule:
    by_name: dict[str, Group] = {}
    for group in by_precedence(groups, lambda g: g.id):
        by_name.setdefault(_name(group), group)
    ranked = by_precedence(by_name.values(), _name)
    namer = context.namer(context.vocabulary.metrics_module)
    constants = namer.claim(
        "metric",
        [Wanted(_name(g), naming.constant_name(_name(g)), group_location(g)) for g in ranked],
    )
    factories = namer.claim(
        "metric factory",
        [
            Wanted(_name(g), "create_" + naming.function_name(_name(g)), group_location(g))
            for g in ranked
        ],
    )
    metrics = tuple(
        _metric(g, constants[_name(g)], factories[_name(g)])
        for g in sorted(by_name.values(), key=_name)
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
        header=context.header,
        docstring=naming.docstring_literal(f"Metrics of the `{module}` namespace."),
        imports=naming.import_block(standard, third_party),
        metrics=metrics,
    )


def _metric(group: Group, constant: str, factory: str) -> PyMetric:
    assert group.instrument is not None
    name = _name(group)
    method, return_type = _INSTRUMENTS[group.instrument]
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
    return PyMetric(
        constant=constant,
        name=naming.string_literal(name),
        docstring=naming.docstring_literal(doc),
        factory=factory,
        factory_docstring=naming.docstring_literal(
            f"Create the `{name}` {group.instrument.value}: "
            f"{naming.clean_sentence(group.brief) or 'no description'}."
        ),
        meter_method=method,
        return_type=return_type,
        takes_callbacks=group.instrument is Instrument.GAUGE,
        description=naming.string_literal(" ".join(group.brief.split())),
        unit=naming.string_literal(unit),
        deprecated_message=deprecated,
    )
