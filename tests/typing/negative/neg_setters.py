# ruff: noqa: E501
"""Wrong uses of the typed setters on a started span.

Every wrong line carries the exact `mypy --strict` error (`# E:`) and the key part of pyright's
error with its rule (`# P:`, in column order); `# P: (none)` records a line pyright lets through.
"""

from __future__ import annotations

from opentelemetry.trace import Tracer

from gateway_semconv.attributes.graphql_attributes import GraphqlOperationTypeValues
from gateway_semconv.attributes.upstream_attributes import UpstreamCircuitBreakerStateValues
from gateway_semconv.spans.cache_spans import start_cache_get_span
from gateway_semconv.spans.upstream_spans import start_upstream_http_client_span


def call_orders(tracer: Tracer) -> None:
    with start_upstream_http_client_span(
        tracer,
        http_request_method="GET",
        upstream_service_name="orders",
        url_full="https://orders.internal/v1/orders",
    ) as span:
        span.set_http_respons_status_code(200)  # E: "UpstreamHttpClientSpan" has no attribute "set_http_respons_status_code"  [attr-defined]  # P: Cannot access attribute "set_http_respons_status_code" for class "UpstreamHttpClientSpan"  [reportAttributeAccessIssue]
        span.set_cache_hit(True)  # E: "UpstreamHttpClientSpan" has no attribute "set_cache_hit"  [attr-defined]  # P: Cannot access attribute "set_cache_hit" for class "UpstreamHttpClientSpan"  [reportAttributeAccessIssue]
        span.set_http_response_status_code("200")  # E: Argument 1 to "set_http_response_status_code" of "SetsHttpResponseStatusCode" has incompatible type "str"; expected "int"  [arg-type]  # P: Argument of type "Literal['200']" cannot be assigned to parameter "value" of type "int"  [reportArgumentType]
        span.set_upstream_timeout("2.5s")  # E: Argument 1 to "set_upstream_timeout" of "SetsUpstreamTimeout" has incompatible type "str"; expected "float"  [arg-type]  # P: Argument of type "Literal['2.5s']" cannot be assigned to parameter "value" of type "float"  [reportArgumentType]
        span.set_upstream_protocol(1)  # E: Argument 1 to "set_upstream_protocol" of "SetsUpstreamProtocol" has incompatible type "int"; expected "UpstreamProtocolValues | str"  [arg-type]  # P: Argument of type "Literal[1]" cannot be assigned to parameter "value" of type "UpstreamProtocolValues | str"  [reportArgumentType]
        span.set_http_request_method(GraphqlOperationTypeValues.QUERY)  # E: Argument 1 to "set_http_request_method" of "SetsHttpRequestMethod" has incompatible type "GraphqlOperationTypeValues"; expected "HttpRequestMethodValues | str"  [arg-type]  # P: Argument of type "Literal[GraphqlOperationTypeValues.QUERY]" cannot be assigned to parameter "value" of type "HttpRequestMethodValues | str"  [reportArgumentType]
        span.set_upstream_protocol(UpstreamCircuitBreakerStateValues.OPEN)  # E: Argument 1 to "set_upstream_protocol" of "SetsUpstreamProtocol" has incompatible type "UpstreamCircuitBreakerStateValues"; expected "UpstreamProtocolValues | str"  [arg-type]  # P: Argument of type "Literal[UpstreamCircuitBreakerStateValues.OPEN]" cannot be assigned to parameter "value" of type "UpstreamProtocolValues | str"  [reportArgumentType]


def look_up(tracer: Tracer) -> None:
    with start_cache_get_span(tracer, cache_name="responses", cache_hit=False) as span:
        span.set_cache_hit("yes")  # E: Argument 1 to "set_cache_hit" of "SetsCacheHit" has incompatible type "str"; expected "bool"  [arg-type]  # P: Argument of type "Literal['yes']" cannot be assigned to parameter "value" of type "bool"  [reportArgumentType]
        span.hit = True  # E: "CacheGetSpan" has no attribute "hit"  [attr-defined]  # P: Cannot assign to attribute "hit" for class "CacheGetSpan"  [reportAttributeAccessIssue]
