"""`typed-semconv diff`: every change category on two small registries of our own, the three
report formats, `--fail-on breaking`, and the counts of the real releases checked against what
their YAML's `deprecated` fields say (worked out here from the files, independently of the tool)."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from typed_semconv.diagnostics.core import Diagnostics
from typed_semconv.diff.changes import Change, ChangeType, RegistryDiff, Subject
from typed_semconv.diff.compare import compare
from typed_semconv.diff.formats import format_json, format_markdown, format_text
from typed_semconv.options import RegistrySpec, SourceOptions
from typed_semconv.pipeline import load_resolved

from conftest import REPO, real_registry, run_cli, shared_dir

FIXTURES = REPO / "tests" / "fixtures" / "upgrade"
BEFORE, AFTER = FIXTURES / "before", FIXTURES / "after"


def load(path: Path) -> Any:
    return load_resolved([RegistrySpec(str(path))], SourceOptions(), Diagnostics())


@pytest.fixture(scope="module")
def parcel_diff() -> RegistryDiff:
    return compare(load(BEFORE), load(AFTER), "release 1", "release 2")


def changes(diff: RegistryDiff, subject: Subject) -> dict[tuple[str, str], Change]:
    return {(c.type.value, c.qualified_name): c for c in diff.of(subject)}


def test_attribute_changes_of_every_category(parcel_diff: RegistryDiff) -> None:
    found = changes(parcel_diff, Subject.ATTRIBUTE)
    assert set(found) == {
        ("added", "courier.name"),
        ("added", "parcel.handling.remark"),
        ("added", "parcel.insured"),
        ("added", "parcel.route.name"),
        ("added", "parcel.transport.mode"),
        ("removed", "parcel.legacy_code"),
        ("renamed", "parcel.courier_name"),
        ("renamed", "parcel.handling.note"),
        ("renamed", "parcel.route"),
        ("renamed", "parcel.transport"),
        ("obsoleted", "parcel.fragile"),
        ("uncategorized", "parcel.label"),
        ("updated", "parcel.priority"),
        ("updated", "parcel.size"),
    }
    assert found["renamed", "parcel.route"].new_name == "parcel.route.name"
    fragile = found["obsoleted", "parcel.fragile"]
    assert fragile.note == "Handling instructions are no longer recorded."
    assert found["uncategorized", "parcel.label"].note.startswith("Split into")
    size = found["updated", "parcel.size"]
    assert [(f.field, f.before, f.after, f.breaking) for f in size.fields] == [
        ("type", "string", "int", True)
    ]
    priority = found["updated", "parcel.priority"].fields
    assert [(f.field, f.before, f.after, f.breaking) for f in priority] == [
        ("stability", "stable", "development", True)
    ]
    assert found["removed", "parcel.legacy_code"].breaking
    assert not found["renamed", "parcel.route"].breaking  # the old name is still generated


def test_enum_member_changes(parcel_diff: RegistryDiff) -> None:
    found = changes(parcel_diff, Subject.ENUM_MEMBER)
    assert set(found) == {
        ("added", "parcel.carrier:bicycle"),
        ("removed", "parcel.carrier:drone"),
        ("renamed", "parcel.carrier:bike"),
        ("updated", "parcel.carrier:van"),
    }
    assert found["renamed", "parcel.carrier:bike"].new_name == "bicycle"
    (value,) = found["updated", "parcel.carrier:van"].fields
    assert (value.field, value.before, value.after, value.breaking) == (
        "value",
        "'van'",
        "'own_van'",
        True,
    )
    assert found["removed", "parcel.carrier:drone"].breaking
    # `parcel.transport` was renamed: its members are the new attribute's, not changes.
    assert all(c.owner == "parcel.carrier" for c in found.values())


def test_signal_changes(parcel_diff: RegistryDiff) -> None:
    metrics = changes(parcel_diff, Subject.METRIC)
    assert set(metrics) == {
        ("added", "parcel.returned"),
        ("added", "parcel.sorted.count"),
        ("removed", "parcel.lost"),
        ("renamed", "parcel.sorted"),
        ("updated", "parcel.delivery.duration"),
    }
    (unit,) = metrics["updated", "parcel.delivery.duration"].fields
    assert (unit.field, unit.before, unit.after, unit.breaking) == ("unit", "ms", "s", True)

    spans = changes(parcel_diff, Subject.SPAN)
    assert set(spans) == {
        ("added", "parcel.sort"),
        ("removed", "parcel.scan"),
        ("updated", "parcel.deliver"),
    }
    deliver = {
        (f.field, f.attribute): (f.before, f.after, f.breaking)
        for f in spans["updated", "parcel.deliver"].fields
    }
    assert deliver == {
        ("attribute", "parcel.route"): ("recommended", None, True),
        ("attribute", "parcel.route.name"): (None, "recommended", False),
        ("attribute", "parcel.handling.note"): ("recommended", None, True),
        ("attribute", "parcel.handling.remark"): (None, "recommended", False),
        ("requirement_level", "parcel.weight"): ("recommended", "required", True),
    }
    assert set(changes(parcel_diff, Subject.EVENT)) == {
        ("added", "parcel.delivered"),
        ("obsoleted", "parcel.dropped"),
    }
    entities = changes(parcel_diff, Subject.ENTITY)
    assert set(entities) == {("added", "hub"), ("removed", "depot")}
    assert not any(c.breaking for c in entities.values())  # nothing is generated for entities
    assert set(changes(parcel_diff, Subject.ATTRIBUTE_GROUP)) == {("added", "parcel.tracking")}


def test_a_registry_against_itself_has_no_change() -> None:
    registry = load(AFTER)
    assert compare(registry, registry, "a", "b").changes == ()


def test_json_has_weavers_layout_and_validates_against_its_schema(tmp_path: Path) -> None:
    result = run_cli("diff", "--baseline", BEFORE, "--registry", AFTER, "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    schema_path = shared_dir() / "reference" / "weaver-v0.25.1" / "semconv.diff.v2.json"
    if schema_path.is_file():
        jsonschema.validate(document, json.loads(schema_path.read_text(encoding="utf-8")))
    registry = document["registry"]
    assert {
        "attribute_changes",
        "attribute_group_changes",
        "entity_changes",
        "event_changes",
        "metric_changes",
        "span_changes",
    } <= set(registry)
    renamed = [c for c in registry["attribute_changes"] if c["type"] == "renamed"]
    assert {
        "type": "renamed",
        "old_name": "parcel.route",
        "new_name": "parcel.route.name",
        "note": "Replaced by `parcel.route.name`.",
        "breaking": False,
    } in renamed
    drone = {"type": "removed", "name": "drone", "attribute": "parcel.carrier", "breaking": True}
    assert drone in registry["enum_member_changes"]
    assert document["summary"]["breaking"] == 9
    assert document["summary"]["counts"]["metric_changes"]["renamed"] == 1


def test_text_report_is_grouped_and_coloured_only_when_asked(parcel_diff: RegistryDiff) -> None:
    plain = format_text(parcel_diff)
    assert "\x1b[" not in plain
    assert "Breaking for typed code (9):" in plain
    assert " ! parcel.legacy_code" in plain.split("attributes, removed (1):")[1]
    assert "   parcel.route: renamed to parcel.route.name" in plain
    assert plain.splitlines()[-1].endswith("; 9 breaking")
    assert "\x1b[32mcourier.name\x1b[0m" in format_text(parcel_diff, colour=True)


def test_markdown_report(parcel_diff: RegistryDiff) -> None:
    text = format_markdown(parcel_diff)
    assert text.startswith("## Semantic-convention changes: `release 1` → `release 2`")
    assert "| attributes | 5 | 1 | 4 | 1 | 1 | 2 |" in text
    assert "### Breaking for typed code (9)" in text
    assert "- `parcel.route` → `parcel.route.name`" in text
    assert "<summary>Metrics, renamed (1)</summary>" in text


HOSTILE = """\
groups:
  - id: registry.evil
    type: attribute_group
    brief: Hostile texts.
    attributes:
      - id: evil.key
        type: string
        brief: A key.
        stability: development
{deprecated}
"""


def test_hostile_registry_text_cannot_drive_a_terminal_or_inject_markup(tmp_path: Path) -> None:
    note = "Gone \x1b[2J <script>alert(1)</script> | `x` [link](http://e.example)"
    before, after = tmp_path / "before", tmp_path / "after"
    before.mkdir()
    after.mkdir()
    (before / "evil.yaml").write_text(HOSTILE.format(deprecated=""), encoding="utf-8")
    deprecated = "        deprecated:\n          reason: obsoleted\n          note: "
    deprecated += json.dumps(note)
    (after / "evil.yaml").write_text(HOSTILE.format(deprecated=deprecated), encoding="utf-8")
    diff = compare(load(before), load(after), "a", "b")
    assert "\x1b" not in format_text(diff)
    markdown = format_markdown(diff)
    assert "<script>" not in markdown and "\\<script\\>" in markdown
    assert "\\| \\`x\\` \\[link\\]\\(http://e.example\\)" in markdown
    assert json.loads(format_json(diff))["registry"]["attribute_changes"][0]["note"] == note


def test_fail_on_breaking(tmp_path: Path) -> None:
    breaking = run_cli("diff", "--baseline", BEFORE, "--registry", AFTER, "--fail-on", "breaking")
    assert breaking.returncode == 1, breaking.stderr
    same = run_cli("diff", "--baseline", AFTER, "--registry", AFTER, "--fail-on", "breaking")
    assert same.returncode == 0, same.stderr
    assert "Nothing breaks typed code." in same.stdout
    # Only additions: nothing breaks.
    only_added = tmp_path / "only-added"
    shutil.copytree(BEFORE, only_added)
    extra = "\n".join(
        [
            "groups:",
            "  - id: registry.extra",
            "    type: attribute_group",
            "    brief: More.",
            "    attributes:",
            "      - id: parcel.colour",
            "        type: string",
            "        brief: Colour of the box.",
            "        stability: development",
            "",
        ]
    )
    (only_added / "extra.yaml").write_text(extra, encoding="utf-8")
    added = run_cli("diff", "--baseline", BEFORE, "--registry", only_added, "--fail-on", "breaking")
    assert added.returncode == 0, added.stdout + added.stderr
    assert "parcel.colour" in added.stdout


def test_a_broken_registry_is_a_diagnostic_not_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "bad.yaml").write_text("groups: [\n", encoding="utf-8")
    result = run_cli("diff", "--baseline", broken, "--registry", AFTER)
    assert result.returncode == 1
    assert "bad.yaml:" in result.stderr and "Traceback" not in result.stderr


# --- the real releases -----------------------------------------------------------------------

Deprecated = tuple[str, str, str | None] | None


def _deprecation(entry: dict[str, Any]) -> Deprecated:
    """`deprecated` as the registry's author wrote it."""
    value = entry.get("deprecated")
    if value is None:
        return ("unspecified", "", None) if entry.get("stability") == "deprecated" else None
    if isinstance(value, str):
        return ("uncategorized", value.strip(), None)
    return (value["reason"], (value.get("note") or "").strip(), value.get("renamed_to"))


