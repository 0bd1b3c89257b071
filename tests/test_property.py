"""Property: whatever registry it is given, the generator either reports errors or writes a
package that passes `mypy --strict` and whose span factories run. It never fails in any other way.

Hypothesis builds random registries in both file formats: attributes with random ids (unicode,
dots, underscores, digits, and above all the generated code's own vocabulary: the names its
templates use, keywords, builtins, the names of its imports, and the affixes of generated names,
so that generated names meet the names the code uses), random types (primitive, template, enum
with random member ids and values, unknown), random texts (quotes, backslashes, braces, newlines,
control and non-ASCII characters), attribute groups, spans (with and without kind, naming
annotations) and metrics whose references sometimes dangle, plus now and then an unknown key or a
file of junk. Each registry goes through the whole pipeline in this process
(`pipeline.plan_generation`, then `writing.write`), into one shared output folder, each package
under a name of its own. Then one `mypy --strict` run checks every package written, and one fresh
interpreter imports them all and calls every span factory against the SDK's in-memory exporter,
checking the attributes of each span exported.

The number of examples is `TYPED_SEMCONV_PROPERTY_EXAMPLES` (default 200).
"""

from __future__ import annotations

import builtins
import json
import keyword
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from typed_semconv import pipeline
from typed_semconv.diagnostics.core import Diagnostics, InputError, Severity
from typed_semconv.options import FilterOptions, GenerateOptions, RegistrySpec
from typed_semconv.output import writing
from typed_semconv.output.vocabulary import derive_vocabulary

from conftest import report_figure

EXAMPLES = int(os.environ.get("TYPED_SEMCONV_PROPERTY_EXAMPLES", "200"))
CODE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Problems of a whole file or folder: no line to point at.
UNLOCATED_OK = {
    "file-empty",
    "file-too-large",
    "file-unreadable",
    "file-not-regular",
    "registry-symlink-loop",
    "registry-empty",
    "registry-not-found",
    "registry-not-a-folder",
}
GENERATOR_BUGS = {"template-error", "template-invalid-python"}

# -- strategies ------------------------------------------------------------------------------

NASTY = [
    '"""',
    "'''",
    "\\",
    "\\n",
    "{",
    "}",
    "{x}",
    "{{",
    "\n",
    "\r\n",
    "\t",
    "é",
    "日本",
    "🙂",
    "\x00",
    "\x1b[31m",
    "\u2028",
    "# coding: latin-1",
    "__import__('os').system('touch PWNED')",
    "'); import os; ('",
    "%s",
    "${x}",
    "</script>",
    "\\u0041",
]


def snake_pieces(name: str) -> set[str]:
    """`TypedDict` -> {typed_dict, typed, dict}: ids whose Python names are `name` or part of it."""
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()
    return {snake, *(piece for piece in snake.split("_") if piece)}


_VOCABULARY = derive_vocabulary(None)
# What the view adds to an id to make a name: `Sets<Attr>`, `<Span>Span`, `<Attr>Values`...
AFFIXES = ["sets", "set", "values", "span", "span_attributes", "span_attribute_update"]
AFFIXES += ["span_name", "template", "start", "create", "attributes", "spans", "metrics"]
AFFIXES += ["adds", "add", "event", "emit", "event_name", "event_body", "events", "entity"]
AFFIXES += ["entity_attributes", "entities", "record", "observation", "with", "add_with"]
WORDS = sorted(
    {
        *keyword.kwlist,
        *keyword.softkwlist,
        *(name for name in dir(builtins) if name.islower() and not name.startswith("_")),
        *(
            piece
            for scope in vars(_VOCABULARY).values()
            for name in scope
            for piece in snake_pieces(name)
        ),
        *AFFIXES,
        "self",
        "cls",
        "value",
        "key",
        "k",
        "v",
        "typing",
        "enum",
        "mro",
        "_",
        "__init__",
        "_missing_",
        "http",
        "kiln",
        "request",
        "id",
        "v2",
    }
)
# The words a valid key may hold as a segment.
KEY_WORDS = [w for w in WORDS if re.fullmatch(r"[a-z][a-z0-9_]*", w)]

