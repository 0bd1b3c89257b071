"""The OTLP/HTTP receiver: the real OTLP exporter of the Python SDK sends spans, metrics and logs
of a small app to `typed-semconv live-check --otlp` on loopback; hostile requests get the 4xx
OTLP specifies and the receiver keeps serving. Every request goes to 127.0.0.1 only."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from typed_semconv.livecheck.receiver import Limits, Receiver
from typed_semconv.livecheck.samples import Metric, Sample, Span

from conftest import REPO, run_installed_cli

BAKERY = REPO / "tests" / "fixtures" / "livecheck"
SMALL_APP = textwrap.dedent(
    """
    import sys
    from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
    from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk._logs import LoggerProvider
    from opentelemetry.sdk._logs.export import SimpleLogRecordProcessor
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.trace import SpanKind

    base = sys.argv[1]
    resource = Resource.create({"oven.id": "north-1"})
    traces = TracerProvider(resource=resource)
    traces.add_span_processor(SimpleSpanProcessor(OTLPSpanExporter(endpoint=base + "/v1/traces")))
    tracer = traces.get_tracer("bakery")
    with tracer.start_as_current_span("oven.bake", kind=SpanKind.INTERNAL,
                                      attributes={"oven.id": "north-1", "oven.colour": "red"}):
        pass
    with tracer.start_as_current_span("bake loaf 12345", attributes={"oven.id": "north-1"}):
        pass
    reader = PeriodicExportingMetricReader(
        OTLPMetricExporter(endpoint=base + "/v1/metrics"), export_interval_millis=600_000)
    meters = MeterProvider(resource=resource, metric_readers=[reader])
    gauge = meters.get_meter("bakery").create_gauge("oven.temperature", unit="K")
    gauge.set(493.0, {"oven.id": "north-1"})
    logs = LoggerProvider(resource=resource)
    log_exporter = OTLPLogExporter(endpoint=base + "/v1/logs")
    logs.add_log_record_processor(SimpleLogRecordProcessor(log_exporter))
    logs.get_logger("bakery").emit(event_name="oven.alarm", attributes={"oven.id": "north-1"})
    traces.shutdown()
    meters.shutdown()
    logs.shutdown()
    print("sent")
    """
)


class LiveCheckProcess:
    """`typed-semconv live-check --otlp` on a free port, its stdout in a file."""

    def __init__(self, tmp_path: Path, *extra: str) -> None:
        self.out = tmp_path / "out.jsonl"
        self.err = tmp_path / "err.txt"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "typed_semconv",
                "live-check",
                "--registry",
                str(BAKERY),
                "--otlp",
                "--otlp-port",
                "0",
                "--format",
                "jsonl",
                *extra,
            ],
            stdout=self.out.open("w"),
            stderr=self.err.open("w"),
        )
        deadline = time.monotonic() + 30
        while "listening" not in self.err.read_text():
            assert self.process.poll() is None, self.err.read_text()
            assert time.monotonic() < deadline, "the receiver did not start"
            time.sleep(0.05)
        self.base = self.err.read_text().split("on ", 1)[1].split(" ", 1)[0]
        self.port = int(self.base.rsplit(":", 1)[1])

    def stop(self) -> int:
        request("POST", self.port, "/stop")
        return self.process.wait(timeout=30)

    def records(self) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        lines = [json.loads(line) for line in self.out.read_text().splitlines()]
        return lines[:-1], lines[-1]


def request(
    method: str, port: int, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_real_exporter_spans_metrics_and_logs(tmp_path: Path) -> None:
    live = LiveCheckProcess(tmp_path)
    try:
        app = tmp_path / "app.py"
        app.write_text(SMALL_APP, encoding="utf-8")
        sent = subprocess.run(
            [sys.executable, str(app), live.base],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert sent.returncode == 0 and "sent" in sent.stdout, sent.stderr
        # The same receiver takes OTLP JSON too.
        document = {
            "resourceSpans": [{"scopeSpans": [{"spans": [{"name": "oven.bake", "kind": 1}]}]}]
        }
        status, headers, _ = request(
            "POST",
            live.port,
            "/v1/traces",
            json.dumps(document).encode(),
            {"Content-Type": "application/json"},
        )
        assert status == 200 and headers["Content-Type"] == "application/json"
    finally:
        code = live.stop()
    assert code == 1  # violations, fail-on violation
    lines, closing = live.records()
    found = {(line["finding"]["id"], line["sample_name"]) for line in lines}
    assert ("missing_attribute", "oven.colour") in found
    assert ("high_cardinality_span_name", "bake loaf 12345") in found
    assert ("span_name_mismatch", "bake loaf 12345") in found
    assert ("unit_mismatch", "oven.temperature") in found
    assert ("not_stable", "oven.alarm") in found
    assert ("required_attribute_not_present", "oven.bake") in found  # the JSON span
    by_type = closing["statistics"]["total_entities_by_type"]
    assert by_type["span"] == 3 and by_type["metric"] == 1 and by_type["log"] == 1
    assert "stopped (stop request)" in live.err.read_text()


def test_inactivity_timeout_and_fail_on_none(tmp_path: Path) -> None:
    live = LiveCheckProcess(tmp_path, "--inactivity-timeout", "0.5", "--fail-on", "none")
    assert live.process.wait(timeout=30) == 0
    assert "stopped (no data for 0.5 s)" in live.err.read_text()
    _, closing = live.records()
    assert closing["statistics"]["total_entities"] == 0


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_sigterm_stops_and_reports(tmp_path: Path) -> None:
    live = LiveCheckProcess(tmp_path)
    body = json.dumps({"resourceLogs": [{"scopeLogs": [{"logRecords": [{"eventName": "x"}]}]}]})
    request("POST", live.port, "/v1/logs", body.encode(), {"Content-Type": "application/json"})
    live.process.send_signal(signal.SIGTERM)
    assert live.process.wait(timeout=30) == 1  # missing_event is a violation
    assert "stopped (SIGTERM)" in live.err.read_text()
    lines, closing = live.records()
    assert [line["finding"]["id"] for line in lines] == ["missing_event"]
    assert closing["result"]["failed"] is True


def test_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "typed_semconv",
                "live-check",
                "--registry",
                str(BAKERY),
                "--otlp",
                "--otlp-port",
                str(port),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "[live-check-listen-failed]" in result.stderr


# --- hostile peers, in process -------------------------------------------------------------------


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, list[Sample]]]:
    delivered: list[Sample] = []
    server = Receiver(
        lambda samples, origin: delivered.extend(samples),
        "127.0.0.1",
        0,
        Limits(max_body_bytes=64 * 1024, read_timeout=1.0, max_connections=4),
    )
    server.start()
    try:
        yield server, delivered
    finally:
        server.close()


GOOD_TRACE = json.dumps(
    {"resourceSpans": [{"scopeSpans": [{"spans": [{"name": "oven.bake", "kind": 1}]}]}]}
).encode()
JSON = {"Content-Type": "application/json"}
PROTOBUF = {"Content-Type": "application/x-protobuf"}


def deep_json(depth: int) -> bytes:
    return b'{"resourceSpans": ' + b"[" * depth + b"]" * depth + b"}"


@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "status"),
    [
        ("POST", "/v1/traces", b"\x00\xff garbage", PROTOBUF, 400),
        ("POST", "/v1/traces", b"{not json", JSON, 400),
        ("POST", "/v1/traces", b"[1, 2]", JSON, 400),
        ("POST", "/v1/traces", deep_json(20_000), JSON, 400),
        ("POST", "/v1/traces", b'{"resourceMetrics": []}', JSON, 400),
        ("POST", "/v1/metrics", b'{"resourceMetrics": [{"scopeMetrics": 3}]}', JSON, 400),
        ("POST", "/v1/traces", GOOD_TRACE, {"Content-Type": "text/plain"}, 415),
        ("POST", "/v1/traces", GOOD_TRACE, {**JSON, "Content-Encoding": "br"}, 415),
        ("POST", "/v1/traces", b"x" * 100, {**JSON, "Content-Encoding": "gzip"}, 400),
        ("POST", "/v1/traces", b"x" * (65 * 1024), JSON, 413),
        (
            "POST",
            "/v1/traces",
            gzip.compress(b" " * (1024 * 1024)),
            {**JSON, "Content-Encoding": "gzip"},
            413,
        ),
        ("POST", "/v1/profiles", GOOD_TRACE, JSON, 404),
        ("GET", "/v1/traces", b"", {}, 404),
        ("PUT", "/v1/traces", GOOD_TRACE, JSON, 405),
    ],
)
def test_hostile_requests_get_4xx_and_the_receiver_goes_on(
    receiver: tuple[Receiver, list[Sample]],
    method: str,
    path: str,
    body: bytes,
    headers: dict[str, str],
    status: int,
) -> None:
    server, delivered = receiver
    port = server.address[1]
    got, answer_headers, answer = request(method, port, path, body, headers)
    assert got == status
    if answer_headers.get("Content-Type") == "application/json":
        assert json.loads(answer)["code"] == 3
    assert request("POST", port, "/v1/traces", GOOD_TRACE, JSON)[0] == 200
    assert [s.name for s in delivered if isinstance(s, Span)] == ["oven.bake"]


def raw(port: int, data: bytes, wait: float = 5.0) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as connection:
        connection.sendall(data)
        chunks = []
        while True:
            try:
                chunk = connection.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def test_bodies_without_a_length_are_refused(receiver: tuple[Receiver, list[Sample]]) -> None:
    port = receiver[0].address[1]
    no_length = raw(port, b"POST /v1/traces HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{}")
    assert no_length.startswith(b"HTTP/1.1 411")
    chunked = raw(
        port,
        b"POST /v1/traces HTTP/1.1\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    )
    assert chunked.startswith(b"HTTP/1.1 411")
    bad_length = raw(
        port,
        b"POST /v1/traces HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: -5\r\n\r\n",
    )
    assert bad_length.startswith(b"HTTP/1.1 400")


def test_slow_clients_are_dropped_not_waited_for(receiver: tuple[Receiver, list[Sample]]) -> None:
    server, delivered = receiver
    port = server.address[1]
    with (
        socket.create_connection(("127.0.0.1", port)) as stalled_headers,
        socket.create_connection(("127.0.0.1", port)) as stalled_body,
    ):
        stalled_headers.sendall(b"POST /v1/traces HTTP/1.1\r\nContent-Type: applic")
        stalled_body.sendall(
            b"POST /v1/traces HTTP/1.1\r\nContent-Type: application/json\r\n"
            b'Content-Length: 1000\r\n\r\n{"resourceSpans"'
        )
        # Others are served meanwhile.
        assert request("POST", port, "/v1/traces", GOOD_TRACE, JSON)[0] == 200
        for stalled in (stalled_headers, stalled_body):
            stalled.settimeout(10)
            started = time.monotonic()
            answer = b""
            while chunk := stalled.recv(65536):
                answer += chunk
            assert time.monotonic() - started < 5  # closed after the 1 s read timeout
            assert answer == b"" or answer.startswith((b"HTTP/1.1 400", b"HTTP/1.1 408"))
    assert len([s for s in delivered if isinstance(s, Span)]) == 1


def test_too_many_connections_are_refused_then_served(
    receiver: tuple[Receiver, list[Sample]],
) -> None:
    server, _ = receiver
    port = server.address[1]
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(4)]
    try:
        # Wait until the receiver has taken all four idle connections (a fixed pause is not
        # enough on a loaded machine), then the fifth must be refused.
        deadline = time.monotonic() + 10
        while server.server.slots._value > 0:
            assert time.monotonic() < deadline, "the receiver never took the idle connections"
            time.sleep(0.01)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as refused:
            refused.sendall(b"GET /stop HTTP/1.1\r\n\r\n")
            assert refused.recv(100) == b""  # closed at once, not queued
    finally:
        for connection in idle:
            connection.close()
    # Once the idle connections are gone the receiver serves again; until their threads have
    # noticed, a new connection may still be refused (closed at once).
    deadline = time.monotonic() + 10
    while True:
        try:
            if request("POST", port, "/v1/traces", GOOD_TRACE, JSON)[0] == 200:
                break
        except ConnectionError:
            pass
        assert time.monotonic() < deadline, "the receiver never served again"
        time.sleep(0.05)
    assert not server.stopped.is_set()


def test_protobuf_round_trip_in_process(receiver: tuple[Receiver, list[Sample]]) -> None:
    from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
        ExportMetricsServiceRequest,
    )
    from opentelemetry.proto.metrics.v1.metrics_pb2 import Metric as MetricMessage

    server, delivered = receiver
    message = ExportMetricsServiceRequest()
    scope = message.resource_metrics.add().scope_metrics.add()
    metric: MetricMessage = scope.metrics.add(name="oven.loaves", unit="{loaf}")
    metric.sum.is_monotonic = True
    point = metric.sum.data_points.add(as_int=3)
    point.attributes.add(key="bread.kind").value.string_value = "rye"
    status, headers, body = request(
        "POST", server.address[1], "/v1/metrics", message.SerializeToString(), PROTOBUF
    )
    assert (status, headers["Content-Type"], body) == (200, "application/x-protobuf", b"")
    (sent,) = [s for s in delivered if isinstance(s, Metric)]
    assert (sent.name, sent.instrument, sent.unit) == ("oven.loaves", "counter", "{loaf}")
    assert sent.data_points[0].attributes[0].value == "rye"


def test_stop_endpoint(receiver: tuple[Receiver, list[Sample]]) -> None:
    server, _ = receiver
    assert request("GET", server.address[1], "/stop")[0] == 200
    assert server.wait() == "stop request"


# --- README's "Over OTLP" and "From a file", as written -------------------------------------------


def readme_block(heading: str) -> list[list[str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Check what your program emits", 1)[1].split("\n## ", 1)[0]
    part = section.split(f"### {heading}", 1)[1].split("\n### ", 1)[0]
    block = part.split("```sh\n", 1)[1].split("```", 1)[0]
    return [shlex.split(line) for line in block.strip().splitlines()]


YOUR_SERVICE = """
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor

provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(OTLPSpanExporter()))  # endpoint from the env
with provider.get_tracer("your_service").start_as_current_span("oven.bake"):
    pass
provider.shutdown()
"""


def test_readme_otlp_workflow(tmp_path: Path) -> None:
    receiver_line, service_line = readme_block("Over OTLP, from any program")
    assert receiver_line[:2] == ["typed-semconv", "live-check"] and receiver_line[-1] == "&"
    live = LiveCheckProcess(tmp_path, *receiver_line[2:-1])  # plus a free port and the registry
    try:
        settings = dict(word.split("=", 1) for word in service_line if "=" in word)
        assert settings["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://127.0.0.1:4318"
        env = {**os.environ, **settings, "OTEL_EXPORTER_OTLP_ENDPOINT": live.base}
        (tmp_path / "your_service.py").write_text(YOUR_SERVICE, encoding="utf-8")
        program = service_line[len(settings) :]
        assert program == ["python", "-m", "your_service"]
        subprocess.run(
            [sys.executable, *program[1:]], cwd=tmp_path, env=env, check=True, timeout=120
        )
    finally:
        assert live.stop() == 1
    lines, _ = live.records()
    assert ("required_attribute_not_present", "oven.bake") in {
        (line["finding"]["id"], line["sample_name"]) for line in lines
    }


def test_readme_file_workflow(tmp_path: Path) -> None:
    command = readme_block("From a file")[0]
    assert command[:2] == ["typed-semconv", "live-check"]
    span = {
        "name": "oven.bake",
        "kind": 1,
        "attributes": [{"key": "oven.id", "value": {"stringValue": "north-1"}}],
    }
    (tmp_path / "traces.jsonl").write_text(
        json.dumps({"resourceSpans": [{"scopeSpans": [{"spans": [span]}]}]}) + "\n",
        encoding="utf-8",
    )
    result = run_installed_cli(*command[1:], "--registry", BAKERY, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["statistics"]["seen_registry_spans"]["span.oven.bake"] == 1


def test_without_the_extra_protobuf_gets_415_with_what_to_install(
    receiver: tuple[Receiver, list[Sample]], monkeypatch: pytest.MonkeyPatch
) -> None:
    module = "opentelemetry.proto.collector.trace.v1.trace_service_pb2"
    monkeypatch.setitem(sys.modules, module, None)  # as if opentelemetry-proto were missing
    status, _, body = request("POST", receiver[0].address[1], "/v1/traces", b"", PROTOBUF)
    assert status == 415
    assert b"pip install 'typed-semconv[live-check]'" in body
    assert request("POST", receiver[0].address[1], "/v1/traces", GOOD_TRACE, JSON)[0] == 200
