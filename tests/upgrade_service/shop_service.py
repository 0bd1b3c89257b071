"""A web shop's checkout, instrumented against release 1 of its conventions, which build on
OpenTelemetry's semantic conventions v1.26.0 (`tests/test_upgrade_service.py` upgrades it).

Spans come from the generated factories and setters; a few attributes are recorded with the plain
OpenTelemetry API, by constant and by string key, as real services do.
"""

from __future__ import annotations

from dataclasses import dataclass

from opentelemetry.metrics import Meter
from opentelemetry.trace import Span, Tracer
from shop_semconv.attributes.db_attributes import DB_STATEMENT, DbSystemValues
from shop_semconv.attributes.http_attributes import HTTP_METHOD, HTTP_USER_AGENT
from shop_semconv.attributes.net_attributes import NET_HOST_NAME  # where the request arrived
from shop_semconv.metrics.http_metrics import create_http_server_request_duration
from shop_semconv.spans import SpanName
from shop_semconv.spans.shop_spans import start_shop_checkout_span, start_shop_stock_reserve_span


@dataclass(frozen=True)
class Request:
    method: str
    route: str
    user_agent: str
    host: str
    articles: tuple[str, ...]


RESERVE = "UPDATE stock SET reserved = reserved + 1 WHERE sku = $1"


def checkout(tracer: Tracer, meter: Meter, request: Request, order_id: str) -> int:
    """Reserve the articles and answer 201, or 400 for an empty cart."""
    duration = create_http_server_request_duration(meter)
    with start_shop_checkout_span(
        tracer,
        name=SpanName("POST /checkout"),
        shop_order_id=order_id,
        http_method=request.method,
        http_route=request.route,
        http_user_agent=request.user_agent,
        net_host_name=request.host,
    ) as span:
        for article in request.articles:
            reserve(tracer, order_id, article)
        status = 201 if request.articles else 400
        span.set_http_status_code(status)
        span.set_shop_cart_items(len(request.articles))
        annotate(span.span, request)
    duration.record(0.25, {HTTP_METHOD: request.method, "http.status_code": status})
    return status


def reserve(tracer: Tracer, order_id: str, article: str) -> None:
    with start_shop_stock_reserve_span(
        tracer,
        name=SpanName("reserve stock"),
        shop_order_id=order_id,
        db_system=DbSystemValues.POSTGRESQL,
        db_statement=RESERVE,
        db_name="stock",
    ) as span:
        span.span.add_event("reserved", attributes={DB_STATEMENT: RESERVE, "shop.article": article})


def annotate(span: Span, request: Request) -> None:
    """What the OpenTelemetry API records directly: the same keys, by constant and by text."""
    span.set_attribute(HTTP_METHOD, request.method)
    span.set_attribute(HTTP_USER_AGENT, request.user_agent)
    span.set_attribute(NET_HOST_NAME, request.host)
    span.set_attributes({"http.user_agent": request.user_agent, "net.host.name": request.host})
