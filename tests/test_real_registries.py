"""The three real OpenTelemetry registries load, resolve, generate, import and type-check."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from typed_semconv.check.validation import validate
from typed_semconv.diagnostics.core import Diagnostics
from typed_semconv.load.registry import load_registry
from typed_semconv.model import GroupKind
from typed_semconv.resolve.resolver import resolve

from conftest import REAL_VERSIONS, real_registry, report_figure, run_cli

pytestmark = pytest.mark.slow


def package_of(version: str) -> str:
    return "semconv_" + version.replace(".", "_").lstrip("v")


@pytest.mark.parametrize("version", REAL_VERSIONS)
def test_registry_resolves_without_any_diagnostic(version: str) -> None:
    diagnostics = Diagnostics()
    registry = resolve([load_registry(real_registry(version), diagnostics)], diagnostics)
    validate(registry, diagnostics)
    codes = {d.code.name for d in diagnostics}
    # v1.26 still has legacy `type: span` groups that are attribute sets: no kind, or empty.
    legacy = {"span-no-kind", "span-no-attributes"} if version == "v1.26.0" else set()
    assert codes <= legacy, list(diagnostics)
    assert len(registry.attributes) > 400
    assert registry.groups_of(GroupKind.SPAN) and registry.groups_of(GroupKind.METRIC)


@pytest.mark.parametrize("version", REAL_VERSIONS)
def test_generated_package_imports_every_module(
    version: str, generated_real: Callable[[str], Path]
) -> None:
    output = generated_real(version)
    package = package_of(version)
    script = (
        "import importlib, pkgutil, sys\n"
        f"import {package}.attributes as a, {package}.metrics as m\n"
        "extra = []\n"
        "for kind in ('spans', 'events', 'entities'):\n"
        "    try:\n"
        f"        extra.append(importlib.import_module('{package}.' + kind))\n"
        "    except ModuleNotFoundError:\n"
        "        pass\n"
        "count = 0\n"
        "for pkg in (a, m, *extra):\n"
        "    for info in pkgutil.iter_modules(pkg.__path__):\n"
        "        importlib.import_module(pkg.__name__ + '.' + info.name)\n"
        "        count += 1\n"
        "print(count)\n"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", script],
        cwd=output,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 40


@pytest.mark.parametrize("version", REAL_VERSIONS)
def test_generated_package_passes_mypy_strict(
    version: str, generated_real: Callable[[str], Path]
) -> None:
    output = generated_real(version)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir=/dev/null",
            "-p",
            package_of(version),
        ],
        cwd=output,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "Success: no issues found" in result.stdout


@pytest.mark.slow
def test_v1_44_passes_pyright_and_ruff(generated_real: Callable[[str], Path]) -> None:
    """pyright (standard mode, deprecations reported) finds no error in the whole v1.44.0 package,
    and ruff's default rules nothing (at the package's own line length and oldest Python)."""
    output = generated_real("v1.44.0")
    package = package_of("v1.44.0")
    config = output / "pyrightconfig.json"
    config.write_text(
        json.dumps(
            {"include": [package], "typeCheckingMode": "standard", "reportDeprecated": "error"}
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "pyright", "--project", str(config), "--pythonpath",
         sys.executable, "--outputjson"],
        cwd=output, capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip
    config.unlink()
    start = result.stdout.find("{")
    assert start >= 0, result.stderr[-3000:]
    report = json.loads(result.stdout[start:])
    errors = [
        f"{d['file']}:{d['range']['start']['line'] + 1}: {d['message']}"
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]
    assert report["summary"]["filesAnalyzed"] > 150
    assert not errors, "\n".join(errors[:20])
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", "--line-length",
         "100", "--target-version", "py310", package],
        cwd=output, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert ruff.returncode == 0, ruff.stdout[-3000:]


def test_v1_44_has_every_kind_of_signal(generated_real: Callable[[str], Path]) -> None:
    """Typed instruments, event emitters and entity builders for the whole of v1.44.0."""
    package = generated_real("v1.44.0") / package_of("v1.44.0")
    counts = {
        "typed metric instruments": (
            r"^class \w+\(\s*Typed(?:Histogram|Counter|UpDownCounter|Gauge)\["
        ),
        "event emitters": r"^def emit_\w+_event\(",
        "span event methods": r"^    def add_\w+_event\(",
        "entity builders": r"^def \w+_entity_attributes\(",
    }
    text = "\n".join(p.read_text(encoding="utf-8") for p in package.rglob("*.py"))
    found = {kind: len(re.findall(pattern, text, re.MULTILINE)) for kind, pattern in counts.items()}
    report_figure("v1.44.0 generated: " + ", ".join(f"{n} {kind}" for kind, n in found.items()))
    assert found["typed metric instruments"] == len(re.findall(r"^def create_", text, re.M)) > 500
    assert found["event emitters"] >= 30
    assert found["entity builders"] >= 60


def test_v1_37_spans_get_their_listed_events(generated_real: Callable[[str], Path]) -> None:
    """v1.37.0's RPC spans list the `rpc.message` event: their wrappers can add it, typed."""
    spans = generated_real("v1.37.0") / package_of("v1.37.0") / "spans" / "rpc_spans.py"
    text = spans.read_text(encoding="utf-8")
    assert "class AddsRpcMessageEvent(TypedSpan):" in text
    assert "def add_rpc_message_event(" in text
    assert "rpc_message_type: RpcMessageTypeValues | str | None = None," in text


