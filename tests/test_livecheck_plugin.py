"""The pytest plugin, run as a user runs it: `pytest --semconv-live-check` on small suites
(pytester, each in its own process), and on the example gateway app."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO

# Each test runs a pytest session (or builds the wheel) in a subprocess: seconds each.
pytestmark = pytest.mark.slow

BAKERY = REPO / "tests" / "fixtures" / "livecheck"
PYPROJECT = f"""
[tool.typed-semconv]
registry = [{str(BAKERY)!r}]

[[tool.typed-semconv.live-check.finding-filters]]
signal-type = "resource"
exclude = ["missing_attribute", "missing_namespace", "extends_namespace"]
"""

# The code under test: builds its own providers, as a service's factory function would.
BAKERY_APP = """
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind


def bake(attributes, name="oven.bake"):
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    with provider.get_tracer("bakery").start_as_current_span(
        name, kind=SpanKind.INTERNAL, attributes=attributes
    ):
        pass
    provider.shutdown()
    return exporter.get_finished_spans()


def measure(unit, attributes):
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader])
    gauge = provider.get_meter("bakery").create_gauge("oven.temperature", unit=unit)
    gauge.set(220.0, attributes)
    return reader.get_metrics_data()
"""

GOOD_TESTS = """
from bakery_app import bake, measure

def test_bake():
    spans = bake({"oven.id": "north-1", "oven.temperature": 220.5, "oven.mode": "bake"})
    assert len(spans) == 1  # the app's own exporter still gets its spans

def test_measure():
    assert measure("Cel", {"oven.id": "north-1", "oven.mode": "bake"}) is not None
"""

BAD_TESTS = """
from bakery_app import bake, measure

def test_bad_bake():
    bake({"oven.id": "north-1", "oven.colour": "red"})

def test_bad_unit():
    measure("K", {"oven.id": "north-1"})

def test_clean():
    bake({"oven.id": "south-2", "oven.temperature": 200.0})
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyprojecttoml(PYPROJECT)
    pytester.makepyfile(bakery_app=BAKERY_APP)
    pytester.syspathinsert()
    return pytester


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def test_passing_suite(project: pytest.Pytester) -> None:
    project.makepyfile(test_good=GOOD_TESTS)
    result = run(project, "--semconv-live-check")
    assert result.ret == 0, result.stdout.str()
    result.stdout.fnmatch_lines(
        [
            f"semconv live check: registry {BAKERY}, fail-on violation",
            "*semconv live check*",
            "*registry coverage*(attributes */8, metrics 1/2, events 0/1, spans 1/3)",
            "live check passed (fail-on = violation, highest level: *)",
            "*2 passed*",
        ]
    )


def test_failing_suite_names_the_tests_and_writes_the_report(project: pytest.Pytester) -> None:
    project.makepyfile(test_bad=BAD_TESTS)
    report = project.path / "live-check.json"
    result = run(project, "--semconv-live-check", "--semconv-report", str(report))
    assert result.ret == 1  # every test passed; the live check failed the run
    result.stdout.fnmatch_lines(
        [
            "violation missing_attribute",
            "  attribute `oven.colour` is not defined in the registry (in span `oven.bake`) (x1)",
            "      test_bad.py::test_bad_bake",
            "violation unit_mismatch",
            "*`oven.temperature` has the unit `K`*",
            "      test_bad.py::test_bad_unit",
            "live check FAILED (fail-on = violation, highest level: violation)",
            "*3 passed*",
        ]
    )
    document = json.loads(report.read_text(encoding="utf-8"))
    origins = {(r["finding"]["id"], r["origin"]) for r in document["findings"]}
    assert ("missing_attribute", "test_bad.py::test_bad_bake") in origins
    assert ("unit_mismatch", "test_bad.py::test_bad_unit") in origins
    assert not any(
        origin == "test_bad.py::test_clean" and level == "violation"
        for origin, level in ((r["origin"], r["finding"]["level"]) for r in document["findings"])
    )
    assert document["result"]["failed"] is True
    assert document["statistics"]["seen_non_registry_attributes"]["oven.colour"] == 1


