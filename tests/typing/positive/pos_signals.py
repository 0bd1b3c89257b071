"""Correct uses of every typed instrument, event emitter, span event method and entity builder of
`gateway_semconv`, as a gateway would write them.

`mypy --strict` and pyright (standard mode) must report nothing here; `assert_type` pins the types
the generated API promises. `exercise(meter, logger, tracer)` runs every use once, so the test
suite also checks, through the SDK, that the code does at run time what the types say.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import assert_type

from opentelemetry._logs import Logger, SeverityNumber
from opentelemetry.metrics import (
    CallbackOptions,
    Counter,
    Histogram,
    Meter,
    ObservableCounter,
    ObservableGauge,
    ObservableUpDownCounter,
    Observation,
    UpDownCounter,
)
from opentelemetry.sdk.resources import Resource
from opentelemetry.trace import Tracer
from opentelemetry.util.types import AttributeValue

from gateway_semconv.attributes.cache_attributes import CacheLayerValues, CacheLookupResultValues
from gateway_semconv.attributes.error_attributes import ErrorTypeValues
from gateway_semconv.attributes.gateway_attributes import (
    GatewayRequestPriorityValues,
    GatewayTransportValues,
)
from gateway_semconv.attributes.graphql_attributes import GraphqlOperationTypeValues
from gateway_semconv.attributes.upstream_attributes import UpstreamProtocolValues
from gateway_semconv.entities.gateway_entities import (
    GatewayServiceEntityAttributes,
    gateway_service_entity_attributes,
)
from gateway_semconv.events.gateway_events import (
    GATEWAY_REQUEST_REJECTED_EVENT_NAME,
    GatewayRequestRejectedEventBody,
    emit_gateway_request_rejected_event,
)
from gateway_semconv.events.graphql_events import emit_graphql_deprecated_field_used_event
from gateway_semconv.metrics.cache_metrics import (
    CacheEntries,
    CacheLookups,
    CacheLookupsAttributes,
)
from gateway_semconv.metrics.gateway_metrics import (
    GatewayActiveRequests,
    GatewayRequestDuration,
    GatewayRequestDurationAttributes,
)
from gateway_semconv.metrics.upstream_metrics import (
    UpstreamRequestDuration,
    UpstreamRetries,
    create_upstream_retries,
)
from gateway_semconv.spans.gateway_spans import (
    AddsGraphqlDeprecatedFieldUsedEvent,
    GatewayGraphqlRequestSpan,
    start_gateway_graphql_request_span,
)


def record_requests(meter: Meter) -> None:
    """Synchronous instruments: one per kind, each with required and optional attributes."""
    duration = GatewayRequestDuration(meter)
    assert_type(duration.instrument, Histogram)
    duration.record(
        0.25,
        gateway_route_id="graphql-public",
        gateway_transport=GatewayTransportValues.WEBSOCKET,
        graphql_operation_type=GraphqlOperationTypeValues.SUBSCRIPTION,
        http_response_status_code=101,
    )
    duration.record(1, gateway_route_id="orders-rest-v1", error_type=ErrorTypeValues.OTHER)
    active = GatewayActiveRequests(meter)
    assert_type(active.instrument, UpDownCounter)
    active.add(1, gateway_route_id="graphql-public", gateway_transport="sse")
    active.add(-1, gateway_route_id="graphql-public", gateway_transport="sse")
    lookups = CacheLookups(meter)
    assert_type(lookups.instrument, Counter)
    lookups.add(
        1,
        cache_name="responses",
        cache_lookup_result=CacheLookupResultValues.STALE,
        cache_layer=CacheLayerValues.SHARED,
    )
    entries = CacheEntries(meter)
    entries.set(12, cache_name="responses", cache_layer="local")
    UpstreamRequestDuration(meter).record(
        0.031,
        upstream_service_name="orders",
        upstream_protocol=UpstreamProtocolValues.GRPC,
        context=None,
    )
    # The PyPI package's factory is still there, unchanged.
    assert_type(create_upstream_retries(meter), Counter)
    UpstreamRetries(meter).add(2, upstream_service_name="orders", error_type="timeout")


def record_prepared(meter: Meter) -> None:
    """Attribute sets built ahead of time, as the metrics' TypedDicts."""
    attributes: GatewayRequestDurationAttributes = {
        "gateway.route.id": "graphql-public",
        "graphql.operation.type": GraphqlOperationTypeValues.MUTATION,
    }
    attributes["http.response.status_code"] = 200
    GatewayRequestDuration(meter).record_with(0.5, attributes)
    counted: CacheLookupsAttributes = {"cache.name": "responses", "cache.lookup.result": "miss"}
    CacheLookups(meter).add_with(1, counted)


