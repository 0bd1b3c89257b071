# ruff: noqa: E501
"""`SpanName` is a NewType of `str`: a plain string is not a span name until it is wrapped.

Every wrong line carries the exact `mypy --strict` error (`# E:`) and the key part of pyright's
error with its rule (`# P:`, in column order); `# P: (none)` records a line pyright lets through.
"""

from __future__ import annotations

from typing import Final

from opentelemetry.trace import Span, Tracer

from gateway_semconv.spans import SpanName
from gateway_semconv.spans.cache_spans import CACHE_GET_SPAN_NAME


def start_named_span(tracer: Tracer, name: SpanName) -> Span:
    """A service's own helper that, like the generated factories, only takes reviewed names."""
    return tracer.start_span(name)


def handle(tracer: Tracer, operation_name_from_request: str) -> None:
    start_named_span(tracer, operation_name_from_request)  # E: Argument 2 to "start_named_span" has incompatible type "str"; expected "SpanName"  [arg-type]  # P: Argument of type "str" cannot be assigned to parameter "name" of type "SpanName"  [reportArgumentType]
    start_named_span(tracer, "cache.get")  # E: Argument 2 to "start_named_span" has incompatible type "str"; expected "SpanName"  [arg-type]  # P: Argument of type "Literal['cache.get']" cannot be assigned to parameter "name" of type "SpanName"  [reportArgumentType]
    start_named_span(tracer, CACHE_GET_SPAN_NAME + " " + operation_name_from_request)  # E: Argument 2 to "start_named_span" has incompatible type "str"; expected "SpanName"  [arg-type]  # P: Argument of type "str" cannot be assigned to parameter "name" of type "SpanName"  [reportArgumentType]
    start_named_span(tracer, f"query {operation_name_from_request}")  # E: Argument 2 to "start_named_span" has incompatible type "str"; expected "SpanName"  [arg-type]  # P: Argument of type "str" cannot be assigned to parameter "name" of type "SpanName"  [reportArgumentType]
    name: SpanName = operation_name_from_request  # E: Incompatible types in assignment (expression has type "str", variable has type "SpanName")  [assignment]  # P: Type "str" is not assignable to declared type "SpanName"  [reportAssignmentType]
    start_named_span(tracer, name)


PLAN_CACHE_SPAN_NAME: Final[SpanName] = "gateway.plan_cache.get"  # E: Incompatible types in assignment (expression has type "str", variable has type "SpanName")  [assignment]  # P: Type "Literal['gateway.plan_cache.get']" is not assignable to declared type "SpanName"  [reportAssignmentType]