def test_values_round_trip_for_v1_44(generated_real: Callable[[str], Path]) -> None:
    """Constants, enum values and template-key functions hold the registry's values."""
    output = generated_real("v1.44.0")
    script = (
        "from semconv_1_44_0.attributes.http_attributes import (\n"
        "    HTTP_REQUEST_HEADER_TEMPLATE, HTTP_REQUEST_METHOD, HttpRequestMethodValues,\n"
        "    http_request_header)\n"
        "from semconv_1_44_0.attributes.rpc_attributes import RpcGrpcStatusCodeValues\n"
        "assert HTTP_REQUEST_METHOD == 'http.request.method'\n"
        "assert HttpRequestMethodValues('GET') is HttpRequestMethodValues.GET\n"
        "assert HttpRequestMethodValues.GET.value == 'GET'\n"
        "assert RpcGrpcStatusCodeValues.OK.value == 0\n"
        "assert http_request_header('content-type') == 'http.request.header.content-type'\n"
        "assert HTTP_REQUEST_HEADER_TEMPLATE == 'http.request.header'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=output, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_generation_is_deterministic(tmp_path: Path) -> None:
    registry = real_registry("v1.37.0")
    first, second = tmp_path / "a", tmp_path / "b"
    for output in (first, second):
        result = run_cli(
            "generate", "--registry", registry, "--output", output, "--package", "pkg", "-q"
        )
        assert result.returncode == 0, result.stderr
    files_a = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert files_a == files_b
    for relative in files_a:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative


def test_v1_44_refs_overrides_and_refinements_resolve_as_written() -> None:
    diagnostics = Diagnostics()
    registry = resolve([load_registry(real_registry("v1.44.0"), diagnostics)], diagnostics)
    groups = {group.id: group for group in registry.groups}
    definitions = {a.key: a for a in registry.attributes}

    # v2 span refinement: inherits the base span, then applies its own refs.
    kafka = groups["span.messaging.kafka.process.consumer"]
    uses = {use.key: use for use in kafka.attributes}
    assert kafka.span_kind is not None and kafka.span_kind.value == "consumer"
    group_name = uses["messaging.consumer.group.name"]
    assert group_name.requirement_level.level == "conditionally_required"
    assert definitions["messaging.consumer.group.name"].note != ""
    assert group_name.attribute.note == ""  # `note: ""` blanks the inherited note
    assert "messaging.kafka.offset" in uses  # through `ref_group`

    # v1 span with `extends`: inherited attributes plus its own refs.
    client = {use.key: use for use in groups["span.http.client"].attributes}
    assert client["url.full"].requirement_level.level == "required"
    assert client["http.request.method"].sampling_relevant

    refs = sum(len(group.attributes) for group in registry.groups)
    report_figure(
        f"v1.44.0: {len(definitions)} attributes, {len(registry.groups)} groups, "
        f"{refs} resolved attribute uses, 0 diagnostics"
    )