plain_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs",)), max_size=12
)  # any code point but lone surrogates
text = st.one_of(
    plain_text,
    st.lists(st.one_of(st.sampled_from(NASTY), plain_text), max_size=4).map("".join),
)
good_segment = st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True)
odd_segment = st.one_of(
    st.sampled_from(WORDS),
    st.from_regex(r"[a-z0-9_]{1,6}", fullmatch=True),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=5),
)


# Few distinct pieces, so that Python names collide: `a.b_c` and `a_b.c` are both `A_B_C`, and
# generated names meet each other (`sets.x` and `x.values` both want `SetsXValues`).
TINY = ["a", "b", "a_b", "b_c", "c", "kind", "value", "key", "attributes", "name", "self", "type"]
TINY += ["sets", "values", "span_attributes", "typed", "dict", "str", "plain_value", "any"]
TINY += ["span_name_from_parts", "tracer", "emit", "event", "entity", "amount", "body", "meter"]
TINY += ["logger", "instrument", "observation", "record", "plain_attributes"]


@st.composite
def attribute_key(draw: st.DrawFn, chaos: bool) -> str:
    choice = draw(st.integers(0, 3))
    if choice == 0:  # short keys of few pieces: the likeliest to meet another name
        return ".".join(draw(st.lists(st.sampled_from(TINY), min_size=1, max_size=2)))
    if choice == 1:
        segment: st.SearchStrategy[str] = st.sampled_from(KEY_WORDS)
    elif chaos:
        segment = st.one_of(good_segment, odd_segment)
    else:
        segment = st.one_of(good_segment, st.sampled_from(KEY_WORDS))
    return ".".join(draw(st.lists(segment, min_size=1, max_size=4)))


scalar = st.one_of(
    text,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)
stability = st.sampled_from(["stable", "development", "experimental", "deprecated", "beta"])


@st.composite
def enum_type(draw: st.DrawFn, chaos: bool) -> dict[str, Any]:
    # Finite doubles: NaN and infinities are refused (enum-value-not-finite); chaos draws them.
    finite = st.floats(allow_nan=False, allow_infinity=False)
    kinds = [text, st.integers(-(2**40), 2**40), finite, st.booleans()]
    value_kind = draw(st.sampled_from(kinds))
    member_id = st.one_of(
        attribute_key(chaos),
        st.sampled_from(["a.b", "a_b", "a-b", "A.B", "1", "_", "__x", "_x_", "name", "value"]),
        *([odd_segment] if chaos else []),
    )
    members = []
    for _ in range(draw(st.integers(0 if chaos else 1, 5))):
        member: dict[str, Any] = {
            "id": draw(member_id),
            "value": draw(scalar if chaos and draw(st.booleans()) else value_kind),
        }
        if draw(st.booleans()):
            member["brief"] = draw(text)
        if draw(st.booleans()):
            member["stability"] = draw(stability)
        if draw(st.integers(0, 5)) == 0:
            member["deprecated"] = {"reason": "obsoleted", "note": draw(text)}
        if chaos or all(m["id"] != member["id"] for m in members):
            members.append(member)
    result: dict[str, Any] = {"members": members}
    if draw(st.booleans()):
        result["allow_custom_values"] = draw(st.booleans())
    return result


@st.composite
def attribute_type(draw: st.DrawFn, chaos: bool) -> Any:
    primitive = st.sampled_from(
        ["string", "int", "double", "boolean", "string[]", "int[]", "double[]", "boolean[]", "any"]
    )
    choice = draw(st.integers(0, 9))
    if choice < 5:
        return draw(primitive)
    if choice < 7:
        return f"template[{draw(primitive)}]"
    if chaos and choice == 9:
        return draw(st.one_of(text, st.just("strng"), st.integers()))
    return draw(enum_type(chaos))


