# ruff: noqa: E501
"""Wrong uses of the typed instruments, event emitters, span event methods and entity builders.

Every wrong line carries the exact `mypy --strict` error (`# E:`) and the key part of pyright's
error with its rule (`# P:`, in column order); `# P: (none)` records a line pyright lets through.
"""

from __future__ import annotations

from opentelemetry._logs import Logger
from opentelemetry.metrics import Meter
from opentelemetry.trace import Tracer

from gateway_semconv.attributes.cache_attributes import CacheLayerValues
from gateway_semconv.attributes.gateway_attributes import GatewayTransportValues
from gateway_semconv.entities.gateway_entities import gateway_service_entity_attributes
from gateway_semconv.events.gateway_events import emit_gateway_request_rejected_event
from gateway_semconv.metrics.cache_metrics import CacheEntries, CacheLookups, CacheLookupsAttributes
from gateway_semconv.metrics.gateway_metrics import (
    GatewayRequestDuration,
    GatewayRequestDurationAttributes,
)
from gateway_semconv.spans.cache_spans import start_cache_get_span
from gateway_semconv.spans.gateway_spans import start_gateway_graphql_request_span


def metric_attributes(meter: Meter) -> None:
    duration = GatewayRequestDuration(meter)
    duration.record(0.1, gateway_route_idd="graphql-public")  # E: Unexpected keyword argument "gateway_route_idd" for "record" of "GatewayRequestDuration"; did you mean "gateway_route_id"?  [call-arg]  # P: Argument missing for parameter "gateway_route_id"  [reportCallIssue]  # P: No parameter named "gateway_route_idd"  [reportCallIssue]
    duration.record(0.1, gateway_route_id="graphql-public", http_response_status_code="200")  # E: Argument "http_response_status_code" to "record" of "GatewayRequestDuration" has incompatible type "str"; expected "int | None"  [arg-type]  # P: Argument of type "Literal['200']" cannot be assigned to parameter "http_response_status_code" of type "int | None"  [reportArgumentType]
    duration.record(0.1, gateway_transport=GatewayTransportValues.HTTP)  # E: Missing named argument "gateway_route_id" for "record" of "GatewayRequestDuration"  [call-arg]  # P: Argument missing for parameter "gateway_route_id"  [reportCallIssue]
    duration.record(0.1, gateway_route_id="graphql-public", gateway_transport=CacheLayerValues.LOCAL)  # E: Argument "gateway_transport" to "record" of "GatewayRequestDuration" has incompatible type "CacheLayerValues"; expected "GatewayTransportValues | str | None"  [arg-type]  # P: Argument of type "Literal[CacheLayerValues.LOCAL]" cannot be assigned to parameter "gateway_transport" of type "GatewayTransportValues | str | None"  [reportArgumentType]
    duration.record("0.1", gateway_route_id="graphql-public")  # E: Argument 1 to "record" of "GatewayRequestDuration" has incompatible type "str"; expected "float"  [arg-type]  # P: Argument of type "Literal['0.1']" cannot be assigned to parameter "amount" of type "float"  [reportArgumentType]
    duration.add(1, gateway_route_id="graphql-public")  # E: "GatewayRequestDuration" has no attribute "add"  [attr-defined]  # P: Cannot access attribute "add" for class "GatewayRequestDuration"  [reportAttributeAccessIssue]
    # The untyped habit: a dict of attribute names, where any misspelling used to pass.
    CacheLookups(meter).add(1, {"cache.nam": "responses", "cache.lookup.result": "hit"})  # E: Too many positional arguments for "add" of "CacheLookups"  [call-arg]  # E: Missing named argument "cache_name" for "add" of "CacheLookups"  [call-arg]  # E: Argument 2 to "add" of "CacheLookups" has incompatible type "dict[str, str]"; expected "CacheLookupResultValues | str"  [arg-type]  # P: Expected 1 positional argument  [reportCallIssue]


