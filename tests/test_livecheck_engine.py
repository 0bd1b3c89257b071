"""The live-check engine, finding by finding, on a small bakery registry of our own
(`tests/fixtures/livecheck`): each test emits the telemetry a program could emit and checks the
findings a user would read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from typed_semconv.diagnostics.core import Diagnostics
from typed_semconv.livecheck.engine import LiveChecker
from typed_semconv.livecheck.findings import ALL_KINDS, BY_ID, Finding, Level
from typed_semconv.livecheck.samples import (
    Attribute,
    DataPoint,
    LogRecord,
    Metric,
    Resource,
    SampleAttribute,
    Span,
    SpanEvent,
    SpanLink,
    attributes_of,
)
from typed_semconv.livecheck.settings import (
    FindingFilter,
    LevelOverride,
    LiveCheckSettings,
    Scope,
)
from typed_semconv.model import Registry
from typed_semconv.options import RegistrySpec, SourceOptions
from typed_semconv.pipeline import load_resolved

from conftest import REPO

BAKERY = REPO / "tests" / "fixtures" / "livecheck"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_resolved([RegistrySpec(str(BAKERY))], SourceOptions(), Diagnostics())


@pytest.fixture
def checker(registry: Registry) -> LiveChecker:
    return LiveChecker(registry)


def bake(**attributes: Any) -> Span:
    return Span("oven.bake", "internal", attributes_of({"oven.id": "north-1", **attributes}))


def ids(findings: list[Finding]) -> list[str]:
    return [f.id for f in findings]


def only(findings: list[Finding], finding_id: str) -> Finding:
    found = [f for f in findings if f.id == finding_id]
    assert len(found) == 1, (finding_id, [(f.id, f.message) for f in findings])
    return found[0]


# --- attributes ----------------------------------------------------------------------------------


def test_conforming_span_has_no_finding_above_information(checker: LiveChecker) -> None:
    findings = checker.assess(
        bake(**{"oven.temperature": 220.5, "oven.mode": "bake", "oven.tags": ("rye",)})
    )
    assert [f for f in findings if f.level is not Level.INFORMATION] == []


def test_missing_attribute(checker: LiveChecker) -> None:
    finding = only(checker.assess(bake(**{"oven.colour": "red"})), "missing_attribute")
    assert finding.level is Level.VIOLATION
    assert finding.context == {"attribute_key": "oven.colour"}
    assert (finding.signal_type, finding.signal_name) == ("span", "oven.bake")
    assert (finding.sample_type, finding.sample_name) == ("attribute", "oven.colour")


def test_template_attribute_is_information_and_type_checked(checker: LiveChecker) -> None:
    findings = checker.assess(bake(**{"oven.label.colour": "blue", "oven.label.size": 3}))
    templates = [f for f in findings if f.id == "template_attribute"]
    assert {f.sample_name for f in templates} == {"oven.label.colour", "oven.label.size"}
    assert all(
        f.level is Level.INFORMATION and f.context["template"] == "oven.label" for f in templates
    )
    mismatch = only(findings, "type_mismatch")
    assert mismatch.sample_name == "oven.label.size"
    # `oven.label` alone is not an instance of the template: it is simply not defined.
    assert "missing_attribute" in ids(checker.assess(bake(**{"oven.label": "x"})))


@pytest.mark.parametrize(
    ("key", "value", "mismatch"),
    [
        ("oven.temperature", "hot", True),
        ("oven.temperature", 220, False),  # an int is a valid double
        ("oven.tray_count", 2.5, True),
        ("oven.tray_count", True, True),  # a bool is not an int
        ("oven.tags", ("rye", 2), True),
        ("oven.tags", (), False),
        ("oven.id", ("a",), True),
        ("oven.mode", 1, True),
    ],
)
def test_type_mismatch(checker: LiveChecker, key: str, value: Any, mismatch: bool) -> None:
    findings = checker.assess(bake(**{key: value}))
    assert ("type_mismatch" in ids(findings)) is mismatch
    if mismatch:
        finding = only(findings, "type_mismatch")
        assert finding.level is Level.VIOLATION and finding.context["attribute_key"] == key


def test_undefined_enum_variant(checker: LiveChecker) -> None:
    finding = only(checker.assess(bake(**{"oven.mode": "steam"})), "undefined_enum_variant")
    assert finding.level is Level.INFORMATION
    assert finding.context == {"attribute_key": "oven.mode", "attribute_value": "steam"}
    assert "undefined_enum_variant" not in ids(checker.assess(bake(**{"oven.mode": "grill"})))


def test_deprecated_attribute_names_its_replacement(checker: LiveChecker) -> None:
    finding = only(checker.assess(bake(**{"oven.heat": 200.0})), "deprecated")
    assert finding.level is Level.VIOLATION
    assert finding.context["replacement"] == "oven.temperature"
    assert finding.context["deprecation_reason"] == "renamed"
    assert "oven.temperature" in finding.message


def test_not_stable_attribute(checker: LiveChecker) -> None:
    finding = only(checker.assess(bake(**{"oven.tray_count": 4})), "not_stable")
    assert finding.level is Level.IMPROVEMENT
    assert finding.context == {"attribute_key": "oven.tray_count", "stability": "development"}


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("colour", {"missing_attribute", "missing_namespace"}),
        ("Oven.Colour", {"missing_attribute", "invalid_format"}),
        ("oven.id.suffix", {"missing_attribute", "illegal_namespace", "extends_namespace"}),
        ("oven.colour", {"missing_attribute", "extends_namespace"}),
        ("kitchen.sink", {"missing_attribute"}),
        ("oven.label.x", {"template_attribute"}),  # a template instance is no naming problem
    ],
)
def test_name_hygiene(checker: LiveChecker, key: str, expected: set[str]) -> None:
    findings = checker.assess(Attribute(SampleAttribute.of(key, "x")))
    assert set(ids(findings)) == expected
    levels = {f.id: f.level for f in findings}
    assert levels.get("missing_namespace", Level.IMPROVEMENT) is Level.IMPROVEMENT
    assert levels.get("invalid_format", Level.VIOLATION) is Level.VIOLATION
    assert levels.get("illegal_namespace", Level.VIOLATION) is Level.VIOLATION
    assert levels.get("extends_namespace", Level.INFORMATION) is Level.INFORMATION


def test_illegal_namespace_names_the_colliding_attribute(checker: LiveChecker) -> None:
    finding = only(checker.assess(bake(**{"oven.id.suffix": "x"})), "illegal_namespace")
    assert finding.context == {"attribute_key": "oven.id.suffix", "namespace": "oven.id"}


# --- requirement levels --------------------------------------------------------------------------


def test_requirement_levels_of_a_matched_span(checker: LiveChecker) -> None:
    findings = checker.assess(Span("oven.bake", "internal"))
    expected = {
        "required_attribute_not_present": ("oven.id", Level.VIOLATION),
        "recommended_attribute_not_present": ("oven.temperature", Level.IMPROVEMENT),
        "conditionally_required_attribute_not_present": ("oven.mode", Level.INFORMATION),
    }
    for finding_id, (key, level) in expected.items():
        finding = only(findings, finding_id)
        assert (finding.context["attribute_key"], finding.level) == (key, level)
        assert finding.context["span_definition"] == "span.oven.bake"
    opt_in = [f for f in findings if f.id == "opt_in_attribute_not_present"]
    assert {f.context["attribute_key"] for f in opt_in} == {"oven.tags", "oven.label"}
    assert all(f.level is Level.INFORMATION for f in opt_in)


def test_a_template_requirement_is_met_by_any_instance(checker: LiveChecker) -> None:
    findings = checker.assess(bake(**{"oven.label.colour": "blue"}))
    assert "oven.label" not in {
        f.context.get("attribute_key") for f in findings if f.id == "opt_in_attribute_not_present"
    }


# --- spans ---------------------------------------------------------------------------------------


def test_span_matched_by_pattern(checker: LiveChecker) -> None:
    span = Span("preheat grill", "client", attributes_of({"oven.id": "n", "oven.mode": "grill"}))
    match = checker.match_span(span)
    assert match is not None and match.definition.group.id == "span.oven.preheat"
    assert match.matched_by == "name"
    findings = checker.assess(span)
    assert "span_name_mismatch" not in ids(findings)
    assert only(findings, "not_stable").context["span_definition"] == "span.oven.preheat"


def test_span_name_mismatch_against_a_static_name(checker: LiveChecker) -> None:
    findings = checker.assess(Span("bake north-1", "internal", attributes_of({"oven.id": "n"})))
    finding = only(findings, "span_name_mismatch")
    assert finding.level is Level.VIOLATION
    assert finding.context["expected"] == "oven.bake"
    assert finding.context["span_definition"] == "span.oven.bake"
    assert finding.context["matched_by"] == "kind and attributes"


def test_span_name_mismatch_against_a_pattern(checker: LiveChecker) -> None:
    span = Span("preheat", "client", attributes_of({"oven.id": "n", "oven.mode": "bake"}))
    finding = only(checker.assess(span), "span_name_mismatch")
    assert finding.context["expected"] == "preheat bake"
    assert "{oven.mode}" in finding.message


def test_a_span_missing_a_required_attribute_is_still_recognised(checker: LiveChecker) -> None:
    span = Span("warm up", "client", attributes_of({"oven.mode": "bake"}))
    findings = checker.assess(span)
    assert only(findings, "required_attribute_not_present").context["attribute_key"] == "oven.id"
    assert only(findings, "span_name_mismatch").context["expected"] == "preheat bake"
    # Less than half of the required attributes: no definition is assumed.
    assert (
        checker.match_span(Span("warm up", "client", attributes_of({"bread.kind": "rye"}))) is None
    )


def test_span_kind_mismatch(checker: LiveChecker) -> None:
    finding = only(
        checker.assess(Span("oven.bake", "server", attributes_of({"oven.id": "n"}))),
        "span_kind_mismatch",
    )
    assert finding.context["expected"] == "internal" and finding.context["span_kind"] == "server"


def test_span_without_naming_is_matched_by_kind_and_attributes(checker: LiveChecker) -> None:
    span = Span("sourdough", "server", attributes_of({"bread.kind": "sourdough"}))
    match = checker.match_span(span)
    assert match is not None and match.definition.group.id == "span.bakery.order"
    findings = checker.assess(span)
    assert "span_name_mismatch" not in ids(findings)  # its name is the caller's to choose
    assert only(findings, "recommended_attribute_not_present").context["matched_by"] == (
        "kind and attributes"
    )
    # The wrong kind matches nothing: an unknown span gets attribute checks only.
    assert checker.match_span(Span("x", "client", span.attributes)) is None


TWIN_SPANS = """\
file_format: definition/2
attributes:
  - key: tray.id
    type: string
    stability: stable
    brief: The tray.
  - key: tray.shelf
    type: int
    stability: stable
    brief: The shelf.