@st.composite
def attribute(draw: st.DrawFn, chaos: bool, v2: bool) -> dict[str, Any]:
    key = draw(attribute_key(chaos))
    entry: dict[str, Any] = {"key" if v2 else "id": key, "type": draw(attribute_type(chaos))}
    entry["brief"] = draw(text)
    if draw(st.booleans()):
        entry["note"] = draw(text)
    if v2 or draw(st.booleans()):
        entry["stability"] = draw(stability)
    if draw(st.booleans()):
        examples = st.one_of(scalar, st.lists(scalar, max_size=3))
        if chaos:
            examples = st.one_of(examples, st.dictionaries(good_segment, scalar, max_size=2))
        entry["examples"] = draw(examples)
    deprecation = draw(st.integers(0, 6))
    if deprecation == 0:
        entry["deprecated"] = {"reason": "renamed", "renamed_to": draw(attribute_key(chaos))}
    elif deprecation == 1:
        entry["deprecated"] = {"reason": "obsoleted", "note": draw(text)}
    elif deprecation == 2 and not v2:
        entry["deprecated"] = draw(text)
    annotations = draw(st.integers(0, 7))
    if annotations == 0:
        entry["annotations"] = {"typed_semconv": {"low_cardinality": draw(st.booleans())}}
    elif annotations == 1:
        entry["annotations"] = {"code_generation": {"exclude": draw(st.booleans())}}
    elif annotations == 2 and chaos:
        entry["annotations"] = {
            draw(st.sampled_from(["typed_semconv", "code_generation", "x"])): draw(
                st.one_of(scalar, st.lists(scalar, max_size=2), st.dictionaries(text, scalar))
            )
        }
    return entry


def key_of(attribute: dict[str, Any]) -> str:
    key = attribute["key"] if "key" in attribute else attribute["id"]
    assert isinstance(key, str)
    return key


@st.composite
def reference(draw: st.DrawFn, keys: list[str], chaos: bool) -> str:
    if keys and (not chaos or draw(st.integers(0, 4)) > 0):
        return draw(st.sampled_from(keys))
    return draw(attribute_key(chaos))  # most likely dangling (valid registries: no keys, no refs)


