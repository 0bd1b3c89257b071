"""An example GraphQL/REST gateway instrumented with the generated `gateway_semconv` package."""

from .app import main, run_demo

__all__ = ["main", "run_demo"]
