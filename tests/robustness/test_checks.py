"""One test per check: the CLI reports it like a compiler (`file:line:column: severity: message
[code]`, plus a hint where one helps), exits 1, and leaves the previously generated package byte
for byte as it was.

Each case adds a file to (or edits) a copy of the small registry (tests/fixtures/small: namespaces
`kiln` and `glaze`). The line a diagnostic must point at ends with the marker `#<-`; warnings are
run with `--werror` so that they too must leave the output alone.

Every code of the catalogue has a test that triggers it: a case here, or a test named in
`TRIGGERED_ELSEWHERE` (for codes that have no line to point at, or need a set-up of their own).
`test_every_code_of_the_catalogue_is_triggered_by_a_test` holds both to that.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from robustness_support import (
    HERE,
    PACKAGE,
    REPO,
    Diag,
    Project,
    Run,
    assert_clean_failure,
    generated_small,
    marked_line,
    write_files,
)

from typed_semconv.diagnostics.text import MAX_SHOWN, is_hidden


@pytest.fixture
def project(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Project:
    return Project(tmp_path / "project", generated_small(tmp_path_factory.getbasetemp()))


@dataclass(frozen=True)
class Case:
    code: str
    severity: str
    file: str  # below registry/; it holds the line marked `#<-`
    files: dict[str, str]
    hint: str | None = None  # a regular expression the hint must match
    column_at: str | None = None  # the column is where this text starts on the marked line
    message: str | None = None  # a regular expression the message must match
    others: frozenset[str] = field(default_factory=frozenset)  # other codes that may appear
    args: tuple[str, ...] = ()  # options of the run


V1_HEAD = """\
groups:
  - id: registry.studio
    type: attribute_group
    brief: Studio attributes.
    attributes:
"""
V2_HEAD = "file_format: definition/2\n"
MANIFEST_HEAD = "schema_url: https://example.test/schemas/pottery/0.1.0\ndependencies:\n"


def dependency_chain(length: int, marked: int) -> dict[str, str]:
    """Registries `.deps/d1` .. `.deps/d<length>` (hidden folders: not part of the project's own
    registry), each depending on the next; the project depends on d1. The dependency line of
    `d<marked>`'s manifest is marked."""
    files = {
        "manifest.yaml": MANIFEST_HEAD + "  - schema_url: https://example.test/schemas/d1/1.0.0\n"
        "    registry_path: .deps/d1\n"
    }
    for n in range(1, length + 1):
        files[f".deps/d{n}/registry.yaml"] = (
            V2_HEAD + f"attributes:\n  - key: d{n}.size\n    type: int\n    brief: Size.\n"
            "    stability: development\n"
        )
        marker = "  " + HERE if n == marked else ""
        files[f".deps/d{n}/manifest.yaml"] = (
            f"schema_url: https://example.test/schemas/d{n}/1.0.0\ndependencies:\n"
            f"  - schema_url: https://example.test/schemas/d{n + 1}/1.0.0{marker}\n"
            f"    registry_path: ../d{n + 1}\n"
        )
    return files


