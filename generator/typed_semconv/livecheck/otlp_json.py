"""Samples from OTLP's JSON encoding and from weaver's JSON sample format.

OTLP JSON is what an OTLP/HTTP exporter sends with `application/json` and what the Collector's
file exporter writes (one export request per line): `{"resourceSpans": [...]}`,
`{"resourceMetrics": [...]}`, `{"resourceLogs": [...]}`. weaver's format is a list of objects
such as `{"span": {"name": ..., "kind": "client", "attributes": [{"name": ..., "value": ...}]}}`.
Both are read defensively: anything of the wrong shape raises `SampleError`, values nest at most
`MAX_DEPTH` levels, and nothing here is slower than linear in the input.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from typed_semconv.livecheck.samples import (
    Attribute,
    Attributes,
    DataPoint,
    LogRecord,
    Metric,
    Resource,
    Sample,
    SampleAttribute,
    Span,
    SpanEvent,
    SpanLink,
    value_type,
)
from typed_semconv.model import PrimitiveType

MAX_DEPTH = 32
SPAN_KINDS = {
    0: "internal",  # unspecified: treated as internal, as the SDKs do
    1: "internal",
    2: "server",
    3: "client",
    4: "producer",
    5: "consumer",
}
_SPAN_KIND_NAMES = {f"SPAN_KIND_{name.upper()}": name for name in SPAN_KINDS.values()}
_SPAN_KIND_NAMES["SPAN_KIND_UNSPECIFIED"] = "internal"
WEAVER_TYPES = frozenset(t.value for t in PrimitiveType)  # the attribute types a sample may name
SIGNAL_KEYS = ("resourceSpans", "resourceMetrics", "resourceLogs")


class SampleError(ValueError):
    """The input is not OTLP JSON or weaver samples of the expected shape."""


def _field(mapping: Mapping[str, Any], camel: str, default: Any = None) -> Any:
    """A field in protobuf JSON: lowerCamelCase, or the original snake_case name."""
    if camel in mapping:
        return mapping[camel]
    snake = "".join("_" + c.lower() if c.isupper() else c for c in camel)
    return mapping.get(snake, default)


def _object(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise SampleError(f"{what} must be an object")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise SampleError(f"{what} must be an array")
    return value


def _string(value: Any, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise SampleError(f"{what} must be a string")
    return value


# --- OTLP ----------------------------------------------------------------------------------------


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise SampleError("intValue must be an integer or a decimal string")
    try:
        return int(value)
    except ValueError:
        raise SampleError(f"intValue {value!r} is not an integer") from None


def _double(value: Any) -> float:
    if isinstance(value, str) and value in ("NaN", "Infinity", "-Infinity"):
        return float(value.replace("Infinity", "inf"))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SampleError("doubleValue must be a number")
    return float(value)


def any_value(value: Any, depth: int = 0) -> Any:
    """The Python value of an OTLP `AnyValue` (arrays as tuples, kvlists as dicts)."""
    if depth > MAX_DEPTH:
        raise SampleError(f"attribute values nest deeper than {MAX_DEPTH} levels")
    value = _object(value, "an attribute value")
    if "stringValue" in value:
        return _string(value["stringValue"], "stringValue")
    if "boolValue" in value:
        if not isinstance(value["boolValue"], bool):
            raise SampleError("boolValue must be true or false")
        return value["boolValue"]
    if "intValue" in value:
        return _int(value["intValue"])
    if "doubleValue" in value:
        return _double(value["doubleValue"])
    if "arrayValue" in value:
        items = _list(_object(value["arrayValue"], "arrayValue").get("values"), "values")
        return tuple(any_value(item, depth + 1) for item in items)
    if "kvlistValue" in value:
        pairs = _list(_object(value["kvlistValue"], "kvlistValue").get("values"), "values")
        return {key: item for key, item in (_key_value(pair, depth + 1) for pair in pairs)}
    if "bytesValue" in value:
        try:
            return base64.b64decode(_string(value["bytesValue"], "bytesValue"), validate=True)
        except (binascii.Error, ValueError):
            raise SampleError("bytesValue is not base64") from None
    return None  # an empty AnyValue


def _key_value(pair: Any, depth: int) -> tuple[str, Any]:
    pair = _object(pair, "an attribute")
    key = pair.get("key")
    if not isinstance(key, str):
        raise SampleError("an attribute has no string `key`")
    return key, any_value(pair.get("value", {}), depth)


def otlp_attributes(items: Any) -> Attributes:
    out = []
    for pair in _list(items, "attributes"):
        key, value = _key_value(pair, 0)
        out.append(SampleAttribute(key, value, value_type(value)))
    return tuple(out)


def _span_kind(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and value in SPAN_KINDS:
        return SPAN_KINDS[value]
    if isinstance(value, str) and value in _SPAN_KIND_NAMES:
        return _SPAN_KIND_NAMES[value]
    if value is None:
        return "internal"
    raise SampleError(f"unknown span kind {value!r}")


def _resource(entry: Mapping[str, Any]) -> Resource:
    resource = _object(entry.get("resource", {}), "resource")
    return Resource(otlp_attributes(resource.get("attributes")))


def _scopes(entry: Mapping[str, Any], camel: str, legacy: str) -> Iterator[Mapping[str, Any]]:
    for scope in _list(_field(entry, camel) or _field(entry, legacy), camel):
        yield _object(scope, camel)


def _spans(request: Mapping[str, Any]) -> Iterator[Sample]:
    for entry in _list(request.get("resourceSpans"), "resourceSpans"):
        entry = _object(entry, "resourceSpans")
        yield _resource(entry)
        for scope in _scopes(entry, "scopeSpans", "instrumentationLibrarySpans"):
            for span in _list(scope.get("spans"), "spans"):
                span = _object(span, "span")
                yield Span(
                    name=_string(span.get("name"), "span name"),
                    kind=_span_kind(span.get("kind")),
                    attributes=otlp_attributes(span.get("attributes")),
                    events=tuple(
                        SpanEvent(
                            _string(_object(e, "event").get("name"), "event name"),
                            otlp_attributes(e.get("attributes")),
                        )
                        for e in _list(span.get("events"), "events")
                    ),
                    links=tuple(
                        SpanLink(otlp_attributes(_object(link, "link").get("attributes")))
                        for link in _list(span.get("links"), "links")
                    ),
                )


_METRIC_DATA = (
    # OTLP field, data point sample type, instrument (None: decided by isMonotonic)
    ("sum", "number_data_point", None),
    ("gauge", "number_data_point", "gauge"),
    ("histogram", "histogram_data_point", "histogram"),
    ("exponentialHistogram", "exponential_histogram_data_point", "histogram"),
    ("summary", "summary_data_point", "summary"),
)


def _metric(metric: Mapping[str, Any]) -> Metric:
    name = _string(metric.get("name"), "metric name")
    unit = _string(metric.get("unit"), "metric unit")
    for field_name, point_type, instrument in _METRIC_DATA:
        data = _field(metric, field_name)
        if data is None:
            continue
        data = _object(data, field_name)
        if instrument is None:
            instrument = "counter" if _field(data, "isMonotonic") is True else "updowncounter"
        points = tuple(
            DataPoint(point_type, otlp_attributes(_object(p, "data point").get("attributes")))
            for p in _list(_field(data, "dataPoints"), "dataPoints")
        )
        return Metric(name, instrument, unit, points)
    return Metric(name, "unspecified", unit)


def _metrics(request: Mapping[str, Any]) -> Iterator[Sample]:
    for entry in _list(request.get("resourceMetrics"), "resourceMetrics"):
        entry = _object(entry, "resourceMetrics")
        yield _resource(entry)
        for scope in _scopes(entry, "scopeMetrics", "instrumentationLibraryMetrics"):
            for metric in _list(scope.get("metrics"), "metrics"):
                yield _metric(_object(metric, "metric"))


def _event_name(record: Mapping[str, Any], attributes: Attributes) -> tuple[str, Attributes]:
    """The record's event name; older SDKs put it in the `event.name` attribute."""
    name = _string(_field(record, "eventName"), "eventName")
    if name:
        return name, attributes
    for attribute in attributes:
        if attribute.name == "event.name" and isinstance(attribute.value, str):
            return attribute.value, tuple(a for a in attributes if a is not attribute)
    return "", attributes


