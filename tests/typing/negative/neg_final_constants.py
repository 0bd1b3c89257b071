# ruff: noqa: E501, F811
"""The generated constants are `Final` and the enum members are fixed.

Every wrong line carries the exact `mypy --strict` error (`# E:`) and the key part of pyright's
error with its rule (`# P:`, in column order); `# P: (none)` records a line pyright lets through.
"""

from __future__ import annotations

from gateway_semconv.attributes import http_attributes
from gateway_semconv.attributes.cache_attributes import CacheLayerValues
from gateway_semconv.attributes.graphql_attributes import GraphqlOperationTypeValues
from gateway_semconv.attributes.http_attributes import HTTP_ROUTE
from gateway_semconv.spans import SpanName, cache_spans
from gateway_semconv.spans.cache_spans import CACHE_GET_SPAN_NAME

CACHE_GET_SPAN_NAME = SpanName("cache.lookup")  # E: Cannot assign to final name "CACHE_GET_SPAN_NAME"  [misc]  # P: "CACHE_GET_SPAN_NAME" is declared as Final and cannot be reassigned  [reportGeneralTypeIssues]
HTTP_ROUTE = "http.path"  # E: Cannot assign to final name "HTTP_ROUTE"  [misc]  # P: "HTTP_ROUTE" is declared as Final and cannot be reassigned  [reportGeneralTypeIssues]
cache_spans.CACHE_GET_SPAN_NAME = SpanName("cache.lookup")  # E: Cannot assign to final name "CACHE_GET_SPAN_NAME"  [misc]  # P: (none)
http_attributes.HTTP_RESPONSE_STATUS_CODE = "http.status_code"  # E: Cannot assign to final name "HTTP_RESPONSE_STATUS_CODE"  [misc]  # P: (none)
GraphqlOperationTypeValues.QUERY = "read"  # E: Cannot assign to final attribute "QUERY"  [misc]  # P: Enum member "QUERY" cannot be assigned  [reportAttributeAccessIssue]  # P: Cannot assign to attribute "QUERY" for class "type[GraphqlOperationTypeValues]"  [reportAttributeAccessIssue]
CacheLayerValues.LOCAL.value = "memory"  # E: Property "value" defined in "Enum" is read-only  [misc]  # P: Cannot assign to attribute "value" for class "Literal[CacheLayerValues.LOCAL]"  [reportAttributeAccessIssue]