CASES: dict[str, Case] = {
    "yaml-syntax": Case(
        "yaml-syntax",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "attributes:\n"
            "  - key: studio.name\n"
            "    type: string\n"
            "     brief: Name of the studio.  " + HERE + "\n"
        },
        column_at=":",
        message="YAML syntax error: mapping values are not allowed",
    ),
    "yaml-duplicate-key": Case(
        "yaml-duplicate-key",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "attributes:\n"
            "  - key: studio.name\n"
            "    type: string\n"
            "    stability: development\n"
            "    brief: Name of the studio.\n"
            "    brief: Another name.  " + HERE + "\n"
        },
        hint="^first written at line 6$",
        column_at="brief",
    ),
    "schema-unknown-key": Case(
        "schema-unknown-key",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V1_HEAD + "      - id: studio.name\n"
            "        type: string\n"
            "        brief: Name of the studio.\n"
            "        stabilty: development  " + HERE + "\n"
        },
        hint=r"^did you mean `stability`\?$",
        column_at="stabilty",
        message="unknown key `stabilty`",
    ),
    "schema-invalid-value-list-as-text": Case(
        "schema-invalid-value",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V1_HEAD + "      - id: studio.name\n"
            "        type: string\n"
            "        brief: [1]  " + HERE + "\n"
        },
        column_at="brief",
        message="brief`: expected a string$",
    ),
    "schema-invalid-value-bogus-stability": Case(
        "schema-invalid-value",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "attributes:\n"
            "  - key: studio.name\n"
            "    type: string\n"
            "    brief: Name of the studio.\n"
            "    stability: bogus  " + HERE + "\n"
        },
        column_at="stability",
        message="stability`: Input should be 'stable'",
    ),
    "schema-missing-key": Case(
        "schema-missing-key",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "attributes:\n"
            "  - key: studio.name  " + HERE + "\n"
            "    brief: Name of the studio.\n"
            "    stability: development\n"
        },
        column_at="key",
        message="missing required key `type`",
        hint="^add `type:` to the mapping that starts here$",
    ),
    "attribute-unknown-type": Case(
        "attribute-unknown-type",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V1_HEAD + "      - id: studio.name\n"
            "        type: strng  " + HERE + "\n"
            "        brief: Name of the studio.\n"
        },
        hint=r"^did you mean `string`\?$",
        column_at="type",
    ),
    "unknown-ref": Case(
        "unknown-ref",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "metrics:\n"
            "  - name: studio.visits\n"
            "    brief: Visitors.\n"
            "    instrument: counter\n"
            "    unit: '{visit}'\n"
            "    stability: development\n"
            "    attributes:\n"
            "      - ref: kiln.atmosphre  " + HERE + "\n"
        },
        hint=r"^did you mean `kiln\.atmosphere`\?$",
        column_at="ref",
    ),
    "unknown-extends": Case(
        "unknown-extends",
        "error",
        "studio.yaml",
        {
            "studio.yaml": "groups:\n"
            "  - id: span.studio.open\n"
            "    type: span\n"
            "    span_kind: internal\n"
            "    brief: Opening the studio.\n"
            "    extends: registry.kil  " + HERE + "\n"
        },
        hint=r"^did you mean `registry\.kiln`\?$",
        column_at="extends",
        others=frozenset({"span-no-attributes"}),
    ),
    "unknown-ref-group": Case(
        "unknown-ref-group",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "attribute_groups:\n"
            "  - id: studio.common\n"
            "    visibility: public\n"
            "    attributes:\n"
            "      - ref_group: registry.kil  " + HERE + "\n"
        },
        hint=r"^did you mean `registry\.kiln`\?$",
        column_at="ref_group",
    ),
    "unknown-renamed-to": Case(
        "unknown-renamed-to",
        "warning",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "attributes:\n"
            "  - key: kiln.cones\n"
            "    type: string\n"
            "    brief: Cones.\n"
            "    stability: development\n"
            "    deprecated:\n"
            "      reason: renamed\n"
            "      renamed_to: kiln.con  " + HERE + "\n"
        },
        hint=r"^did you mean `kiln\.cone`\?$",
        column_at="renamed_to",
    ),
    "unknown-refinement-target": Case(
        "unknown-refinement-target",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "spans:\n"
            "  - type: kiln.firing\n"
            "    kind: internal\n"
            "    brief: A firing.\n"
            "    stability: development\n"
            "    name:\n"
            "      note: The kiln's name.\n"
            "    attributes:\n"
            "      - ref: kiln.atmosphere\n"
            "span_refinements:\n"
            "  - id: span.kiln.firing.salt\n"
            "    ref: kiln.firng  " + HERE + "\n"
        },
        hint=r"^did you mean `kiln\.firing`\?$",
        column_at="ref",
    ),
    "extends-cycle": Case(
        "extends-cycle",
        "error",
        "studio.yaml",
        {
            "studio.yaml": "groups:\n"
            "  - id: studio.a\n"
            "    type: attribute_group\n"
            "    brief: A.\n"
            "    extends: studio.b  " + HERE + "\n"
            "  - id: studio.b\n"
            "    type: attribute_group\n"
            "    brief: B.\n"
            "    extends: studio.a\n"
        },
        hint=r"^cycle: studio\.a -> studio\.b -> studio\.a$",
        column_at="extends",
    ),
    "duplicate-group": Case(
        "duplicate-group",
        "error",
        "studio.yaml",
        {
            "studio.yaml": "groups:\n"
            "  - id: registry.kiln  " + HERE + "\n"
            "    type: attribute_group\n"
            "    brief: Again.\n"
        },
        hint=r"^first defined at registry/kiln/registry\.yaml:3:5$",
        column_at="id",
    ),
    "attribute-invalid-name-uppercase": Case(
        "attribute-invalid-name",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V1_HEAD + "      - id: studio.Name  " + HERE + "\n"
            "        type: string\n"
            "        brief: Name.\n"
        },
        hint="lowercase dot-separated",
        column_at="id",
    ),
    "attribute-invalid-name-empty-segment": Case(
        "attribute-invalid-name",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "attributes:\n"
            "  - key: studio..name  " + HERE + "\n"
            "    type: string\n"
            "    brief: Name.\n"
            "    stability: development\n"
        },
        column_at="key",
    ),
    "attribute-invalid-name-dash": Case(
        "attribute-invalid-name",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "attributes:\n"
            "  - key: studio.opening-hours  " + HERE + "\n"
            "    type: string\n"
            "    brief: Hours.\n"
            "    stability: development\n"
        },
        column_at="key",
    ),
    "attribute-namespace-collision": Case(
        "attribute-namespace-collision",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "attributes:\n"
            "  - key: kiln.shelf_count.top  " + HERE + "\n"
            "    type: int\n"
            "    brief: Shelves at the top.\n"
            "    stability: development\n"
        },
        hint=r"deprecate `kiln\.shelf_count` \(registry/kiln/registry\.yaml:\d+:\d+\)",
        column_at="key",
        message=r"`kiln\.shelf_count` is an attribute and also the namespace",
    ),
    "enum-member-collision": Case(
        "enum-member-collision",
        "warning",
        "studio.yaml",
        {
            "studio.yaml": V1_HEAD + "      - id: studio.floor\n"
            "        brief: Floor.\n"
            "        type:\n"
            "          members:\n"
            "            - id: wood.oak\n"
            "              value: oak\n"
            "            - id: wood_oak  " + HERE + "\n"
            "              value: oak2\n"
        },
        hint=r"^`wood\.oak` is at registry/studio\.yaml:10:15;",
        column_at="id",
        message=r"same Python name `WOOD_OAK` as member `wood\.oak`",
        others=frozenset({"name-collision"}),
    ),
    "enum-duplicate-member": Case(
        "enum-duplicate-member",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V1_HEAD + "      - id: studio.floor\n"
            "        brief: Floor.\n"
            "        type:\n"
            "          members:\n"
            "            - id: oak\n"
            "              value: oak\n"
            "            - id: oak  " + HERE + "\n"
            "              value: oak2\n"
        },
        hint="first written at registry/studio.yaml:10:15",
        column_at="id",
    ),
    "enum-mixed-values": Case(
        "enum-mixed-values",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V1_HEAD + "      - id: studio.floor\n"
            "        brief: Floor.\n"
            "        type:  " + HERE + "\n"
            "          members:\n"
            "            - id: oak\n"
            "              value: oak\n"
            "            - id: two\n"
            "              value: 2\n"
        },
        column_at="type",
        message=r"mixes value types \(int, string\)",
    ),
    "enum-no-members": Case(
        "enum-no-members",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V1_HEAD + "      - id: studio.floor\n"
            "        brief: Floor.\n"
            "        type:\n"
            "          members: []  " + HERE + "\n"
        },
        column_at="members",
    ),
    "enum-member-invalid-id": Case(
        "enum-member-invalid-id",
        "warning",
        "studio.yaml",
        {
            "studio.yaml": V1_HEAD + "      - id: studio.floor\n"
            "        brief: Floor.\n"
            "        type:\n"
            "          members:\n"
            "            - id: Oak Wood  " + HERE + "\n"
            "              value: oak\n"
        },
        column_at="id",
    ),
    "span-name-unknown-attribute": Case(
        "span-name-unknown-attribute",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "spans:\n"
            "  - type: kiln.firing\n"
            "    kind: internal\n"
            "    brief: A firing.\n"
            "    stability: development\n"
            "    name:\n"
            "      note: By atmosphere.\n"
            "    annotations:\n"
            "      typed_semconv:\n"
            "        name_pattern: 'firing {kiln.atmosphre}'  " + HERE + "\n"
            "    attributes:\n"
            "      - ref: kiln.atmosphere\n"
        },
        hint=r"^did you mean `kiln\.atmosphere`\?$",
        column_at="name_pattern",
    ),
    "span-name-high-cardinality": Case(
        "span-name-high-cardinality",
        "warning",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "spans:\n"
            "  - type: kiln.firing\n"
            "    kind: internal\n"
            "    brief: A firing.\n"
            "    stability: development\n"
            "    name:\n"
            "      note: By cone.\n"
            "    annotations:\n"
            "      typed_semconv:\n"
            "        name_pattern: 'firing {kiln.cone}'  " + HERE + "\n"
            "    attributes:\n"
            "      - ref: kiln.cone\n"
        },
        hint="low_cardinality: true",
        column_at="name_pattern",
    ),
    "span-name-excluded-attribute": Case(
        "span-name-excluded-attribute",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "attributes:\n"
            "  - key: kiln.operator\n"
            "    type: string\n"
            "    brief: Who fired the kiln.\n"
            "    stability: development\n"
            "    annotations:\n"
            "      code_generation:\n"
            "        exclude: true\n"
            "spans:\n"
            "  - type: kiln.firing\n"
            "    kind: internal\n"
            "    brief: A firing.\n"
            "    stability: development\n"
            "    name:\n"
            "      note: By operator.\n"
            "    annotations:\n"
            "      typed_semconv:\n"
            "        name_pattern: 'firing {kiln.operator}'  " + HERE + "\n"
            "    attributes:\n"
            "      - ref: kiln.operator\n"
        },
        hint="code_generation",
        column_at="name_pattern",
    ),
    "span-name-invalid": Case(
        "span-name-invalid",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "spans:\n"
            "  - type: kiln.firing\n"
            "    kind: internal\n"
            "    brief: A firing.\n"
            "    stability: development\n"
            "    name:\n"
            "      note: By atmosphere.\n"
            "    annotations:\n"
            "      typed_semconv:\n"
            "        name_pattern: 'firing {kiln.atmosphere'  " + HERE + "\n"
            "    attributes:\n"
            "      - ref: kiln.atmosphere\n"
        },
        column_at="name_pattern",
        message="unbalanced brace",
    ),
    "annotation-unknown-key": Case(
        "annotation-unknown-key",
        "warning",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "spans:\n"
            "  - type: kiln.firing\n"
            "    kind: internal\n"
            "    brief: A firing.\n"
            "    stability: development\n"
            "    name:\n"
            "      note: Fixed.\n"
            "    annotations:\n"
            "      typed_semconv:\n"
            "        span_nam: kiln firing  " + HERE + "\n"
            "    attributes:\n"
            "      - ref: kiln.atmosphere\n"
        },
        hint=r"^did you mean `span_name`\?$",
        column_at="span_nam",
    ),
    "span-no-attributes": Case(
        "span-no-attributes",
        "warning",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "spans:\n"
            "  - type: kiln.cooling  " + HERE + "\n"
            "    kind: internal\n"
            "    brief: Cooling down.\n"
            "    stability: development\n"
            "    name:\n"
            "      note: Fixed.\n"
        },
        hint="reference the attributes",
        column_at="type",
    ),
    "span-no-kind": Case(
        "span-no-kind",
        "warning",
        "studio.yaml",
        {
            "studio.yaml": "groups:\n"
            "  - id: span.kiln.cooling  " + HERE + "\n"
            "    type: span\n"
            "    brief: Cooling down.\n"
            "    attributes:\n"
            "      - ref: kiln.atmosphere\n"
        },
        hint="add `span_kind:` \\(v1\\) or `kind:` \\(v2\\)",
        column_at="id",
    ),
    "ref-group-collision": Case(
        "ref-group-collision",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "attribute_groups:\n"
            "  - id: studio.one\n"
            "    visibility: public\n"
            "    attributes:\n"
            "      - ref: kiln.cone\n"
            "  - id: studio.two\n"
            "    visibility: public\n"
            "    attributes:\n"
            "      - ref: kiln.cone\n"
            "  - id: studio.both\n"
            "    visibility: public\n"
            "    attributes:\n"
            "      - ref_group: studio.one\n"
            "      - ref_group: studio.two  " + HERE + "\n"
        },
        column_at="ref_group",
    ),
    "schema-unknown-key-misplaced": Case(
        "schema-unknown-key",
        "error",
        "studio.yaml",
        {
            "studio.yaml": "groups:\n"
            "  - id: registry.studio\n"
            "    type: attribute_group\n"
            "    brief: Studio attributes.\n"
            "    imports:  " + HERE + "\n"
            "      metrics: [kiln.*]\n"
        },
        # `imports` is a key of files, not of groups: the hint says so, and never suggests
        # the very key it rejects.
        hint=r"^`imports` belongs at the top level of a v1 file or a v2 file, not here$",
        column_at="imports",
        message="unknown key `imports`",
    ),
    "schema-unknown-key-close-to-a-key-of-that-mapping": Case(
        "schema-unknown-key",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "metrics:\n"
            "  - name: studio.visits\n"
            "    brief: Visitors.\n"
            "    instrument: counter\n"
            "    unit: '{visit}'\n"
            "    stability: development\n"
            "    kind: internal  " + HERE + "\n"
        },
        # `kind` is a key of v2 spans; a metric has none, and `kind` is close to no metric key.
        hint=r"^`kind` belongs in `spans\[\]` of a v2 file, not here$",
        column_at="kind",
    ),
    "unknown-ref-missing-dependency": Case(
        "unknown-ref",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "metrics:\n"
            "  - name: studio.visits\n"
            "    brief: Visitors.\n"
            "    instrument: counter\n"
            "    unit: '{visit}'\n"
            "    stability: development\n"
            "    attributes:\n"
            "      - ref: pottery.wheel.speed  " + HERE + "\n"
        },
        hint=r"^no loaded registry defines the namespace `pottery`; if another registry does, "
        r"add it to the `dependencies` of registry/manifest\.yaml$",
        column_at="ref",
    ),
    "unknown-ref-missing-dependency-or-a-typo": Case(
        "unknown-ref",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "metrics:\n"
            "  - name: studio.visits\n"
            "    brief: Visitors.\n"
            "    instrument: counter\n"
            "    unit: '{visit}'\n"
            "    stability: development\n"
            "    attributes:\n"
            "      - ref: kil.atmosphere  " + HERE + "\n"
        },
        hint=r"^did you mean `kiln\.atmosphere`\? Otherwise: no loaded registry defines the "
        r"namespace `kil`",
        column_at="ref",
    ),
    "attribute-invalid-name-trailing-newline": Case(
        "attribute-invalid-name",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "attributes:\n"
            '  - key: "studio.name\\n"  ' + HERE + "\n"
            "    type: string\n"
            "    brief: Name.\n"
            "    stability: development\n"
        },
        column_at="key",
        message=r"attribute name `studio\.name\\n` breaks the naming rules: it holds U\+000A$",
    ),
    "attribute-invalid-name-look-alike": Case(
        "attribute-invalid-name",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "attributes:\n"
            '  - key: "studio.n\\u0430me"  ' + HERE + "\n"
            "    type: string\n"
            "    brief: Name.\n"
            "    stability: development\n"
        },
        column_at="key",
        message=r"it holds U\+0430 CYRILLIC SMALL LETTER A$",
    ),
    "signal-name-control-character": Case(
        "signal-name-control-character",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "metrics:\n"
            '  - name: "studio.visits\\u202e"  ' + HERE + "\n"
            "    brief: Visitors.\n"
            "    instrument: counter\n"
            "    unit: '{visit}'\n"
            "    stability: development\n"
        },
        hint="^remove the character; a name is plain, visible text$",
        column_at="name",
        message=r"^metric name `studio\.visits\\u202e` holds U\+202E RIGHT-TO-LEFT OVERRIDE",
    ),
    "signal-name-control-character-v1-span": Case(
        "signal-name-control-character",
        "error",
        "studio.yaml",
        {
            "studio.yaml": "groups:\n"
            '  - id: "span.studio.\\x1b[2Jopen"  ' + HERE + "\n"
            "    type: span\n"
            "    span_kind: internal\n"
            "    brief: Opening the studio.\n"
            "    attributes:\n"
            "      - ref: kiln.atmosphere\n"
        },
        column_at="id",
        message=r"^span name `studio\.\\x1b\[2Jopen` holds U\+001B",
    ),
    "signal-name-control-character-zero-width-event": Case(
        "signal-name-control-character",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "events:\n"
            '  - name: "studio.\\u200bopened"  ' + HERE + "\n"
            "    brief: The studio opened.\n"
            "    stability: development\n"
        },
        column_at="name",
        message=r"U\+200B ZERO WIDTH SPACE",
    ),
    "signal-name-non-ascii": Case(
        "signal-name-non-ascii",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "entities:\n"
            '  - type: "studio.kiln_\\u0435ntity"  ' + HERE + "\n"
            "    brief: A kiln.\n"
            "    stability: development\n"
            "    identity:\n"
            "      - ref: kiln.atmosphere\n"
        },
        hint=r"^write the name in ASCII; if the character is meant, add "
        r"`annotations: \{typed_semconv: \{non_ascii_name: true\}\}`$",
        column_at="type",
        message=r"^entity name `studio\.kiln_\u0435ntity` holds U\+0435 CYRILLIC SMALL LETTER IE",
    ),
    "signal-name-non-ascii-variant-despite-the-opt-in": Case(
        "signal-name-non-ascii",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "events:\n"
            '  - name: "studio.\\uff4f\\uff50ened"  ' + HERE + "\n"
            "    brief: The studio opened.\n"
            "    stability: development\n"
            "    annotations:\n"
            "      typed_semconv:\n"
            "        non_ascii_name: true\n"
        },
        hint="^write `o` instead$",
        column_at="name",
        message=r"U\+FF4F FULLWIDTH LATIN SMALL LETTER O, a variant of `o`",
    ),
    "signal-name-non-ascii-metric": Case(
        "signal-name-non-ascii",
        "error",
        "studio.yaml",
        {
            "studio.yaml": "groups:\n"
            "  - id: metric.studio.visits\n"
            "    type: metric\n"
            '    metric_name: "studio.v\\u0456sits"  ' + HERE + "\n"
            "    brief: Visitors.\n"
            "    instrument: counter\n"
            "    unit: '{visit}'\n"
            "    annotations:\n"
            "      typed_semconv:\n"
            "        non_ascii_name: true\n"
        },
        # Not even the opt-in: OpenTelemetry's metrics API refuses non-ASCII metric names.
        hint="^write the name in ASCII: OpenTelemetry's metrics API accepts no other$",
        column_at="metric_name",
    ),
    "metric-name-invalid": Case(
        "metric-name-invalid",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "metrics:\n"
            "  - name: studio visits  " + HERE + "\n"
            "    brief: Visitors.\n"
            "    instrument: counter\n"
            "    unit: '{visit}'\n"
            "    stability: development\n"
        },
        hint="^start with an ASCII letter, then use at most 254 ASCII letters",
        column_at="name",
        message="SDK would refuse",
    ),
    "metric-unit-invalid": Case(
        "metric-unit-invalid",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "metrics:\n"
            "  - name: studio.kiln.temperature\n"
            "    brief: Kiln temperature.\n"
            "    instrument: gauge\n"
            "    unit: '°C'  " + HERE + "\n"
            "    stability: development\n"
        },
        hint="^write the unit in UCUM's ASCII form",
        column_at="unit",
        message="holds U\\+00B0 DEGREE SIGN",
    ),
    "enum-value-out-of-range": Case(
        "enum-value-out-of-range",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V1_HEAD + "      - id: studio.floor\n"
            "        brief: Floor.\n"
            "        type:\n"
            "          members:\n"
            "            - id: ground\n"
            "              value: 0\n"
            "            - id: sky\n"
            "              value: 9223372036854775808  " + HERE + "\n"
        },
        hint="^use a value from -9223372036854775808 to 9223372036854775807, or a string enum$",
        column_at="value",
        message="value 9223372036854775808 of member `sky` of enum `studio.floor` is outside",
    ),
    "enum-value-out-of-range-negative": Case(
        "enum-value-out-of-range",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V1_HEAD + "      - id: studio.floor\n"
            "        brief: Floor.\n"
            "        type:\n"
            "          members:\n"
            "            - id: lowest\n"
            "              value: -9223372036854775808\n"
            "            - id: lower\n"
            "              value: -9223372036854775809  " + HERE + "\n"
        },
        column_at="value",
    ),
    "enum-value-not-finite": Case(
        "enum-value-not-finite",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V1_HEAD + "      - id: studio.ratio\n"
            "        brief: Ratio.\n"
            "        type:\n"
            "          members:\n"
            "            - id: half\n"
            "              value: 0.5\n"
            "            - id: unknown\n"
            "              value: .nan  " + HERE + "\n"
        },
        hint="^use a finite number: NaN equals no value",
        column_at="value",
        message="value nan of member `unknown`",
    ),
    "enum-value-not-finite-infinity": Case(
        "enum-value-not-finite",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "attributes:\n"
            "  - key: studio.ratio\n"
            "    brief: Ratio.\n"
            "    stability: development\n"
            "    type:\n"
            "      members:\n"
            "        - id: endless\n"
            "          value: -.inf  " + HERE + "\n"
        },
        hint="^use a finite number$",
        column_at="value",
    ),
    "file-unknown-format": Case(
        "file-unknown-format",
        "error",
        "studio.yaml",
        {"studio.yaml": "attributes: []  " + HERE + "\n"},
        hint="`groups:` \\(v1\\) or `file_format: definition/2` \\(v2\\)",
        column_at="attributes",
    ),
    "yaml-merge-key": Case(
        "yaml-merge-key",
        "error",
        "studio.yaml",
        {
            "studio.yaml": "groups:\n"
            "  - &base {id: studio.a, type: attribute_group, brief: A.}\n"
            "  - <<: *base  " + HERE + "\n"
            "    id: studio.b\n"
        },
        column_at="<<",
    ),
    "yaml-key-type": Case(
        "yaml-key-type",
        "error",
        "studio.yaml",
        {
            "studio.yaml": "groups:\n"
            "  - id: studio.a\n"
            "    brief: A.\n"
            "    [type]: attribute_group  " + HERE + "\n"
        },
        column_at="[",
    ),
    "span-name-filtered-attribute": Case(
        "span-name-filtered-attribute",
        "error",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "spans:\n"
            "  - type: kiln.firing\n"
            "    kind: internal\n"
            "    brief: A firing.\n"
            "    stability: stable\n"
            "    name:\n"
            "      note: By shelf count.\n"
            "    annotations:\n"
            "      typed_semconv:\n"
            "        name_pattern: 'firing {kiln.shelf_count}'  " + HERE + "\n"
            "    attributes:\n"
            "      - ref: kiln.shelf_count\n"  # development: --stable-only leaves it out
        },
        hint="keep that attribute",
        column_at="name_pattern",
        message=r"--stable-only",
        others=frozenset({"span-name-high-cardinality"}),
        args=("--stable-only",),
    ),
    "name-collision": Case(
        "name-collision",
        "warning",
        "studio.yaml",
        {
            "studio.yaml": V2_HEAD + "attributes:\n"
            "  - key: studio.door.count\n"
            "    type: int\n"
            "    brief: Doors.\n"
            "    stability: development\n"
            "  - key: studio.door_count  " + HERE + "\n"
            "    type: int\n"
            "    brief: Doors again.\n"
            "    stability: development\n"
        },
        column_at="key",
        message="named `STUDIO_DOOR_COUNT_2` instead",
    ),
    "dependency-no-path": Case(
        "dependency-no-path",
        "error",
        "manifest.yaml",
        {
            "manifest.yaml": MANIFEST_HEAD
            + "  - schema_url: https://example.test/schemas/clay/1.0.0  "
            + HERE
            + "\n"
        },
        hint="give the folder, archive or git URL",
        column_at="schema_url",
        message=r"`https://example\.test/schemas/clay/1\.0\.0` has no `registry_path`",
    ),
    "dependency-too-deep": Case(
        "dependency-too-deep",
        "error",
        ".deps/d8/manifest.yaml",
        dependency_chain(length=8, marked=8),
        column_at="schema_url",
        message="deeper than 8 registries",
    ),
}


