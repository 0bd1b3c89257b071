"""`make bench`: every figure against its reference, measured in one run on this machine.

Prints a table of medians (after a warm-up) and ratios. Reads the v1.44.0 registry from
$TYPED_SEMCONV_SHARED/semconv/v1.44.0/model (default ../shared) or --registry, and writes only to
temporary folders (and compiled templates to the cache folder, as any run does). The command
line runs as an installed tool does, from bytecode. Never part of `make test`; nothing here
asserts a time.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_synthetic_registry  # noqa: E402


@dataclass
class Row:
    figure: str
    value: str
    reference: str
    ratio: str
    target: str
    met: bool | None


def median_time(action: Callable[[], object], runs: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def yaml_floor(registry: Path) -> Callable[[], object]:
    files = sorted(p for p in registry.rglob("*") if p.suffix in (".yaml", ".yml"))

    def parse() -> object:
        return [yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) for p in files]

    return parse


def installed_environment() -> dict[str, str]:
    """As an installed tool runs: its modules load from bytecode (pip compiles them)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def cli(*args: str | Path, cwd: Path | None = None) -> None:
    subprocess.run(
        [sys.executable, "-m", "typed_semconv", *map(str, args)],
        cwd=cwd,
        check=True,
        capture_output=True,
        env=installed_environment(),
    )


def generate(registry: Path, output: Path, *extra: str) -> None:
    cli(
        "generate",
        "--registry",
        registry,
        "--output",
        output,
        "--package",
        "bench_semconv",
        "-q",
        *extra,
    )


def cold_generation(
    registry: Path, scratch: Path, fresh_cache: bool = False
) -> Callable[[], object]:
    """A generation into a new folder (no record to trust); with `fresh_cache`, also with an
    empty cache folder, so every template is compiled again."""
    counter = iter(range(10**6))

    def run() -> None:
        index = next(counter)
        output = scratch / f"cold-{index}"
        cache = scratch / f"cache-{index}"
        generate(registry, output, *(["--cache-dir", str(cache)] if fresh_cache else []))
        shutil.rmtree(output)
        shutil.rmtree(cache, ignore_errors=True)

    return run


