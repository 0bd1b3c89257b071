"""Live check: assess the telemetry a program really emits against the resolved registry.

`samples` is what is assessed (resources, spans with their events and links, metrics with their
data points, log records), `findings` is the one table of finding ids and levels, `engine` turns
a sample into findings, `statistics` counts them and the registry's coverage, `settings` holds the
filters, level overrides and `fail-on` of `[tool.typed-semconv.live-check]`, and `report` prints
them. Samples come from the OpenTelemetry SDK (`sdk`, used by the pytest plugin), from OTLP
payloads (`otlp_json`, `otlp_proto`, `receiver`) and from files (`files`).
"""
