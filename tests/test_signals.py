"""Metrics, events, span events and entities from a small registry of our own: what is generated,
what the options leave out, the name overrides, the diagnostics, and what the generated code
exports through the OpenTelemetry SDK (in-memory metric reader and log exporter)."""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import (
    Gauge,
    Histogram,
    InMemoryMetricReader,
    Metric,
    Sum,
)
from opentelemetry.sdk.resources import Resource

from conftest import run_cli

REGISTRY = {
    "attributes.yaml": """
        file_format: definition/2
        attributes:
          - key: bakery.oven.id
            type: string
            stability: stable
            brief: Identifier of the oven.
          - key: bakery.bread.kind
            type:
              members:
                - {id: sourdough, value: sourdough, stability: stable}
                - {id: rye, value: rye, stability: stable}
            stability: stable
            brief: Kind of bread.
          - key: bakery.tray.label
            type: template[string]
            stability: development
            brief: Labels of the tray, by label name.
          - key: bakery.loaves
            type: int
            stability: stable
            brief: Loaves on the tray.
          - key: bakery.legacy_kind
            type: string
            stability: stable
            brief: Replaced by the kind.
            deprecated: {reason: renamed, renamed_to: bakery.bread.kind}
            annotations:
              typed_semconv:
                names: {attribute: OLD_KIND}
    """,
    "signals.yaml": """
        file_format: definition/2
        metrics:
          - name: bakery.bake.duration
            brief: Time a tray spends in the oven.
            instrument: histogram
            unit: s
            stability: stable
            attributes:
              - ref: bakery.oven.id
                requirement_level: required
              - ref: bakery.bread.kind
              - ref: bakery.tray.label
          - name: bakery.loaves.baked
            brief: Loaves baked.
            instrument: counter
            unit: "{loaf}"
            stability: stable
            attributes:
              - ref: bakery.bread.kind
                requirement_level: required
          - name: bakery.ovens.hot
            brief: Ovens that are heating.
            instrument: updowncounter
            unit: "{oven}"
            stability: development
          - name: bakery.oven.temperature
            brief: Temperature inside an oven.
            instrument: gauge
            unit: Cel
            stability: stable
            attributes:
              - ref: bakery.oven.id
                requirement_level: required
            annotations:
              typed_semconv:
                names: {metric_class: OvenHeat}
        events:
          - name: bakery.tray.burnt
            brief: A tray came out burnt.
            stability: stable
            attributes:
              - ref: bakery.oven.id
                requirement_level: required
              - ref: bakery.loaves
          - name: bakery.oven.cleaned
            brief: An oven was cleaned.
            stability: development
          - name: bakery.secret
            brief: Not for code.
            stability: stable
            annotations:
              code_generation: {exclude: true}
        entities:
          - type: bakery.shop
            brief: One bakery shop.
            stability: stable
            identity:
              - ref: bakery.oven.id
            description:
              - ref: bakery.bread.kind
              - ref: bakery.tray.label
    """,
    "spans.yaml": """
        groups:
          - id: span.bakery.bake
            type: span
            span_kind: internal
            stability: stable
            brief: Baking one tray.
            events: [bakery.tray.burnt, event.bakery.oven.cleaned, bakery.nowhere]
            attributes:
              - ref: bakery.oven.id
                requirement_level: required
            annotations:
              typed_semconv:
                span_name: bakery.bake
                names: {span_factory: start_baking}
          - id: event.bakery.tray.flipped
            type: event
            name: bakery.tray.flipped
            stability: stable
            brief: A tray was flipped.
            body:
              id: bakery.tray.flipped
              type: map
              requirement_level: required
              stability: stable
              fields:
                - {id: side, type: string, requirement_level: required, stability: stable}
                - id: trays
                  type: map[]
                  requirement_level: opt_in
                  stability: stable
                  fields:
                    - {id: n, type: int, requirement_level: required, stability: stable}
    """,
}


def write_registry(folder: Path, files: dict[str, str] = REGISTRY) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def generate(tmp_path: Path, package: str, *extra: str) -> tuple[Path, str]:
    registry = write_registry(tmp_path / "registry")
    output = tmp_path / "out"
    result = run_cli(
        "generate", "--registry", registry, "--output", output, "--package", package, *extra
    )
    assert result.returncode == 0, result.stderr
    return output / package, result.stderr


def files_of(package: Path) -> set[str]:
    return {p.relative_to(package).as_posix() for p in package.rglob("*.py")}


@pytest.fixture(scope="module")
def bakery(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, str]]:
    """The package generated from REGISTRY, importable; and the warnings of the run."""
    package, stderr = generate(tmp_path_factory.mktemp("bakery"), "bakery_semconv")
    sys.path.insert(0, str(package.parent))
    try:
        yield importlib.import_module("bakery_semconv"), stderr
    finally:
        sys.path.remove(str(package.parent))