def metric_attribute_sets(meter: Meter) -> None:
    prepared: GatewayRequestDurationAttributes = {"gateway.route.id": "graphql-public", "gateway.transprt": "http"}  # E: Extra key "gateway.transprt" for TypedDict "GatewayRequestDurationAttributes"  [typeddict-unknown-key]  # P: Type "dict[str, str]" is not assignable to declared type "GatewayRequestDurationAttributes"  [reportAssignmentType]
    missing: GatewayRequestDurationAttributes = {"gateway.transport": "http"}  # E: Missing key "gateway.route.id" for TypedDict "GatewayRequestDurationAttributes"  [typeddict-item]  # P: Type "dict[str, str]" is not assignable to declared type "GatewayRequestDurationAttributes"  [reportAssignmentType]
    wrong: GatewayRequestDurationAttributes = {"gateway.route.id": "graphql-public", "http.response.status_code": "200"}  # E: Incompatible types (expression has type "str", TypedDict item "http.response.status_code" has type "int")  [typeddict-item]  # P: Type "dict[str, str]" is not assignable to declared type "GatewayRequestDurationAttributes"  [reportAssignmentType]
    other: CacheLookupsAttributes = {"cache.name": "responses", "cache.lookup.result": "hit"}
    GatewayRequestDuration(meter).record_with(0.1, other)  # E: Argument 2 to "record_with" of "TypedHistogram" has incompatible type "CacheLookupsAttributes"; expected "GatewayRequestDurationAttributes"  [arg-type]  # P: Argument of type "CacheLookupsAttributes" cannot be assigned to parameter "attributes" of type "GatewayRequestDurationAttributes"  [reportArgumentType]
    print(prepared, missing, wrong)


def observations() -> None:
    CacheEntries.observation(3, cache_nme="responses")  # E: Unexpected keyword argument "cache_nme" for "observation" of "TypedGauge"; did you mean "cache_name"?  [call-arg]  # P: Argument missing for parameter "cache_name"  [reportCallIssue]  # P: No parameter named "cache_nme"  [reportCallIssue]
    CacheEntries.observation(3, cache_name="responses", cache_layer=GatewayTransportValues.HTTP)  # E: Argument "cache_layer" to "observation" of "TypedGauge" has incompatible type "GatewayTransportValues"; expected "CacheLayerValues | str | None"  [arg-type]  # P: Argument of type "Literal[GatewayTransportValues.HTTP]" cannot be assigned to parameter "cache_layer" of type "CacheLayerValues | str | None"  [reportArgumentType]


def events(logger: Logger) -> None:
    emit_gateway_request_rejected_event(logger, gateway_route="graphql-public", error_type="rate_limited", body={"message": "No."})  # E: Unexpected keyword argument "gateway_route" for "emit_gateway_request_rejected_event"; did you mean "gateway_route_id"?  [call-arg]  # P: Argument missing for parameter "gateway_route_id"  [reportCallIssue]  # P: No parameter named "gateway_route"  [reportCallIssue]
    emit_gateway_request_rejected_event(logger, gateway_route_id="graphql-public", error_type="rate_limited")  # E: Missing named argument "body" for "emit_gateway_request_rejected_event"  [call-arg]  # P: Argument missing for parameter "body"  [reportCallIssue]
    emit_gateway_request_rejected_event(logger, gateway_route_id="graphql-public", error_type=CacheLayerValues.LOCAL, body={"message": "No."})  # E: Argument "error_type" to "emit_gateway_request_rejected_event" has incompatible type "CacheLayerValues"; expected "ErrorTypeValues | str"  [arg-type]  # P: Argument of type "Literal[CacheLayerValues.LOCAL]" cannot be assigned to parameter "error_type" of type "ErrorTypeValues | str"  [reportArgumentType]
    emit_gateway_request_rejected_event(logger, gateway_route_id="graphql-public", error_type="rate_limited", body={"message": 3})  # E: Incompatible types (expression has type "int", TypedDict item "message" has type "str")  [typeddict-item]  # P: Argument of type "dict[str, int]" cannot be assigned to parameter "body" of type "GatewayRequestRejectedEventBody"  [reportArgumentType]
    emit_gateway_request_rejected_event(logger, gateway_route_id="graphql-public", error_type="rate_limited", body={"mesage": "No."})  # E: Missing key "message" for TypedDict "GatewayRequestRejectedEventBody"  [typeddict-item]  # E: Extra key "mesage" for TypedDict "GatewayRequestRejectedEventBody"  [typeddict-unknown-key]  # P: Argument of type "dict[str, str]" cannot be assigned to parameter "body" of type "GatewayRequestRejectedEventBody"  [reportArgumentType]
    emit_gateway_request_rejected_event(logger, gateway_route_id="graphql-public", error_type="rate_limited", body={"message": "No.", "limit": {"window": "hour"}})  # E: Missing key "name" for TypedDict "GatewayRequestRejectedEventBodyLimit"  [typeddict-item]  # P: Argument of type "dict[str, str | dict[str, str]]" cannot be assigned to parameter "body" of type "GatewayRequestRejectedEventBody"  [reportArgumentType]


