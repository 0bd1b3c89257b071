"""The edge-case registry in `tests/fixtures/edge` through the command line.

The registry mixes v1 and v2 files full of names and texts that break naive generators: keywords,
builtins and standard-library module names as namespaces, names that collide once punctuation is
gone, enum members that `enum` would reserve or hide, and texts that try to end strings early,
run Jinja or execute code. The generated package must import with warnings as errors, keep every
key, value and text exactly, pass `mypy --strict`, run none of the injected code, and come out
byte for byte the same every time.

The last tests generate small registries that show generator bugs found this way; each is a
strict xfail that says where the bug is.
"""

from __future__ import annotations

import ast
import io
import itertools
import json
import re
import subprocess
import sys
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO, CliResult, run_cli

EDGE = REPO / "tests" / "fixtures" / "edge"
PACKAGE = "edge_semconv"
# The file the injected `os.system("touch injected-marker")` would create in its working folder.
MARKER = "injected-marker"

Result = CliResult

# Runs in a fresh interpreter started with `-W error::SyntaxWarning`: compiles every module with
# every warning an error, imports them all, and reports what they define as JSON.
PROBE = r"""
import enum, importlib, inspect, json, pkgutil, sys, warnings
from pathlib import Path

root, package = Path(sys.argv[1]), sys.argv[2]
sys.path.insert(0, str(root))
files = sorted((root / package).rglob("*.py"))
with warnings.catch_warnings():
    warnings.simplefilter("error")  # an invalid escape warns at compile time
    for path in files:
        compile(path.read_bytes(), str(path), "exec", dont_inherit=True)


class RecordingMeter:
    def __getattr__(self, method):
        def create(**kwargs):
            kwargs.pop("callbacks", None)
            return {"method": method, **kwargs}
        return create


def call(function, *args):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = function(*args)
    messages = [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)]
    return {"result": result, "deprecations": messages}


report = {}
top = importlib.import_module(package)
names = [package] + [m.name for m in pkgutil.walk_packages(top.__path__, package + ".")]
for name in names:
    module = importlib.import_module(name)
    entry = {"file": module.__file__, "constants": {}, "enums": {}, "functions": {}}
    for constant in getattr(module, "__annotations__", {}):
        entry["constants"][constant] = getattr(module, constant)
    for attr, obj in vars(module).items():
        if getattr(obj, "__module__", None) != name:
            continue
        if isinstance(obj, type) and issubclass(obj, enum.Enum):
            entry["enums"][attr] = {
                "doc": obj.__doc__,
                "deprecated": getattr(obj, "__deprecated__", None),
                "canonical": [m.name for m in obj],
                "members": [[n, m.name, m.value] for n, m in obj.__members__.items()],
            }
        elif inspect.isfunction(obj) and ".attributes." in name:
            entry["functions"][attr] = call(obj, "suffix")
        elif inspect.isfunction(obj) and ".metrics." in name and attr.startswith("create_"):
            entry["functions"][attr] = call(obj, RecordingMeter())
    report[name] = entry

# The namespaces named like standard-library modules shadow nothing.
import code, http, os, profile
assert callable(code.interact) and callable(os.getcwd) and callable(profile.run)
assert http.HTTPStatus.OK == 200
print(json.dumps({"files": [str(p) for p in files], "modules": report}, default=repr))
"""


def clean(text: str) -> str:
    """A brief as the generator shows it: trimmed, without its final full stops."""
    return text.strip().rstrip(".").strip()


@dataclass(frozen=True)
class Definitions:
    """What the registry defines, read straight from its YAML (independently of the generator)."""

    attributes: dict[str, dict[str, Any]]
    metrics: dict[str, dict[str, Any]]

    @classmethod
    def read(cls, root: Path) -> Definitions:
        attributes: dict[str, dict[str, Any]] = {}
        metrics: dict[str, dict[str, Any]] = {}
        for path in sorted(root.rglob("*.yaml")):
            if path.parent == root:
                continue  # the manifest
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            for group in data.get("groups") or []:
                for entry in group.get("attributes") or []:
                    if "id" in entry:
                        attributes[entry["id"]] = entry
                if group.get("type") == "metric":
                    metrics[group["metric_name"]] = group
            for entry in data.get("attributes") or []:
                attributes[entry["key"]] = entry
            for metric in data.get("metrics") or []:
                metrics[metric["name"]] = metric
        return cls(attributes, metrics)

    def enums(self) -> dict[str, list[dict[str, Any]]]:
        return {
            key: entry["type"]["members"]
            for key, entry in self.attributes.items()
            if isinstance(entry["type"], dict)
        }

    def templates(self) -> list[str]:
        return [
            key
            for key, entry in self.attributes.items()
            if isinstance(entry["type"], str) and entry["type"].startswith("template[")
        ]