def test_fail_on(project: pytest.Pytester) -> None:
    project.makepyfile(test_bad=BAD_TESTS)
    assert run(project, "--semconv-live-check", "--semconv-fail-on", "none").ret == 0
    project.makepyfile(
        test_bad="from bakery_app import bake\n\ndef test_x():\n"
        "    bake({'oven.id': 'n', 'oven.mode': 'bake'})\n"
    )
    # Only an improvement (the recommended oven.temperature is absent).
    assert run(project, "--semconv-live-check").ret == 0
    improvement = run(project, "--semconv-live-check", "--semconv-fail-on", "improvement")
    assert improvement.ret == 1
    improvement.stdout.fnmatch_lines(["live check FAILED (fail-on = improvement*"])


def test_fixture_gives_a_test_its_own_findings(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_fixture="""
        import pytest
        from bakery_app import bake, measure

        def test_other():
            bake({"oven.id": "n", "unknown.key": 1})

        def test_own(semconv_findings):
            bake({"oven.id": "n", "oven.mode": "steam"})
            measure("K", {"oven.id": "n"})
            assert semconv_findings.ids >= {"undefined_enum_variant", "unit_mismatch"}
            assert "missing_attribute" not in semconv_findings.ids  # test_other's
            assert [f.id for f in semconv_findings.violations] == ["unit_mismatch"]
            with pytest.raises(AssertionError, match="unit_mismatch"):
                semconv_findings.assert_clean()

        def test_clean(semconv_findings):
            bake({"oven.id": "n", "oven.temperature": 1.0, "oven.mode": "grill"})
            semconv_findings.assert_clean("improvement")
        """
    )
    result = run(project, "--semconv-live-check", "--semconv-fail-on", "none")
    assert result.ret == 0, result.stdout.str()
    result.stdout.fnmatch_lines(["*3 passed*"])


def test_global_api_without_providers_and_with_a_provider_set_by_a_test(
    project: pytest.Pytester,
) -> None:
    project.makepyfile(
        shop="""
        from opentelemetry import trace, metrics, _logs
        tracer = trace.get_tracer("shop")  # taken before any provider is set
        meter = metrics.get_meter("shop")
        loaves = meter.create_counter("oven.loaves", unit="{loaf}")

        def sell():
            with tracer.start_as_current_span("sale 42"):
                loaves.add(1, {"bread.kind": "rye"})
            _logs.get_logger("shop").emit(event_name="oven.alarm", attributes={"oven.id": "n"})
        """,
        test_shop="""
        import pytest
        from opentelemetry import trace
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
        import shop

        def test_without_any_provider(semconv_findings):
            shop.sell()
            assert {"high_cardinality_span_name", "not_stable"} <= semconv_findings.ids

        def test_with_its_own_global_provider(semconv_findings):
            exporter = InMemorySpanExporter()
            provider = TracerProvider()
            provider.add_span_processor(SimpleSpanProcessor(exporter))
            trace.set_tracer_provider(provider)
            shop.sell()
            assert [s.name for s in exporter.get_finished_spans()] == ["sale 42"]
            assert "high_cardinality_span_name" in semconv_findings.ids
        """,
    )
    result = run(project, "--semconv-live-check", "--semconv-fail-on", "none", "-v")
    assert result.ret == 0, result.stdout.str()
    result.stdout.fnmatch_lines(["*not_stable*", "*metric `oven.loaves` is development*"])


