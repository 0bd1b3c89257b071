"""Correct uses of every generated span factory of `gateway_semconv`, as a gateway would write them.

`mypy --strict` and pyright (standard mode) must report nothing here; `assert_type` pins the types
the generated API promises. `exercise(tracer)` runs every handler once, so the test suite also
checks that the code does at run time what the types say.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final, assert_type

from opentelemetry.trace import Link, Span, StatusCode, Tracer, get_current_span

from gateway_semconv.attributes.cache_attributes import (
    CACHE_HIT,
    CacheLayerValues,
    CacheLookupResultValues,
)
from gateway_semconv.attributes.error_attributes import ErrorTypeValues
from gateway_semconv.attributes.gateway_attributes import (
    GatewayAuthSchemeValues,
    GatewayRequestPriorityValues,
    GatewayTransportValues,
    gateway_request_header,
)
from gateway_semconv.attributes.graphql_attributes import (
    GRAPHQL_OPERATION_NAME,
    GraphqlOperationTypeValues,
)
from gateway_semconv.attributes.http_attributes import HTTP_ROUTE, HttpRequestMethodValues
from gateway_semconv.attributes.planner_attributes import PlannerExecutionModeValues
from gateway_semconv.attributes.upstream_attributes import (
    UpstreamCircuitBreakerStateValues,
    UpstreamProtocolValues,
)
from gateway_semconv.spans import SpanName, TypedSpan
from gateway_semconv.spans.cache_spans import (
    CACHE_GET_SPAN_NAME,
    CacheGetSpan,
    CacheGetSpanAttributes,
    start_cache_get_span,
)
from gateway_semconv.spans.gateway_spans import (
    GATEWAY_QUERY_PLANNING_SPAN_NAME,
    GatewayGraphqlRequestSpan,
    GatewayGraphqlRequestSpanAttributes,
    GatewayQueryPlanningSpan,
    GatewayQueryPlanningSpanAttributes,
    GatewayRestRequestSpan,
    GatewayRestRequestSpanAttributes,
    start_gateway_graphql_request_span,
    start_gateway_query_planning_span,
    start_gateway_rest_request_span,
)
from gateway_semconv.spans.graphql_spans import (
    GRAPHQL_FIELD_RESOLVE_SPAN_NAME,
    GRAPHQL_SUBSCRIPTION_PUSH_SPAN_NAME,
    GraphqlFieldResolveSpan,
    GraphqlFieldResolveSpanAttributes,
    GraphqlSubscriptionPushSpan,
    GraphqlSubscriptionPushSpanAttributes,
    start_graphql_field_resolve_span,
    start_graphql_subscription_push_span,
)
from gateway_semconv.spans.upstream_spans import (
    UPSTREAM_HTTP_CLIENT_SPAN_NAME,
    UpstreamHttpClientSpan,
    UpstreamHttpClientSpanAttributes,
    start_upstream_http_client_span,
)

# A name of our own, wrapped on purpose: it is static, so it may be a span name.
HEALTH_CHECK_SPAN_NAME: Final[SpanName] = SpanName("gateway.health_check")

RESPONSE_CACHE: dict[str, bytes] = {"orders:42": b'{"id": 42}'}
KNOWN_METHODS: Final = {member.value: member for member in HttpRequestMethodValues}


def static_span_names() -> list[SpanName]:
    names = [
        CACHE_GET_SPAN_NAME,
        GATEWAY_QUERY_PLANNING_SPAN_NAME,
        GRAPHQL_FIELD_RESOLVE_SPAN_NAME,
        GRAPHQL_SUBSCRIPTION_PUSH_SPAN_NAME,
        UPSTREAM_HTTP_CLIENT_SPAN_NAME,
        HEALTH_CHECK_SPAN_NAME,
    ]
    assert_type(CACHE_GET_SPAN_NAME, SpanName)
    return names


def start_named_span(tracer: Tracer, name: SpanName) -> Span:
    """A helper of the service that only accepts reviewed span names; a SpanName is still a str."""
    return tracer.start_span(name)


def method_value(method: str) -> HttpRequestMethodValues:
    """An incoming verb as the convention wants it: unknown verbs become `_OTHER`."""
    return KNOWN_METHODS.get(method.upper(), HttpRequestMethodValues.OTHER)


def cached_response(tracer: Tracer, key: str, *, shared: bool) -> bytes | None:
    with start_cache_get_span(
        tracer,
        cache_name="responses",
        cache_hit=key in RESPONSE_CACHE,
        cache_layer=CacheLayerValues.SHARED if shared else "local",
        cache_key_size=len(key.encode()),
        server_address="redis.internal" if shared else None,
        server_port=6379 if shared else None,
    ) as span:
        assert_type(span, CacheGetSpan)
        entry = RESPONSE_CACHE.get(key)
        if entry is None:
            span.set_cache_lookup_result(CacheLookupResultValues.MISS)
            return None
        span.set_cache_lookup_result("hit")  # open enum: a plain string is fine too
        span.set_cache_entry_ttl(29.5)
        span.span.set_attribute(CACHE_HIT, True)  # the raw OpenTelemetry span, by constant
        found: CacheGetSpanAttributes = {"cache.name": "responses", "cache.hit": True}
        if shared:
            found["server.address"] = "redis.internal"
        span.set_attributes(found)
        return entry


def call_upstream(
    tracer: Tracer, *, method: str, service: str, url: str, subgraph: str | None = None
) -> int:
    with start_upstream_http_client_span(
        tracer,
        http_request_method=method_value(method),
        upstream_service_name=service,
        url_full=url,
        upstream_protocol=(
            UpstreamProtocolValues.GRAPHQL if subgraph else UpstreamProtocolValues.HTTP
        ),
        upstream_subgraph_name=subgraph,
        upstream_timeout=2.5,
        server_address=service + ".internal",
        server_port=8443,
    ) as span:
        assert_type(span, UpstreamHttpClientSpan)
        span.set_upstream_attempt_count(1)
        span.set_upstream_circuit_breaker_state(UpstreamCircuitBreakerStateValues.CLOSED)
        status = 404 if url.endswith("/missing") else 200
        outcome: UpstreamHttpClientSpanAttributes = {
            "http.request.method": method_value(method),
            "upstream.service.name": service,
            "url.full": url,
        }
        outcome["http.response.status_code"] = status
        if status >= 500:
            outcome["error.type"] = str(status)
        span.set_attributes(outcome)
        return status


def plan(tracer: Tracer, document_hash: str, operation_name: str | None) -> list[str]:
    with start_gateway_query_planning_span(
        tracer,
        graphql_operation_type=GraphqlOperationTypeValues.QUERY,
        planner_plan_reused=False,
        graphql_document_hash=document_hash,
        graphql_operation_name=operation_name,
    ) as span:
        assert_type(span, GatewayQueryPlanningSpan)
        subgraphs = ["products", "reviews"]
        span.set_planner_step_count(len(subgraphs))
        span.set_planner_subgraph_names(subgraphs)
        span.set_planner_execution_mode(PlannerExecutionModeValues.PARALLEL)
        details: GatewayQueryPlanningSpanAttributes = {
            "graphql.operation.type": "query",
            "planner.plan_reused": False,
            "planner.execution_mode": "parallel",
        }
        span.set_attributes(details)
        return subgraphs


def resolve_field(tracer: Tracer, *, parent_type: str, field: str, path: str, subgraph: str) -> int:
    with start_graphql_field_resolve_span(
        tracer,
        graphql_field_name=field,
        graphql_field_parent_type=parent_type,
        graphql_operation_type=GraphqlOperationTypeValues.QUERY,
        graphql_field_path=path,
    ) as span:
        assert_type(span, GraphqlFieldResolveSpan)
        status = call_upstream(
            tracer,
            method="POST",
            service=subgraph,
            url=f"https://{subgraph}.internal/graphql",
            subgraph=subgraph,
        )
        if status != 200:
            span.set_error_type(ErrorTypeValues.OTHER)
            span.set_status(StatusCode.ERROR, "subgraph failed")
        resolved: GraphqlFieldResolveSpanAttributes = {
            "graphql.field.name": field,
            "graphql.field.parent_type": parent_type,
            "graphql.operation.type": GraphqlOperationTypeValues.QUERY,
            "graphql.field.path": path,
        }
        span.set_attributes(resolved)
        return status


def handle_graphql(
    tracer: Tracer,
    *,
    request_id: str,
    operation_name: str | None,
    headers: Mapping[str, Sequence[str]],
    variables: Mapping[str, str],
) -> None:
    document_hash = "sha256:9f2c1e0b7d4a"
    with start_gateway_graphql_request_span(
        tracer,
        gateway_request_id=request_id,
        gateway_route_id="graphql-public",
        graphql_operation_type="query",
        graphql_operation_name=operation_name,
        graphql_document_hash=document_hash,
        gateway_transport=GatewayTransportValues.HTTP,
        gateway_request_priority=GatewayRequestPriorityValues.HIGH,
        gateway_request_header={"accept-language": list(headers.get("accept-language", ()))},
        graphql_variable=variables,
        graphql_operation_root_fields=("product",),
        server_address="api.example.com",
        server_port=443,
    ) as request_span:
        assert_type(request_span, GatewayGraphqlRequestSpan)
        request_span.set_gateway_client_name("web-storefront")
        request_span.set_gateway_request_priority(2)  # an int outside the enum is allowed too
        request_span.set_graphql_variable("first", "10")
        request_span.set_gateway_request_header("x-client-version", ["5.2.0"])
        request_span.span.set_attribute(gateway_request_header("x-region"), ["eu-west-1"])
        request_span.add_event("parsed", {"graphql.operation.depth": 3})
        for subgraph in plan(tracer, document_hash, operation_name):
            resolve_field(
                tracer,
                parent_type="Query",
                field="product",
                path=f"product.{subgraph}",
                subgraph=subgraph,
            )
        cost: GatewayGraphqlRequestSpanAttributes = {
            "gateway.request.id": request_id,
            "gateway.route.id": "graphql-public",
            "graphql.operation.type": GraphqlOperationTypeValues.QUERY,
            "graphql.operation.complexity": 12,
            "graphql.operation.depth": 3,
            "gateway.request.priority": GatewayRequestPriorityValues.NORMAL,
        }
        request_span.set_attributes(cost)
        assert get_current_span() is request_span.span


def handle_rest(tracer: Tracer, *, request_id: str, method: str, order_id: str) -> int:
    route = "/v1/orders/{order_id}"
    with start_gateway_rest_request_span(
        tracer,
        gateway_request_id=request_id,
        gateway_route_id="orders-rest-v1",
        http_request_method=method_value(method),
        http_route=route,
        gateway_auth_scheme=GatewayAuthSchemeValues.BEARER,
        gateway_tenant_id="acme",
    ) as span:
        assert_type(span, GatewayRestRequestSpan)
        span.span.set_attribute(HTTP_ROUTE, route)
        body = cached_response(tracer, f"orders:{order_id}", shared=True)
        status = 200
        if body is None:
            status = call_upstream(
                tracer,
                method=method,
                service="orders",
                url=f"https://orders.internal/v1/orders/{order_id}",
            )
        span.set_http_response_status_code(status)
        summary: GatewayRestRequestSpanAttributes = {
            "gateway.request.id": request_id,
            "gateway.route.id": "orders-rest-v1",
            "http.request.method": HttpRequestMethodValues.GET,
            "http.response.status_code": status,
            "gateway.auth.scheme": "api_key",
        }
        span.set_attributes(summary)
        return status


def push_subscription_events(tracer: Tracer, *, request_id: str, events: Sequence[str]) -> None:
    parent = get_current_span().get_span_context()
    for _event in events:
        with start_graphql_subscription_push_span(
            tracer,
            gateway_request_id=request_id,
            gateway_transport="websocket",
            graphql_operation_type=GraphqlOperationTypeValues.SUBSCRIPTION,
            graphql_operation_name="OnPriceChange",
            links=[Link(parent)] if parent.is_valid else None,
            record_exception=True,
            end_on_exit=True,
        ) as span:
            assert_type(span, GraphqlSubscriptionPushSpan)
            pushed: GraphqlSubscriptionPushSpanAttributes = {
                "gateway.request.id": request_id,
                "gateway.transport": GatewayTransportValues.WEBSOCKET,
                "graphql.operation.type": "subscription",
                "graphql.document.hash": "sha256:0b7d4a9f2c1e",
            }
            span.set_attributes(pushed)
            span.span.set_attribute(GRAPHQL_OPERATION_NAME, "OnPriceChange")


def generic_error_handling(span: TypedSpan, error: Exception) -> None:
    """Every typed span shares the TypedSpan base, so generic helpers can take any of them."""
    if span.is_recording():
        span.record_exception(error, {"gateway.retryable": False})
        span.set_status(StatusCode.ERROR, type(error).__name__)


def exercise(tracer: Tracer) -> None:
    """Run every handler once."""
    assert all(name.islower() for name in static_span_names())
    health = start_named_span(tracer, HEALTH_CHECK_SPAN_NAME)
    health.end()
    handle_graphql(
        tracer,
        request_id="r-1",
        operation_name="GetProduct",
        headers={"accept-language": ["de", "en"]},
        variables={"first": "10"},
    )
    handle_graphql(tracer, request_id="r-2", operation_name=None, headers={}, variables={})
    handle_rest(tracer, request_id="r-3", method="GET", order_id="42")
    handle_rest(tracer, request_id="r-4", method="get", order_id="missing")
    push_subscription_events(tracer, request_id="r-5", events=["price:9.99"])
    with start_cache_get_span(
        tracer, cache_name="persisted-queries", cache_hit=False, end_on_exit=True
    ) as span:
        generic_error_handling(span, TimeoutError("store did not answer"))
        span.set_error_type("timeout")