def check_case(project: Project, case: Case, run: Run) -> Diag:
    assert_clean_failure(run)
    found = run.only(case.code)
    assert len(found) == 1, run.stderr
    diag = found[0]
    line, text = marked_line(project.registry / case.file)
    assert (diag.path, diag.line) == (f"registry/{case.file}", line), run.stderr
    assert diag.severity == case.severity, run.stderr
    if case.column_at is not None:
        assert diag.column == text.index(case.column_at) + 1, run.stderr
    if case.hint is not None:
        assert diag.hint is not None and re.search(case.hint, diag.hint), run.stderr
    if case.message is not None:
        assert re.search(case.message, diag.message), run.stderr
    allowed = {case.code, *case.others}
    assert {d.code for d in run.diagnostics} <= allowed, run.stderr
    return diag


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_is_reported_where_written_and_output_is_kept(project: Project, name: str) -> None:
    case = CASES[name]
    write_files(project.registry, dict(case.files))
    extra = ["--werror"] if case.severity == "warning" else []

    run = project.generate(*extra, *case.args)

    check_case(project, case, run)
    project.assert_output_untouched()


def test_duplicate_attribute_in_two_files_names_the_first_definition(project: Project) -> None:
    write_files(
        project.registry,
        {
            "studio.yaml": V2_HEAD + "attributes:\n"
            "  - key: kiln.shelf_count  " + HERE + "\n"
            "    type: int\n"
            "    brief: Shelves, again.\n"
            "    stability: development\n"
        },
    )
    first, _ = next(
        (n, t)
        for n, t in enumerate(
            (project.registry / "kiln" / "registry.yaml").read_text().splitlines(), 1
        )
        if "id: kiln.shelf_count" in t
    )

    run = project.generate()

    case = Case(
        "duplicate-attribute",
        "error",
        "studio.yaml",
        {},
        hint=rf"^first defined at registry/kiln/registry\.yaml:{first}:\d+$",
        column_at="key",
    )
    check_case(project, case, run)
    project.assert_output_untouched()