@st.composite
def ref_entry(draw: st.DrawFn, keys: list[str], chaos: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {"ref": draw(reference(keys, chaos))}
    level = draw(st.integers(0, 4))
    if level == 1:
        entry["requirement_level"] = draw(st.sampled_from(["required", "recommended", "opt_in"]))
    elif level == 2:
        entry["requirement_level"] = {"conditionally_required": draw(text)}
    if draw(st.booleans()):
        entry["brief"] = draw(text)
    if draw(st.integers(0, 3)) == 0:
        entry["note"] = ""
    if draw(st.integers(0, 4)) == 0:
        entry["sampling_relevant"] = draw(st.booleans())
    return entry


def ref_list(keys: list[str], chaos: bool, most: int) -> st.SearchStrategy[list[dict[str, Any]]]:
    """References to attributes, each key once; none in a valid registry without attributes."""
    if not keys and not chaos:
        return st.builds(list)
    return st.lists(ref_entry(keys, chaos), max_size=most).map(unique_refs)


def unique_refs(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    kept = []
    for entry in entries:
        if entry.get("ref") not in seen:
            seen.add(entry.get("ref", ""))
            kept.append(entry)
    return kept


@st.composite
def naming_annotation(draw: st.DrawFn, refs: list[str], chaos: bool) -> dict[str, Any] | None:
    choice = draw(st.integers(0, 4))
    if choice == 0:
        name = st.one_of(good_segment, text) if chaos else good_segment
        return {"typed_semconv": {"span_name": draw(name)}}
    if choice == 1 and refs:
        used = draw(st.lists(st.sampled_from(refs), min_size=1, max_size=3))
        glue = draw(st.sampled_from([" ", "/", " - ", ":"]))
        pattern = glue.join("{" + key + "}" for key in used)
        if chaos and draw(st.booleans()):
            pattern += draw(st.sampled_from(["{", "}", "{}", "{nope}", " x"]))
        return {"typed_semconv": {"name_pattern": pattern}}
    return None


@st.composite
def registry(draw: st.DrawFn) -> dict[str, Any]:
    """{relative path: YAML text or bytes} plus what the registry is meant to test."""
    chaos = draw(st.integers(0, 2)) == 0  # a third of the registries aim at errors
    files: dict[str, str | bytes] = {}
    keys: list[str] = []
    groups: list[str] = []
    for index in range(draw(st.integers(1, 3))):
        v2 = draw(st.booleans())
        attributes = draw(st.lists(attribute(chaos, v2), max_size=5))
        if not chaos:  # valid registries: one definition per key, no namespace clash
            taken = set(keys)
            attributes = [
                a
                for a in attributes
                if key_of(a) not in taken and not taken.add(key_of(a))  # type: ignore[func-returns-value]
            ]
            everything = set(keys) | {key_of(a) for a in attributes}
            attributes = [  # no key that is also the namespace of another
                a for a in attributes if not any(k.startswith(f"{key_of(a)}.") for k in everything)
            ]
        keys += [key_of(a) for a in attributes]
        body: dict[str, Any]
        if v2:
            body = {"file_format": "definition/2", "attributes": attributes}
        else:
            body = {
                "groups": [
                    {
                        "id": f"registry.g{index}",
                        "type": "attribute_group",
                        "brief": draw(text),
                        "attributes": attributes,
                    }
                ]
            }
        files[f"{draw(st.sampled_from(['', 'ns/', 'déjà/', 'a b/']))}f{index}.yaml"] = body
        groups += [g["id"] for g in body.get("groups", ())]
    # signals, in a file of their own
    v2 = draw(st.booleans())
    signals: dict[str, Any] = {"file_format": "definition/2"} if v2 else {"groups": []}
    for index in range(draw(st.integers(0, 3))):
        refs = draw(ref_list(keys, chaos, 4))
        ref_keys = [r["ref"] for r in refs]
        span_type = draw(attribute_key(chaos))
        kind = draw(st.sampled_from(["client", "server", "producer", "consumer", "internal"]))
        annotations = naming_annotation(ref_keys, chaos)
        if v2:
            span: dict[str, Any] = {
                "type": f"{span_type}.s{index}",
                "kind": kind,
                "brief": draw(text),
                "stability": draw(stability),
                "name": {"note": draw(text)},
                "attributes": refs,
            }
            if (drawn := draw(annotations)) is not None:
                span["annotations"] = drawn
            signals.setdefault("spans", []).append(span)
        else:
            group: dict[str, Any] = {
                "id": f"span.{span_type}.s{index}",
                "type": "span",
                "brief": draw(text),
                "attributes": refs,
            }
            if draw(st.integers(0, 3)) > 0:
                group["span_kind"] = kind
            if (chaos or groups) and draw(st.integers(0, 3)) == 0:
                group["extends"] = draw(
                    st.sampled_from(["registry.g0", f"span.{span_type}.s0", "registry.nowhere"])
                    if chaos
                    else st.sampled_from(groups)
                )
            if (drawn := draw(annotations)) is not None:
                group["annotations"] = drawn
            signals["groups"].append(group)
    for index in range(draw(st.integers(0, 3))):
        refs = draw(ref_list(keys, chaos, 3))
        name = f"{draw(attribute_key(chaos))}.m{index}"
        instrument = draw(st.sampled_from(["counter", "updowncounter", "gauge", "histogram"]))
        # A unit the metrics API refuses (not ASCII, over 63 characters) is an error: only
        # chaos draws one.
        sdk_unit = text.filter(lambda t: t.isascii() and len(t) <= 63)
        unit = draw(
            st.sampled_from(["s", "By", "{request}", "1", "%"]) | (text if chaos else sdk_unit)
        )
        if v2:
            signals.setdefault("metrics", []).append(
                {
                    "name": name,
                    "brief": draw(text),
                    "instrument": instrument,
                    "unit": unit,
                    "stability": draw(stability),
                    "attributes": refs,
                }
            )
        else:
            signals["groups"].append(
                {
                    "id": f"metric.{name}",
                    "type": "metric",
                    "metric_name": name,
                    "brief": draw(text),
                    "instrument": instrument,
                    "unit": unit,
                    "attributes": refs,
                }
            )
    if draw(st.booleans()):
        name = f"{draw(attribute_key(chaos))}.event"
        event: dict[str, Any] = {
            "name": name,
            "brief": draw(text),
            "stability": draw(stability),
            "attributes": draw(ref_list(keys, chaos, 3)),
        }
        if v2:
            signals["events"] = [event]
        else:
            signals["groups"].append({"id": f"event.{name}", "type": "event", **event})
            # v1 spans list events by name (or by group id); chaos lists one that is missing
            listed = [name, f"event.{name}", *(["no.such.event"] if chaos else [])]
            for group in signals["groups"]:
                if group["type"] == "span" and draw(st.booleans()):
                    group["events"] = draw(st.lists(st.sampled_from(listed), max_size=2))
    if draw(st.booleans()):
        entity_type = f"{draw(attribute_key(chaos))}.entity"
        identity = draw(ref_list(keys, chaos, 2))
        description = [
            r for r in draw(ref_list(keys, chaos, 2)) if r not in identity and "ref" in r
        ]
        description = [r for r in description if r["ref"] not in {i["ref"] for i in identity}]
        if v2:
            signals["entities"] = [
                {
                    "type": entity_type,
                    "brief": draw(text),
                    "stability": draw(stability),
                    "identity": identity,
                    "description": description,
                }
            ]
        else:
            signals["groups"].append(
                {
                    "id": f"entity.{entity_type}",
                    "type": "entity",
                    "name": entity_type,
                    "brief": draw(text),
                    "attributes": [{**r, "role": "identifying"} for r in identity]
                    + [{**r, "role": "descriptive"} for r in description],
                }
            )
    if v2 and "spans" in signals and draw(st.integers(0, 3)) == 0:
        target = signals["spans"][0]["type"]
        refs = draw(ref_list(keys, chaos, 2))
        signals["span_refinements"] = [
            {
                "id": f"span.{target}.refined",
                "ref": target if not chaos or draw(st.booleans()) else target + "x",
                "brief": draw(text),
                "attributes": refs,
            }
        ]
    if v2 and draw(st.booleans()):
        group_refs = draw(ref_list(keys, chaos, 3))
        signals["attribute_groups"] = [
            {"id": "shared.common", "visibility": "public", "attributes": group_refs}
        ]
        if "spans" in signals and draw(st.booleans()):
            target = "shared.common" if not chaos else draw(st.sampled_from(["shared.common", "x"]))
            signals["spans"][0]["attributes"].append({"ref_group": target})
    files["signals/signals.yaml"] = signals
    uses_pattern = "name_pattern" in repr(signals)
    if chaos:  # now and then: an unknown key, or a broken file
        damage = draw(st.integers(0, 3))
        if damage == 0:
            first = next(iter(files))
            body = files[first]
            assert isinstance(body, dict)
            body[draw(st.sampled_from(["breif", "groupz", "attribute", "x"]))] = draw(text)
        elif damage == 1:
            files["junk.yaml"] = draw(
                st.one_of(
                    st.binary(max_size=40),
                    st.text(max_size=40),
                    st.sampled_from(["- a\n", "a: [\n", "!!python/name:os.system\n", "---\n"]),
                )
            )
    rendered: dict[str, str | bytes] = {}
    for path, body in files.items():
        if isinstance(body, dict):
            rendered[path] = yaml.safe_dump(
                body,
                sort_keys=False,
                allow_unicode=draw(st.booleans()),
                width=draw(st.sampled_from([80, 10**6])),
            )
        else:
            rendered[path] = body
    filters = FilterOptions()
    if not uses_pattern and draw(st.integers(0, 3)) == 0:
        # Not with name patterns: a pattern over a filtered-out attribute crashes span_view
        # (tests/robustness/test_checks.py::test_a_name_pattern_over_a_filtered_attribute).
        filters = FilterOptions(
            stable_only=draw(st.booleans()),
            include_deprecated=draw(st.booleans()),
            exclude_namespaces=tuple(draw(st.lists(st.sampled_from(TINY), max_size=2))),
        )
    return {
        "files": rendered,
        "chaos": chaos,
        "format": draw(st.integers(0, 4)) == 0,
        "filters": filters,
    }


# -- the property ----------------------------------------------------------------------------


def write_registry(root: Path, files: dict[str, str | bytes]) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def generate(case: dict[str, Any], work: Path, package: str, stats: Counter[str]) -> bool:
    """Run the pipeline on the drawn registry: True when it wrote `package` into `work/out`."""
    registry = work / "registries" / package
    shutil.rmtree(registry, ignore_errors=True)  # hypothesis may replay an example
    write_registry(registry, case["files"])
    output = work / "out"
    options = GenerateOptions(
        registries=(RegistrySpec(str(registry)),),
        output=output,
        package=package,
        format=case["format"],
        filters=case["filters"],
    )
    diagnostics = Diagnostics()
    stats["tried"] += 1
    try:
        plan = pipeline.plan_generation(options, diagnostics)
    except InputError:
        assert diagnostics.has_errors, list(diagnostics)
        stats["rejected (chaos)" if case["chaos"] else "rejected (meant valid)"] += 1
        plan = None
    for diagnostic in diagnostics:
        assert CODE.match(diagnostic.code.name), diagnostic
        # With the default templates these mean the generator itself produced bad code.
        assert diagnostic.code.name not in GENERATOR_BUGS, diagnostic
        location = diagnostic.location
        if diagnostic.code.name not in UNLOCATED_OK:
            assert location is not None and location.line >= 1, diagnostic
        stats[f"code {diagnostic.code.name}"] += 1
    if plan is None:
        assert not (output / package).exists()
        return False
    assert not any(d.severity is Severity.ERROR for d in diagnostics)
    for relative, data in plan.files.items():
        if relative.endswith(".py"):
            compile(data, relative, "exec", dont_inherit=True)
    writing.write(plan, diagnostics)
    assert not (output / "PWNED").exists() and not Path("PWNED").exists()
    stats["generated"] += 1
    return True


def mypy_errors(output: Path, packages: list[str]) -> dict[str, list[str]]:
    """One `mypy --strict` run over every package: its error lines, by package."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull]
        + ["--hide-error-context", "--no-error-summary", "--no-color-output"]
        + [argument for package in packages for argument in ("-p", package)],
        cwd=output,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr
    errors: dict[str, list[str]] = {}
    for line in result.stdout.splitlines():
        errors.setdefault(line.split("/", 1)[0], []).append(line)
    return errors


# Runs in a fresh interpreter with the output folder on sys.path: imports every module of every
# package, starts each span factory (and adds each event its span lists), records through each
# typed instrument (and builds an observation), emits each event and builds each entity's
# attributes, with a value for every attribute parameter (drawn from its annotation), against the
# SDK's in-memory exporters; compares the attributes exported with the keys the docstring gives
# for the parameters. Prints a JSON report.
RUN_FACTORIES = r"""
import ast, enum, importlib, inspect, json, math, pkgutil, re, sys
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader

FIXED = {"context", "links", "start_time", "record_exception", "set_status_on_exception",
         "end_on_exit"}
SUFFIX = "zz_suffix"
exporter = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(exporter))
tracer = provider.get_tracer("property")
report = {"modules": 0, "factories": 0, "span events": 0, "metrics": 0, "events": 0,
          "entities": 0, "problems": []}
NOTHING = object()
span_events = []
# What the SDK accepts as an instrument's unit and name (it raises on anything else).
SDK_UNIT = re.compile(r"^[\x00-\x7F]{0,63}$")
SDK_NAME = re.compile(r"^[a-zA-Z][-_./a-zA-Z0-9]{0,254}$")
logs = InMemoryLogRecordExporter()
loggers = LoggerProvider()
loggers.add_log_record_processor(SimpleLogRecordProcessor(logs))
logger = loggers.get_logger("property")


def enum_classes(module):
    # The names the module gives, under TYPE_CHECKING, to the enum classes it imports.
    found = {}
    package = module.__package__.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.ImportFrom) and node.level == 2:
            source = importlib.import_module(f"{package}.{node.module}")
            for alias in node.names:
                found[alias.asname or alias.name] = getattr(source, alias.name)
    return found


