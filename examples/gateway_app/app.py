"""Wire the OpenTelemetry SDK to the console and send one request of each kind to the gateway."""

from __future__ import annotations

from opentelemetry._logs import Logger
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import LogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import MetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor, SpanExporter
from opentelemetry.trace import Tracer

from gateway_semconv.attributes.graphql_attributes import GraphqlOperationTypeValues

from .backends import GraphqlRequest, Response, RestRequest, demo_gateway
from .handlers import handle_graphql_request, handle_rest_request
from .signals import GatewayMetrics, gateway_resource, reject_request

PRODUCT_QUERY = """
query GetProduct($id: ID!) {
  product(id: $id) { id name }
  reviews(productId: $id) { stars }
}
"""


def run_demo(
    tracer: Tracer, metrics: GatewayMetrics | None = None, logger: Logger | None = None
) -> list[Response]:
    """One GraphQL operation and one REST request, through a freshly started gateway; with
    `metrics`, their durations and the active requests are recorded, and with `logger` a third
    request is rejected (an event)."""
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
    if metrics is None:
        responses = [
            handle_graphql_request(tracer, gateway, graphql),
            handle_rest_request(tracer, gateway, order),
        ]
    else:
        metrics.watch_cache(gateway.cache)
        responses = [
            metrics.measure_graphql(graphql, lambda r: handle_graphql_request(tracer, gateway, r)),
            metrics.measure_rest(
                "orders-rest-v1", order, lambda r: handle_rest_request(tracer, gateway, r)
            ),
        ]
    if logger is not None:
        responses.append(reject_request(logger, graphql, retry_after=2.0))
    return responses


def main(
    exporter: SpanExporter | None = None,
    metric_reader: MetricReader | None = None,
    log_exporter: LogRecordExporter | None = None,
) -> None:
    """Run the demo; spans go to `exporter`, by default printed to stdout as JSON, metrics to
    `metric_reader` and events to `log_exporter` (nowhere when not given)."""
    resource = gateway_resource(instance_id="gw-1")
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(SimpleSpanProcessor(exporter or ConsoleSpanExporter()))
    meters = MeterProvider(
        resource=resource, metric_readers=[metric_reader] if metric_reader else []
    )
    loggers = LoggerProvider(resource=resource)
    if log_exporter is not None:
        loggers.add_log_record_processor(SimpleLogRecordProcessor(log_exporter))
    try:
        run_demo(
            provider.get_tracer("gateway_app"),
            GatewayMetrics(meters.get_meter("gateway_app")),
            loggers.get_logger("gateway_app"),
        )
        if metric_reader is not None:
            metric_reader.collect()
    finally:
        provider.shutdown()
        meters.shutdown()
        loggers.shutdown()