def test_a_deprecated_attribute_may_also_be_a_namespace(project: Project) -> None:
    """`kiln.cone` is deprecated in the fixture, so `kiln.cone.size` is no collision."""
    write_files(
        project.registry,
        {
            "studio.yaml": V2_HEAD + "attributes:\n"
            "  - key: kiln.cone.size\n"
            "    type: int\n"
            "    brief: Cone size.\n"
            "    stability: development\n"
        },
    )
    run = project.generate("--werror")
    assert run.returncode == 0, run.stderr
    assert run.diagnostics == []


def test_every_problem_of_a_run_is_reported_with_its_own_location(project: Project) -> None:
    """Several broken files at once: each problem is reported, in file and line order."""
    names = ("yaml-syntax", "schema-unknown-key", "attribute-unknown-type")
    for name in names:
        files = CASES[name].files
        write_files(project.registry, {f"{name}/{k}": v for k, v in files.items()})

    run = project.generate()

    assert_clean_failure(run)
    located = [(d.path, d.line) for d in run.diagnostics]
    assert located == sorted(located, key=lambda p: (p[0] or "", p[1] or 0))
    for name in names:
        line, _ = marked_line(project.registry / name / "studio.yaml")
        assert (f"registry/{name}/studio.yaml", line) in located, run.stderr
    project.assert_output_untouched()