def observe_caches(meter: Meter) -> None:
    """Asynchronous instruments: their callbacks return typed observations."""

    def cache_sizes(options: CallbackOptions) -> Iterable[Observation]:
        yield CacheEntries.observation(
            42, cache_name="responses", cache_layer=CacheLayerValues.SHARED
        )
        yield CacheEntries.observation_with(7, {"cache.name": "persisted-queries"})

    def lookups_so_far(options: CallbackOptions) -> Iterable[Observation]:
        yield CacheLookups.observation(
            1000, cache_name="responses", cache_lookup_result=CacheLookupResultValues.HIT
        )

    def requests_in_flight(options: CallbackOptions) -> Iterable[Observation]:
        yield GatewayActiveRequests.observation(3, gateway_route_id="graphql-public")

    assert_type(CacheEntries.create_observable(meter, [cache_sizes]), ObservableGauge)
    assert_type(CacheLookups.create_observable(meter, [lookups_so_far]), ObservableCounter)
    assert_type(
        GatewayActiveRequests.create_observable(meter, [requests_in_flight]),
        ObservableUpDownCounter,
    )


def emit_events(logger: Logger) -> None:
    body: GatewayRequestRejectedEventBody = {
        "message": "Too many requests for route graphql-public, retry in 2 s.",
        "retry_after": 2.0,
        "limit": {"name": "per-tenant-rps", "window": "second"},
    }
    emit_gateway_request_rejected_event(
        logger,
        gateway_route_id="graphql-public",
        error_type="rate_limited",
        gateway_request_priority=GatewayRequestPriorityValues.LOW,
        gateway_tenant_id="acme",
        body=body,
        severity_number=SeverityNumber.WARN,
    )
    emit_gateway_request_rejected_event(
        logger,
        gateway_route_id="orders-rest-v1",
        error_type=ErrorTypeValues.OTHER,
        body={"message": "Overloaded."},
        timestamp=1_700_000_000_000_000_000,
    )
    # An event with no body in the registry takes any value.
    emit_graphql_deprecated_field_used_event(
        logger,
        graphql_field_name="reviews",
        graphql_field_parent_type="Query",
        body="the client still selects Query.reviews",
    )
    assert GATEWAY_REQUEST_REJECTED_EVENT_NAME == "gateway.request.rejected"


def record_span_event(span: AddsGraphqlDeprecatedFieldUsedEvent) -> None:
    """Any span that lists the event can take it, as a mixin."""
    span.add_graphql_deprecated_field_used_event(
        graphql_field_name="reviews",
        graphql_field_parent_type="Query",
        gateway_client_name="ios-app",
        graphql_operation_type=GraphqlOperationTypeValues.QUERY,
    )


def span_events(tracer: Tracer) -> None:
    with start_gateway_graphql_request_span(
        tracer,
        gateway_request_id="r-9",
        gateway_route_id="graphql-public",
        graphql_operation_type=GraphqlOperationTypeValues.QUERY,
    ) as span:
        assert_type(span, GatewayGraphqlRequestSpan)
        record_span_event(span)
        span.add_graphql_deprecated_field_used_event(
            graphql_field_name="legacyPrice",
            graphql_field_parent_type="Product",
            timestamp=1_700_000_000_000_000_000,
        )


def service_resource() -> Resource:
    attributes = gateway_service_entity_attributes(
        gateway_service_name="edge-gateway",
        gateway_service_instance_id="gw-7f9c4d-2",
        gateway_service_region="eu-west-1",
    )
    assert_type(attributes, dict[str, AttributeValue])
    described: GatewayServiceEntityAttributes = {
        "gateway.service.name": "edge-gateway",
        "gateway.service.instance.id": "gw-7f9c4d-2",
    }
    assert described["gateway.service.name"] == attributes["gateway.service.name"]
    return Resource(attributes)


def exercise(meter: Meter, logger: Logger, tracer: Tracer) -> Resource:
    record_requests(meter)
    record_prepared(meter)
    observe_caches(meter)
    emit_events(logger)
    span_events(tracer)
    return service_resource()
