"""Wire the OpenTelemetry SDK to the console and send one request of each kind to the gateway."""

from __future__ import annotations

from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor, SpanExporter
from opentelemetry.trace import Tracer

from gateway_semconv.attributes.graphql_attributes import GraphqlOperationTypeValues

from .backends import GraphqlRequest, Response, RestRequest, demo_gateway
from .handlers import handle_graphql_request, handle_rest_request

PRODUCT_QUERY = """
query GetProduct($id: ID!) {
  product(id: $id) { id name }
  reviews(productId: $id) { stars }
}
"""


def run_demo(tracer: Tracer) -> list[Response]:
    """One GraphQL operation and one REST request, through a freshly started gateway."""
    gateway = demo_gateway()
    graphql = GraphqlRequest(
        request_id="req-0001",
        document=PRODUCT_QUERY,
        operation_type=GraphqlOperationTypeValues.QUERY,
        operation_name="GetProduct",
        root_fields=("product", "reviews"),
        variables={"id": "p-1"},
        client_name="web-storefront",
        tenant_id="acme",
    )
    order = RestRequest(
        request_id="req-0002",
        method="GET",
        path="/v1/orders/42",
        headers={"accept": ["application/json"]},
        tenant_id="acme",
    )
    return [
        handle_graphql_request(tracer, gateway, graphql),
        handle_rest_request(tracer, gateway, order),
    ]


def main(exporter: SpanExporter | None = None) -> None:
    """Run the demo; spans go to `exporter`, by default printed to stdout as JSON."""
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: "example-gateway"}))
    provider.add_span_processor(SimpleSpanProcessor(exporter or ConsoleSpanExporter()))
    try:
        run_demo(provider.get_tracer("gateway_app"))
    finally:
        provider.shutdown()