def span_events(tracer: Tracer) -> None:
    with start_gateway_graphql_request_span(tracer, gateway_request_id="r-1", gateway_route_id="graphql-public", graphql_operation_type="query") as span:
        span.add_graphql_deprecated_field_used_event(graphql_field_nam="reviews", graphql_field_parent_type="Query")  # E: Unexpected keyword argument "graphql_field_nam" for "add_graphql_deprecated_field_used_event" of "AddsGraphqlDeprecatedFieldUsedEvent"; did you mean "graphql_field_name"?  [call-arg]  # P: Argument missing for parameter "graphql_field_name"  [reportCallIssue]  # P: No parameter named "graphql_field_nam"  [reportCallIssue]
        span.add_graphql_deprecated_field_used_event(graphql_field_name="reviews")  # E: Missing named argument "graphql_field_parent_type" for "add_graphql_deprecated_field_used_event" of "AddsGraphqlDeprecatedFieldUsedEvent"  [call-arg]  # P: Argument missing for parameter "graphql_field_parent_type"  [reportCallIssue]
    with start_cache_get_span(tracer, cache_name="responses", cache_hit=True) as cache_span:
        cache_span.add_graphql_deprecated_field_used_event(graphql_field_name="reviews", graphql_field_parent_type="Query")  # E: "CacheGetSpan" has no attribute "add_graphql_deprecated_field_used_event"  [attr-defined]  # P: Cannot access attribute "add_graphql_deprecated_field_used_event" for class "CacheGetSpan"  [reportAttributeAccessIssue]


def entities() -> None:
    gateway_service_entity_attributes(gateway_service_name="edge-gateway")  # E: Missing named argument "gateway_service_instance_id" for "gateway_service_entity_attributes"  [call-arg]  # P: Argument missing for parameter "gateway_service_instance_id"  [reportCallIssue]
    gateway_service_entity_attributes(gateway_service_name="edge-gateway", gateway_service_instance_id="gw-1", gateway_service_version=3)  # E: Argument "gateway_service_version" to "gateway_service_entity_attributes" has incompatible type "int"; expected "str | None"  [arg-type]  # P: Argument of type "Literal[3]" cannot be assigned to parameter "gateway_service_version" of type "str | None"  [reportArgumentType]
    gateway_service_entity_attributes(gateway_service_name="edge-gateway", gateway_service_instance_id="gw-1", gateway_service_regin="eu-west-1")  # E: Unexpected keyword argument "gateway_service_regin" for "gateway_service_entity_attributes"; did you mean "gateway_service_region", "gateway_service_version", or "gateway_service_name"?  [call-arg]  # P: No parameter named "gateway_service_regin"  [reportCallIssue]