def module(name: str) -> Any:
    return importlib.import_module(f"bakery_semconv.{name}")


def test_every_signal_gets_its_module(bakery: tuple[ModuleType, str]) -> None:
    package = Path(bakery[0].__file__ or "").parent
    assert {
        "metrics/bakery_metrics.py",
        "metrics/_support.py",
        "events/bakery_events.py",
        "events/__init__.py",
        "entities/bakery_entities.py",
        "entities/__init__.py",
        "spans/bakery_spans.py",
        "_values.py",
    } <= files_of(package)


def test_a_span_event_that_is_not_defined_is_a_located_warning(
    bakery: tuple[ModuleType, str],
) -> None:
    stderr = bakery[1]
    assert "spans.yaml:8:5: warning: span `span.bakery.bake` lists event `bakery.nowhere`" in (
        stderr
    )
    assert "[span-event-unknown]" in stderr


def test_name_overrides_from_annotations(bakery: tuple[ModuleType, str]) -> None:
    assert module("attributes.bakery_attributes").OLD_KIND == "bakery.legacy_kind"
    metrics = module("metrics.bakery_metrics")
    assert metrics.OvenHeat.name == "bakery.oven.temperature"
    assert not hasattr(metrics, "BakeryOvenTemperature")
    spans = module("spans.bakery_spans")
    assert hasattr(spans, "start_baking") and not hasattr(spans, "start_bakery_bake_span")
    assert "annotation-unknown-key" not in bakery[1]


def test_excluded_event_is_not_generated(bakery: tuple[ModuleType, str]) -> None:
    events = module("events.bakery_events")
    assert hasattr(events, "emit_bakery_tray_burnt_event")
    assert not hasattr(events, "emit_bakery_secret_event")


@pytest.fixture
def reader() -> Iterator[tuple[InMemoryMetricReader, MeterProvider]]:
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader])
    yield reader, provider
    provider.shutdown()


def collected(reader: InMemoryMetricReader) -> dict[str, Metric]:
    data = reader.get_metrics_data()
    assert data is not None
    return {m.name: m for r in data.resource_metrics for s in r.scope_metrics for m in s.metrics}


def test_typed_instruments_export_name_unit_kind_and_exact_attributes(
    bakery: tuple[ModuleType, str], reader: tuple[InMemoryMetricReader, MeterProvider]
) -> None:
    metric_reader, provider = reader
    meter = provider.get_meter("tests")
    metrics = module("metrics.bakery_metrics")
    kind = module("attributes.bakery_attributes").BakeryBreadKindValues
    metrics.BakeryBakeDuration(meter).record(
        12.5, bakery_oven_id="o-1", bakery_bread_kind=kind.RYE, bakery_tray_label={"day": "mon"}
    )
    metrics.BakeryBakeDuration(meter).record(3, bakery_oven_id="o-2", bakery_bread_kind=None)
    metrics.BakeryLoavesBaked(meter).add(4, bakery_bread_kind="sourdough")
    metrics.BakeryOvensHot(meter).add(-1)
    metrics.OvenHeat(meter).set(230, bakery_oven_id="o-1")
    found = collected(metric_reader)
    duration = found["bakery.bake.duration"]
    assert (duration.unit, duration.description) == ("s", "Time a tray spends in the oven.")
    assert isinstance(duration.data, Histogram)
    assert [(dict(p.attributes or {}), p.sum) for p in duration.data.data_points] == [
        (
            {"bakery.oven.id": "o-1", "bakery.bread.kind": "rye", "bakery.tray.label.day": "mon"},
            12.5,
        ),
        ({"bakery.oven.id": "o-2"}, 3),
    ]
    baked = found["bakery.loaves.baked"]
    assert isinstance(baked.data, Sum) and baked.data.is_monotonic
    assert [(dict(p.attributes or {}), p.value) for p in baked.data.data_points] == [
        ({"bakery.bread.kind": "sourdough"}, 4)
    ]
    hot = found["bakery.ovens.hot"]
    assert isinstance(hot.data, Sum) and not hot.data.is_monotonic
    assert [(dict(p.attributes or {}), p.value) for p in hot.data.data_points] == [({}, -1)]
    heat = found["bakery.oven.temperature"]
    assert isinstance(heat.data, Gauge) and heat.unit == "Cel"
    assert [(dict(p.attributes or {}), p.value) for p in heat.data.data_points] == [
        ({"bakery.oven.id": "o-1"}, 230)
    ]