def test_registry_problems_stop_the_run(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_x="def test_x(): pass\n")
    broken = pytester.path / "broken"
    broken.mkdir()
    (broken / "bad.yaml").write_text("groups: [{id: x, type: span, attributes: [{ref: nope}]}]\n")
    result = run(pytester, "--semconv-live-check", "--semconv-registry", str(broken))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*the registry has errors*"])
    no_registry = run(pytester, "--semconv-live-check")
    assert no_registry.ret == pytest.ExitCode.USAGE_ERROR
    no_registry.stderr.fnmatch_lines(["*no registry*"])


def test_inert_without_the_option(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_plain="""
        def test_uses_fixture(semconv_findings):
            raise AssertionError("not reached")
        """
    )
    result = run(project, "-rs")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["*SKIPPED*--semconv-live-check*", "*1 skipped*"])
    assert "semconv live check" not in result.stdout.str()


def test_loading_the_plugin_imports_nothing_heavy() -> None:
    code = (
        "import sys, typed_semconv.pytest_plugin\n"
        "print(sorted(m for m in sys.modules if m.startswith(('typed_semconv.', 'opentelemetry',"
        " 'google', 'yaml', 'jinja2', 'pydantic'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "['typed_semconv.pytest_plugin']"


# --- the example gateway app ---------------------------------------------------------------------

GATEWAY_PYPROJECT = f"""
[tool.typed-semconv]
registry = [{str(REPO / "models")!r}]

# The SDK's own resource attributes are not in the gateway's registry.
[[tool.typed-semconv.live-check.finding-filters]]
signal-type = "resource"
exclude = ["missing_attribute", "missing_namespace", "extends_namespace"]
"""


@pytest.fixture
def gateway(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    pytester.makepyprojecttoml(GATEWAY_PYPROJECT)
    monkeypatch.setenv("PYTHONPATH", f"{REPO / 'generated'}:{REPO / 'examples'}")
    return pytester


def test_gateway_app_passes_the_live_check(gateway: pytest.Pytester) -> None:
    gateway.makepyfile(
        test_gateway="""
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
        from gateway_app.app import main

        def test_demo(semconv_findings):
            exporter = InMemorySpanExporter()
            main(exporter)
            assert len(exporter.get_finished_spans()) == 9
            semconv_findings.assert_clean()
        """
    )
    result = run(gateway, "--semconv-live-check")
    assert result.ret == 0, result.stdout.str()
    result.stdout.fnmatch_lines(["*registry coverage*spans 6/7*", "live check passed*"])


BAD_GATEWAY = """
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from gateway_app.backends import demo_gateway
from gateway_app.handlers import lookup_cache


def test_bad_gateway(semconv_findings):
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(InMemorySpanExporter()))
    tracer = provider.get_tracer("gateway_app")
    gateway = demo_gateway()
    # A REST handler written against the raw API: the raw path in the name, a port as text,
    # a made-up attribute, and no route id.
    with tracer.start_as_current_span(
        "GET /v1/orders/42",
        kind=SpanKind.SERVER,
        attributes={
            "http.request.method": "GET",
            "gateway.request.id": "req-1",
            "server.port": "8080",
            "gateway.cache_hit": True,
        },
    ):
        lookup_cache(tracer, gateway.cache, "/v1/orders/42")
    ids = semconv_findings.ids
    assert {"high_cardinality_span_name", "type_mismatch", "missing_attribute",
            "required_attribute_not_present"} <= ids
"""


def test_bad_gateway_variant_is_caught(gateway: pytest.Pytester) -> None:
    gateway.makepyfile(test_bad_gateway=BAD_GATEWAY)
    result = run(gateway, "--semconv-live-check")
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            "violation missing_attribute",
            "  attribute `gateway.cache_hit` is not defined in the registry (in span "
            "`GET /v1/orders/42`) (x1)",
            "      test_bad_gateway.py::test_bad_gateway",
            "violation required_attribute_not_present",
            "  required attribute `gateway.route.id` is not present on span `GET /v1/orders/42` "
            "(taken as `span.gateway.rest.request`) (x1)",
            "violation type_mismatch",
            "  attribute `server.port` has a string value; the registry's type is int*",
            "improvement high_cardinality_span_name",
            "live check FAILED*",
            "*1 passed*",
        ]
    )