def value_of(node, classes):
    # A value of the annotation `node`: (value passed, value exported), or NOTHING.
    if isinstance(node, ast.BinOp):  # X | Y: X if it can be made, else Y
        left = value_of(node.left, classes)
        return left if left is not NOTHING else value_of(node.right, classes)
    if isinstance(node, ast.Subscript):
        outer = node.value.id
        inner = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        item = value_of(inner[-1] if outer == "Mapping" else inner[0], classes)
        if item is NOTHING:
            return NOTHING
        if outer == "Mapping":
            return {SUFFIX: item[0]}, {SUFFIX: item[1]}
        return ([item[0]], (item[1],)) if outer == "list" else ((item[0],), (item[1],))
    plain = {"str": "text", "int": 7, "float": 1.5, "bool": True, "AttributeValue": "any"}
    if node.id in plain:
        return plain[node.id], plain[node.id]
    if node.id == "None":
        return NOTHING
    members = list(classes[node.id])
    return (members[0], members[0].value) if members else NOTHING


def same(a, b):
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def arguments(function, classes, fixed, documented=None):
    # A value for every attribute parameter of `function` (drawn from its annotation), and the
    # attributes it should export, from the keys its docstring gives; None when a required
    # parameter can take no value (an enum left without members).
    doc = inspect.getdoc(documented or function) or ""
    keys = dict(re.findall(r"^    (\w+): `([^`]+)`, ", doc, flags=re.MULTILINE))
    kwargs, expected = {}, {}
    for parameter in inspect.signature(function).parameters.values():
        if parameter.kind is not inspect.Parameter.KEYWORD_ONLY or parameter.name in fixed:
            continue
        if parameter.name == "name" and parameter.annotation == "SpanName":
            kwargs["name"] = "caller name"
            continue
        if parameter.name == "kind" and parameter.annotation == "SpanKind":
            kwargs["kind"] = SpanKind.INTERNAL
            continue
        drawn = value_of(ast.parse(parameter.annotation, mode="eval").body, classes)
        if drawn is NOTHING:
            if parameter.default is inspect.Parameter.empty:
                return None
            continue
        passed, exported = drawn
        kwargs[parameter.name] = passed
        key = keys[parameter.name]
        if isinstance(exported, dict):
            expected.update({f"{key}.{k}": v for k, v in exported.items()})
        else:
            expected[key] = exported
    return kwargs, expected