def _members(entry: dict[str, Any]) -> dict[str, Deprecated] | None:
    kind = entry.get("type")
    if isinstance(kind, dict) and "members" in kind:
        return {m["id"]: _deprecation(m) for m in kind["members"]}
    return None


def written_items(model: Path) -> dict[str, dict[str, Deprecated]]:
    """Every item of a registry by kind and name, with its deprecation, read from the YAML."""
    items: dict[str, dict[str, Deprecated]] = {
        kind: {} for kind in ("attribute", "metric", "span", "event", "entity")
    }
    members: dict[str, dict[str, Deprecated]] = {}

    def add(kind: str, name: str, entry: dict[str, Any]) -> None:
        # Where two groups give one name, the one that is not deprecated counts.
        if name not in items[kind] or items[kind][name] is not None:
            items[kind][name] = _deprecation(entry)

    for path in sorted(model.rglob("*")):
        if path.suffix not in (".yaml", ".yml") or path.name == "manifest.yaml":
            continue
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(document, dict):
            continue
        for attribute in document.get("attributes") or ():
            items["attribute"][attribute["key"]] = _deprecation(attribute)
            if (found := _members(attribute)) is not None:
                members[attribute["key"]] = found
        for kind, plural, field in (
            ("metric", "metrics", "name"),
            ("span", "spans", "type"),
            ("event", "events", "name"),
            ("entity", "entities", "type"),
        ):
            for signal in document.get(plural) or ():
                add(kind, signal[field], signal)
        for group in document.get("groups") or ():
            prefix = group.get("prefix")
            for attribute in group.get("attributes") or ():
                if "id" in attribute and "type" in attribute:
                    key = f"{prefix}.{attribute['id']}" if prefix else attribute["id"]
                    items["attribute"][key] = _deprecation(attribute)
                    if (found := _members(attribute)) is not None:
                        members[key] = found
            kind = {"resource": "entity"}.get(group["type"], group["type"])
            if kind == "metric":
                add(kind, group["metric_name"], group)
            elif kind == "span":
                add(kind, group["id"].removeprefix("span."), group)
            elif kind in ("event", "entity"):
                add(kind, group.get("name") or group["id"], group)
    items["enum_member"] = {
        f"{key}:{member}": deprecation
        for key, found in members.items()
        for member, deprecation in found.items()
    }
    items["_enums"] = {key: None for key in members}
    return items