@dataclass
class Generation:
    work: Path
    output: Path
    result: Result

    @property
    def package(self) -> Path:
        return self.output / PACKAGE

    def python_files(self) -> list[Path]:
        return sorted(self.package.rglob("*.py"))

    @cached_property
    def probe(self) -> Result:
        return subprocess.run(
            [sys.executable, "-W", "error::SyntaxWarning", "-c", PROBE, str(self.output), PACKAGE],
            cwd=self.work,
            capture_output=True,
            text=True,
            check=False,
        )

    @cached_property
    def modules(self) -> dict[str, dict[str, Any]]:
        assert self.probe.returncode == 0, self.probe.stderr[-3000:]
        report: dict[str, dict[str, Any]] = json.loads(self.probe.stdout)["modules"]
        return report

    def of_kind(self, kind: str) -> Iterator[tuple[str, dict[str, Any]]]:
        for name, entry in sorted(self.modules.items()):
            if f".{kind}." in name:
                yield name, entry


@pytest.fixture(scope="module")
def definitions() -> Definitions:
    return Definitions.read(EDGE)


@pytest.fixture(scope="module")
def generation(tmp_path_factory: pytest.TempPathFactory) -> Generation:
    work = tmp_path_factory.mktemp("edge")
    output = work / "out"
    result = run_cli(
        "generate", "--registry", EDGE, "--output", output, "--package", PACKAGE, cwd=work
    )
    return Generation(work, output, result)


def _generated(generation: Generation) -> Generation:
    assert generation.result.returncode == 0, generation.result.stderr
    return generation


# --- the run ----------------------------------------------------------------------------------


def test_generation_succeeds_and_names_the_renames(
    generation: Generation, definitions: Definitions
) -> None:
    result = _generated(generation)
    stderr = result.result.stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert "0 error(s)" in stderr
    # `test.run.id` and `test.run_id` both want TEST_RUN_ID: the key first in code-point order
    # (`.` < `_`) keeps it, the other is renamed, and the run says so at its definition.
    assert (
        f"{EDGE}/texts/registry.yaml:13:9: warning: attribute `test.run_id` would be named "
        "`TEST_RUN_ID` like another; named `TEST_RUN_ID_2` instead [name-collision]"
    ) in stderr.splitlines()
    # Enum members are checked by validation, located at the member in the registry.
    assert (
        "warning: enum member `in_as` of `lambda.in.as` has the same Python name `IN_AS` as "
        "member `in.as` [enum-member-collision]"
    ) in stderr
    # Every collision warning names an item of the registry.
    collisions = re.findall(r"`([^`]+)` would be named `(\w+)`.*?named `(\w+)` instead", stderr)
    assert collisions
    member_ids = {str(m["id"]) for members in definitions.enums().values() for m in members}
    for item, wanted, given in collisions:
        assert given != wanted and given.startswith(wanted + "_")
        assert item in definitions.attributes or item in member_ids, item


def test_every_module_imports_with_warnings_as_errors(generation: Generation) -> None:
    _generated(generation)
    assert generation.probe.returncode == 0, generation.probe.stderr[-3000:]
    report = json.loads(generation.probe.stdout)
    files = {Path(f) for f in report["files"]}
    imported = {Path(m["file"]) for m in report["modules"].values()}
    assert files == set(generation.python_files()) == imported
    # The root namespaces named like standard-library modules each got their module.
    for namespace in ("http", "os", "code", "test", "profile"):
        assert (generation.package / "attributes" / f"{namespace}_attributes.py").is_file()


# --- keys, values and names -------------------------------------------------------------------


def test_attribute_constants_are_exactly_the_registry_keys(
    generation: Generation, definitions: Definitions
) -> None:
    _generated(generation)
    found: list[tuple[str, str, str]] = []
    for module, entry in generation.of_kind("attributes"):
        for constant, value in entry["constants"].items():
            assert constant.isidentifier() and constant.isupper(), constant
            found.append((value, module, constant))
    assert sorted(v for v, _, _ in found) == sorted(definitions.attributes)
    for key, module, _ in found:
        root = key.split(".", 1)[0] if "." in key else "other"
        assert module.rsplit(".", 1)[1].startswith(root), (key, module)
    test_constants = generation.modules[f"{PACKAGE}.attributes.test_attributes"]["constants"]
    assert test_constants["TEST_RUN_ID"] == "test.run.id"
    assert test_constants["TEST_RUN_ID_2"] == "test.run_id"
    other = generation.modules[f"{PACKAGE}.attributes.other_attributes"]["constants"]
    assert other == {"PASS_TEMPLATE": "pass"}


