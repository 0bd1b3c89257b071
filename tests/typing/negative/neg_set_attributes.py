# ruff: noqa: E501
"""Wrong dictionaries for `span.set_attributes`, which takes any subset of the span's attributes
(`<Span>SpanAttributeUpdate`, read-only items, so the full `<Span>SpanAttributes` fits too).

Every wrong line carries the exact `mypy --strict` error (`# E:`) and the key part of pyright's
error with its rule (`# P:`, in column order); `# P: (none)` records a line pyright lets through.
"""

from __future__ import annotations

from opentelemetry.trace import Tracer

from gateway_semconv.attributes.graphql_attributes import GraphqlOperationTypeValues
from gateway_semconv.spans.cache_spans import CacheGetSpanAttributes, start_cache_get_span
from gateway_semconv.spans.upstream_spans import (
    UpstreamHttpClientSpanAttributes,
    start_upstream_http_client_span,
)


def call_orders(tracer: Tracer, untyped: dict[str, object], cached: CacheGetSpanAttributes) -> None:
    with start_upstream_http_client_span(
        tracer,
        http_request_method="GET",
        upstream_service_name="orders",
        url_full="https://orders.internal/v1/orders",
    ) as span:
        span.set_attributes({"http.request.method": "GET", "upstream.service.name": "orders", "url.full": "https://orders.internal/v1/orders", "http.response.status": 200})  # E: Extra key "http.response.status" for TypedDict "UpstreamHttpClientSpanAttributeUpdate"  [typeddict-unknown-key]  # P: "http.response.status" is an undefined item in type "UpstreamHttpClientSpanAttributeUpdate"  [reportArgumentType]
        span.set_attributes({"http.request.method": "GET", "upstream.service.name": "orders", "url.full": "https://orders.internal/v1/orders", "http.response.status_code": "200"})  # E: Incompatible types (expression has type "str", TypedDict item "http.response.status_code" has type "int")  [typeddict-item]  # P: "Literal['200']" is not assignable to "int"  [reportArgumentType]
        span.set_attributes({"http.response.status_code": 200})  # a subset is fine
        span.set_attributes(untyped)  # E: Argument 1 to "set_attributes" of "UpstreamHttpClientSpan" has incompatible type "dict[str, object]"; expected "UpstreamHttpClientSpanAttributeUpdate"  [arg-type]  # P: "dict[str, object]" is not assignable to "UpstreamHttpClientSpanAttributeUpdate"  [reportArgumentType]
        span.set_attributes(cached)  # E: Argument 1 to "set_attributes" of "UpstreamHttpClientSpan" has incompatible type "CacheGetSpanAttributes"; expected "UpstreamHttpClientSpanAttributeUpdate"  [arg-type]  # P: Argument of type "CacheGetSpanAttributes" cannot be assigned to parameter "attributes" of type "UpstreamHttpClientSpanAttributeUpdate"  [reportArgumentType]
        retry: UpstreamHttpClientSpanAttributes = {"http.request.method": "GET", "upstream.service.name": "orders", "url.full": "https://orders.internal/v1/orders", "upstream.timeout": "2.5s"}  # E: Incompatible types (expression has type "str", TypedDict item "upstream.timeout" has type "float")  [typeddict-item]  # P: "Literal['2.5s']" is not assignable to "float"  [reportAssignmentType]
        span.set_attributes(retry)


def look_up(tracer: Tracer) -> None:
    with start_cache_get_span(tracer, cache_name="responses", cache_hit=True) as span:
        span.set_attributes({"cache.name": "responses", "cache.hit": True, "cache_layer": "local"})  # E: Extra key "cache_layer" for TypedDict "CacheGetSpanAttributeUpdate"  [typeddict-unknown-key]  # P: "cache_layer" is an undefined item in type "CacheGetSpanAttributeUpdate"  [reportArgumentType]
        span.set_attributes({"cache.name": "responses", "cache.hit": True, "cache.layer": GraphqlOperationTypeValues.QUERY})  # E: Incompatible types (expression has type "GraphqlOperationTypeValues", TypedDict item "cache.layer" has type "CacheLayerValues | str")  [typeddict-item]  # P: "Literal[GraphqlOperationTypeValues.QUERY]" is not assignable to type "CacheLayerValues | str"  [reportArgumentType]
        span.set_attributes({"cache.name": "responses", "cache.hit": True, "cache.key.size": 64.0})  # E: Incompatible types (expression has type "float", TypedDict item "cache.key.size" has type "int")  [typeddict-item]  # P: "float" is not assignable to "int"  [reportArgumentType]
