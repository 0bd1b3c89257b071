"""Samples from OTLP protobuf payloads (`application/x-protobuf`).

Decoding needs `opentelemetry-proto` (and protobuf), which are in the `live-check` extra:
`pip install 'typed-semconv[live-check]'`. A message is turned into OTLP's JSON form and read by
`otlp_json`, so both encodings are read by the same code.
"""

from __future__ import annotations

import importlib
from typing import Any

from typed_semconv.livecheck.otlp_json import SampleError, otlp_samples
from typed_semconv.livecheck.samples import Sample

EXTRA_HINT = "install the live-check extra: pip install 'typed-semconv[live-check]'"
_REQUESTS = {
    "traces": (
        "opentelemetry.proto.collector.trace.v1.trace_service_pb2",
        "ExportTraceServiceRequest",
    ),
    "metrics": (
        "opentelemetry.proto.collector.metrics.v1.metrics_service_pb2",
        "ExportMetricsServiceRequest",
    ),
    "logs": ("opentelemetry.proto.collector.logs.v1.logs_service_pb2", "ExportLogsServiceRequest"),
}


class MissingExtra(RuntimeError):
    """What to install to read protobuf payloads."""


def available() -> bool:
    try:
        importlib.import_module("opentelemetry.proto.collector.trace.v1.trace_service_pb2")
    except ImportError:
        return False
    return True


def _request_class(signal: str) -> Any:
    module_name, class_name = _REQUESTS[signal]
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise MissingExtra(
            f"reading OTLP protobuf needs opentelemetry-proto: {EXTRA_HINT}"
        ) from exc
    return getattr(module, class_name)


def decode(signal: str, body: bytes) -> dict[str, Any]:
    """The JSON form of an export request of `signal` (`traces`, `metrics` or `logs`)."""
    message = _request_class(signal)()
    json_format = importlib.import_module("google.protobuf.json_format")
    decode_error = importlib.import_module("google.protobuf.message").DecodeError
    try:
        message.ParseFromString(body)
    except (decode_error, RecursionError, ValueError) as exc:
        raise SampleError(f"not an OTLP {signal} protobuf message: {exc}") from None
    result: dict[str, Any] = json_format.MessageToDict(message, use_integers_for_enums=True)
    return result


def protobuf_samples(signal: str, body: bytes) -> list[Sample]:
    return otlp_samples(decode(signal, body))
