"""One live-checked test session: the registry, the checker, the SDK collector, the findings of
each test, the closing report and the verdict."""

from __future__ import annotations

import threading
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from typed_semconv.cli.config import (
    find_pyproject,
    live_check_settings,
    read_config,
    registry_specs,
    source_options,
)
from typed_semconv.cli.option_table import REGISTRY, merge
from typed_semconv.diagnostics.core import Diagnostics, InputError
from typed_semconv.diagnostics.formats import format_text
from typed_semconv.livecheck.engine import LiveChecker
from typed_semconv.livecheck.findings import Finding, Level
from typed_semconv.livecheck.report import grouped_text, report_json, summary_text
from typed_semconv.livecheck.samples import Sample
from typed_semconv.options import ConfigError, FailOn, RegistrySpec

OUTSIDE_TESTS = "(outside any test)"


@dataclass(frozen=True)
class TestFindings:
    """What the `semconv_findings` fixture gives a test: the findings of its own samples."""

    __test__ = False  # not a test class, whatever its name

    session: LiveCheckSession
    nodeid: str

    @property
    def all(self) -> list[Finding]:
        """Every finding so far of what this test emitted (metrics are read first)."""
        return self.session.findings_of_test(self.nodeid)

    @property
    def ids(self) -> set[str]:
        return {f.id for f in self.all}

    def at_least(self, level: Level | str) -> list[Finding]:
        rank = Level(level).rank if isinstance(level, str) else level.rank
        return [f for f in self.all if f.level.rank >= rank]

    @property
    def violations(self) -> list[Finding]:
        return self.at_least(Level.VIOLATION)

    def assert_clean(self, fail_on: FailOn = "violation") -> None:
        """Fail the test if its telemetry has a finding at `fail_on` or above."""
        if fail_on == "none":
            return
        bad = self.at_least(fail_on)
        if bad:
            raise AssertionError(
                f"{len(bad)} semantic-convention finding(s) at {fail_on} or above:\n"
                + grouped_text(bad)
            )


def _load(config: pytest.Config) -> tuple[LiveChecker, str]:
    try:
        table = read_config(find_pyproject(Path(config.rootpath)))
        given = tuple(RegistrySpec(r) for r in config.getoption("semconv_registry"))
        run = merge({REGISTRY.key: given} if given else {}, table)  # --semconv-registry wins
        specs = registry_specs(run)
        sources = source_options(run)
    except ConfigError as exc:
        raise pytest.UsageError(f"semconv live check: {exc}") from exc
    settings = live_check_settings(table)
    fail_on = config.getoption("semconv_fail_on")
    if fail_on is not None:
        settings = settings.failing_on(fail_on)
    from typed_semconv.pipeline import load_resolved

    diagnostics = Diagnostics()
    try:
        registry = load_resolved(specs, sources, diagnostics)
    except InputError as exc:
        lines = "\n".join(format_text(d) for d in exc.diagnostics)
        raise pytest.UsageError(f"semconv live check: the registry has errors:\n{lines}") from exc
    described = ", ".join(spec.reference for spec in specs)
    return LiveChecker(registry, settings), described


class LiveCheckSession:
    """Registered as a pytest plugin when --semconv-live-check is given."""

    def __init__(self, config: pytest.Config, checker: LiveChecker, registry: str) -> None:
        from typed_semconv.livecheck.sdk import Collector

        self.config = config
        self.checker = checker
        self.registry = registry
        self.findings: list[Finding] = []
        self.by_test: dict[str, list[Finding]] = {}
        self.origin: str | None = None
        self.errors: list[str] = []
        self._lock = threading.Lock()
        self.collector = Collector(self.receive)
        self.collector.install()

    @classmethod
    def start(cls, config: pytest.Config) -> LiveCheckSession:
        checker, registry = _load(config)
        return cls(config, checker, registry)

    # --- samples ---------------------------------------------------------------------------------

    def receive(self, samples: list[Sample]) -> None:
        """Called by the SDK inside the code under test: a failure of the check itself is kept
        for the report, never raised into that code."""
        with self._lock:
            origin = self.origin or OUTSIDE_TESTS
            for sample in samples:
                try:
                    found = self.checker.assess(sample, origin)
                except Exception as exc:  # a bug of the live check: report it, do not break tests
                    self.errors.append(f"{origin}: {type(exc).__name__}: {exc} on {sample!r:.200}")
                    continue
                if found:
                    self.findings += found
                    self.by_test.setdefault(origin, []).extend(found)

    def findings_of(self, nodeid: str) -> TestFindings:
        return TestFindings(self, nodeid)

    def findings_of_test(self, nodeid: str) -> list[Finding]:
        self.collector.collect_metrics()
        with self._lock:
            return list(self.by_test.get(nodeid, ()))

    # --- the test run ----------------------------------------------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, Any, Any]:
        self.origin = item.nodeid
        try:
            return (yield)
        finally:
            self.collector.collect_metrics()  # the points recorded during this test
            self.origin = None

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.collector.collect_metrics()
        self.collector.uninstall()
        statistics = self.checker.statistics
        report = self.config.getoption("semconv_report")
        if report:
            Path(report).write_text(
                report_json(self.findings, statistics, self.checker.settings), encoding="utf-8"
            )
        failed = self.errors or self.checker.settings.fails(statistics.highest_level)
        if failed and session.exitstatus == 0:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_report_header(self) -> str:
        return (
            f"semconv live check: registry {self.registry}, fail-on {self.checker.settings.fail_on}"
        )

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        colour = bool(getattr(terminalreporter, "hasmarkup", False))
        terminalreporter.section("semconv live check")
        verbose = self.config.get_verbosity() > 0
        shown = [f for f in self.findings if verbose or f.level is not Level.INFORMATION]
        if shown:
            terminalreporter.write_line(grouped_text(shown, colour=colour))
            terminalreporter.write_line("")
        hidden = len(self.findings) - len(shown)
        if hidden:
            terminalreporter.write_line(
                f"({hidden} information findings not listed; -v lists them)"
            )
        terminalreporter.write_line(
            summary_text(self.checker.statistics, self.checker.settings, colour=colour)
        )
        for error in self.errors[:20]:
            terminalreporter.write_line(f"live check error (please report it): {error}")