spans:
  - type: tray.load.front
    kind: internal
    stability: stable
    brief: Loading a tray from the front.
    name: {note: Always `tray.load`.}
    attributes:
      - {ref: tray.id, requirement_level: required}
    annotations: {typed_semconv: {span_name: tray.load}}
  - type: tray.load.side
    kind: internal
    stability: stable
    brief: Loading a tray from the side.
    name: {note: Always `tray.load`.}
    attributes:
      - {ref: tray.id, requirement_level: required}
      - {ref: tray.shelf, requirement_level: required}
    annotations: {typed_semconv: {span_name: tray.load}}
  - type: tray.load.remote
    kind: client
    stability: stable
    brief: Asking a robot to load a tray.
    name: {note: Always `tray.load`.}
    attributes:
      - {ref: tray.id, requirement_level: required}
    annotations: {typed_semconv: {span_name: tray.load}}
"""


def test_ambiguous_name_is_settled_by_kind_and_attributes(tmp_path: Path) -> None:
    (tmp_path / "trays.yaml").write_text(TWIN_SPANS, encoding="utf-8")
    checker = LiveChecker(
        load_resolved([RegistrySpec(str(tmp_path))], SourceOptions(), Diagnostics())
    )

    def assumed(kind: str, **attributes: Any) -> tuple[str, str, tuple[str, ...]]:
        match = checker.match_span(Span("tray.load", kind, attributes_of(attributes)))
        assert match is not None
        return match.definition.group.id, match.matched_by, match.also_possible

    assert assumed("client", **{"tray.id": "t"})[0] == "span.tray.load.remote"
    side = assumed("internal", **{"tray.id": "t", "tray.shelf": 2})
    assert side[:2] == ("span.tray.load.side", "name, kind and attributes")
    front, _, others = assumed("internal", **{"tray.id": "t"})
    assert front == "span.tray.load.front" and "span.tray.load.side" in others
    # The finding says what was assumed.
    findings = checker.assess(Span("tray.load", "internal"))
    assert "span_name_mismatch" not in ids(findings)
    required = only(findings, "required_attribute_not_present")
    assert required.context["span_definition"] == "span.tray.load.front"
    assert "span.tray.load.side" in required.context["also_possible"]
    assert "also possible" in required.message


@pytest.mark.parametrize(
    ("name", "suspicious"),
    [
        ("GET /loaves/42", "a number"),
        ("order 7f0c8d52-0a6e-4c53-9a49-0d1c3b5e2f11", "a UUID"),
        ("fetch https://flour.example/price", "a URL"),
        ("mail baker@bakery.example", "an e-mail address"),
        ("bake 5f2b9c1a7e3d4b6a8c0f", "a hexadecimal id"),
    ],
)
def test_high_cardinality_span_name(checker: LiveChecker, name: str, suspicious: str) -> None:
    finding = only(checker.assess(Span(name, "internal")), "high_cardinality_span_name")
    assert finding.level is Level.IMPROVEMENT
    assert suspicious in finding.context["suspicious"]


@pytest.mark.parametrize("name", ["oven.bake", "GET /loaves/{loaf_id}", "query GetLoaf", "v2 sync"])
def test_low_cardinality_span_names_pass(checker: LiveChecker, name: str) -> None:
    assert "high_cardinality_span_name" not in ids(checker.assess(Span(name, "internal")))


def test_span_events_and_links_are_checked(checker: LiveChecker) -> None:
    span = Span(
        "oven.bake",
        "internal",
        attributes_of({"oven.id": "n"}),
        events=(
            SpanEvent("oven.alarm", attributes_of({"oven.temperature": 300.0})),
            SpanEvent("oven.smoke"),
        ),
        links=(SpanLink(attributes_of({"link.reason": "batch"})),),
    )
    findings = checker.assess(span)
    missing = only(findings, "missing_event")
    assert (missing.sample_type, missing.sample_name) == ("span_event", "oven.smoke")
    required = [f for f in findings if f.id == "required_attribute_not_present"]
    assert [(f.sample_type, f.context["attribute_key"]) for f in required] == [
        ("span_event", "oven.id")
    ]
    assert only(findings, "missing_attribute").sample_name == "link.reason"


# --- metrics, events, resources ------------------------------------------------------------------


def gauge(**attributes: Any) -> Metric:
    return Metric(
        "oven.temperature",
        "gauge",
        "Cel",
        (DataPoint("number_data_point", attributes_of(attributes)),),
    )


def test_conforming_metric(checker: LiveChecker) -> None:
    assert checker.assess(gauge(**{"oven.id": "n", "oven.mode": "bake"})) == []


def test_missing_metric(checker: LiveChecker) -> None:
    findings = checker.assess(Metric("oven.door_openings", "counter", "1"))
    finding = only(findings, "missing_metric")
    assert finding.level is Level.VIOLATION and finding.context == {
        "metric_name": "oven.door_openings"
    }
    assert "invalid_format" not in ids(findings)
    assert "invalid_format" in ids(checker.assess(Metric("OvenDoorOpenings", "counter", "1")))


def test_unexpected_instrument(checker: LiveChecker) -> None:
    metric = Metric("oven.temperature", "histogram", "Cel")
    finding = only(checker.assess(metric), "unexpected_instrument")
    assert finding.level is Level.VIOLATION
    assert (finding.context["instrument"], finding.context["expected"]) == ("histogram", "gauge")
    summary = only(
        checker.assess(Metric("oven.temperature", "summary", "Cel")), "unexpected_instrument"
    )
    assert summary.context["instrument"] == "summary"


def test_unit_mismatch(checker: LiveChecker) -> None:
    finding = only(checker.assess(Metric("oven.temperature", "gauge", "K")), "unit_mismatch")
    assert finding.level is Level.VIOLATION
    assert (finding.context["unit"], finding.context["expected"]) == ("K", "Cel")


def test_data_point_requirements(checker: LiveChecker) -> None:
    findings = checker.assess(gauge())
    required = only(findings, "required_attribute_not_present")
    assert (required.sample_type, required.signal_type) == ("number_data_point", "metric")
    assert only(findings, "recommended_attribute_not_present").context["attribute_key"] == (
        "oven.mode"
    )


def test_deprecated_and_not_stable_metrics(checker: LiveChecker) -> None:
    burnt = Metric("oven.burnt_loaves", "counter", "{loaf}")
    finding = only(checker.assess(burnt), "deprecated")
    assert finding.context["deprecation_reason"] == "obsoleted"
    assert "oven.loaves" in finding.message
    loaves = only(checker.assess(Metric("oven.loaves", "counter", "{loaf}")), "not_stable")
    assert loaves.context == {"metric_name": "oven.loaves", "stability": "development"}


def test_events_from_log_records(checker: LiveChecker) -> None:
    findings = checker.assess(LogRecord("oven.alarm", attributes_of({"oven.id": "n"})))
    assert ids(findings) == ["not_stable", "recommended_attribute_not_present"]
    assert findings[0].signal_type == "log" and findings[0].signal_name == "oven.alarm"
    missing = only(checker.assess(LogRecord("oven.exploded")), "missing_event")
    assert missing.level is Level.VIOLATION
    assert checker.assess(LogRecord("")) == []  # a plain log record is no event


def test_resource_attributes(checker: LiveChecker) -> None:
    findings = checker.assess(Resource(attributes_of({"bakery.city": "Lyon", "oven.id": 3})))
    assert ids(findings) == ["missing_attribute", "type_mismatch"]
    assert {f.signal_type for f in findings} == {"resource"}


# --- statistics, filters, overrides --------------------------------------------------------------


def test_statistics_count_entities_levels_and_coverage(checker: LiveChecker) -> None:
    checker.assess(bake(**{"oven.colour": "red"}))
    checker.assess(gauge(**{"oven.id": "n"}))
    statistics = checker.statistics.as_json()
    assert statistics["total_entities_by_type"] == {
        "attribute": 3,
        "metric": 1,
        "number_data_point": 1,
        "span": 1,
    }
    assert statistics["total_entities"] == 6
    assert statistics["advice_type_counts"]["missing_attribute"] == 1
    assert statistics["advice_level_counts"]["violation"] == 1
    assert statistics["seen_registry_attributes"]["oven.id"] == 2
    assert statistics["seen_registry_attributes"]["bread.kind"] == 0
    assert "oven.heat" not in statistics["seen_registry_attributes"]  # deprecated: not counted
    assert statistics["seen_non_registry_attributes"] == {"oven.colour": 1}
    assert statistics["seen_registry_metrics"]["oven.temperature"] == 1
    assert statistics["seen_registry_spans"]["span.oven.bake"] == 1
    coverage = statistics["registry_coverage_by_kind"]
    assert coverage["attributes"] == {"seen": 1, "total": 8, "share": 1 / 8}
    assert coverage["metrics"]["total"] == 2  # the deprecated metric is not counted
    assert statistics["registry_coverage"] == pytest.approx((1 + 1 + 0 + 1) / (8 + 2 + 1 + 3))
    assert (
        statistics["no_advice_count"] + sum(statistics["highest_advice_level_counts"].values())
        == statistics["total_entities"]
    )


def test_filters_and_overrides(registry: Registry) -> None:
    settings = LiveCheckSettings(
        filters=(
            FindingFilter(exclude=frozenset({"missing_namespace"})),
            FindingFilter(scope=Scope("span"), min_level=Level.IMPROVEMENT),
            FindingFilter(exclude_samples=("debug.*",)),
        ),
        overrides=(
            LevelOverride(
                Level.VIOLATION, Scope(None, ("oven.*",)), frozenset({"undefined_enum_variant"})
            ),
        ),
    )
    checker = LiveChecker(registry, settings)
    findings = checker.assess(bake(**{"oven.mode": "steam", "colour": "x", "debug.trace": "1"}))
    assert "missing_namespace" not in ids(findings)
    assert only(findings, "undefined_enum_variant").level is Level.VIOLATION  # raised, then kept
    assert not any(f.sample_name == "debug.trace" for f in findings)
    assert all(f.level is not Level.INFORMATION for f in findings)  # min-level on spans
    # The same id on a resource is not a span's: min-level does not drop it.
    resource = checker.assess(Resource(attributes_of({"oven.label.x": "y"})))
    assert ids(resource) == ["template_attribute"]
    assert checker.statistics.id_counts["missing_namespace"] == 0


@pytest.mark.parametrize(
    ("fail_on", "highest", "fails"),
    [
        ("violation", Level.VIOLATION, True),
        ("violation", Level.IMPROVEMENT, False),
        ("improvement", Level.IMPROVEMENT, True),
        ("information", Level.INFORMATION, True),
        ("none", Level.VIOLATION, False),
        ("information", None, False),
    ],
)
def test_fail_on(fail_on: Any, highest: Level | None, fails: bool) -> None:
    assert LiveCheckSettings(fail_on=fail_on).fails(highest) is fails


def test_every_finding_id_is_documented_and_tested() -> None:
    """Every id of the table appears in README's live-check section and in these tests."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Check what your program emits", 1)[1].split("\n## ", 1)[0]
    tests = "".join(
        path.read_text(encoding="utf-8")
        for path in Path(__file__).parent.glob("test_livecheck*.py")
    )
    for kind in ALL_KINDS:
        assert f"`{kind.id}`" in section, kind.id
        assert f'"{kind.id}"' in tests, kind.id
    assert set(BY_ID) == {kind.id for kind in ALL_KINDS}