def _logs(request: Mapping[str, Any]) -> Iterator[Sample]:
    for entry in _list(request.get("resourceLogs"), "resourceLogs"):
        entry = _object(entry, "resourceLogs")
        yield _resource(entry)
        for scope in _scopes(entry, "scopeLogs", "instrumentationLibraryLogs"):
            for record in _list(_field(scope, "logRecords"), "logRecords"):
                record = _object(record, "log record")
                name, attributes = _event_name(record, otlp_attributes(record.get("attributes")))
                yield LogRecord(name, attributes)


_READERS: Mapping[str, Callable[[Mapping[str, Any]], Iterator[Sample]]] = {
    "resourceSpans": _spans,
    "resourceMetrics": _metrics,
    "resourceLogs": _logs,
}


def is_otlp(document: Any) -> bool:
    return isinstance(document, Mapping) and any(
        key in document or _field(document, key) is not None for key in SIGNAL_KEYS
    )


def otlp_samples(document: Any) -> list[Sample]:
    """The samples of one OTLP export request (traces, metrics or logs), in JSON form."""
    document = _object(document, "an OTLP export request")
    samples: list[Sample] = []
    for key, reader in _READERS.items():
        value = _field(document, key)
        if value is not None:
            samples += reader({key: value})
    return samples


# --- weaver's sample format ----------------------------------------------------------------------


