"""What the live check assesses: telemetry as it was emitted, whatever carried it.

Every source (the SDK in a test run, an OTLP payload, a file) produces these plain values, so the
engine has one input. `value_type` names the type of a value the way registries name attribute
types (`string`, `int[]`, ...), plus `map` and `bytes` for values no attribute type describes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

SCALAR_TYPES: Mapping[type, str] = {str: "string", bool: "boolean", int: "int", float: "double"}


def value_type(value: Any) -> str | None:
    """The attribute type of a value; None for a value of no known type (e.g. None)."""
    scalar = SCALAR_TYPES.get(type(value))
    if scalar is not None:
        return scalar
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (bytes, bytearray)):
        return "bytes"
    if isinstance(value, Mapping):
        return "map"
    if isinstance(value, Sequence):
        element_types = {value_type(element) for element in value}
        if not element_types:
            return "[]"  # an empty array: any array type fits
        if element_types <= {"int", "double"} and "double" in element_types:
            return "double[]"
        if len(element_types) == 1:
            (element,) = element_types
            if element in ("string", "boolean", "int", "double"):
                return f"{element}[]"
        return "mixed[]"
    return None


@dataclass(frozen=True, slots=True)
class SampleAttribute:
    """An attribute as emitted: its key, its value and the value's type (None: unknown)."""

    name: str
    value: Any
    type: str | None

    @classmethod
    def of(cls, name: str, value: Any) -> SampleAttribute:
        return cls(name, value, value_type(value))


Attributes = tuple[SampleAttribute, ...]


def attributes_of(mapping: Mapping[str, Any] | None) -> Attributes:
    """Sample attributes from a key -> value mapping (an SDK span's attributes, say)."""
    if not mapping:
        return ()
    return tuple(SampleAttribute.of(str(key), value) for key, value in mapping.items())


@dataclass(frozen=True, slots=True)
class Resource:
    attributes: Attributes


@dataclass(frozen=True, slots=True)
class SpanEvent:
    name: str
    attributes: Attributes = ()


@dataclass(frozen=True, slots=True)
class SpanLink:
    attributes: Attributes = ()


@dataclass(frozen=True, slots=True)
class Span:
    """A finished span. `kind` is `client`, `server`, `producer`, `consumer` or `internal`."""

    name: str
    kind: str
    attributes: Attributes = ()
    events: tuple[SpanEvent, ...] = ()
    links: tuple[SpanLink, ...] = ()


@dataclass(frozen=True, slots=True)
class DataPoint:
    """A metric data point; `type` is weaver's sample type (`number_data_point`, ...)."""

    type: str
    attributes: Attributes = ()


@dataclass(frozen=True, slots=True)
class Metric:
    """A metric with its points. `instrument` is `counter`, `updowncounter`, `gauge`,
    `histogram`, or another word for what no registry instrument describes (`summary`)."""

    name: str
    instrument: str
    unit: str
    data_points: tuple[DataPoint, ...] = ()


@dataclass(frozen=True, slots=True)
class LogRecord:
    """A log record; an event when `event_name` is set."""

    event_name: str
    attributes: Attributes = ()


@dataclass(frozen=True, slots=True)
class Attribute:
    """A lone attribute (weaver's `attribute` samples): checked as attributes of no signal."""

    attribute: SampleAttribute


Sample = Resource | Span | SpanEvent | SpanLink | Metric | LogRecord | Attribute


@dataclass(frozen=True, slots=True)
class Batch:
    """Samples from one place, with where they came from (a test id, `file:line`, an address)."""

    samples: tuple[Sample, ...]
    origin: str | None = None
