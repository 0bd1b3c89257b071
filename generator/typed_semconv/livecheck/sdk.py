"""Samples from the OpenTelemetry SDK of the running process: every span that ends, every metric
point and every log record, whichever providers the code sets up.

`Collector.install()` makes every SDK provider built from then on carry the collector (a span
processor, a delta-temporality metric reader, a log record processor), adds it to the global
tracer and logger providers already set, and, while no global provider is set, lets the API's
proxies (what `trace.get_tracer()` hands out before a provider is set) record into in-memory SDK
providers instead of dropping everything; a provider the code sets later takes over as usual.
`uninstall()` undoes what can be undone. The SDK (`opentelemetry-sdk`) is in the `live-check`
extra.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.metrics import (
    Counter,
    Histogram,
    MeterProvider,
    ObservableCounter,
    ObservableGauge,
    ObservableUpDownCounter,
    UpDownCounter,
    _Gauge,
)
from opentelemetry.sdk.metrics.export import (
    AggregationTemporality,
    ExponentialHistogram,
    Gauge,
    MetricReader,
    MetricsData,
    Sum,
)
from opentelemetry.sdk.metrics.export import Histogram as HistogramData
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor, TracerProvider

from typed_semconv.livecheck.samples import (
    DataPoint,
    LogRecord,
    Metric,
    Resource,
    Sample,
    Span,
    SpanEvent,
    SpanLink,
    attributes_of,
)

Sink = Callable[[list[Sample]], None]
_DELTA: dict[type, AggregationTemporality] = {
    kind: AggregationTemporality.DELTA
    for kind in (
        Counter,
        UpDownCounter,
        Histogram,
        _Gauge,
        ObservableCounter,
        ObservableUpDownCounter,
        ObservableGauge,
    )
}


def span_sample(span: ReadableSpan) -> Span:
    return Span(
        name=span.name,
        kind=span.kind.name.lower(),
        attributes=attributes_of(span.attributes),
        events=tuple(SpanEvent(e.name, attributes_of(e.attributes)) for e in span.events),
        links=tuple(SpanLink(attributes_of(link.attributes)) for link in span.links),
    )


def _metric_sample(metric: Any) -> Metric:
    data = metric.data
    if isinstance(data, Sum):
        instrument, point_type = (
            "counter" if data.is_monotonic else "updowncounter",
            "number_data_point",
        )
    elif isinstance(data, Gauge):
        instrument, point_type = "gauge", "number_data_point"
    elif isinstance(data, ExponentialHistogram):
        instrument, point_type = "histogram", "exponential_histogram_data_point"
    elif isinstance(data, HistogramData):
        instrument, point_type = "histogram", "histogram_data_point"
    else:
        instrument, point_type = type(data).__name__.lower(), "number_data_point"
    points = tuple(DataPoint(point_type, attributes_of(p.attributes)) for p in data.data_points)
    return Metric(metric.name, instrument, metric.unit or "", points)


def metric_samples(data: MetricsData) -> list[tuple[Mapping[str, Any], Metric]]:
    """Each metric with the attributes of the resource that produced it."""
    return [
        (resource_metrics.resource.attributes, _metric_sample(metric))
        for resource_metrics in data.resource_metrics
        for scope_metrics in resource_metrics.scope_metrics
        for metric in scope_metrics.metrics
    ]


def log_sample(record: Any) -> tuple[Mapping[str, Any] | None, LogRecord]:
    """A log record as the SDK hands it to processors (`ReadWriteLogRecord`, or `LogData` of
    older SDKs), with its resource's attributes."""
    inner = getattr(record, "log_record", record)
    attributes = dict(getattr(inner, "attributes", None) or {})
    name = getattr(inner, "event_name", None) or ""
    if not name and isinstance(attributes.get("event.name"), str):
        name = attributes.pop("event.name")
    resource = getattr(record, "resource", None) or getattr(inner, "resource", None)
    return (resource.attributes if resource is not None else None), LogRecord(
        name, attributes_of(attributes)
    )


class _SpanCollector(SpanProcessor):
    def __init__(self, collector: Collector) -> None:
        self.collector = collector

    def on_end(self, span: ReadableSpan) -> None:
        self.collector.deliver(span.resource.attributes, span_sample(span))


class _LogCollector:
    """A log record processor (duck-typed: the logs SDK is still `_logs`)."""

    def __init__(self, collector: Collector) -> None:
        self.collector = collector

    def on_emit(self, record: Any) -> None:
        resource, sample = log_sample(record)
        self.collector.deliver(resource, sample)

    emit = on_emit  # older SDKs

    def shutdown(self) -> None:
        """Nothing is buffered."""

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True