def test_metric_constants_are_exactly_the_metric_names(
    generation: Generation, definitions: Definitions
) -> None:
    _generated(generation)
    values = [v for _, e in generation.of_kind("metrics") for v in e["constants"].values()]
    assert sorted(values) == sorted(definitions.metrics)


def _enum_class(generation: Generation, key: str) -> dict[str, Any]:
    matches = [
        enum
        for _, entry in generation.of_kind("attributes")
        for enum in entry["enums"].values()
        if enum["doc"].startswith(f"Values of `{key}`")
    ]
    assert len(matches) == 1, key
    return matches[0]


def test_enum_members_are_the_yaml_values_in_order(
    generation: Generation, definitions: Definitions
) -> None:
    _generated(generation)
    enums = definitions.enums()
    assert len(enums) == sum(len(e["enums"]) for _, e in generation.of_kind("attributes"))
    for key, members in enums.items():
        enum = _enum_class(generation, key)
        generated = enum["members"]
        # One entry per YAML member, in YAML order: no member was lost to a reserved, dunder or
        # name-mangled name, and every value is the YAML value with its type.
        assert len(generated) == len(members), key
        for (name, canonical, value), member in zip(generated, members, strict=True):
            assert name.isidentifier(), name
            assert value == member["value"] and type(value) is type(member["value"]), (key, name)
            # A value seen before makes the member an alias of the first member with it.
            first = next(i for i, m in enumerate(members) if m["value"] == member["value"])
            assert canonical == generated[first][0], (key, name)
        assert len(enum["canonical"]) == len({repr(m["value"]) for m in members})
        assert (enum["deprecated"] is not None) == ("deprecated" in definitions.attributes[key])


def test_enum_aliases_and_awkward_members(generation: Generation) -> None:
    _generated(generation)
    profile = _enum_class(generation, "profile.mode")
    assert profile["canonical"] == ["FAST", "SLOW", "WEIRD"]
    assert ["SPEEDY", "FAST", "fast"] in profile["members"]
    assert ["WEIRD", "WEIRD", 'two\nlines with a "quote" and a \\ backslash'] in profile["members"]
    status = _enum_class(generation, "code.exit.status")
    assert status["canonical"] == ["OK", "FAILURE", "KILLED", "UNKNOWN"]
    assert ["LEGACY_FAILURE", "FAILURE", 1] in status["members"]
    assert ["UNKNOWN", "UNKNOWN", -1] in status["members"]
    level = _enum_class(generation, "os.load.level")
    assert level["members"][-1][2] == 1e308
    flags = _enum_class(generation, "none.true")
    assert [m[2] for m in flags["members"]] == [True, False]
    keywords = _enum_class(generation, "lambda.in.as")
    names = [m[0] for m in keywords["members"]]
    # Keywords and builtins in upper case are ordinary names.
    assert names[:5] == ["LAMBDA", "CLASS", "PASS", "IN", "AS"]
    assert names[5:10] == ["ANY", "TYPE", "ID", "NONE", "TRUE"]
    # `in.as` keeps IN_AS (`.` sorts before `_`); `in_as` is renamed.
    assert names[10:12] == ["IN_AS_2", "IN_AS"]
    for name in names[12:]:  # `1st.place`, `_missing_`, `__init__`, `__secret`, `日本`
        assert not name.startswith("__") and not re.fullmatch(r"_[^_].*[^_]_", name), name