def expected_counts(old: Path, new: Path) -> Counter[tuple[str, str]]:
    """weaver's rules, applied to what the files say."""
    before, after = written_items(old), written_items(new)
    counts: Counter[tuple[str, str]] = Counter()
    for kind in ("attribute", "enum_member", "metric", "span", "event", "entity"):
        old_items, new_items = before[kind], after[kind]
        if kind == "enum_member":  # members of attributes that are enums in both
            both = before["_enums"].keys() & after["_enums"].keys()
            old_items = {k: v for k, v in old_items.items() if k.split(":")[0] in both}
            new_items = {k: v for k, v in new_items.items() if k.split(":")[0] in both}
        counts[kind, "added"] = len(new_items.keys() - old_items.keys())
        counts[kind, "removed"] = len(old_items.keys() - new_items.keys())
        for name in old_items.keys() & new_items.keys():
            deprecation = new_items[name]
            if deprecation is not None and deprecation != old_items[name]:
                reason, _, renamed_to = deprecation
                category = (
                    "renamed"
                    if reason == "renamed" and renamed_to
                    else "obsoleted"
                    if reason == "obsoleted"
                    else "uncategorized"
                )
                counts[kind, category] += 1
    return +counts


def measured_counts(diff: RegistryDiff) -> Counter[tuple[str, str]]:
    return Counter(
        (c.subject.value, c.type.value)
        for c in diff.changes
        if c.type is not ChangeType.UPDATED and c.subject is not Subject.ATTRIBUTE_GROUP
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("old", "new"), [("v1.26.0", "v1.37.0"), ("v1.37.0", "v1.44.0"), ("v1.26.0", "v1.44.0")]
)
def test_real_release_counts_match_what_the_yaml_says(old: str, new: str) -> None:
    old_model, new_model = real_registry(old), real_registry(new)
    diff = compare(load(old_model), load(new_model), old, new)
    expected = expected_counts(old_model, new_model)
    assert measured_counts(diff) == expected
    assert expected["attribute", "renamed"] > 10  # the comparison is not vacuous


@pytest.mark.slow
def test_real_release_json_report(tmp_path: Path) -> None:
    old_model, new_model = real_registry("v1.26.0"), real_registry("v1.44.0")
    result = run_cli("diff", "--baseline", old_model, "--registry", new_model, "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["head_schema_url"] == {"url": "https://opentelemetry.io/schemas/1.44.0"}
    renames = {
        c["old_name"]: c["new_name"]
        for c in document["registry"]["attribute_changes"]
        if c["type"] == "renamed"
    }
    assert renames["http.method"] == "http.request.method"
    assert renames["db.system"] == "db.system.name"
    expected = expected_counts(old_model, new_model)
    counts = document["summary"]["counts"]
    assert counts["attribute_changes"]["renamed"] == expected["attribute", "renamed"]
    assert counts["metric_changes"]["added"] == expected["metric", "added"]