class _MetricCollector(MetricReader):
    """Reads the points recorded since the last read (delta temporality), so each read holds
    what happened in between: the pytest plugin reads after every test."""

    def __init__(self, collector: Collector) -> None:
        super().__init__(preferred_temporality=_DELTA)
        self.collector = collector
        self.closed = False

    def _receive_metrics(
        self, metrics_data: MetricsData, timeout_millis: float = 10_000, **kwargs: Any
    ) -> None:
        if metrics_data is None:
            return
        for resource, metric in metric_samples(metrics_data):
            self.collector.deliver(resource, metric)

    def shutdown(self, timeout_millis: float = 30_000, **kwargs: Any) -> None:
        if not self.closed:
            self.closed = True
            self.collect(timeout_millis=timeout_millis)  # what the provider holds, before it goes


class Collector:
    """Hands every sample the SDK produces to `sink`, each distinct resource once."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink
        self.span_processor = _SpanCollector(self)
        self.log_processor = _LogCollector(self)
        self.readers: list[_MetricCollector] = []
        self._resources: set[frozenset[tuple[str, Any]]] = set()
        self._lock = threading.Lock()
        self._undo: list[Callable[[], None]] = []

    def deliver(self, resource: Mapping[str, Any] | None, sample: Sample) -> None:
        samples: list[Sample] = []
        if resource:
            try:
                identity = frozenset(resource.items())
            except TypeError:  # an unhashable value: assess it every time
                identity = frozenset({("", id(resource))})
            with self._lock:
                new = identity not in self._resources
                self._resources.add(identity)
            if new:
                samples.append(Resource(attributes_of(resource)))
        samples.append(sample)
        self.sink(samples)

    def new_reader(self) -> _MetricCollector:
        reader = _MetricCollector(self)
        with self._lock:
            self.readers.append(reader)
        return reader

    def collect_metrics(self) -> None:
        """Read every provider's points recorded since the last read."""
        with self._lock:
            readers = [r for r in self.readers if not r.closed]
        for reader in readers:
            reader.collect()

    # --- installing ------------------------------------------------------------------------------

    def install(self) -> None:
        self._hook_tracer_providers()
        self._hook_meter_providers()
        self._hook_logger_providers()

    def uninstall(self) -> None:
        for undo in reversed(self._undo):
            undo()
        self._undo.clear()

    def _patch(self, owner: Any, name: str, replacement: Any) -> None:
        original = owner.__dict__[name]
        setattr(owner, name, replacement)
        self._undo.append(lambda: setattr(owner, name, original))

    def _after_init(self, cls: type, after: Callable[[Any], None]) -> None:
        original: Callable[..., None] = cls.__dict__["__init__"]

        @functools.wraps(original)
        def __init__(instance: Any, *args: Any, **kwargs: Any) -> None:
            original(instance, *args, **kwargs)
            after(instance)

        self._patch(cls, "__init__", __init__)

    def _hook_tracer_providers(self) -> None:
        processor = self.span_processor
        self._after_init(TracerProvider, lambda provider: provider.add_span_processor(processor))
        current = trace.get_tracer_provider()
        if isinstance(current, TracerProvider):
            current.add_span_processor(processor)
            return
        fallback = TracerProvider()

        def use_fallback(proxy: Any) -> None:
            proxy._noop_tracer = fallback.get_tracer(
                proxy._instrumenting_module_name,
                getattr(proxy, "_instrumenting_library_version", None),
                getattr(proxy, "_schema_url", None),
            )

        self._after_init(trace.ProxyTracer, use_fallback)

    def _hook_meter_providers(self) -> None:
        from opentelemetry import metrics
        from opentelemetry.metrics import _internal as metrics_internal

        original = MeterProvider.__init__
        collector = self

        @functools.wraps(original)
        def __init__(
            provider: MeterProvider,
            metric_readers: Iterable[MetricReader] = (),
            *args: Any,
            **kwargs: Any,
        ) -> None:
            original(provider, (*metric_readers, collector.new_reader()), *args, **kwargs)

        self._patch(MeterProvider, "__init__", __init__)
        if isinstance(metrics.get_meter_provider(), metrics_internal._ProxyMeterProvider):
            metrics_internal._PROXY_METER_PROVIDER.on_set_meter_provider(MeterProvider())

    def _hook_logger_providers(self) -> None:
        try:
            from opentelemetry import _logs
            from opentelemetry._logs import _internal as logs_internal
            from opentelemetry.sdk._logs import LoggerProvider
        except ImportError:  # an SDK without logs
            return
        processor: Any = self.log_processor
        self._after_init(
            LoggerProvider, lambda provider: provider.add_log_record_processor(processor)
        )
        current = _logs.get_logger_provider()
        if isinstance(current, LoggerProvider):
            current.add_log_record_processor(processor)
            return
        fallback = LoggerProvider()

        def use_fallback(proxy: Any) -> None:
            proxy._noop_logger = fallback.get_logger(proxy._name, proxy._version, proxy._schema_url)

        self._after_init(logs_internal.ProxyLogger, use_fallback)
