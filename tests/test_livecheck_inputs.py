"""`typed-semconv live-check --input`: OTLP JSON as the Collector's file exporter writes it and
weaver's JSON samples, from a file or standard input, in every output format."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from typed_semconv.livecheck.files import InputProblem, read_input
from typed_semconv.livecheck.otlp_json import SampleError, any_value, document_samples
from typed_semconv.livecheck.samples import Span

from conftest import REPO, CliResult, run_cli, shared_dir

BAKERY = REPO / "tests" / "fixtures" / "livecheck"


def kv(key: str, **value: Any) -> dict[str, Any]:
    return {"key": key, "value": value}


RESOURCE = {"attributes": [kv("oven.id", stringValue="north-1")]}
TRACES = {
    "resourceSpans": [
        {
            "resource": RESOURCE,
            "scopeSpans": [
                {
                    "scope": {"name": "bakery"},
                    "spans": [
                        {
                            "traceId": "5b8efff798038103d269b633813fc60c",
                            "spanId": "eee19b7ec3c1b174",
                            "name": "oven.bake",
                            "kind": 1,
                            "attributes": [
                                kv("oven.id", stringValue="north-1"),
                                kv("oven.temperature", stringValue="hot"),
                                kv("oven.colour", stringValue="red"),
                            ],
                            "events": [{"name": "oven.smoke", "attributes": []}],
                        }
                    ],
                }
            ],
        }
    ]
}
METRICS = {
    "resourceMetrics": [
        {
            "resource": RESOURCE,
            "scopeMetrics": [
                {
                    "metrics": [
                        {
                            "name": "oven.temperature",
                            "unit": "K",
                            "gauge": {
                                "dataPoints": [
                                    {
                                        "asDouble": 493.0,
                                        "attributes": [kv("oven.id", stringValue="n")],
                                    }
                                ]
                            },
                        },
                        {
                            "name": "oven.loaves",
                            "unit": "{loaf}",
                            "sum": {
                                "aggregationTemporality": 2,
                                "isMonotonic": True,
                                "dataPoints": [{"asInt": "3", "attributes": []}],
                            },
                        },
                    ]
                }
            ],
        }
    ]
}
LOGS = {
    "resourceLogs": [
        {
            "resource": RESOURCE,
            "scopeLogs": [
                {
                    "logRecords": [
                        {"eventName": "oven.alarm", "attributes": [kv("oven.id", intValue="7")]},
                        {"body": {"stringValue": "plain log"}, "attributes": []},
                    ]
                }
            ],
        }
    ]
}

# The same telemetry in weaver's sample format.
WEAVER_SAMPLES = [
    {"resource": {"attributes": [{"name": "oven.id", "value": "north-1"}]}},
    {
        "span": {
            "name": "oven.bake",
            "kind": "internal",
            "attributes": [
                {"name": "oven.id", "value": "north-1"},
                {"name": "oven.temperature", "value": "hot"},
                {"name": "oven.colour", "value": "red"},
            ],
            "span_events": [{"name": "oven.smoke", "attributes": []}],
        }
    },
    {"resource": {"attributes": [{"name": "oven.id", "value": "north-1"}]}},
    {
        "metric": {
            "name": "oven.temperature",
            "instrument": "gauge",
            "unit": "K",
            "data_points": [{"attributes": [{"name": "oven.id", "value": "n"}], "value": 493.0}],
        }
    },
    {
        "metric": {
            "name": "oven.loaves",
            "instrument": "counter",
            "unit": "{loaf}",
            "data_points": [{"attributes": [], "value": 3}],
        }
    },
    {"resource": {"attributes": [{"name": "oven.id", "value": "north-1"}]}},
    {"log": {"event_name": "oven.alarm", "attributes": [{"name": "oven.id", "value": 7}]}},
    {"log": {"event_name": "", "attributes": []}},
]


def jsonl(path: Path, *documents: Any) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in documents), encoding="utf-8")
    return path


def live_check(*args: str | Path, stdin: str = "") -> CliResult:
    return run_cli("live-check", "--registry", BAKERY, *args, stdin=stdin)


def records(stdout: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    lines = [json.loads(line) for line in stdout.splitlines()]
    return lines[:-1], lines[-1]


EXPECTED = Counter(
    {
        ("type_mismatch", "oven.temperature"): 1,  # on the span
        ("missing_attribute", "oven.colour"): 1,
        ("extends_namespace", "oven.colour"): 1,
        ("missing_event", "oven.smoke"): 1,
        ("conditionally_required_attribute_not_present", "oven.bake"): 1,
        ("opt_in_attribute_not_present", "oven.bake"): 2,
        ("unit_mismatch", "oven.temperature"): 1,
        ("recommended_attribute_not_present", "oven.temperature"): 1,
        ("not_stable", "oven.loaves"): 1,
        ("required_attribute_not_present", "oven.loaves"): 1,
        ("not_stable", "oven.alarm"): 1,
        ("type_mismatch", "oven.id"): 1,  # the alarm's oven.id is an int
        ("recommended_attribute_not_present", "oven.alarm"): 1,
    }
)


def found(lines: list[dict[str, Any]]) -> Counter[tuple[str, str]]:
    return Counter((line["finding"]["id"], line["sample_name"]) for line in lines)


def test_collector_file_exporter_lines(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "telemetry.jsonl", TRACES, METRICS, LOGS)
    result = live_check("--input", path, "--format", "jsonl")
    assert result.returncode == 1, result.stderr  # violations, and fail-on is violation
    lines, closing = records(result.stdout)
    assert found(lines) == EXPECTED
    origins = {line["finding"]["id"]: line["origin"] for line in lines}
    assert origins["missing_event"] == f"{path}:1"
    assert origins["unit_mismatch"] == f"{path}:2"
    assert origins["required_attribute_not_present"] == f"{path}:2"
    assert closing["result"] == {
        "fail_on": "violation",
        "failed": True,
        "highest_level": "violation",
    }
    statistics = closing["statistics"]
    assert statistics["total_entities_by_type"]["resource"] == 3
    assert statistics["total_entities_by_type"]["log"] == 2
    assert statistics["seen_registry_events"] == {"oven.alarm": 1}
    assert statistics["seen_non_registry_events"] == {"oven.smoke": 1}  # span events are events
    assert statistics["advice_type_counts"]["missing_attribute"] == 1


def test_weaver_samples_give_the_same_findings(tmp_path: Path) -> None:
    path = tmp_path / "samples.json"
    path.write_text(json.dumps(WEAVER_SAMPLES, indent=2), encoding="utf-8")
    lines, _ = records(live_check("--input", path, "--format", "jsonl").stdout)
    assert found(lines) == EXPECTED


def test_standard_input_and_a_document_over_several_lines() -> None:
    result = live_check("--input", "-", "--format", "jsonl", stdin=json.dumps(TRACES, indent=2))
    lines, _ = records(result.stdout)
    assert ("missing_event", "oven.smoke") in found(lines)
    assert {line["origin"] for line in lines} == {"<stdin>:1"}


def test_bad_lines_are_reported_and_the_rest_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    deep = "[" * 100_000 + "]" * 100_000
    path.write_text(
        "\n".join(
            [
                "this is not JSON",
                json.dumps(TRACES),
                json.dumps({"span": {"name": 3}}),
                deep,
                json.dumps({"resourceSpans": [{"scopeSpans": [{"spans": [{"kind": 9}]}]}]}),
                "",
            ]
        ),
        encoding="utf-8",
    )
    result = live_check("--input", path, "--format", "jsonl", "--fail-on", "none")
    assert result.returncode == 1  # the input had errors
    assert f"{path}:1:1: error: not JSON" in result.stderr
    assert f"{path}:3:1: error: span name must be a string" in result.stderr
    assert f"{path}:4:1: error: " in result.stderr
    assert f"{path}:5:1: error: unknown span kind 9" in result.stderr
    assert "[live-check-input-invalid]" in result.stderr
    assert "Traceback" not in result.stderr
    lines, closing = records(result.stdout)
    assert ("missing_event", "oven.smoke") in found(lines)
    assert closing["result"]["failed"] is False


def test_json_report_findings_follow_weavers_finding_schema(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "telemetry.jsonl", TRACES, METRICS, LOGS)
    report = json.loads(live_check("--input", path, "--format", "json").stdout)
    schema_path = shared_dir() / "reference" / "weaver-v0.25.1" / "policy.finding.json"
    if not schema_path.is_file():
        pytest.skip(f"weaver's finding schema not found at {schema_path}")
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    levels = {option["const"] for option in schema["$defs"]["FindingLevel"]["oneOf"]}
    assert report["findings"]
    for record in report["findings"]:
        finding = record["finding"]
        assert set(schema["required"]) <= set(finding) <= set(schema["properties"])
        assert finding["level"] in levels
        assert isinstance(finding["message"], str) and isinstance(finding["id"], str)
        assert finding["signal_type"] in (None, "span", "metric", "log", "resource")
    assert report["statistics"]["registry_coverage"] > 0
    assert report["result"]["failed"] is True


def test_text_and_github_formats(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "telemetry.jsonl", TRACES)
    text = live_check("--input", path, "--fail-on", "none")
    assert text.returncode == 0
    assert (
        f"{path}:1: violation: attribute `oven.colour` is not defined in the registry "
        "(in span `oven.bake`) [missing_attribute]" in text.stdout
    )
    assert "registry coverage" in text.stdout and "live check passed" in text.stdout
    everything = jsonl(tmp_path / "all.jsonl", TRACES, METRICS, LOGS)
    github = live_check("--input", everything, "--format", "github").stdout.splitlines()
    assert (
        f"::error file={everything},line=1,title=live check missing_attribute::attribute "
        "`oven.colour` "
        "is not defined in the registry (in span `oven.bake`)" in "\n".join(github)
    )
    assert any(line.startswith("::warning ") for line in github)
    assert any(line.startswith("::notice ") for line in github)


def test_hostile_names_cannot_drive_a_terminal_or_forge_lines(tmp_path: Path) -> None:
    """What a program emits is shown as diagnostics show registry text: escaped, one line."""
    sample = {
        "span": {
            "name": "bake\x1b[2J\nerror: forged",
            "kind": "server",
            "attributes": [{"name": "oven.\u202ecolour\x1b[31m", "value": "red"}],
        }
    }
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps([sample]), encoding="utf-8")
    for output_format in ("text", "github"):
        result = live_check("--input", path, "--format", output_format, "--fail-on", "none")
        assert result.returncode == 0, result.stderr
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
        assert not any(line.startswith("error: forged") for line in result.stdout.splitlines())
        assert "oven.\\u202ecolour\\x1b[31m" in result.stdout
        assert "bake\\x1b[2J\\nerror: forged" in result.stdout


def test_configuration_filters_and_fail_on(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        f"""
[tool.typed-semconv]
registry = [{str(BAKERY)!r}]