def test_every_schema_problem_of_a_file_is_reported(project: Path) -> None:
    """Several bad groups, several problems in one mapping, a rule across keys beside an invalid
    key, a bad key after another error in a list item: each is reported on the first run.
    Each problem's line ends with `#<- N`; N names the expected diagnostic below."""
    write_files(
        project.registry,
        {
            "studio.yaml": "groups:\n"
            "  - id: registry.studio\n"
            "    type: attribute_group\n"
            "    brief: [Studio]  #<- 1\n"
            "    prefixx: studio  #<- 2\n"
            "    attributes:\n"
            "      - id: studio.name  #<- 3\n"
            "        ref: kiln.cone\n"
            "        brief: [1]  #<- 4\n"
            "      - id: studio.hours  #<- 5\n"
            "        brief: Hours.\n"
            "        stabilty: stable  #<- 6\n"
            "        deprecated:\n"
            "          reason: renamed  #<- 7\n"
            "          note: [x]  #<- 8\n"
            "  - type: span  #<- 9\n"
            "    span_kind: sideways  #<- 10\n"
            "    attributes:\n"
            "      - ref: kiln.cone\n"
            "        requirement_level: {recommended: a, opt_in: b}  #<- 11\n"
            "        sampling_relevant: maybe  #<- 12\n",
        },
    )
    expected = {
        "1": [("schema-invalid-value", r"`groups\.0\.brief`: expected a string")],
        "2": [("schema-unknown-key", r"unknown key `prefixx`")],
        "3": [("schema-invalid-value", r"needs exactly one of `id` \(a definition\) or `ref`")],
        "4": [("schema-invalid-value", r"`groups\.0\.attributes\.0\.brief`: expected a string")],
        "5": [("schema-invalid-value", r"attribute `studio\.hours` has no `type`")],
        "6": [("schema-unknown-key", r"unknown key `stabilty`")],
        "7": [("schema-invalid-value", r"`reason: renamed` needs `renamed_to`")],
        "8": [("schema-invalid-value", r"deprecated\.note`: expected a string")],
        "9": [
            ("schema-missing-key", r"missing required key `brief`"),
            ("schema-missing-key", r"missing required key `id`"),
        ],
        "10": [("schema-invalid-value", r"span_kind`: Input should be 'client'")],
        "11": [("schema-invalid-value", r"needs exactly one of `conditionally_required`")],
        "12": [("schema-invalid-value", r"sampling_relevant`: Input should be a valid boolean")],
    }
    lines = (project.registry / "studio.yaml").read_text().splitlines()
    marks = {text.rsplit("#<- ", 1)[1]: n for n, text in enumerate(lines, 1) if "#<- " in text}

    run = project.generate()

    assert_clean_failure(run)
    found = sorted((d.line, d.code, d.message) for d in run.diagnostics)
    wanted = sorted(
        (marks[mark], code, pattern) for mark, items in expected.items() for code, pattern in items
    )
    assert len(found) == len(wanted), run.stderr
    for (line, code, message), (want_line, want_code, pattern) in zip(found, wanted, strict=True):
        assert (line, code) == (want_line, want_code), run.stderr
        assert re.search(pattern, message), run.stderr
    project.assert_output_untouched()