def peak_memory_mb(registry: Path, scratch: Path) -> float:
    script = (
        "import resource, sys\n"
        "from typed_semconv.cli.commands import main\n"
        "try:\n"
        f"    main(['generate', '--registry', {str(registry)!r}, '--output', "
        f"{str(scratch / 'memory')!r}, '--package', 'bench_semconv', '-q'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return int(result.stdout.split()[-1]) / 1024


def import_time(modules: str, path: Path | None, runs: int) -> float:
    """Median seconds a fresh interpreter spends importing `modules` (comma-separated), read from
    `-X importtime` (their cumulative times), after `opentelemetry.trace` is already imported."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if path is not None:
        env["PYTHONPATH"] = str(path)
    wanted = {m.strip() for m in modules.split(",")}
    samples = []
    for _ in range(runs + 1):
        code = f"import opentelemetry.trace; import {modules}"
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        total = 0
        for line in result.stderr.splitlines():
            parts = line.split("|")
            # Top-level imports only (nested ones are indented): no module is counted twice.
            top_level = len(parts) == 3 and not parts[2].startswith("  ")
            if top_level and parts[2].strip() in wanted:
                total += int(parts[1])
        samples.append(total / 1e6)
    return statistics.median(samples[1:])


def typed_against_bare(script: str, runs: int) -> tuple[float, float]:
    """Per-call seconds of `typed()` and of `bare()`, which `script` defines (each makes `N`
    calls): medians of `runs` rounds after two warm-up rounds, in a fresh interpreter."""
    timing = f"""
import statistics, time
results = {{"typed": [], "bare": []}}
for name, fn in (("typed", typed), ("bare", bare)) * 2:
    fn()
for _ in range({runs}):
    for name, fn in (("typed", typed), ("bare", bare)):
        start = time.perf_counter(); fn(); results[name].append((time.perf_counter() - start) / N)
print(statistics.median(results["typed"]), statistics.median(results["bare"]))
"""
    result = subprocess.run(
        [sys.executable, "-c", script + timing], capture_output=True, text=True, check=True
    )
    typed, bare = map(float, result.stdout.split())
    return typed, bare


def span_call_overhead(package_root: Path, runs: int) -> tuple[float, float]:
    """Per-call seconds of a generated factory and of the bare API call, same attributes."""
    script = f"""
import sys
sys.path.insert(0, {str(package_root)!r})
from opentelemetry.sdk.trace import TracerProvider, SpanProcessor
from opentelemetry.trace import SpanKind
from bench_semconv.attributes.http_attributes import HttpRequestMethodValues
from bench_semconv.spans.http_spans import start_http_server_span

class NoOp(SpanProcessor):
    def on_start(self, span, parent_context=None): pass
    def on_end(self, span): pass

provider = TracerProvider()
provider.add_span_processor(NoOp())
tracer = provider.get_tracer("bench")
N = 20000

def typed():
    for _ in range(N):
        with start_http_server_span(tracer, name="GET /orders/{{id}}",
                http_request_method=HttpRequestMethodValues.GET, url_path="/orders/7",
                url_scheme="https", http_route="/orders/{{id}}", server_port=443):
            pass

def bare():
    for _ in range(N):
        with tracer.start_as_current_span("GET /orders/{{id}}", kind=SpanKind.SERVER,
                attributes={{"http.request.method": "GET", "url.path": "/orders/7",
                             "url.scheme": "https", "http.route": "/orders/{{id}}",
                             "server.port": 443}}):
            pass
"""
    return typed_against_bare(script, runs)


LIVE_CHECK_SCRIPT = """
import statistics, sys, time
from typed_semconv.diagnostics.core import Diagnostics
from typed_semconv.livecheck.engine import LiveChecker
from typed_semconv.livecheck.samples import (
    DataPoint, Metric, Resource, Span, SpanEvent, attributes_of)
from typed_semconv.options import RegistrySpec, SourceOptions
from typed_semconv.pipeline import load_resolved

registry = load_resolved([RegistrySpec(sys.argv[1])], SourceOptions(), Diagnostics())
methods = ["GET", "POST", "PUT", "PATCH", "BREW"]
samples = []
for i in range(2000):
    samples.append(Span(
        "GET /orders/{id}" if i % 3 else f"GET /orders/{i}", "server",
        attributes_of({
            "http.request.method": methods[i % 5], "http.route": "/orders/{id}",
            "url.path": f"/orders/{i}", "url.scheme": "https", "server.port": 443,
            "server.address": "shop.example", "http.response.status_code": 200 + i % 3,
            "user_agent.original": "curl/8", "http.request.header.accept": ("*/*",),
            "client.address": "10.0.0.1", "shop.order.id": str(i),
            "network.protocol.version": "1.1",
        }),
        events=(SpanEvent("exception", attributes_of({"exception.type": "ValueError"})),)
        if i % 10 == 0 else (),
    ))
    samples.append(Metric("http.server.request.duration", "histogram", "s", (
        DataPoint("histogram_data_point", attributes_of({
            "http.request.method": methods[i % 5], "http.route": "/orders/{id}",
            "http.response.status_code": 200, "url.scheme": "https"})),)))
samples.append(
    Resource(attributes_of({"service.name": "shop", "telemetry.sdk.language": "python"})))

def count_attributes(sample):
    if isinstance(sample, Span):
        return len(sample.attributes) + sum(len(e.attributes) for e in sample.events)
    if isinstance(sample, Metric):
        return sum(len(p.attributes) for p in sample.data_points)
    return len(sample.attributes)

attributes = sum(map(count_attributes, samples))
times = []
for run in range(int(sys.argv[2]) + 1):
    checker = LiveChecker(registry)
    start = time.perf_counter()
    for sample in samples:
        checker.assess(sample)
    times.append(time.perf_counter() - start)
best = statistics.median(times[1:])
print(len(samples) / best, attributes / best)
"""


def live_check_throughput(registry: Path, runs: int) -> tuple[float, float]:
    """Samples and attributes the checker assesses per second against the registry (a fresh
    checker each run: its caches start empty)."""
    result = subprocess.run(
        [sys.executable, "-c", LIVE_CHECK_SCRIPT, str(registry), str(runs)],
        capture_output=True,
        text=True,
        check=True,
    )
    samples, attributes = map(float, result.stdout.split())
    return samples, attributes


PLUGIN_SESSION_TEST = """
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import SpanKind

provider = TracerProvider()
tracer = provider.get_tracer("shop")

def test_ten_thousand_spans():
    for i in range(10_000):
        with tracer.start_as_current_span("GET /orders/{id}", kind=SpanKind.SERVER, attributes={
                "http.request.method": "GET", "http.route": "/orders/{id}", "url.scheme": "https",
                "url.path": f"/orders/{i}", "server.port": 443,
                "http.response.status_code": 200}):
            pass
"""


def plugin_session_times(registry: Path, scratch: Path, runs: int) -> tuple[float, float]:
    """Seconds of a pytest session emitting 10,000 spans, with and without the live check
    (which includes loading the registry)."""
    project = scratch / "plugin-session"
    project.mkdir()
    (project / "test_spans.py").write_text(PLUGIN_SESSION_TEST, encoding="utf-8")
    (project / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    base = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_spans.py"]
    env = installed_environment()

    def session(*extra: str) -> Callable[[], object]:
        return lambda: subprocess.run(
            [*base, *extra], cwd=project, check=True, capture_output=True, env=env
        )

    plain = median_time(session(), runs)
    checked = median_time(
        session("--semconv-live-check", "--semconv-registry", str(registry)), runs
    )
    return checked, plain


def metric_record_overhead(package_root: Path, runs: int) -> tuple[float, float]:
    """Per-call seconds of a typed histogram record with 5 attributes and of the bare
    `histogram.record(v, attributes={...})`, on the SDK with an in-memory reader."""
    script = f"""
import sys
sys.path.insert(0, {str(package_root)!r})
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from bench_semconv.attributes.http_attributes import HttpRequestMethodValues
from bench_semconv.metrics.http_metrics import HttpServerRequestDuration

provider = MeterProvider(metric_readers=[InMemoryMetricReader()])
meter = provider.get_meter("bench")
typed_histogram = HttpServerRequestDuration(meter)
bare_histogram = meter.create_histogram("bench.bare.duration", unit="s")
N = 20000

def typed():
    for _ in range(N):
        typed_histogram.record(0.25, http_request_method=HttpRequestMethodValues.GET,
                               url_scheme="https", http_route="/orders/{{id}}",
                               http_response_status_code=200, network_protocol_version="1.1")

def bare():
    for _ in range(N):
        bare_histogram.record(0.25, attributes={{"http.request.method": "GET",
                              "url.scheme": "https", "http.route": "/orders/{{id}}",
                              "http.response.status_code": 200,
                              "network.protocol.version": "1.1"}})
"""
    return typed_against_bare(script, runs)


def event_emit_overhead(package_root: Path, runs: int) -> tuple[float, float]:
    """Per-call seconds of a generated event emitter and of the bare `Logger.emit(...,
    event_name=...)` with the same attributes, on the SDK with a no-op processor."""
    script = f"""
import sys
sys.path.insert(0, {str(package_root)!r})
from opentelemetry.sdk._logs import LoggerProvider, LogRecordProcessor
from bench_semconv.events.exception_events import emit_exception_event

class NoOp(LogRecordProcessor):
    def on_emit(self, log_record): pass
    def shutdown(self): pass
    def force_flush(self, timeout_millis=30000): return True

provider = LoggerProvider()
provider.add_log_record_processor(NoOp())
logger = provider.get_logger("bench")
N = 20000

def typed():
    for _ in range(N):
        emit_exception_event(logger, exception_type="ValueError", exception_message="bad input",
                             exception_stacktrace="Traceback ...")

def bare():
    for _ in range(N):
        logger.emit(event_name="exception", attributes={{"exception.type": "ValueError",
                    "exception.message": "bad input", "exception.stacktrace": "Traceback ..."}})
"""
    return typed_against_bare(script, runs)


def mypy_time(cwd: Path, package: str, runs: int) -> float:
    def run() -> None:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "mypy",
                "--strict",
                "--no-incremental",
                "--cache-dir=/dev/null",
                "-p",
                package,
            ],
            cwd=cwd,
            check=True,
            capture_output=True,
        )

    return median_time(run, runs, warmup=0)


def cold_check(registry: Path) -> None:
    cli("check", "--registry", registry, "-q")


def shop_registries(scratch: Path, baseline: Path, head: Path) -> tuple[Path, Path]:
    """The upgrade tests' shop registries, depending on the two real releases."""
    found = []
    for release, dependency in (("1", baseline), ("2", head)):
        root = scratch / f"shop-{release}"
        shutil.copytree(REPO / "tests" / "fixtures" / "upgrade" / f"shop-{release}", root)
        manifest = {
            "dependencies": [
                {
                    "schema_url": "https://opentelemetry.io/schemas/x",
                    "registry_path": str(dependency),
                }
            ]
        }
        (root / "manifest.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
        found.append(root)
    return found[0], found[1]


def upgrade_tree(root: Path, lines: int) -> int:
    """A project of `lines` lines: copies of the upgrade tests' service modules, every one of
    which needs rewriting (the worst case: nothing can be skipped unparsed). Returns the lines."""
    samples = [
        p.read_text(encoding="utf-8")
        for p in sorted((REPO / "tests" / "upgrade_service").glob("*.py"))
    ]
    written = 0
    index = 0
    while written < lines:
        text = samples[index % len(samples)]
        folder = root / f"part_{index // 20}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"module_{index}.py").write_text(text, encoding="utf-8")
        written += text.count("\n")
        index += 1
    return written


def reference_root() -> Path:
    spec = importlib.util.find_spec("opentelemetry.semconv")
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations)))


def fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1e6:.1f} µs"


def main() -> None:
    default = Path(os.environ.get("TYPED_SEMCONV_SHARED", REPO.parent / "shared"))
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--registry", type=Path, default=default / "semconv" / "v1.44.0" / "model")
    parser.add_argument(
        "--baseline",
        type=Path,
        default=default / "semconv" / "v1.26.0" / "model",
        help="the older release for the diff and upgrade rows",
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    registry: Path = args.registry
    baseline: Path = args.baseline
    runs: int = args.runs
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="typed-semconv-bench-") as temp:
        scratch = Path(temp)
        floor = median_time(yaml_floor(registry), runs)
        rows.append(
            Row("parse the YAML with CSafeLoader (floor)", fmt_s(floor), "-", "1.00x", "-", None)
        )

        cold = median_time(cold_generation(registry, scratch), runs)
        rows.append(
            Row(
                "full generation from cold (no output, no record)",
                fmt_s(cold),
                "floor",
                f"{cold / floor:.2f}x",
                "<= 3x",
                cold / floor <= 3,
            )
        )
        first = median_time(cold_generation(registry, scratch, fresh_cache=True), runs)
        rows.append(
            Row(
                "the same with an empty cache folder (templates compiled)",
                fmt_s(first),
                "floor",
                f"{first / floor:.2f}x",
                "-",
                None,
            )
        )

        current = scratch / "current"
        generate(registry, current)
        # Imports are measured from bytecode, as an installed package (and the reference) is.
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(current)], check=True)
        unchanged = median_time(lambda: generate(registry, current), runs)
        rows.append(
            Row(
                "regeneration, nothing changed",
                fmt_s(unchanged),
                "floor",
                f"{unchanged / floor:.2f}x",
                "<= 2x",
                unchanged / floor <= 2,
            )
        )
        check = median_time(lambda: generate(registry, current, "--check"), runs)
        rows.append(
            Row(
                "generate --check on current output",
                fmt_s(check),
                "floor",
                f"{check / floor:.2f}x",
                "<= 2x",
                check / floor <= 2,
            )
        )

        factory, bare = span_call_overhead(current, runs)
        rows.append(
            Row(
                "span factory call (6 attributes, no-op processor)",
                fmt_s(factory),
                f"bare start_as_current_span {fmt_s(bare)}",
                f"{factory / bare:.2f}x",
                "<= 1.10x",
                factory / bare <= 1.10,
            )
        )

        typed_metric, bare_metric = metric_record_overhead(current, runs)
        rows.append(
            Row(
                "typed histogram record (5 attributes, in-memory reader)",
                fmt_s(typed_metric),
                f"bare histogram.record {fmt_s(bare_metric)}",
                f"{typed_metric / bare_metric:.2f}x",
                "<= 1.10x",
                typed_metric / bare_metric <= 1.10,
            )
        )
        typed_event, bare_event = event_emit_overhead(current, runs)
        rows.append(
            Row(
                "event emitter (3 attributes, no-op processor)",
                fmt_s(typed_event),
                f"bare Logger.emit {fmt_s(bare_event)}",
                f"{typed_event / bare_event:.2f}x",
                "-",
                None,
            )
        )

        ours_attr = import_time("bench_semconv.attributes.http_attributes", current, runs * 3)
        ref_attr = import_time(
            "opentelemetry.semconv._incubating.attributes.http_attributes", None, runs * 3
        )
        rows.append(
            Row(
                "import one attributes module (http)",
                fmt_s(ours_attr),
                f"0.66b2 http_attributes {fmt_s(ref_attr)}",
                f"{ours_attr / ref_attr:.2f}x",
                "<= 1.0x",
                ours_attr <= ref_attr,
            )
        )
        spans_modules = ", ".join(
            f"bench_semconv.spans.{p.stem}"
            for p in sorted((current / "bench_semconv" / "spans").glob("*_spans.py"))
        )
        ref_modules = ", ".join(
            f"opentelemetry.semconv._incubating.attributes.{p.stem}"
            for p in sorted((reference_root() / "_incubating" / "attributes").glob("*.py"))
        )
        ours_spans = import_time(spans_modules, current, runs * 3)
        ref_spans = import_time(ref_modules, None, runs * 3)
        rows.append(
            Row(
                "import the whole spans package",
                fmt_s(ours_spans),
                f"0.66b2 all attribute modules {fmt_s(ref_spans)}",
                f"{ours_spans / ref_spans:.2f}x",
                "<= 1.0x",
                ours_spans <= ref_spans,
            )
        )

        ref_copy = scratch / "reference" / "opentelemetry"
        shutil.copytree(reference_root(), ref_copy / "semconv")
        ours_mypy = mypy_time(current, "bench_semconv", max(1, runs // 2))
        ref_mypy = mypy_time(scratch / "reference", "opentelemetry.semconv", max(1, runs // 2))
        rows.append(
            Row(
                "mypy --strict, whole generated package, no cache",
                fmt_s(ours_mypy),
                f"opentelemetry.semconv 0.66b2 {fmt_s(ref_mypy)}",
                f"{ours_mypy / ref_mypy:.2f}x",
                "<= 1.2x",
                ours_mypy / ref_mypy <= 1.2,
            )
        )

        samples_per_s, attributes_per_s = live_check_throughput(registry, runs)
        rows.append(
            Row(
                "live check: samples assessed per second (spans, metrics)",
                f"{samples_per_s:,.0f}/s",
                "-",
                "-",
                "-",
                None,
            )
        )
        rows.append(
            Row(
                "live check: attributes assessed per second",
                f"{attributes_per_s:,.0f}/s",
                "goal 20,000/s",
                f"{attributes_per_s / 20_000:.1f}x",
                ">= 20,000/s",
                attributes_per_s >= 20_000,
            )
        )
        checked, plain = plugin_session_times(registry, scratch, max(1, runs // 2))
        rows.append(
            Row(
                "pytest session emitting 10,000 spans, --semconv-live-check",
                fmt_s(checked),
                f"same session without it {fmt_s(plain)}",
                f"{checked / plain:.2f}x",
                "-",
                None,
            )
        )

        memory = peak_memory_mb(registry, scratch)
        rows.append(
            Row(
                "peak memory of the full generation",
                f"{memory:.0f} MB",
                "-",
                "-",
                "<= 200 MB",
                memory <= 200,
            )
        )

        synthetic = scratch / "synthetic"
        write_synthetic_registry(synthetic, scale=10)
        big = median_time(cold_generation(synthetic, scratch), max(1, runs // 2), warmup=0)
        rows.append(
            Row(
                "synthetic registry 10x v1.44.0, cold",
                fmt_s(big),
                f"v1.44.0 cold {fmt_s(cold)}",
                f"{big / cold:.2f}x",
                "<= 11x",
                big / cold <= 11,
            )
        )

        check_both = median_time(lambda: (cold_check(baseline), cold_check(registry)), runs)
        diff = median_time(
            lambda: cli("diff", "--baseline", baseline, "--registry", registry, "--format", "json"),
            runs,
        )
        rows.append(
            Row(
                f"diff {baseline.parent.name} -> {registry.parent.name} (json)",
                fmt_s(diff),
                f"cold check of both {fmt_s(check_both)}",
                f"{diff / check_both:.2f}x",
                "<= 3x",
                diff / check_both <= 3,
            )
        )

        shop_old, shop_new = shop_registries(scratch, baseline, registry)
        tree = scratch / "project"
        lines = upgrade_tree(tree, 10_000)
        upgrade = median_time(
            lambda: cli(
                "upgrade",
                tree,
                "--package",
                "shop_semconv",
                "--baseline",
                shop_old,
                "--registry",
                shop_new,
            ),
            max(1, runs // 2),
        )
        rows.append(
            Row(
                f"upgrade a {lines:,}-line tree (dry run, every file rewritten)",
                fmt_s(upgrade),
                f"cold check of both {fmt_s(check_both)}",
                f"{upgrade / check_both:.2f}x",
                "< 10 s",
                upgrade < 10,
            )
        )

    print(f"typed-semconv benchmark: {registry}, median of {runs} runs after a warm-up\n")
    print("| figure | value | reference (same run) | ratio | target | met |")
    print("| --- | --- | --- | --- | --- | --- |")
    for row in rows:
        met = "-" if row.met is None else ("yes" if row.met else "NO")
        print(
            f"| {row.figure} | {row.value} | {row.reference} | {row.ratio} | {row.target} | {met} |"
        )


if __name__ == "__main__":
    main()
