"""`typed-semconv live-check`: assess telemetry received over OTLP/HTTP, or read from files or
standard input, against the registry; print findings as they come, then the statistics.

Exit codes as for the other commands: 0 when no finding reaches `fail-on`, 1 when one does (or
the registry or an input line is invalid), 2 usage error, 3 internal error.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http import HTTPStatus
from typing import IO, TYPE_CHECKING, Any

import click

from typed_semconv.cli.config import live_check_settings, registry_specs, source_options
from typed_semconv.cli.option_table import LIVE_CHECK
from typed_semconv.cli.reporting import (
    EXIT_INVALID,
    Reporter,
    from_settings,
    report_options,
    run_reported,
    table_options,
)
from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics
from typed_semconv.options import FAIL_ON_CHOICES

if TYPE_CHECKING:
    from typed_semconv.livecheck.engine import LiveChecker
    from typed_semconv.livecheck.findings import Finding
    from typed_semconv.livecheck.settings import LiveCheckSettings
    from typed_semconv.livecheck.statistics import Statistics
    from typed_semconv.options import FailOn

FORMATS = ("text", "json", "jsonl", "github")


class _Output:
    """Prints findings as they are found (text, jsonl, github) or all at the end (json)."""

    def __init__(self, output_format: str, stream: IO[str], colour: bool) -> None:
        self.format = output_format
        self.stream = stream
        self.colour = colour
        self.kept: list[Finding] = []
        self.lock = threading.Lock()

    def findings(self, found: list[Finding]) -> None:
        from typed_semconv.livecheck import report

        if self.format == "json":
            self.kept += found
            return
        for finding in found:
            if self.format == "jsonl":
                line = report.format_jsonl(finding)
            elif self.format == "github":
                line = report.format_github(finding)
            else:
                line = report.format_text(finding, self.colour)
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self, statistics: Statistics, settings: LiveCheckSettings) -> None:
        from typed_semconv.livecheck import report

        if self.format == "json":
            self.stream.write(report.report_json(self.kept, statistics, settings) + "\n")
        elif self.format == "jsonl":
            self.stream.write(report.statistics_jsonl(statistics, settings) + "\n")
        else:
            self.stream.write(report.summary_text(statistics, settings, self.colour) + "\n")
        self.stream.flush()


@contextmanager
def _stop_on_signals(stop: Callable[[str], None]) -> Iterator[None]:
    """SIGINT and SIGTERM ask the receiver to stop (the main thread then prints the report)."""
    handled = (signal.SIGINT, signal.SIGTERM)
    previous = {number: signal.getsignal(number) for number in handled}
    for number in handled:
        signal.signal(number, lambda received, _frame: stop(signal.Signals(received).name))
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@click.command(LIVE_CHECK)
@table_options(LIVE_CHECK)
@click.option("--otlp", is_flag=True, help="Receive OTLP/HTTP (protobuf or JSON) and assess it.")
@click.option("--otlp-address", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option(
    "--otlp-port",
    type=click.IntRange(0, 65535),
    default=4318,
    show_default=True,
    help="Port to listen on (0: any free port, printed at start).",
)
@click.option(
    "--inactivity-timeout",
    type=click.FloatRange(min=0),
    default=0.0,
    help="Stop after this many seconds without data (0: never).",
)
@click.option(
    "--max-body-size",
    type=click.IntRange(min=1),
    default=16 * 1024 * 1024,
    show_default=True,
    help="Largest accepted request body, in bytes (also unzipped).",
)
@click.option(
    "--input",
    "input_path",
    type=str,
    metavar="FILE|-",
    help="Read OTLP JSON (one request per line, as the Collector's file exporter "
    "writes) or weaver's JSON samples from FILE, or from standard input with `-`.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="How findings are printed (json: one report at the end).",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_CHOICES),
    default=None,
    help="Exit 1 when a finding reaches this level (default: `fail-on` "
    "in [tool.typed-semconv.live-check], else violation).",
)
@report_options
@click.pass_context
def live_check(
    ctx: click.Context,
    /,
    otlp: bool,
    otlp_address: str,
    otlp_port: int,
    inactivity_timeout: float,
    max_body_size: int,
    input_path: str | None,
    output_format: str,
    fail_on: FailOn | None,
    quiet: bool,
    verbose: bool,
    diagnostic_format: str,
    werror: bool,
    **values: Any,
) -> None:
    """Check telemetry a program really emits against the registry (OTLP, a file or stdin)."""
    if otlp == (input_path is not None):
        raise click.UsageError("give either --otlp or --input FILE|-", ctx)
    specs, sources, settings = from_settings(
        ctx,
        LIVE_CHECK,
        values,
        lambda s: (registry_specs(s), source_options(s), live_check_settings(s.values)),
    )
    if fail_on is not None:
        settings = settings.failing_on(fail_on)
    reporter = Reporter(quiet, verbose, diagnostic_format, werror)
    diagnostics = Diagnostics()

    def action() -> int:
        from typed_semconv.livecheck.engine import LiveChecker
        from typed_semconv.pipeline import load_resolved

        registry = load_resolved(specs, sources, diagnostics)
        checker = LiveChecker(registry, settings)
        output = _Output(output_format, sys.stdout, sys.stdout.isatty())
        if otlp:
            code = _serve(
                checker,
                output,
                otlp_address,
                otlp_port,
                inactivity_timeout,
                max_body_size,
                reporter,
                diagnostics,
            )
        else:
            code = _read(checker, output, input_path or "-", diagnostics)
        output.close(checker.statistics, settings)
        if code:
            return code
        return EXIT_INVALID if settings.fails(checker.statistics.highest_level) else 0

    run_reported(reporter, diagnostics, action, collect_cycles=True)


def _read(checker: LiveChecker, output: _Output, path: str, diagnostics: Diagnostics) -> int:
    from typed_semconv.diagnostics.core import SourceLocation
    from typed_semconv.livecheck.files import InputProblem, read_input

    label = "<stdin>" if path == "-" else path
    stream = sys.stdin if path == "-" else open(path, encoding="utf-8", errors="replace")  # noqa: SIM115
    problems = 0
    try:
        for item in read_input(stream, label):
            if isinstance(item, InputProblem):
                problems += 1
                file, _, line = item.location.rpartition(":")
                diagnostics.report(
                    catalogue.LIVE_CHECK_INPUT_INVALID,
                    item.message,
                    SourceLocation(file, int(line)) if line.isdigit() else None,
                )
                continue
            output.findings(checker.assess_batch(item))
    finally:
        if stream is not sys.stdin:
            stream.close()
    return EXIT_INVALID if problems else 0


def _serve(
    checker: LiveChecker,
    output: _Output,
    address: str,
    port: int,
    inactivity_timeout: float,
    max_body_size: int,
    reporter: Reporter,
    diagnostics: Diagnostics,
) -> int:
    from typed_semconv.livecheck import otlp_proto
    from typed_semconv.livecheck.receiver import Limits, Receiver
    from typed_semconv.livecheck.samples import Sample

    lock = threading.Lock()

    def deliver(samples: list[Sample], origin: str) -> None:
        with lock:
            found = [f for sample in samples for f in checker.assess(sample, origin)]
            output.findings(found)

    def rejected(status: HTTPStatus, message: str) -> None:
        if reporter.verbose:
            click.echo(f"rejected a request: {status.value} {status.phrase}: {message}", err=True)

    try:
        receiver = Receiver(deliver, address, port, Limits(max_body_bytes=max_body_size), rejected)
    except OSError as exc:
        diagnostics.report(
            catalogue.LIVE_CHECK_LISTEN_FAILED,
            f"cannot listen on {address}:{port}: {exc.strerror or exc}",
            hint="choose another --otlp-port (0 picks a free one) or stop what uses it",
        )
        return EXIT_INVALID
    host, bound = receiver.address
    click.echo(
        f"live check: listening for OTLP/HTTP on http://{host}:{bound} "
        "(/v1/traces, /v1/metrics, /v1/logs; POST /stop to finish)",
        err=True,
    )
    if not otlp_proto.available():
        click.echo(
            f"live check: protobuf payloads will be refused; {otlp_proto.EXTRA_HINT}", err=True
        )
    with _stop_on_signals(receiver.request_stop):
        receiver.start()
        reason = receiver.wait(inactivity_timeout or None)
    receiver.close()
    click.echo(f"live check: stopped ({reason})", err=True)
    return 0
