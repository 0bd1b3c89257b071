"""Request attributes recorded with opentelemetry-semantic-conventions' older names: the
`SpanAttributes`/`ResourceAttributes` classes and an incubating module of v1.26.0's time
(`tests/test_upgrade_service.py` upgrades it)."""

from __future__ import annotations

from opentelemetry.sdk.resources import Resource
from opentelemetry.semconv._incubating.attributes.http_attributes import HTTP_URL
from opentelemetry.semconv.resource import ResourceAttributes
from opentelemetry.semconv.trace import SpanAttributes
from opentelemetry.trace import Span


def resource(service: str) -> Resource:
    return Resource.create({ResourceAttributes.SERVICE_NAME: service})


def record(span: Span, method: str, status: int, url: str, agent: str) -> None:
    span.set_attribute(SpanAttributes.HTTP_METHOD, method)
    span.set_attribute(SpanAttributes.HTTP_STATUS_CODE, status)
    span.set_attribute(SpanAttributes.HTTP_ROUTE, "/orders/{id}")
    span.set_attribute(SpanAttributes.HTTP_USER_AGENT, agent)
    span.set_attribute(HTTP_URL, url)
    span.set_attribute("net.host.name", "shop.example")
