"""The gateway's request handlers, instrumented with the generated span factories.

Each handler is a plain function that takes the OpenTelemetry `Tracer` to use. The factories start
their span as the current span, so calling one handler from inside another nests the spans.
"""

from __future__ import annotations

from opentelemetry.trace import StatusCode, Tracer

from gateway_semconv.attributes.cache_attributes import (
    CacheLayerValues,
    CacheLookupResultValues,
)
from gateway_semconv.attributes.gateway_attributes import GatewayTransportValues
from gateway_semconv.attributes.http_attributes import HttpRequestMethodValues
from gateway_semconv.attributes.planner_attributes import PlannerExecutionModeValues
from gateway_semconv.attributes.upstream_attributes import UpstreamProtocolValues
from gateway_semconv.spans.cache_spans import start_cache_get_span
from gateway_semconv.spans.gateway_spans import (
    GatewayGraphqlRequestSpanAttributes,
    start_gateway_graphql_request_span,
    start_gateway_query_planning_span,
    start_gateway_rest_request_span,
)
from gateway_semconv.spans.graphql_spans import start_graphql_field_resolve_span
from gateway_semconv.spans.upstream_spans import start_upstream_http_client_span

from .backends import (
    FetchStep,
    Gateway,
    GraphqlRequest,
    Response,
    ResponseCache,
    RestRequest,
    Upstreams,
)

CACHE_TTL_SECONDS = 30.0
# Root fields the schema marks as deprecated: selecting one adds an event to the request span.
DEPRECATED_FIELDS = frozenset({"reviews"})
UPSTREAM_TIMEOUT_SECONDS = 2.5
KNOWN_METHODS = {member.value: member for member in HttpRequestMethodValues}


def request_method(method: str) -> HttpRequestMethodValues:
    """The verb as the convention records it: anything unknown is `_OTHER`, never passed through."""
    return KNOWN_METHODS.get(method.upper(), HttpRequestMethodValues.OTHER)


def lookup_cache(tracer: Tracer, cache: ResponseCache, key: str) -> str | None:
    """Look `key` up in the response cache."""
    entry = cache.get(key)
    with start_cache_get_span(
        tracer,
        cache_name=cache.name,
        cache_hit=entry is not None,
        cache_layer=CacheLayerValues.SHARED if cache.shared else CacheLayerValues.LOCAL,
        cache_lookup_result=CacheLookupResultValues.MISS if entry is None else None,
        server_address=cache.address,
        server_port=cache.port,
    ) as span:
        if entry is None:
            return None
        body, ttl = entry
        # A served entry past its expiry is "stale", still a hit.
        span.set_cache_lookup_result(
            CacheLookupResultValues.HIT if ttl > 0 else CacheLookupResultValues.STALE
        )
        span.set_cache_entry_ttl(ttl)
        return body


def call_upstream(
    tracer: Tracer,
    upstreams: Upstreams,
    *,
    service: str,
    method: str,
    path: str,
    subgraph: str | None = None,
) -> Response:
    """One HTTP call from the gateway to an upstream service."""
    with start_upstream_http_client_span(
        tracer,
        http_request_method=request_method(method),
        upstream_service_name=service,
        url_full=upstreams.url(service, path),
        server_address=upstreams.host(service),
        server_port=upstreams.port,
        upstream_protocol=(
            UpstreamProtocolValues.GRAPHQL if subgraph is not None else UpstreamProtocolValues.HTTP
        ),
        upstream_subgraph_name=subgraph,
        upstream_timeout=UPSTREAM_TIMEOUT_SECONDS,
    ) as span:
        response = upstreams.send(service, method, path)
        span.set_http_response_status_code(response.status)
        if response.status >= 500:
            span.set_error_type(str(response.status))
            span.set_status(StatusCode.ERROR, f"upstream answered {response.status}")
        return response


