"""A project registry that depends on OpenTelemetry's v1.44.0 through its manifest: its spans
`ref` OpenTelemetry's attributes, `imports` brings in whole signals, and the generated package
holds the project's definitions plus what they use (or all of the dependency, on request)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO, real_registry, run_cli

pytestmark = pytest.mark.slow


def readme_manifest() -> dict[str, Any]:
    """The manifest README shows for a registry that builds on OpenTelemetry's."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Use it in your project", 1)[1]
    manifest: dict[str, Any] = yaml.safe_load(re.findall(r"```yaml\n(.*?)```", section, re.S)[0])
    return manifest


def project(tmp_path: Path) -> Path:
    """Our checkout registry with README's manifest; the dependency read from ../shared (the
    same v1.44.0 model the README's release archive holds)."""
    root = tmp_path / "checkout-registry"
    shutil.copytree(REPO / "tests" / "fixtures" / "dependent", root)
    manifest = readme_manifest()
    manifest["dependencies"][0]["registry_path"] = str(real_registry("v1.44.0"))
    (root / "manifest.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    return root


def generate(registry: Path, output: Path, *extra: str) -> Path:
    result = run_cli(
        "generate",
        "--registry",
        registry,
        "--output",
        output,
        "--package",
        "checkout_semconv",
        "-q",
        *extra,
    )
    assert result.returncode == 0, result.stderr
    return output / "checkout_semconv"


def test_project_gets_its_definitions_and_the_dependency_attributes_it_uses(
    tmp_path: Path,
) -> None:
    package = generate(project(tmp_path), tmp_path / "out")
    attributes = {p.stem for p in (package / "attributes").glob("*_attributes.py")}
    assert {"checkout_attributes", "http_attributes", "server_attributes"} <= attributes
    assert "k8s_attributes" not in attributes  # nothing the project does not use
    spans = (package / "spans" / "checkout_spans.py").read_text(encoding="utf-8")
    assert "def start_checkout_payment_authorize_span(" in spans
    assert "http_request_method: HttpRequestMethodValues | str," in spans
    # `imports` brought in OpenTelemetry's HTTP client span and one metric, with what they use.
    http_spans = (package / "spans" / "http_spans.py").read_text(encoding="utf-8")
    assert "def start_http_client_span(" in http_spans
    assert "def start_http_server_span(" not in http_spans
    metrics = (package / "metrics" / "http_metrics.py").read_text(encoding="utf-8")
    assert "def create_http_client_request_duration(" in metrics
    assert "def create_http_server_request_duration(" not in metrics

    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "checkout_semconv"],
        cwd=package.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout[-3000:]


def test_the_whole_dependency_on_request(tmp_path: Path) -> None:
    package = generate(project(tmp_path), tmp_path / "out", "--include-dependencies")
    assert (package / "attributes" / "k8s_attributes.py").is_file()
    assert (package / "spans" / "checkout_spans.py").is_file()


def test_a_name_defined_in_both_registries_is_diagnosed(tmp_path: Path) -> None:
    root = project(tmp_path)
    registry = root / "checkout" / "registry.yaml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace("checkout.cart.items", "server.address"),
        encoding="utf-8",
    )
    result = run_cli("check", "--registry", root)
    assert result.returncode == 1
    assert "[duplicate-attribute]" in result.stderr
    assert "v1.44.0" in result.stderr  # the hint points at the dependency's definition