def test_template_functions_and_metric_factories_work(
    generation: Generation, definitions: Definitions
) -> None:
    _generated(generation)
    templates = {
        call["result"]: call
        for _, entry in generation.of_kind("attributes")
        for call in entry["functions"].values()
    }
    assert sorted(templates) == sorted(f"{key}.suffix" for key in definitions.templates())
    for key in definitions.templates():
        call = templates[f"{key}.suffix"]
        deprecated = "deprecated" in definitions.attributes[key]
        assert bool(call["deprecations"]) == deprecated, key

    methods = {
        "counter": "create_counter",
        "updowncounter": "create_up_down_counter",
        "histogram": "create_histogram",
        "gauge": "create_observable_gauge",
    }
    made = {
        call["result"]["name"]: call
        for _, entry in generation.of_kind("metrics")
        for call in entry["functions"].values()
    }
    assert sorted(made) == sorted(definitions.metrics)
    assert {m["instrument"] for m in definitions.metrics.values()} == set(methods)
    for name, metric in definitions.metrics.items():
        call = made[name]
        assert call["result"]["method"] == methods[metric["instrument"]]
        assert call["result"]["description"] == " ".join(metric["brief"].split())
        assert call["result"]["unit"] == metric["unit"]
        assert bool(call["deprecations"]) == ("deprecated" in metric), name


# --- texts stay data --------------------------------------------------------------------------


def _docstrings(path: Path) -> dict[str, str]:
    """Module-level `CONSTANT: Final = "value"` followed by a string: value -> that string."""
    body = ast.parse(path.read_text(encoding="utf-8")).body
    found: dict[str, str] = {}
    for statement, following in itertools.pairwise(body):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.value, ast.Constant)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
        ):
            found[statement.value.value] = following.value.value
    return found


def test_registry_texts_reach_the_docstrings_unchanged(
    generation: Generation, definitions: Definitions
) -> None:
    _generated(generation)
    docs: dict[str, str] = {}
    for path in generation.python_files():
        if path.parent.name in ("attributes", "metrics"):
            docs.update(_docstrings(path))
    for name, entry in [*definitions.attributes.items(), *definitions.metrics.items()]:
        doc = docs[name]
        assert clean(entry["brief"]) + "." in doc, name
        if entry.get("note"):
            assert "Note: " + entry["note"].strip() in doc, name
    # Spot checks of the nastiest ones: backslashes, controls, non-ASCII, an 800-character line.
    assert "\\v \\n \\x41 \\N{BULLET} C:\\path\\" in docs["test.run.id"]
    assert "NUL[\x00] ESC[\x1b]" in docs["test.unicode"] and "LS[\u2028]" in docs["test.unicode"]
    assert "café" in docs["test.unicode"] and "日本語" in docs["test.unicode"]
    assert "👩\u200d💻" in docs["test.unicode"]
    assert max(len(line) for line in docs["test.long"].splitlines()) >= 800
    assert 'import os; os.system("touch injected-marker")' in docs["test.injection"]


def _spans(source: str) -> list[tuple[int, int, int]]:
    """(token type, start offset, end offset) of every token of `source`."""
    starts = [0]
    for line in source.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [
        (t.type, starts[t.start[0] - 1] + t.start[1], starts[t.end[0] - 1] + t.end[1])
        for t in tokens
    ]


def _only_inside(source: str, needle: str, kinds: set[int], path: Path) -> int:
    spans = [(start, end) for kind, start, end in _spans(source) if kind in kinds]
    count = 0
    for match in re.finditer(re.escape(needle), source):
        inside = any(s <= match.start() and match.end() <= e for s, e in spans)
        assert inside, f"{path}: {needle!r} outside a string at offset {match.start()}"
        count += 1
    return count


def test_injected_text_appears_only_inside_string_tokens(generation: Generation) -> None:
    _generated(generation)
    seen = {"os.system": 0, "{{ 7*7 }}": 0, "{% raw %}": 0, "__import__": 0}
    forbidden_names = {"os", "system", "__import__", "SystemExit", "exec", "eval", "print"}
    for path in generation.python_files():
        data = path.read_bytes()
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        assert encoding == "utf-8", f"{path} declares the encoding {encoding}"
        source = data.decode("utf-8")
        assert "49" not in source, f"{path}: a template evaluated registry text"
        for needle in seen:
            seen[needle] += _only_inside(source, needle, {tokenize.STRING}, path)
        # The manifest's schema URL tries to start a line of code from the header comment.
        _only_inside(source, "raise SystemExit(3)", {tokenize.COMMENT}, path)
        names = {
            t.string
            for t in tokenize.generate_tokens(io.StringIO(source).readline)
            if t.type == tokenize.NAME
        }
        assert not names & forbidden_names, (path, names & forbidden_names)
    assert all(seen.values()), seen  # the hostile texts did reach the output, as data


def test_injected_code_never_runs(generation: Generation) -> None:
    _generated(generation)
    assert generation.probe.returncode == 0, generation.probe.stderr[-3000:]
    for folder in (generation.work, generation.output, REPO, Path.cwd()):
        assert not (folder / MARKER).exists(), folder