# --- README's "In your tests", as written ---------------------------------------------------------


def readme_live_check_blocks(language: str) -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Check what your program emits", 1)[1].split("\n## ", 1)[0]
    tests = section.split("### In your tests", 1)[1].split("\n### ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", tests, flags=re.S)


SHOP = """
from opentelemetry.sdk.trace import TracerProvider

provider = TracerProvider()


def checkout(cart_id):
    with provider.get_tracer("shop").start_as_current_span(
        "oven.bake", attributes={"oven.id": cart_id, "oven.temperature": 180.0}
    ):
        pass
"""


def test_readme_pytest_workflow(pytester: pytest.Pytester) -> None:
    (commands,) = readme_live_check_blocks("sh")
    (example,) = readme_live_check_blocks("python")
    (configuration,) = readme_live_check_blocks("toml")
    pytester.makepyprojecttoml('[tool.typed-semconv]\nregistry = ["semconv"]\n\n' + configuration)
    shutil.copytree(BAKERY, pytester.path / "semconv")
    pytester.makepyfile(shop=SHOP, test_shop="from shop import checkout\n\n" + example)
    pytester.syspathinsert()
    for line in commands.strip().splitlines():
        program, *args = shlex.split(line)
        assert program == "pytest"
        result = run(pytester, *args)
        assert result.ret == 0, result.stdout.str()
        result.stdout.fnmatch_lines(["live check passed*", "*1 passed*"])
    report = json.loads((pytester.path / "live-check.json").read_text(encoding="utf-8"))
    assert report["result"]["failed"] is False
    assert report["statistics"]["seen_registry_spans"]["span.oven.bake"] == 1


def test_without_the_sdk_the_plugin_says_what_to_install(pytester: pytest.Pytester) -> None:
    pytester.makepyprojecttoml(PYPROJECT)
    pytester.makepyfile(test_x="def test_x(): pass\n")
    code = (
        "import sys; sys.modules['opentelemetry.sdk'] = None\n"  # as if it were not installed
        "import pytest; sys.exit(pytest.main(['-p', 'no:cacheprovider', '--semconv-live-check']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=pytester.path, capture_output=True, text=True, check=False
    )
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    assert "pip install 'typed-semconv[live-check]'" in result.stderr


def test_the_wheel_ships_the_plugin_and_the_extra(typed_semconv_wheel: Path) -> None:
    with zipfile.ZipFile(typed_semconv_wheel) as wheel:
        names = wheel.namelist()
        info = next(n.split("/", 1)[0] for n in names if ".dist-info/" in n)
        entry_points = wheel.read(f"{info}/entry_points.txt").decode()
        metadata = wheel.read(f"{info}/METADATA").decode()
    assert "[pytest11]\ntyped-semconv = typed_semconv.pytest_plugin" in entry_points
    assert "typed_semconv/pytest_plugin/session.py" in names
    assert "typed_semconv/livecheck/engine.py" in names
    assert "Provides-Extra: live-check" in metadata
    assert "opentelemetry-proto>=1.27; extra == 'live-check'" in metadata


def test_a_failure_of_the_check_never_breaks_the_code_under_test(project: pytest.Pytester) -> None:
    project.makeconftest(
        """
        from typed_semconv.livecheck.engine import LiveChecker

        def broken(self, sample, origin=None):
            raise RuntimeError("checker bug")

        LiveChecker.assess = broken
        """
    )
    project.makepyfile(test_good=GOOD_TESTS)
    result = run(project, "--semconv-live-check")
    assert result.ret == 1  # the run is not green: the live check could not do its work
    result.stdout.fnmatch_lines(
        [
            "live check error (please report it): test_good.py::test_bake: "
            "RuntimeError: checker bug*",
            "*2 passed*",
        ]
    )
