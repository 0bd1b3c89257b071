"""The gateway's metrics, events and resource, through the generated typed instruments, event
emitters and entity builder: every attribute name and type is checked by mypy and pyright."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from opentelemetry._logs import Logger, SeverityNumber
from opentelemetry.metrics import CallbackOptions, Meter, Observation
from opentelemetry.sdk.resources import SERVICE_NAME, Resource

from gateway_semconv.attributes.cache_attributes import CacheLayerValues
from gateway_semconv.attributes.gateway_attributes import (
    GatewayRequestPriorityValues,
    GatewayTransportValues,
)
from gateway_semconv.entities.gateway_entities import gateway_service_entity_attributes
from gateway_semconv.events.gateway_events import emit_gateway_request_rejected_event
from gateway_semconv.metrics.cache_metrics import CacheEntries
from gateway_semconv.metrics.gateway_metrics import (
    GatewayActiveRequests,
    GatewayRequestDuration,
    GatewayRequestDurationAttributes,
)

from .backends import GraphqlRequest, Response, ResponseCache, RestRequest

SERVICE_VERSION = "3.12.0"


def gateway_resource(instance_id: str) -> Resource:
    """The resource every signal of this gateway instance carries."""
    attributes = gateway_service_entity_attributes(
        gateway_service_name="example-gateway",
        gateway_service_instance_id=instance_id,
        gateway_service_version=SERVICE_VERSION,
    )
    return Resource.create({SERVICE_NAME: "example-gateway", **attributes})


class GatewayMetrics:
    """The gateway's instruments, created once from a `Meter`."""

    def __init__(self, meter: Meter) -> None:
        self.request_duration = GatewayRequestDuration(meter)
        self.active_requests = GatewayActiveRequests(meter)
        self._caches: list[ResponseCache] = []
        self.cache_entries = CacheEntries.create_observable(meter, [self._observe_caches])

    def watch_cache(self, cache: ResponseCache) -> None:
        """Report the size of `cache` whenever the metrics are collected."""
        self._caches.append(cache)

    def _observe_caches(self, options: CallbackOptions) -> Iterable[Observation]:
        for cache in self._caches:
            layer = CacheLayerValues.SHARED if cache.shared else CacheLayerValues.LOCAL
            yield CacheEntries.observation(
                len(cache.entries), cache_name=cache.name, cache_layer=layer
            )

    def measure_graphql(
        self, request: GraphqlRequest, handle: Callable[[GraphqlRequest], Response]
    ) -> Response:
        """Handle a GraphQL request, counting it as active and recording its duration."""
        route = "graphql-public"
        self.active_requests.add(1, gateway_route_id=route)
        start = time.perf_counter()
        try:
            response = handle(request)
        finally:
            self.active_requests.add(-1, gateway_route_id=route)
        self.request_duration.record(
            time.perf_counter() - start,
            gateway_route_id=route,
            gateway_transport=GatewayTransportValues.HTTP,
            graphql_operation_type=request.operation_type,
            http_response_status_code=response.status,
        )
        return response

    def measure_rest(
        self, route: str, request: RestRequest, handle: Callable[[RestRequest], Response]
    ) -> Response:
        """Handle a REST request, recording its duration with an attribute set built ahead."""
        start = time.perf_counter()
        response = handle(request)
        attributes: GatewayRequestDurationAttributes = {
            "gateway.route.id": route,
            "gateway.transport": GatewayTransportValues.HTTP,
            "http.response.status_code": response.status,
        }
        if response.status >= 500:
            attributes["error.type"] = str(response.status)
        self.request_duration.record_with(time.perf_counter() - start, attributes)
        return response


def reject_request(logger: Logger, request: GraphqlRequest, retry_after: float) -> Response:
    """Turn a request away before it reaches any upstream: one `gateway.request.rejected`."""
    emit_gateway_request_rejected_event(
        logger,
        gateway_route_id="graphql-public",
        error_type="rate_limited",
        gateway_tenant_id=request.tenant_id,
        gateway_request_priority=GatewayRequestPriorityValues.LOW,
        severity_number=SeverityNumber.WARN,
        body={
            "message": f"Too many requests, retry in {retry_after:g} s.",
            "retry_after": retry_after,
            "limit": {"name": "per-tenant-rps", "window": "second"},
        },
    )
    return Response(429, '{"error": "rate limited"}')
