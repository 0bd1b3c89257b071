"""The gateway's moving parts without any telemetry: requests, routes, a response cache, a query
planner and upstream services. Everything is in memory so the example runs offline."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from gateway_semconv.attributes.graphql_attributes import GraphqlOperationTypeValues


@dataclass(frozen=True)
class GraphqlRequest:
    """A parsed GraphQL operation as it reaches the gateway."""

    request_id: str
    document: str
    operation_type: GraphqlOperationTypeValues
    operation_name: str | None
    root_fields: tuple[str, ...]
    variables: Mapping[str, str] = field(default_factory=dict)
    client_name: str | None = None
    tenant_id: str | None = None

    @property
    def document_hash(self) -> str:
        return "sha256:" + hashlib.sha256(self.document.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class RestRequest:
    request_id: str
    method: str
    path: str
    headers: Mapping[str, list[str]] = field(default_factory=dict)
    tenant_id: str | None = None


@dataclass(frozen=True)
class Response:
    status: int
    body: str


@dataclass(frozen=True)
class RestRoute:
    """A REST route: requests whose path starts with `prefix` go to `service`."""

    route_id: str
    template: str
    prefix: str
    service: str


@dataclass(frozen=True)
class FetchStep:
    """One fetch of a query plan: resolve `field` of `parent_type` from `subgraph`."""

    parent_type: str
    field: str
    subgraph: str


@dataclass
class QueryPlanner:
    """Plans are cached by document hash, as real gateways do."""

    field_owners: Mapping[str, str]
    plans: dict[str, tuple[FetchStep, ...]] = field(default_factory=dict)

    def cached(self, document_hash: str) -> tuple[FetchStep, ...] | None:
        return self.plans.get(document_hash)

    def build(self, document_hash: str, root_fields: Sequence[str]) -> tuple[FetchStep, ...]:
        steps = tuple(FetchStep("Query", name, self.field_owners[name]) for name in root_fields)
        self.plans[document_hash] = steps
        return steps


@dataclass
class ResponseCache:
    name: str
    shared: bool
    address: str | None = None
    port: int | None = None
    entries: dict[str, tuple[str, float]] = field(default_factory=dict)

    def get(self, key: str) -> tuple[str, float] | None:
        """The cached body and its remaining lifetime in seconds, if any."""
        return self.entries.get(key)

    def put(self, key: str, body: str, ttl: float) -> None:
        self.entries[key] = (body, ttl)


UpstreamHandler = Callable[[str, str], Response]
"""A fake upstream service: (method, path) -> response."""


@dataclass
class Upstreams:
    """The services behind the gateway, by logical name."""

    services: Mapping[str, UpstreamHandler]
    port: int = 8443

    def host(self, service: str) -> str:
        return f"{service}.internal"

    def url(self, service: str, path: str) -> str:
        return f"https://{self.host(service)}:{self.port}{path}"

    def send(self, service: str, method: str, path: str) -> Response:
        return self.services[service](method, path)


@dataclass
class Gateway:
    routes: Sequence[RestRoute]
    cache: ResponseCache
    planner: QueryPlanner
    upstreams: Upstreams
    address: str = "api.example.com"
    port: int = 443

    def match(self, path: str) -> RestRoute | None:
        return next((route for route in self.routes if path.startswith(route.prefix)), None)


def demo_gateway() -> Gateway:
    """A gateway in front of three services, one of them a REST API with a flaky endpoint."""

    def products(method: str, path: str) -> Response:
        return Response(200, '{"data": {"product": {"id": "p-1", "name": "Lamp"}}}')

    def reviews(method: str, path: str) -> Response:
        return Response(200, '{"data": {"reviews": [{"stars": 5}]}}')

    def orders(method: str, path: str) -> Response:
        order_id = path.rsplit("/", 1)[-1]
        if order_id == "unavailable":
            return Response(503, '{"error": "orders database is down"}')
        return Response(200, f'{{"id": "{order_id}", "state": "shipped"}}')

    return Gateway(
        routes=[RestRoute("orders-rest-v1", "/v1/orders/{order_id}", "/v1/orders/", "orders")],
        cache=ResponseCache("responses", shared=True, address="redis.internal", port=6379),
        planner=QueryPlanner(field_owners={"product": "products", "reviews": "reviews"}),
        upstreams=Upstreams({"products": products, "reviews": reviews, "orders": orders}),
    )
