"""The generated span factories at run time, against the SDK's in-memory exporter."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode, Tracer

from gateway_semconv.attributes.cache_attributes import CacheLookupResultValues
from gateway_semconv.attributes.graphql_attributes import GraphqlOperationTypeValues
from gateway_semconv.attributes.http_attributes import HttpRequestMethodValues
from gateway_semconv.spans import SpanName, TypedSpan
from gateway_semconv.spans.cache_spans import CACHE_GET_SPAN_NAME, start_cache_get_span
from gateway_semconv.spans.gateway_spans import (
    GATEWAY_QUERY_PLANNING_SPAN_NAME,
    start_gateway_graphql_request_span,
    start_gateway_query_planning_span,
    start_gateway_rest_request_span,
)
from gateway_semconv.spans.upstream_spans import start_upstream_http_client_span


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def tracer(exporter: InMemorySpanExporter) -> Iterator[Tracer]:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield provider.get_tracer("tests")
    provider.shutdown()


def only_span(exporter: InMemorySpanExporter) -> ReadableSpan:
    (span,) = exporter.get_finished_spans()
    return span


def test_static_name_kind_and_exact_attributes(
    tracer: Tracer, exporter: InMemorySpanExporter
) -> None:
    with start_cache_get_span(
        tracer,
        cache_name="documents",
        cache_hit=True,
        cache_lookup_result=CacheLookupResultValues.HIT,
        cache_key_size=None,
    ) as span:
        assert isinstance(span, TypedSpan)
        assert span.span.is_recording()
    finished = only_span(exporter)
    assert finished.name == CACHE_GET_SPAN_NAME == "cache.get"
    assert finished.kind is SpanKind.CLIENT
    attributes = dict(finished.attributes or {})
    assert attributes == {
        "cache.name": "documents",
        "cache.hit": True,
        "cache.lookup.result": "hit",
    }
    assert type(attributes["cache.lookup.result"]) is str  # the plain value, not the enum


def test_explicit_span_name_from_the_annotation(
    tracer: Tracer, exporter: InMemorySpanExporter
) -> None:
    with start_gateway_query_planning_span(tracer, **PLANNING_REQUIRED):
        pass
    assert only_span(exporter).name == GATEWAY_QUERY_PLANNING_SPAN_NAME == "graphql.plan"


def test_name_pattern_uses_the_values_and_drops_missing_ones(
    tracer: Tracer, exporter: InMemorySpanExporter
) -> None:
    with start_gateway_graphql_request_span(
        tracer,
        gateway_request_id="r-1",
        gateway_route_id="graphql-public",
        graphql_operation_type=GraphqlOperationTypeValues.QUERY,
        graphql_operation_name="ListOrders",
    ):
        pass
    with start_gateway_graphql_request_span(
        tracer,
        gateway_request_id="r-2",
        gateway_route_id="graphql-public",
        graphql_operation_type="mutation",
    ):
        pass
    names = [span.name for span in exporter.get_finished_spans()]
    assert names == ["query ListOrders", "mutation"]


def test_rest_span_name_and_kind(tracer: Tracer, exporter: InMemorySpanExporter) -> None:
    with start_gateway_rest_request_span(
        tracer,
        http_request_method=HttpRequestMethodValues.GET,
        http_route="/orders/{id}",
        **REST_REQUIRED,
    ):
        pass
    finished = only_span(exporter)
    assert finished.name == "GET /orders/{id}"
    assert finished.kind is SpanKind.SERVER
    assert (finished.attributes or {})["http.request.method"] == "GET"


def test_setters_and_typed_dict_set_attributes_after_the_start(
    tracer: Tracer, exporter: InMemorySpanExporter
) -> None:
    with start_upstream_http_client_span(tracer, **UPSTREAM_REQUIRED) as span:
        span.set_http_response_status_code(503)
        span.set_attributes({"error.type": "timeout", "upstream.attempt_count": 2})
    attributes = dict(only_span(exporter).attributes or {})
    assert attributes["http.response.status_code"] == 503
    assert attributes["error.type"] == "timeout"
    assert attributes["upstream.attempt_count"] == 2


def test_template_attributes_become_one_attribute_per_key(
    tracer: Tracer, exporter: InMemorySpanExporter
) -> None:
    with start_gateway_rest_request_span(
        tracer,
        http_request_method="POST",
        http_route="/orders",
        gateway_request_header={"accept-language": ["de", "en"]},
        **REST_REQUIRED,
    ) as span:
        span.set_gateway_request_header("x-client", ["web"])
    attributes = dict(only_span(exporter).attributes or {})
    assert attributes["gateway.request.header.accept-language"] == ("de", "en")
    assert attributes["gateway.request.header.x-client"] == ("web",)


def test_children_nest_under_the_current_span(
    tracer: Tracer, exporter: InMemorySpanExporter
) -> None:
    with (
        start_gateway_graphql_request_span(
            tracer,
            gateway_request_id="r-3",
            gateway_route_id="graphql-public",
            graphql_operation_type="query",
        ) as parent,
        start_gateway_query_planning_span(tracer, **PLANNING_REQUIRED),
    ):
        pass
    child, root = exporter.get_finished_spans()
    assert child.parent is not None
    assert child.parent.span_id == parent.span.get_span_context().span_id
    assert root.parent is None


def test_exceptions_are_recorded_and_set_the_error_status(
    tracer: Tracer, exporter: InMemorySpanExporter
) -> None:
    with pytest.raises(RuntimeError), start_cache_get_span(tracer, cache_name="d", cache_hit=False):
        raise RuntimeError("backend unavailable")
    finished = only_span(exporter)
    assert finished.status.status_code is StatusCode.ERROR
    (event,) = finished.events
    assert event.name == "exception"
    assert (event.attributes or {})["exception.message"] == "backend unavailable"


def test_span_name_is_a_distinct_type_at_runtime_only_by_intent() -> None:
    assert SpanName("checkout") == "checkout"


REST_REQUIRED = {"gateway_request_id": "r-9", "gateway_route_id": "orders-rest-v1"}
PLANNING_REQUIRED = {"graphql_operation_type": "query", "planner_plan_reused": False}
UPSTREAM_REQUIRED = {
    "http_request_method": "GET",
    "upstream_service_name": "orders",
    "url_full": "http://orders.internal/orders",
}
