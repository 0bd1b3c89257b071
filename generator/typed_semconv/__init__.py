"""typed-semconv: typed Python from OpenTelemetry semantic-convention registries."""

__version__ = "0.1.0"