def _weaver_attribute(item: Any) -> SampleAttribute:
    item = _object(item, "an attribute")
    name = item.get("name")
    if not isinstance(name, str):
        raise SampleError("an attribute has no string `name`")
    value = item.get("value")
    if isinstance(value, list):
        value = tuple(value)
    given = item.get("type")
    if given is not None and given not in WEAVER_TYPES:
        raise SampleError(f"attribute `{name}` has an unknown type {given!r}")
    return SampleAttribute(name, value, value_type(value) if given in (None, "any") else given)


def _weaver_attributes(items: Any) -> Attributes:
    return tuple(_weaver_attribute(item) for item in _list(items, "attributes"))


def _weaver_point(point: Any) -> DataPoint:
    point = _object(point, "a data point")
    if "bucket_counts" in point or "positive" in point:
        kind = (
            "exponential_histogram_data_point"
            if "scale" in point or "positive" in point
            else "histogram_data_point"
        )
    else:
        kind = "number_data_point"
    return DataPoint(kind, _weaver_attributes(point.get("attributes")))


def _weaver_span(span: Mapping[str, Any]) -> Span:
    kind = _string(span.get("kind"), "span kind") or "internal"
    if kind not in SPAN_KINDS.values():
        raise SampleError(f"unknown span kind {kind!r}")
    return Span(
        name=_string(span.get("name"), "span name"),
        kind=kind,
        attributes=_weaver_attributes(span.get("attributes")),
        events=tuple(
            SpanEvent(
                _string(_object(e, "span event").get("name"), "span event name"),
                _weaver_attributes(e.get("attributes")),
            )
            for e in _list(span.get("span_events"), "span_events")
        ),
        links=tuple(
            SpanLink(_weaver_attributes(_object(link, "span link").get("attributes")))
            for link in _list(span.get("span_links"), "span_links")
        ),
    )


def weaver_sample(item: Any) -> Sample:
    """One element of weaver's sample list: `{"span": {...}}`, `{"metric": {...}}`, ..."""
    item = _object(item, "a sample")
    if len(item) != 1:
        raise SampleError("a sample is an object with one key: span, metric, log, resource, ...")
    ((kind, body),) = item.items()
    body = _object(body, kind)
    if kind == "span":
        return _weaver_span(body)
    if kind == "span_event":
        return SpanEvent(
            _string(body.get("name"), "span event name"), _weaver_attributes(body.get("attributes"))
        )
    if kind == "span_link":
        return SpanLink(_weaver_attributes(body.get("attributes")))
    if kind == "metric":
        return Metric(
            _string(body.get("name"), "metric name"),
            _string(body.get("instrument"), "instrument") or "unspecified",
            _string(body.get("unit"), "unit"),
            tuple(_weaver_point(p) for p in _list(body.get("data_points"), "data_points")),
        )
    if kind in ("log", "event"):
        return LogRecord(
            _string(body.get("event_name"), "event_name"),
            _weaver_attributes(body.get("attributes")),
        )
    if kind == "resource":
        return Resource(_weaver_attributes(body.get("attributes")))
    if kind == "attribute":
        return Attribute(_weaver_attribute(body))
    raise SampleError(f"unknown sample type `{kind}`")


def document_samples(document: Any) -> list[Sample]:
    """The samples of a JSON document in either format: an OTLP export request, a weaver
    sample, or a list of weaver samples."""
    if isinstance(document, list):
        return [weaver_sample(item) for item in document]
    if is_otlp(document):
        return otlp_samples(document)
    return [weaver_sample(document)]