def plan_operation(
    tracer: Tracer, gateway: Gateway, request: GraphqlRequest
) -> tuple[FetchStep, ...]:
    """Split the operation into fetches from the subgraphs, reusing a cached plan if any."""
    cached = gateway.planner.cached(request.document_hash)
    with start_gateway_query_planning_span(
        tracer,
        graphql_operation_type=request.operation_type,
        planner_plan_reused=cached is not None,
        graphql_operation_name=request.operation_name,
        graphql_document_hash=request.document_hash,
    ) as span:
        steps = cached or gateway.planner.build(request.document_hash, request.root_fields)
        span.set_planner_step_count(len(steps))
        span.set_planner_subgraph_names(list(dict.fromkeys(step.subgraph for step in steps)))
        span.set_planner_execution_mode(
            PlannerExecutionModeValues.PARALLEL if len(steps) > 1 else "sequential"
        )
        return steps


def resolve_field(
    tracer: Tracer, gateway: Gateway, request: GraphqlRequest, step: FetchStep
) -> Response:
    """Run the resolver of one root field, which fetches it from its subgraph."""
    with start_graphql_field_resolve_span(
        tracer,
        graphql_field_name=step.field,
        graphql_field_parent_type=step.parent_type,
        graphql_operation_type=request.operation_type,
        graphql_operation_name=request.operation_name,
        graphql_field_path=step.field,
    ) as span:
        response = call_upstream(
            tracer,
            gateway.upstreams,
            service=step.subgraph,
            method="POST",
            path="/graphql",
            subgraph=step.subgraph,
        )
        if response.status != 200:
            span.set_error_type("subgraph_error")
        return response


def handle_graphql_request(tracer: Tracer, gateway: Gateway, request: GraphqlRequest) -> Response:
    """An incoming GraphQL operation: plan it, then resolve its root fields."""
    with start_gateway_graphql_request_span(
        tracer,
        gateway_request_id=request.request_id,
        gateway_route_id="graphql-public",
        graphql_operation_type=request.operation_type,
        graphql_operation_name=request.operation_name,
        graphql_document_hash=request.document_hash,
        gateway_transport=GatewayTransportValues.HTTP,
        gateway_client_name=request.client_name,
        gateway_tenant_id=request.tenant_id,
        server_address=gateway.address,
        server_port=gateway.port,
    ) as span:
        steps = plan_operation(tracer, gateway, request)
        for step in steps:
            if step.field in DEPRECATED_FIELDS:
                span.add_graphql_deprecated_field_used_event(
                    graphql_field_name=step.field,
                    graphql_field_parent_type=step.parent_type,
                    gateway_client_name=request.client_name,
                    graphql_operation_type=request.operation_type,
                )
        results = [resolve_field(tracer, gateway, request, step) for step in steps]
        failed = [result for result in results if result.status != 200]
        summary: GatewayGraphqlRequestSpanAttributes = {
            "gateway.request.id": request.request_id,
            "gateway.route.id": "graphql-public",
            "graphql.operation.type": request.operation_type,
            "graphql.operation.root_fields": list(request.root_fields),
            "graphql.operation.depth": 2,
        }
        if failed:
            summary["error.type"] = "subgraph_error"
        span.set_attributes(summary)
        # GraphQL answers 200 even with field errors; they travel in the body.
        return Response(200, "[" + ",".join(result.body for result in results) + "]")


def handle_rest_request(tracer: Tracer, gateway: Gateway, request: RestRequest) -> Response:
    """An incoming REST request: answer from the cache or forward it to the upstream."""
    route = gateway.match(request.path)
    with start_gateway_rest_request_span(
        tracer,
        gateway_request_id=request.request_id,
        gateway_route_id=route.route_id if route else "unmatched",
        http_request_method=request_method(request.method),
        http_route=route.template if route else None,
        gateway_tenant_id=request.tenant_id,
        gateway_request_header={"accept": request.headers["accept"]}
        if "accept" in request.headers
        else None,
        server_address=gateway.address,
        server_port=gateway.port,
    ) as span:
        if route is None:
            response = Response(404, '{"error": "no route"}')
        elif (body := lookup_cache(tracer, gateway.cache, request.path)) is not None:
            response = Response(200, body)
        else:
            response = call_upstream(
                tracer,
                gateway.upstreams,
                service=route.service,
                method=request.method,
                path=request.path,
            )
            if response.status == 200:
                gateway.cache.put(request.path, response.body, CACHE_TTL_SECONDS)
        span.set_http_response_status_code(response.status)
        if response.status >= 500:
            span.set_error_type(str(response.status))
            span.set_status(StatusCode.ERROR)
        return response
