"""The proof of `typed-semconv upgrade` on real releases: a small service written against v1.26.0's
names is upgraded to v1.44.0, then passes `mypy --strict` against the v1.44.0 package and exports
spans with the new attribute names; the same for a module written in the style of
opentelemetry-semantic-conventions' `SpanAttributes`/`ResourceAttributes` classes.

The service (tests/upgrade_service) is ours. Its conventions (tests/fixtures/upgrade/shop-1 and
shop-2) build on OpenTelemetry's v1.26.0 and v1.44.0 through their manifests, and the packages
are generated into temporary folders.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, real_registry, run_cli

pytestmark = pytest.mark.slow

SERVICE = REPO / "tests" / "upgrade_service"
FIXTURES = REPO / "tests" / "fixtures" / "upgrade"
OLD_KEYS = {
    "http.method",
    "http.status_code",
    "http.user_agent",
    "net.host.name",
    "db.system",
    "db.statement",
    "db.name",
}
NEW_KEYS = {
    "http.request.method",
    "http.response.status_code",
    "user_agent.original",
    "server.address",
    "db.system.name",
    "db.query.text",
    "db.namespace",
}


def shop_registry(tmp_path: Path, release: str, semconv: str) -> Path:
    """Our shop's registry of one release, depending on OpenTelemetry's `semconv` release."""
    root = tmp_path / f"shop-{release}"
    shutil.copytree(FIXTURES / f"shop-{release}", root)
    manifest = {
        "schema_url": f"https://shop.example/schemas/{release}.0.0",
        "dependencies": [
            {
                "schema_url": f"https://opentelemetry.io/schemas/{semconv.lstrip('v')}",
                "registry_path": str(real_registry(semconv)),
            }
        ],
    }
    (root / "manifest.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both registries and their generated packages (with the whole dependency)."""
    tmp_path = tmp_path_factory.mktemp("shop")
    found: dict[str, Path] = {}
    for release, semconv in (("1", "v1.26.0"), ("2", "v1.44.0")):
        registry = shop_registry(tmp_path, release, semconv)
        output = tmp_path / f"package-{release}"
        result = run_cli(
            "generate",
            "--registry",
            registry,
            "--output",
            output,
            "--package",
            "shop_semconv",
            "--include-dependencies",
            "-q",
        )
        assert result.returncode == 0, result.stderr
        found[f"registry-{release}"], found[f"package-{release}"] = registry, output
    return found


def mypy_strict(module: Path, package_root: Path | None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if package_root is not None:
        env["MYPYPATH"] = str(package_root)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir=/dev/null",
            "--follow-imports=silent",
            str(module),
        ],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=module.parent,
    )


RUN_SERVICE = """
import json, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
import shop_service

exporter = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(exporter))
request = shop_service.Request("POST", "/checkout", "curl/8", "shop.example", ("sku-1",))
status = shop_service.checkout(
    provider.get_tracer("shop"), MeterProvider().get_meter("shop"), request, "O-1001"
)
spans = {
    span.name: sorted({*span.attributes, *(k for e in span.events for k in e.attributes)})
    for span in exporter.get_finished_spans()
}
print(json.dumps({"status": status, "spans": spans}))
"""


def run_service(folder: Path, package_root: Path) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", RUN_SERVICE, str(folder), str(package_root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    exported: dict[str, object] = json.loads(result.stdout)
    return exported


def test_service_written_for_v1_26_is_upgraded_to_v1_44(
    tmp_path: Path, shop: dict[str, Path]
) -> None:
    service = tmp_path / "service"
    service.mkdir()
    module = service / "shop_service.py"
    shutil.copy(SERVICE / "shop_service.py", module)
    old, new = shop["package-1"], shop["package-2"]
    assert mypy_strict(module, old).returncode == 0, mypy_strict(module, old).stdout
    before = run_service(service, old)
    assert mypy_strict(module, new).returncode == 1  # the new names break the old code

    result = run_cli(
        "upgrade",
        service,
        "--package",
        "shop_semconv",
        "--baseline",
        shop["registry-1"],
        "--registry",
        shop["registry-2"],
        "--write",
    )
    assert result.returncode == 0, result.stderr
    assert "item(s) need a human" in result.stdout and " 0 item(s)" in result.stdout, (
        result.stdout + result.stderr
    )

    checked = mypy_strict(module, new)
    assert checked.returncode == 0, checked.stdout
    after = run_service(service, new)
    assert after["status"] == before["status"] == 201
    spans = after["spans"]
    assert isinstance(spans, dict) and set(spans) == {"POST /checkout", "reserve stock"}
    recorded = {key for keys in spans.values() for key in keys}
    assert recorded >= NEW_KEYS
    assert not recorded & OLD_KEYS
    old_spans = before["spans"]
    assert isinstance(old_spans, dict)
    assert {key for keys in old_spans.values() for key in keys} >= OLD_KEYS

    again = run_cli(
        "upgrade",
        service,
        "--package",
        "shop_semconv",
        "--baseline",
        shop["registry-1"],
        "--registry",
        shop["registry-2"],
    )
    assert again.returncode == 0 and "0 of 1 file(s) would change" in again.stdout


RUN_LEGACY = """
import json, sys
sys.path.insert(0, sys.argv[1])
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
import legacy_attributes

exporter = InMemorySpanExporter()
provider = TracerProvider(resource=legacy_attributes.resource("shop"))
provider.add_span_processor(SimpleSpanProcessor(exporter))
with provider.get_tracer("shop").start_as_current_span("GET /orders/{id}") as span:
    legacy_attributes.record(span, "GET", 200, "https://shop.example/orders/7", "curl/8")
(finished,) = exporter.get_finished_spans()
resource = sorted(finished.resource.attributes)
print(json.dumps({"span": sorted(finished.attributes), "resource": resource}))
"""


def test_class_style_module_of_the_pypi_package_is_upgraded(tmp_path: Path) -> None:
    module = tmp_path / "legacy_attributes.py"
    shutil.copy(SERVICE / "legacy_attributes.py", module)
    result = run_cli(
        "upgrade",
        module,
        "--baseline",
        real_registry("v1.26.0"),
        "--registry",
        real_registry("v1.44.0"),
        "--write",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    text = module.read_text(encoding="utf-8")
    assert "SpanAttributes." not in text and "ResourceAttributes." not in text
    assert "import SpanAttributes" not in text and "import ResourceAttributes" not in text
    assert "from opentelemetry.semconv.attributes.http_attributes import" in text
    assert (
        "from opentelemetry.semconv._incubating.attributes.url_attributes import URL_FULL" in text
    )

    checked = mypy_strict(module, None)
    assert checked.returncode == 0, checked.stdout
    exported = subprocess.run(
        [sys.executable, "-c", RUN_LEGACY, str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert exported.returncode == 0, exported.stderr
    recorded = json.loads(exported.stdout)
    assert set(recorded["span"]) == {
        "http.request.method",
        "http.response.status_code",
        "http.route",
        "user_agent.original",
        "url.full",
        "server.address",
    }
    assert "service.name" in recorded["resource"]