def test_observable_instruments_export_the_typed_observations(
    bakery: tuple[ModuleType, str], reader: tuple[InMemoryMetricReader, MeterProvider]
) -> None:
    metric_reader, provider = reader
    meter = provider.get_meter("tests")
    metrics = module("metrics.bakery_metrics")
    kind = module("attributes.bakery_attributes").BakeryBreadKindValues
    baked = metrics.BakeryLoavesBaked
    baked.create_observable(meter, [lambda _: [baked.observation(9, bakery_bread_kind=kind.RYE)]])
    metrics.BakeryOvensHot.create_observable(
        meter, [lambda _: [metrics.BakeryOvensHot.observation(2)]]
    )
    metrics.OvenHeat.create_observable(
        meter, [lambda _: [metrics.OvenHeat.observation(180.5, bakery_oven_id="o-2")]]
    )
    found = collected(metric_reader)
    shown = {
        name: (
            type(metric.data).__name__,
            getattr(metric.data, "is_monotonic", None),
            metric.unit,
            [(dict(p.attributes or {}), p.value) for p in metric.data.data_points],
        )
        for name, metric in found.items()
    }
    assert shown == {
        "bakery.loaves.baked": ("Sum", True, "{loaf}", [({"bakery.bread.kind": "rye"}, 9)]),
        "bakery.ovens.hot": ("Sum", False, "{oven}", [({}, 2)]),
        "bakery.oven.temperature": ("Gauge", None, "Cel", [({"bakery.oven.id": "o-2"}, 180.5)]),
    }


def test_attribute_sets_built_ahead_are_recorded_as_plain_values(
    bakery: tuple[ModuleType, str], reader: tuple[InMemoryMetricReader, MeterProvider]
) -> None:
    metric_reader, provider = reader
    metrics = module("metrics.bakery_metrics")
    kind = module("attributes.bakery_attributes").BakeryBreadKindValues
    metrics.BakeryLoavesBaked(provider.get_meter("tests")).add_with(
        2, {"bakery.bread.kind": kind.SOURDOUGH}
    )
    observation = metrics.BakeryLoavesBaked.observation_with(5, {"bakery.bread.kind": kind.RYE})
    assert (observation.value, observation.attributes) == (5, {"bakery.bread.kind": "rye"})
    (point,) = collected(metric_reader)["bakery.loaves.baked"].data.data_points
    assert dict(point.attributes or {}) == {"bakery.bread.kind": "sourdough"}


def test_events_are_log_records_with_their_name_body_and_exact_attributes(
    bakery: tuple[ModuleType, str],
) -> None:
    exporter = InMemoryLogRecordExporter()
    provider = LoggerProvider()
    provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
    logger = provider.get_logger("tests")
    events = module("events.bakery_events")
    events.emit_bakery_tray_burnt_event(logger, bakery_oven_id="o-1", bakery_loaves=None)
    events.emit_bakery_tray_flipped_event(
        logger, body={"side": "left", "trays": [{"n": 1}, {"n": 2}]}, timestamp=42
    )
    events.emit_bakery_oven_cleaned_event(logger, body=["any", "value"])
    burnt, flipped, cleaned = (r.log_record for r in exporter.get_finished_logs())
    assert (burnt.event_name, dict(burnt.attributes or {}), burnt.body) == (
        "bakery.tray.burnt",
        {"bakery.oven.id": "o-1"},
        None,
    )
    assert flipped.event_name == events.BAKERY_TRAY_FLIPPED_EVENT_NAME == "bakery.tray.flipped"
    assert flipped.body == {"side": "left", "trays": [{"n": 1}, {"n": 2}]}
    assert flipped.timestamp == 42
    assert (cleaned.event_name, cleaned.body) == ("bakery.oven.cleaned", ["any", "value"])
    provider.shutdown()


def test_span_events_are_methods_of_the_spans_that_list_them(
    bakery: tuple[ModuleType, str],
) -> None:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    spans = module("spans.bakery_spans")
    with spans.start_baking(provider.get_tracer("t"), bakery_oven_id="o-1") as span:
        span.add_bakery_tray_burnt_event(bakery_oven_id="o-1", bakery_loaves=12)
        span.add_bakery_oven_cleaned_event(timestamp=7)
    (finished,) = exporter.get_finished_spans()
    assert [(e.name, dict(e.attributes or {})) for e in finished.events] == [
        ("bakery.tray.burnt", {"bakery.oven.id": "o-1", "bakery.loaves": 12}),
        ("bakery.oven.cleaned", {}),
    ]
    assert finished.events[1].timestamp == 7
    assert not hasattr(span, "add_bakery_nowhere_event")
    provider.shutdown()