# --- type checking and determinism ------------------------------------------------------------


@pytest.mark.slow
def test_generated_package_passes_mypy_strict(generation: Generation) -> None:
    _generated(generation)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(generation.work / ".mypy_cache"),
            PACKAGE,
        ],
        cwd=generation.output,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert "Success: no issues found" in result.stdout


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_generating_twice_gives_identical_bytes(generation: Generation, tmp_path: Path) -> None:
    _generated(generation)
    first = _tree(generation.package)
    again = run_cli(
        "generate", "--registry", EDGE, "--output", tmp_path, "--package", PACKAGE, cwd=tmp_path
    )
    assert again.returncode == 0, again.stderr
    assert again.stderr == generation.result.stderr  # the same warnings, in the same order
    second = _tree(tmp_path / PACKAGE)
    assert sorted(second) == sorted(first)
    assert [p for p in first if first[p] != second[p]] == []
    check = run_cli(
        "generate",
        "--registry",
        EDGE,
        "--output",
        tmp_path,
        "--package",
        PACKAGE,
        "--check",
        cwd=tmp_path,
    )
    assert check.returncode == 0, check.stdout + check.stderr


# --- resolution -------------------------------------------------------------------------------


def test_an_empty_note_on_a_ref_blanks_the_inherited_note(tmp_path: Path) -> None:
    result = run_cli("resolve", "--registry", EDGE, "--format", "json", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    resolved = json.loads(result.stdout)
    notes = {a["key"]: a["note"] for a in resolved["attributes"]}
    uses = {
        (g["id"], u["attribute"]["key"]): u["attribute"]["note"]
        for g in resolved["groups"]
        for u in g["attributes"]
    }
    blanked = [
        ("edge.stdlib", "code.function"),  # v2 attribute group
        ("span.test.run", "code.function"),  # ... reached through `ref_group`
        ("span.test.run", "test.run.id"),  # v2 span
        ("metric.http.client.calls", "http.route"),  # v2 metric
        ("metric.lambda.pass.duration", "lambda.in.as"),  # v1 metric
    ]
    for group, key in blanked:
        assert notes[key], key  # the definition has a note ...
        assert uses[(group, key)] == "", (group, key)  # ... which the `ref` blanked
    assert uses[("span.test.run", "test.injection")] == notes["test.injection"]


# --- names that once broke generation, each shown by a small registry ---------------------

BUG_REGISTRY = {
    "v2.yaml": """\
file_format: definition/2
attributes:
  - {key: deprecated, type: "template[string]", stability: development, brief: Template.}
  - {key: zzz, type: {members: [{id: a, value: a, stability: development}]},
     stability: development, brief: A deprecated enum., deprecated: {reason: obsoleted}}
  - {key: attributes, type: string, stability: development, brief: Like the local dict.}
  - {key: kind, type: string, stability: development, brief: Like the kind parameter.}
  - {key: value, type: string, stability: development, brief: Like the loop variable.}
  - {key: loopcase.labels, type: "template[string]", stability: development, brief: Labels.}
  - {key: ttcase.counts, type: "template[int]", stability: development, brief: Counts.}
  - {key: ttcase.labels, type: "template[string]", stability: development, brief: Labels.}
spans:
  - {type: attrcase.run, kind: internal, stability: development, brief: x,
     name: {note: x}, attributes: [{ref: attributes}]}
  - {type: loopcase.run, kind: internal, stability: development, brief: x,
     name: {note: x}, attributes: [{ref: loopcase.labels}, {ref: value}]}
  - {type: ttcase.run, kind: internal, stability: development, brief: x,
     name: {note: x}, attributes: [{ref: ttcase.counts}, {ref: ttcase.labels}]}
  - {type: typed, kind: internal, stability: development, brief: x, name: {note: x}}
""",
    "v1.yaml": """\
groups:
  - id: span.kindcase.run
    type: span
    brief: A span without span_kind, so its factory takes `kind`.
    stability: development
    attributes:
      - ref: kind
""",
}
BUG_PACKAGE = "bug_semconv"

# Calls a generated span factory with a tracer that records what it is given.
BUG_PROBE = r"""
import importlib, json, sys
sys.path.insert(0, sys.argv[1])
module = importlib.import_module(sys.argv[2])


class RecordingTracer:
    def start_as_current_span(self, name, **kwargs):
        self.attributes = dict(kwargs["attributes"] or {})
        return None


tracer = RecordingTracer()
factory = getattr(module, sys.argv[3])
factory(tracer, **json.loads(sys.argv[4]))
print(json.dumps(tracer.attributes))
"""


@dataclass
class BugGeneration:
    output: Path
    result: Result
    mypy: Result

    def import_module(self, module: str, factory: str = "", **kwargs: Any) -> Result:
        args = [factory, json.dumps(kwargs)] if factory else []
        script = (
            BUG_PROBE
            if factory
            else "import importlib, sys\n"
            + ("sys.path.insert(0, sys.argv[1]); importlib.import_module(sys.argv[2])")
        )
        return subprocess.run(
            [sys.executable, "-c", script, str(self.output), f"{BUG_PACKAGE}.{module}", *args],
            capture_output=True,
            text=True,
            check=False,
        )

    def mypy_errors(self, module_path: str) -> list[str]:
        return [line for line in self.mypy.stdout.splitlines() if line.startswith(module_path)]


@pytest.fixture(scope="module")
def bugs(tmp_path_factory: pytest.TempPathFactory) -> BugGeneration:
    """The bug registry generated and type-checked by one mypy run (so its tests are slow)."""
    work = tmp_path_factory.mktemp("bugs")
    registry = work / "registry"
    registry.mkdir()
    for name, text in BUG_REGISTRY.items():
        (registry / name).write_text(text, encoding="utf-8")
    output = work / "out"
    result = run_cli(
        "generate",
        "--registry",
        registry,
        "--output",
        output,
        "--package",
        BUG_PACKAGE,
        "-q",
        cwd=work,
    )
    assert result.returncode == 0, result.stderr
    # One mypy run for every case; the `kind` case is left out, its module does not compile.
    mypy = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(work / ".mypy_cache"),
            "--exclude",
            "kindcase_spans",
            BUG_PACKAGE,
        ],
        cwd=output,
        capture_output=True,
        text=True,
        check=False,
    )
    return BugGeneration(output, result, mypy)