[tool.typed-semconv.live-check]
fail-on = "none"

[[tool.typed-semconv.live-check.finding-filters]]
min-level = "violation"

[[tool.typed-semconv.live-check.finding-level-overrides]]
ids = ["missing_event"]
level = "information"
""",
        encoding="utf-8",
    )
    path = jsonl(tmp_path / "telemetry.jsonl", TRACES)
    result = run_cli("live-check", "--input", path, "--format", "jsonl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines, closing = records(result.stdout)
    assert {line["finding"]["level"] for line in lines} == {"violation"}
    assert "missing_event" not in {line["finding"]["id"] for line in lines}
    assert closing["result"]["fail_on"] == "none"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('fail-on = "sometimes"', "`fail-on` must be one of"),
        ("colour = 1", "unknown key(s) colour"),
        (
            '[[tool.typed-semconv.live-check.finding-filters]]\nexclude = ["no_such_id"]',
            "unknown finding id(s) no_such_id",
        ),
        (
            '[[tool.typed-semconv.live-check.finding-level-overrides]]\nids = ["deprecated"]',
            "needs `level`",
        ),
        (
            '[[tool.typed-semconv.live-check.finding-filters]]\nsignal-type = "trace"',
            "`signal-type` must be one of",
        ),
    ],
)
def test_bad_configuration_is_a_usage_error(tmp_path: Path, table: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.typed-semconv]\nregistry = ["{BAKERY}"]\n\n'
        f"[tool.typed-semconv.live-check]\n{table}\n",
        encoding="utf-8",
    )
    result = run_cli("live-check", "--input", "-", cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr


def test_usage_errors() -> None:
    assert live_check().returncode == 2
    assert "either --otlp or --input" in live_check("--otlp", "--input", "-").stderr
    missing = live_check("--input", "/no/such/file.jsonl")
    assert missing.returncode == 1 and "Traceback" not in missing.stderr


# --- the OTLP JSON reader ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"stringValue": "a"}, "a"),
        ({"intValue": "12"}, 12),
        ({"intValue": 12}, 12),
        ({"doubleValue": 1.5}, 1.5),
        ({"doubleValue": "NaN"}, "nan"),
        ({"boolValue": True}, True),
        ({"arrayValue": {"values": [{"intValue": "1"}, {"intValue": "2"}]}}, (1, 2)),
        ({"kvlistValue": {"values": [{"key": "k", "value": {"stringValue": "v"}}]}}, {"k": "v"}),
        ({"bytesValue": "AAE="}, b"\x00\x01"),
        ({}, None),
    ],
)
def test_any_value(value: dict[str, Any], expected: Any) -> None:
    got = any_value(value)
    assert (str(got) if expected == "nan" else got) == expected


@pytest.mark.parametrize(
    "value",
    [
        {"intValue": "twelve"},
        {"intValue": True},
        {"boolValue": "yes"},
        {"doubleValue": "1.5"},
        {"bytesValue": "not base64!"},
        {"arrayValue": {"values": {"intValue": 1}}},
        "a bare string",
    ],
)
def test_malformed_values_are_refused(value: Any) -> None:
    with pytest.raises(SampleError):
        any_value(value)


def test_values_nest_only_so_deep() -> None:
    value: dict[str, Any] = {"stringValue": "leaf"}
    for _ in range(40):
        value = {"arrayValue": {"values": [value]}}
    with pytest.raises(SampleError, match="nest deeper"):
        any_value(value)


def test_span_kinds_and_legacy_scope_names() -> None:
    document = {
        "resourceSpans": [
            {
                "instrumentationLibrarySpans": [
                    {"spans": [{"name": "a", "kind": "SPAN_KIND_SERVER"}]}
                ]
            }
        ]
    }
    spans = [s for s in document_samples(document) if isinstance(s, Span)]
    assert [(s.name, s.kind) for s in spans] == [("a", "server")]


def test_reader_streams_line_by_line() -> None:
    stream = io.StringIO(json.dumps(TRACES) + "\nnot json\n")
    items = list(read_input(stream, "pipe"))
    assert [type(item).__name__ for item in items] == ["Batch", "InputProblem"]
    assert isinstance(items[1], InputProblem) and items[1].location == "pipe:2"