def test_entity_builder_gives_the_resource_attributes(bakery: tuple[ModuleType, str]) -> None:
    entities = module("entities.bakery_entities")
    kind = module("attributes.bakery_attributes").BakeryBreadKindValues
    attributes = entities.bakery_shop_entity_attributes(
        bakery_oven_id="o-1", bakery_bread_kind=kind.RYE, bakery_tray_label={"a": "b"}
    )
    assert attributes == {
        "bakery.oven.id": "o-1",
        "bakery.bread.kind": "rye",
        "bakery.tray.label.a": "b",
    }
    assert Resource(attributes).attributes["bakery.bread.kind"] == "rye"
    with pytest.raises(TypeError, match="bakery_oven_id"):
        entities.bakery_shop_entity_attributes()


def test_stable_only_and_excluded_deprecations_apply_to_every_signal(tmp_path: Path) -> None:
    package, _ = generate(tmp_path, "stable_semconv", "--stable-only", "--exclude-deprecated")
    metrics = (package / "metrics" / "bakery_metrics.py").read_text()
    events = (package / "events" / "bakery_events.py").read_text()
    entities = (package / "entities" / "bakery_entities.py").read_text()
    spans = (package / "spans" / "bakery_spans.py").read_text()
    assert "class BakeryLoavesBaked(" in metrics and "BakeryOvensHot" not in metrics
    assert "emit_bakery_tray_burnt_event" in events and "oven_cleaned" not in events
    assert "add_bakery_tray_burnt_event" in spans and "oven_cleaned" not in spans
    assert "bakery_tray_label" not in entities + metrics  # a development attribute


def test_configured_names_win_over_annotations_and_defaults(tmp_path: Path) -> None:
    write_registry(tmp_path / "registry")
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent(
            """
            [tool.typed-semconv]
            registry = ["registry"]
            output = "out"
            package = "named"
            [tool.typed-semconv.names.metric_class]
            "bakery.oven.temperature" = "OvenTemperature"
            [tool.typed-semconv.names.event_function]
            "bakery.tray.burnt" = "emit_burnt_tray"
            [tool.typed-semconv.names.entity_function]
            "bakery.shop" = "shop_resource"
            """
        )
    )
    result = run_cli("generate", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    package = tmp_path / "out" / "named"
    assert "class OvenTemperature(" in (package / "metrics" / "bakery_metrics.py").read_text()
    assert "def emit_burnt_tray(" in (package / "events" / "bakery_events.py").read_text()
    assert "def shop_resource(" in (package / "entities" / "bakery_entities.py").read_text()


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[tool.typed-semconv.names.enum_klass]\n"a.b" = "X"', "`enum_klass` is not a kind"),
        ('[tool.typed-semconv.names.enum_class]\n"a.b" = "not a name"', "is not a Python"),
        ('[tool.typed-semconv.names.enum_class]\n"a.b" = "class"', "is a Python keyword"),
        ('[tool.typed-semconv.names]\nenum_class = "X"', "must be a table of definition"),
    ],
)
def test_a_bad_name_override_in_the_configuration_is_a_usage_error(
    tmp_path: Path, table: str, message: str
) -> None:
    write_registry(tmp_path / "registry")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.typed-semconv]\nregistry = ["registry"]\noutput = "out"\npackage = "p"\n' + table
    )
    result = run_cli("generate", "-q", cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_bad_name_annotation_is_a_located_error(tmp_path: Path) -> None:
    files = dict(REGISTRY)
    files["signals.yaml"] = files["signals.yaml"].replace(
        "names: {metric_class: OvenHeat}", "names: {span_class: OvenHeat, metric_class: 9lives}"
    )
    registry = write_registry(tmp_path / "registry", files)
    result = run_cli("generate", "--registry", registry, "--output", tmp_path / "out",
                     "--package", "p")  # fmt: skip
    assert result.returncode == 1
    assert "[name-override-invalid]" in result.stderr
    assert "`span_class` does not name this kind of definition" in result.stderr
    assert "`9lives` is not a Python identifier" in result.stderr
    assert "signals.yaml:37:17: error: name override: `span_class`" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_invalid_event_body_is_a_located_schema_error(tmp_path: Path) -> None:
    files = dict(REGISTRY)
    files["spans.yaml"] = files["spans.yaml"].replace("type: map[]", "type: list")
    registry = write_registry(tmp_path / "registry", files)
    result = run_cli("check", "--registry", registry)
    assert result.returncode == 1
    assert "spans.yaml:29:11: error: `type`:" in result.stderr
    assert "1 error(s)" in result.stderr
    assert "'map[]', 'enum' or 'undefined' [schema-invalid-value]" in result.stderr