@pytest.mark.slow
def test_a_template_function_never_replaces_an_import(bugs: BugGeneration) -> None:
    imported = bugs.import_module("attributes.other_attributes")
    assert imported.returncode == 0, imported.stderr[-2000:]
    assert bugs.mypy_errors(f"{BUG_PACKAGE}/attributes/other_attributes.py") == []


@pytest.mark.slow
def test_a_span_parameter_never_repeats_kind(bugs: BugGeneration) -> None:
    path = bugs.output / BUG_PACKAGE / "spans" / "kindcase_spans.py"
    compile(path.read_bytes(), str(path), "exec")


@pytest.mark.slow
def test_a_span_parameter_named_attributes_is_kept(bugs: BugGeneration) -> None:
    """`attributes` is the factory's own local: the attribute's parameter is `attributes_2`."""
    assert bugs.mypy_errors(f"{BUG_PACKAGE}/spans/attrcase_spans.py") == []
    run = bugs.import_module(
        "spans.attrcase_spans", "start_attrcase_run_span", name="n", attributes_2="mine"
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert json.loads(run.stdout) == {"attributes": "mine"}


@pytest.mark.slow
def test_a_span_parameter_named_value_is_not_overwritten(bugs: BugGeneration) -> None:
    run = bugs.import_module(
        "spans.loopcase_spans",
        "start_loopcase_run_span",
        name="n",
        loopcase_labels={"a": "from-template"},
        value="mine",
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert json.loads(run.stdout) == {"loopcase.labels.a": "from-template", "value": "mine"}


@pytest.mark.slow
def test_two_templates_of_different_types_type_check(bugs: BugGeneration) -> None:
    assert bugs.mypy_errors(f"{BUG_PACKAGE}/spans/ttcase_spans.py") == []


@pytest.mark.slow
def test_a_span_class_never_replaces_an_import(bugs: BugGeneration) -> None:
    assert bugs.mypy_errors(f"{BUG_PACKAGE}/spans/other_spans.py") == []


@pytest.mark.slow
def test_the_bug_registry_itself_generates(bugs: BugGeneration) -> None:
    """The registry of those cases is valid input: the run succeeds, and the other modules pass."""
    assert bugs.result.returncode == 0
    assert bugs.import_module("attributes.ttcase_attributes").returncode == 0
    assert bugs.mypy_errors(f"{BUG_PACKAGE}/attributes/ttcase_attributes.py") == []
    assert "Traceback" not in bugs.mypy.stderr
