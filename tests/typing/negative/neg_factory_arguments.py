# ruff: noqa: E501
"""Wrong arguments to the generated span factories.

Every wrong line carries the exact `mypy --strict` error (`# E:`) and the key part of pyright's
error with its rule (`# P:`, in column order); `# P: (none)` records a line pyright lets through.
"""

from __future__ import annotations

from opentelemetry.trace import Tracer

from gateway_semconv.attributes.cache_attributes import CacheLayerValues
from gateway_semconv.attributes.http_attributes import HttpRequestMethodValues
from gateway_semconv.spans.cache_spans import start_cache_get_span
from gateway_semconv.spans.gateway_spans import start_gateway_graphql_request_span
from gateway_semconv.spans.graphql_spans import start_graphql_field_resolve_span
from gateway_semconv.spans.upstream_spans import start_upstream_http_client_span


def misspelled_parameters(tracer: Tracer) -> None:
    with start_cache_get_span(tracer, cache_nam="responses", cache_hit=True):  # E: Unexpected keyword argument "cache_nam" for "start_cache_get_span"; did you mean "cache_name"?  [call-arg]  # P: Argument missing for parameter "cache_name"  [reportCallIssue]  # P: No parameter named "cache_nam"  [reportCallIssue]
        pass
    with start_cache_get_span(tracer, cache_name="responses", cache_hit=True, contxt=None):  # E: Unexpected keyword argument "contxt" for "start_cache_get_span"; did you mean "context"?  [call-arg]  # P: No parameter named "contxt"  [reportCallIssue]
        pass


def wrong_value_types(tracer: Tracer) -> None:
    with start_cache_get_span(tracer, cache_name="responses", cache_hit=True, server_port="6379"):  # E: Argument "server_port" to "start_cache_get_span" has incompatible type "str"; expected "int | None"  [arg-type]  # P: Argument of type "Literal['6379']" cannot be assigned to parameter "server_port" of type "int | None"  [reportArgumentType]
        pass
    with start_cache_get_span(tracer, cache_name="responses", cache_hit="true"):  # E: Argument "cache_hit" to "start_cache_get_span" has incompatible type "str"; expected "bool"  [arg-type]  # P: Argument of type "Literal['true']" cannot be assigned to parameter "cache_hit" of type "bool"  [reportArgumentType]
        pass
    with start_cache_get_span(tracer, cache_name="responses", cache_hit=None):  # E: Argument "cache_hit" to "start_cache_get_span" has incompatible type "None"; expected "bool"  [arg-type]  # P: Argument of type "None" cannot be assigned to parameter "cache_hit" of type "bool"  [reportArgumentType]
        pass


def wrong_enum_values(tracer: Tracer) -> None:
    with start_cache_get_span(tracer, cache_name="responses", cache_hit=True, cache_layer=1):  # E: Argument "cache_layer" to "start_cache_get_span" has incompatible type "int"; expected "CacheLayerValues | str | None"  [arg-type]  # P: Argument of type "Literal[1]" cannot be assigned to parameter "cache_layer" of type "CacheLayerValues | str | None"  [reportArgumentType]
        pass
    with start_cache_get_span(tracer, cache_name="responses", cache_hit=True, cache_layer=HttpRequestMethodValues.GET):  # E: Argument "cache_layer" to "start_cache_get_span" has incompatible type "HttpRequestMethodValues"; expected "CacheLayerValues | str | None"  [arg-type]  # P: Argument of type "Literal[HttpRequestMethodValues.GET]" cannot be assigned to parameter "cache_layer" of type "CacheLayerValues | str | None"  [reportArgumentType]
        pass
    with start_gateway_graphql_request_span(tracer, gateway_request_id="r-1", gateway_route_id="graphql-public", graphql_operation_type="query", gateway_request_priority="high"):  # E: Argument "gateway_request_priority" to "start_gateway_graphql_request_span" has incompatible type "str"; expected "GatewayRequestPriorityValues | int | None"  [arg-type]  # P: Argument of type "Literal['high']" cannot be assigned to parameter "gateway_request_priority" of type "GatewayRequestPriorityValues | int | None"  [reportArgumentType]
        pass
    with start_gateway_graphql_request_span(tracer, gateway_request_id="r-1", gateway_route_id="graphql-public", graphql_operation_type="query", gateway_request_priority=CacheLayerValues.LOCAL):  # E: Argument "gateway_request_priority" to "start_gateway_graphql_request_span" has incompatible type "CacheLayerValues"; expected "GatewayRequestPriorityValues | int | None"  [arg-type]  # P: Argument of type "Literal[CacheLayerValues.LOCAL]" cannot be assigned to parameter "gateway_request_priority" of type "GatewayRequestPriorityValues | int | None"  [reportArgumentType]
        pass


def missing_required_attributes(tracer: Tracer) -> None:
    with start_cache_get_span(tracer, cache_name="responses"):  # E: Missing named argument "cache_hit" for "start_cache_get_span"  [call-arg]  # P: Argument missing for parameter "cache_hit"  [reportCallIssue]
        pass
    with start_graphql_field_resolve_span(tracer, graphql_field_name="price", graphql_field_parent_type="Product"):  # E: Missing named argument "graphql_operation_type" for "start_graphql_field_resolve_span"  [call-arg]  # P: Argument missing for parameter "graphql_operation_type"  [reportCallIssue]
        pass


def positional_attributes(tracer: Tracer) -> None:
    with start_upstream_http_client_span(tracer, "GET", "orders", "https://orders.internal/v1/orders"):  # E: Too many positional arguments for "start_upstream_http_client_span"  [call-arg]  # P: Expected 1 positional argument  [reportCallIssue]
        pass
    with start_cache_get_span(tracer, "responses", True):  # E: Too many positional arguments for "start_cache_get_span"  [call-arg]  # E: Argument 2 to "start_cache_get_span" has incompatible type "str"; expected "bool"  [arg-type]  # E: Argument 3 to "start_cache_get_span" has incompatible type "bool"; expected "str"  [arg-type]  # P: Expected 1 positional argument  [reportCallIssue]
        pass
