"""The pytest plugin: `pytest --semconv-live-check` checks every span, metric point and log
record the tests emit through the OpenTelemetry SDK against the registry.

This module is what pytest loads for every run (the `pytest11` entry point), so it imports
nothing but pytest: without `--semconv-live-check` it only adds its options and the
`semconv_findings` fixture. The work is in `session`, imported when the option is given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from typed_semconv.pytest_plugin.session import TestFindings

PLUGIN_NAME = "typed-semconv-live-check"
# The `fail-on` levels: `options.FAIL_ON_CHOICES`, restated because this module may
# import nothing but pytest (tests/test_config.py holds the two equal).
FAIL_ON = ("violation", "improvement", "information", "none")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("semconv", "semantic-convention live check (typed-semconv)")
    group.addoption(
        "--semconv-live-check",
        action="store_true",
        default=False,
        help="Check the telemetry the tests emit against the semantic-convention registry.",
    )
    group.addoption(
        "--semconv-registry",
        action="append",
        default=[],
        metavar="REF",
        help="Registry to check against (repeatable); default: `registry` in "
        "[tool.typed-semconv] of the nearest pyproject.toml.",
    )
    group.addoption(
        "--semconv-report",
        metavar="FILE",
        default=None,
        help="Also write the findings and statistics as JSON to FILE.",
    )
    group.addoption(
        "--semconv-fail-on",
        choices=FAIL_ON,
        default=None,
        help="Fail the run on findings of this level or higher (default: `fail-on` in "
        "[tool.typed-semconv.live-check], else violation).",
    )


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("semconv_live_check"):
        return
    try:
        from typed_semconv.pytest_plugin.session import LiveCheckSession

        session = LiveCheckSession.start(config)
    except ImportError as exc:
        raise pytest.UsageError(
            f"--semconv-live-check needs the OpenTelemetry SDK ({exc.name or exc} is missing): "
            "pip install 'typed-semconv[live-check]'"
        ) from exc
    config.pluginmanager.register(session, PLUGIN_NAME)


@pytest.fixture
def semconv_findings(request: pytest.FixtureRequest) -> TestFindings:
    """The live-check findings of the samples this test emitted (needs --semconv-live-check)."""
    session = request.config.pluginmanager.get_plugin(PLUGIN_NAME)
    if session is None:
        pytest.skip("the semantic-convention live check is off (run pytest --semconv-live-check)")
    findings: TestFindings = session.findings_of(request.node.nodeid)
    return findings