def compare(where, expected, got):
    # The SDK exports a list as a tuple; an observation or an entity keeps what it was given.
    got = {k: tuple(v) if isinstance(v, list) else v for k, v in dict(got or {}).items()}
    if sorted(got) != sorted(expected) or not all(same(got[k], expected[k]) for k in got):
        report["problems"].append(f"{where}: sent {expected!r}, exported {got!r}")


def call(module, name, factory, classes):
    drawn = arguments(factory, classes, FIXED)
    if drawn is None:
        return  # a required enum without members left: nothing can be passed
    kwargs, expected = drawn
    exporter.clear()
    with factory(tracer, **kwargs) as span:
        span.set_attributes({})
        for method_name in dir(span):
            if method_name.startswith("add_") and method_name.endswith("_event") and (
                method_name != "add_event"
            ):
                method = getattr(span, method_name)
                event_drawn = arguments(method, classes, {"timestamp"})
                if event_drawn is not None:
                    method(**event_drawn[0])
                    span_events.append((f"{module.__name__}.{name}.{method_name}", event_drawn[1]))
                    report["span events"] += 1
    (finished,) = exporter.get_finished_spans()
    report["factories"] += 1
    compare(f"{module.__name__}.{name}", expected, finished.attributes)
    for (where, wanted), event in zip(span_events, finished.events):
        compare(where, wanted, event.attributes)
    if len(finished.events) != len(span_events):
        report["problems"].append(f"{module.__name__}.{name}: events {finished.events!r}")
    span_events.clear()