HOSTILE_KEY = "\x1b[2J\x1b[31mforged\u202e"
HOSTILE_ID = "studio.\u202eeman\nregistry/studio.yaml:1:1: error: all is well [none]"


def _hostile_registry(project: Project) -> None:
    """Registry text with terminal escapes, a bidirectional override and a forged diagnostic
    line, reaching diagnostics in a key, in a name that pydantic's message quotes, in a signal
    name, and in a file name."""
    write_files(
        project.registry,
        {
            "studio\x1b[1m.yaml": "groups:\n"
            "  - id: registry.studio\n"
            "    type: attribute_group\n"
            "    brief: Studio.\n"
            f"    {json_string(HOSTILE_KEY)}: 1\n"
            "    attributes:\n"
            f"      - id: {json_string(HOSTILE_ID)}\n"
            "        brief: No type.\n",
        },
    )


def json_string(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's) of any text."""
    return json.dumps(text)


@pytest.mark.parametrize("diagnostic_format", ["text", "json", "github"])
def test_registry_text_in_diagnostics_is_escaped_in_every_format(
    project: Project, diagnostic_format: str
) -> None:
    _hostile_registry(project)

    run = project.generate("--diagnostic-format", diagnostic_format)

    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    if diagnostic_format == "json":
        shown = [
            value
            for problem in json.loads(run.stderr)
            for value in problem.values()
            if isinstance(value, str)
        ]
        assert len(json.loads(run.stderr)) == 2, run.stderr
    else:
        shown = run.stderr.splitlines()
        located = [line for line in shown if line.startswith(("registry/", "::"))]
        assert len(located) == 2, run.stderr  # no line forged by the registry
    hidden = [(text, c) for text in shown for c in text if is_hidden(c)]
    assert not hidden, run.stderr
    everything = "\n".join(shown)
    assert r"unknown key `\x1b[2J\x1b[31mforged\u202e`" in everything, run.stderr
    assert r"studio.\u202eeman\nregistry/studio.yaml:1:1: error: all is well" in everything
    assert r"registry/studio\x1b[1m.yaml" in everything, run.stderr
    project.assert_output_untouched()


def test_a_huge_value_is_shortened_in_the_message(project: Project) -> None:
    """A 50,000-character key, and a 50,000-character id that pydantic's message quotes: each
    message keeps its start and end, and says how much it left out."""
    huge = "k" * 50_000 + "end"
    write_files(
        project.registry,
        {
            "studio.yaml": V1_HEAD + f"      - id: {huge}\n"
            "        brief: No type.\n"
            f"        ? {huge}\n"
            "        : 1\n"
        },
    )

    run = project.generate()

    assert_clean_failure(run)
    messages = sorted(d.message for d in run.diagnostics)
    assert len(messages) == 2, run.stderr
    left_out = r"k+…\[\d{2},\d{3} characters left out\]…k+end"
    assert re.fullmatch(
        rf"`groups\.0\.attributes\.0`: attribute `{left_out}` has no `type`", messages[0]
    )
    assert re.fullmatch(rf"unknown key `{left_out}`", messages[1])
    assert all(len(m) <= MAX_SHOWN + 40 for m in messages), messages
    assert len(run.stderr) < 4 * MAX_SHOWN


def test_a_definition_may_opt_in_to_non_ascii_letters(project: Project) -> None:
    """Non-ASCII letters in span, event and entity names, each allowed by its definition; the
    span keeps its name as written."""
    opt_in = "    annotations:\n      typed_semconv:\n        non_ascii_name: true\n"
    write_files(
        project.registry,
        {
            "studio.yaml": V2_HEAD + "spans:\n"
            "  - type: kiln.brände\n"
            "    kind: internal\n"
            "    brief: A firing.\n"
            "    stability: development\n"
            "    name:\n"
            "      note: Fixed.\n" + opt_in + "    attributes:\n"
            "      - ref: kiln.atmosphere\n"
            "events:\n"
            "  - name: kiln.größe\n"
            "    brief: Measured.\n"
            "    stability: development\n" + opt_in + "entities:\n"
            "  - type: kiln.窯\n"
            "    brief: A kiln.\n"
            "    stability: development\n" + opt_in + "    identity:\n"
            "      - ref: kiln.atmosphere\n"
        },
    )

    run = project.generate("--werror")

    assert run.returncode == 0, run.stderr
    spans = (project.out / PACKAGE / "spans" / "kiln_spans.py").read_text(encoding="utf-8")
    assert 'SpanName("kiln.brände")' in spans


# --- every code has a test ----------------------------------------------------------------------

# Codes triggered by a test elsewhere, not by a case above: code -> "file::test" (the file below
# tests/; the test must exist and name the code it asserts), or the expectation file below
# tests/ of a data-driven case, which must list the code as printed (`[code]`; e.g. the
# resolution cases, which tests/test_resolution_cases.py compares exactly). Add a row per new
# code that cannot be a case here (no line to point at, or a set-up of its own).
TRIGGERED_ELSEWHERE: dict[str, str] = {
    "span-event-unknown": (
        "test_signals.py::test_a_span_event_that_is_not_defined_is_a_located_warning"
    ),
    "name-override-invalid": "test_signals.py::test_a_bad_name_annotation_is_a_located_error",
    "source-invalid": "test_sources.py::test_parse_reference_rejects",
    "source-not-found": "test_sources.py::test_local_folder_passes_through",
    "source-download-failed": "test_sources.py::test_download_errors",
    "source-checksum-mismatch": "test_sources.py::test_sha256_pin",
    "source-offline-missing": "test_sources.py::test_offline",
    "source-unsafe-archive": "test_sources.py::test_hostile_archive_is_refused",
    "source-archive-invalid": "test_sources.py::test_not_an_archive",
    "source-subfolder-missing": "test_sources.py::test_missing_subfolder_in_archive",
    "source-subfolder-outside": (
        "test_sources.py::test_local_folder_subfolder_may_not_leave_through_a_link"
    ),
    "source-git-failed": "test_sources.py::test_git_bad_ref",
    "source-cache-error": "test_sources.py::test_a_cache_folder_that_cannot_be_made",
    "registry-not-found": "robustness/test_registry_guards.py::test_a_missing_folder",
    "registry-not-a-folder": "robustness/test_registry_guards.py::test_a_file_not_a_folder",
    "registry-empty": "robustness/test_hostile.py::test_a_registry_without_yaml_files",
    "registry-too-many-files": (
        "robustness/test_hostile.py::test_the_root_folder_as_a_registry_stops_at_the_file_bound"
    ),
    "registry-symlink-loop": (
        "robustness/test_hostile.py::test_a_folder_loop_through_symlinks_is_read_once"
    ),
    "file-not-regular": "robustness/test_hostile.py::test_a_named_pipe_is_not_waited_on",
    "file-unreadable": "robustness/test_registry_guards.py::test_a_dangling_link_is_unreadable",
    "file-too-large": (
        "robustness/test_hostile.py::test_a_10_mib_string_is_refused_by_the_size_cap"
    ),
    "file-binary": "robustness/test_hostile.py::test_a_binary_file_is_refused",
    "file-encoding": (
        "robustness/test_hostile.py::test_a_file_that_is_not_utf8_is_located_at_the_bad_byte"
    ),
    "file-empty": "robustness/test_hostile.py::test_an_empty_file_is_a_warning",
    "file-not-mapping": "robustness/test_hostile.py::test_a_document_that_is_not_a_mapping",
    "yaml-unsafe-tag": "robustness/test_hostile.py::test_unsafe_tags_are_refused_and_never_run",
    "yaml-alias-bomb": (
        "robustness/test_hostile.py::test_a_billion_laughs_ends_fast_in_bounded_memory"
    ),
    "yaml-recursive-alias": "robustness/test_hostile.py::test_a_recursive_alias_is_refused",
    "yaml-too-deep": "robustness/test_hostile.py::test_a_100k_deep_document_is_refused",
    "yaml-invalid-scalar": "robustness/test_hostile.py::test_a_huge_number_is_a_diagnostic",
    "duplicate-attribute": (
        "robustness/test_checks.py::"
        "test_duplicate_attribute_in_two_files_names_the_first_definition"
    ),
    "legacy-constraints": "resolution/legacy-constraints/expected-diagnostics.txt",
    "legacy-ref-prefix": "resolution/legacy-prefix-true-on-ref/expected-diagnostics.txt",
    "duplicate-ref": "resolution/duplicate-ref-in-group/expected-diagnostics.txt",
    "duplicate-metric-name": "resolution/duplicate-metric-name/expected-diagnostics.txt",
    "entity-refinement-identity": (
        "resolution/entity-refinement-identity-change/expected-diagnostics.txt"
    ),
    "dependency-cycle": "resolution/dependencies-cycle/expected-diagnostics.txt",
    "dependency-version-conflict": (
        "resolution/dependencies-diamond-incompatible/expected-diagnostics.txt"
    ),
    "dependency-no-schema-url": (
        "test_dependency_graph.py::test_a_dependency_declared_without_a_schema_url_or_path"
    ),
    "dependency-outside-archive": (
        "test_dependency_graph.py::test_a_fetched_registry_never_reads_local_folders"
    ),
    "dependency-too-many": (
        "test_dependency_graph.py::test_more_registries_than_the_limit_are_diagnosed_once"
    ),
    "published-registry-invalid": (
        "test_dependency_graph.py::test_a_resolved_file_outside_the_package_is_refused"
    ),
    "template-error": "test_cli.py::test_template_error_is_reported",
    "template-invalid-python": "test_cli.py::test_template_producing_invalid_python_is_reported",
    "output-conflict": (
        "test_writing.py::test_a_user_file_where_a_file_would_be_generated_is_a_conflict"
    ),
    "output-record-invalid": (
        "robustness/test_hostile.py::test_a_hostile_ownership_record_is_no_crash"
    ),
    "output-unreadable": (
        "test_writing.py::test_an_unreadable_user_folder_is_never_moved_or_deleted"
    ),
    "output-platform-unsupported": (
        "test_writing.py::test_a_platform_without_file_locks_stops_with_a_clear_message"
    ),
    "live-check-input-invalid": (
        "test_livecheck_inputs.py::test_bad_lines_are_reported_and_the_rest_is_checked"
    ),
    "live-check-listen-failed": "test_livecheck_receiver.py::test_port_in_use_is_a_clear_error",
    "upgrade-f-string": (
        "test_upgrade.py::test_what_cannot_be_changed_safely_is_reported_where_it_is_and_left_alone"
    ),
    "upgrade-file-skipped": "test_upgrade.py::test_symbolic_links_are_never_followed",
    "upgrade-name-conflict": (
        "test_upgrade.py::test_a_name_bound_otherwise_in_the_file_is_not_renamed"
    ),
    "upgrade-no-replacement": (
        "test_upgrade.py::test_what_cannot_be_changed_safely_is_reported_where_it_is_and_left_alone"
    ),
    "upgrade-not-generated": (
        "test_upgrade.py::test_a_replacement_the_generation_options_leave_out_is_reported"
    ),
    "upgrade-now-required": (
        "test_upgrade.py::test_what_cannot_be_changed_safely_is_reported_where_it_is_and_left_alone"
    ),
    "upgrade-removed": (
        "test_upgrade.py::test_what_cannot_be_changed_safely_is_reported_where_it_is_and_left_alone"
    ),
    "upgrade-string-not-rewritten": (
        "test_upgrade.py::test_what_cannot_be_changed_safely_is_reported_where_it_is_and_left_alone"
    ),
    "upgrade-unparsable": (
        "test_upgrade.py::"
        "test_unparsable_files_are_reported_and_untouched_while_the_others_are_upgraded"
    ),
    "upgrade-value-changed": (
        "test_upgrade.py::test_what_cannot_be_changed_safely_is_reported_where_it_is_and_left_alone"
    ),
    "io-error": "test_cli.py::test_output_that_is_a_file_is_reported_without_traceback",
}


def _named_codes(path: Path, test: str) -> str:
    """Every string constant of the test function `test` in `path`: its body, its decorators,
    and the module-level values those name (a parametrize table, a dict of cases)."""
    module = ast.parse(path.read_text(encoding="utf-8"))
    function = next(
        (
            node
            for node in module.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == test
        ),
        None,
    )
    assert function is not None, f"{path.name} has no test `{test}`"
    names = {n.id for n in ast.walk(function) if isinstance(n, ast.Name)}
    referenced = [
        node
        for node in module.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        and any(
            isinstance(target, ast.Name) and target.id in names
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        )
    ]
    return "\n".join(
        node.value
        for tree in (function, *referenced)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def test_every_code_of_the_catalogue_is_triggered_by_a_test() -> None:
    from typed_semconv.diagnostics.catalogue import CATALOGUE

    catalogue = {code.name for code in CATALOGUE}
    cases = {case.code for case in CASES.values()}
    assert cases <= catalogue, f"cases of unknown codes: {sorted(cases - catalogue)}"
    stale = set(TRIGGERED_ELSEWHERE) - catalogue
    assert not stale, f"TRIGGERED_ELSEWHERE names codes the catalogue lacks: {sorted(stale)}"
    twice = set(TRIGGERED_ELSEWHERE) & cases
    assert not twice, f"codes with a case need no row in TRIGGERED_ELSEWHERE: {sorted(twice)}"
    untested = catalogue - cases - set(TRIGGERED_ELSEWHERE)
    assert not untested, (
        f"codes no test triggers: {sorted(untested)}; add a case to CASES or a row naming "
        "the test that triggers it to TRIGGERED_ELSEWHERE"
    )
    for code, where in sorted(TRIGGERED_ELSEWHERE.items()):
        if "::" in where:
            path, test = where.split("::")
            text = _named_codes(REPO / "tests" / path, test)
            named = re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)
        else:
            expectation = REPO / "tests" / where
            assert expectation.is_file(), f"{where} does not exist"
            named = re.search(rf"\[{re.escape(code)}\]$", expectation.read_text(), re.M)
        assert named, f"{where} does not name `{code}`"