def record_metric(module, cls, classes):
    # One measurement through the typed method, and one observation: attributes as exported.
    verb = next(v for v in ("record", "add", "set") if v in vars(cls))
    drawn = arguments(getattr(cls, verb), classes, {"context"}, cls)
    if drawn is None:
        return
    kwargs, expected = drawn
    if hasattr(cls, "observation"):
        observed = cls.observation(2, **kwargs)
        compare(f"{module.__name__}.{cls.__name__}.observation", expected, observed.attributes)
    if not SDK_UNIT.match(cls.unit) or not SDK_NAME.match(cls.name):
        return  # the SDK refuses the registry's unit or name (random text): as for the factory
    reader = InMemoryMetricReader()
    meters = MeterProvider(metric_readers=[reader])
    getattr(cls(meters.get_meter("property")), verb)(1, **kwargs)
    (metric,) = [m for r in reader.get_metrics_data().resource_metrics
                 for s in r.scope_metrics for m in s.metrics]
    (point,) = metric.data.data_points
    # Instrument names are case-insensitive in OpenTelemetry: the SDK exports them lower-cased.
    if metric.name != cls.name.lower() or metric.unit != cls.unit:
        report["problems"].append(f"{module.__name__}.{cls.__name__}: exported {metric.name!r}")
    compare(f"{module.__name__}.{cls.__name__}.{verb}", expected, point.attributes)
    meters.shutdown()
    report["metrics"] += 1


def emit_event(module, function, classes):
    drawn = arguments(function, classes, {"body", "severity_number", "timestamp", "context"})
    if drawn is None:
        return
    kwargs, expected = drawn
    logs.clear()
    function(logger, **kwargs)
    (record,) = logs.get_finished_logs()
    compare(f"{module.__name__}.{function.__name__}", expected, record.log_record.attributes)
    report["events"] += 1


def build_entity(module, function, classes):
    drawn = arguments(function, classes, ())
    if drawn is None:
        return
    kwargs, expected = drawn
    compare(f"{module.__name__}.{function.__name__}", expected, function(**kwargs))
    report["entities"] += 1


def run(where, action, *args):
    try:
        action(*args)
    except Exception as exc:
        report["problems"].append(f"{where}: {type(exc).__name__}: {exc}")


for package in sys.argv[1:]:
    top = importlib.import_module(package)
    for info in pkgutil.walk_packages(top.__path__, package + "."):
        module = importlib.import_module(info.name)
        report["modules"] += 1
        if info.name.endswith("._support") or info.name.endswith("._values"):
            continue
        kind = info.name.split(".")[-2] if info.name.count(".") >= 2 else ""
        if kind not in ("spans", "metrics", "events", "entities"):
            continue
        classes = enum_classes(module)
        for name, item in sorted(vars(module).items()):
            where = f"{info.name}.{name}"
            if getattr(item, "__module__", None) != info.name:
                continue
            if kind == "spans" and name.startswith("start_") and inspect.isfunction(item):
                run(where, call, module, name, item, classes)
            elif kind == "metrics" and inspect.isclass(item) and hasattr(item, "unit"):
                run(where, record_metric, module, item, classes)
            elif kind == "events" and name.startswith("emit_") and inspect.isfunction(item):
                run(where, emit_event, module, item, classes)
            elif kind == "entities" and inspect.isfunction(item):
                run(where, build_entity, module, item, classes)
print(json.dumps(report))
"""


def run_factories(output: Path, packages: list[str]) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-W", "error::SyntaxWarning", "-c", RUN_FACTORIES, *packages],
        cwd=output,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-5000:]
    assert not (output / "PWNED").exists()
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def registry_text(work: Path, package: str) -> str:
    """The drawn registry of `package`, to show with a failure."""
    folder = work / "registries" / package
    return "\n".join(
        f"--- {path.relative_to(folder)}\n{path.read_text(encoding='utf-8', errors='replace')}"
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    )


@pytest.mark.slow
def test_any_registry_gives_errors_or_a_package_that_type_checks_and_runs(tmp_path: Path) -> None:
    stats: Counter[str] = Counter()
    written: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(registry())
    def generate_one(case: dict[str, Any]) -> None:
        package = f"prop_{stats['tried']:04d}"
        if generate(case, tmp_path, package, stats):
            written.append(package)

    generate_one()
    assert stats["tried"] >= EXAMPLES  # hypothesis ran every example
    assert len(written) >= stats["tried"] // 4, stats  # mostly valid registries are drawn
    output = tmp_path / "out"

    errors = mypy_errors(output, written)
    first = next(iter(sorted(errors)), None)
    assert first is None, (
        f"mypy --strict fails on {len(errors)} of {len(written)} packages; the first, {first}:\n"
        + "\n".join(errors[first][:30])
        + f"\n\nfrom the registry:\n{registry_text(tmp_path, first)}"
    )

    report = run_factories(output, written)
    problems = report["problems"]
    assert not problems, (
        "\n".join(problems[:20])
        + "\n\nfrom the registry:\n"
        + registry_text(tmp_path, problems[0].split(".", 1)[0])
    )
    assert report["modules"] >= 4 * len(written)  # the package, attributes, metrics and more
    codes = sorted(((n, c.removeprefix("code ")) for c, n in stats.items() if "code " in c))
    report_figure(
        f"property test: {stats['tried']} random registries, {len(written)} generated, "
        f"type-checked with mypy --strict and imported, {report['factories']} span factories, "
        f"{report['span events']} span event methods, {report['metrics']} typed instruments, "
        f"{report['events']} event emitters and {report['entities']} entity builders run; "
        f"{stats['rejected (chaos)'] + stats['rejected (meant valid)']} rejected with "
        f"errors ({stats['rejected (meant valid)']} of those drawn to be valid)"
    )
    assert report["metrics"] and report["events"] and report["entities"]
    report_figure("  diagnostics seen: " + ", ".join(f"{c} x{n}" for n, c in codes[::-1][:25]))
