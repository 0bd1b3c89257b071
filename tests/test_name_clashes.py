"""Generated names never clash with the names the generated code itself uses.

Each namespace of the registry below hits one clash that once produced a package failing
`mypy --strict` or raising at run time: a template function named like a builtin the module's
annotations use, span parameters named like the factory's own helpers and builtins, two enum
classes with the same Pascal name imported into one span module, an enum class named like a setter
mixin, and a span's TypedDicts named like setter mixins. The package must pass `mypy --strict`,
its factories must emit their spans into the SDK's in-memory exporter, and every rename is a
`name-collision` warning located at the definition that was renamed.
"""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Tracer

from conftest import run_cli

PACKAGE = "clash_semconv"
REGISTRY = """\
file_format: definition/2
attributes:
  - {key: str, type: "template[string]", stability: development, brief: Named like a builtin.}
  - {key: dict, type: string, stability: development, brief: Named like a builtin.}
  - {key: plain_value, type: string, stability: development, brief: Named like a helper.}
  - key: span_name_from_parts
    type: string
    stability: development
    brief: Named like a helper.
  - {key: k, type: "template[string]", stability: development, brief: Like a loop variable.}
  - {key: v, type: "template[int]", stability: development, brief: Like a loop variable.}
  - key: paramcase.mode
    type: {members: [{id: fast, value: fast, stability: development}]}
    stability: development
    brief: An enum, so the factory calls plain_value.
  - key: enumcase.b_c
    type: {members: [{id: one, value: one, stability: development}]}
    stability: development
    brief: Pascal name EnumcaseBCValues.
  - key: enumcase_b.c
    type: {members: [{id: two, value: two, stability: development}]}
    stability: development
    brief: Pascal name EnumcaseBCValues as well.
  - key: sets.mixcase.x
    type: {members: [{id: lit, value: lit, stability: development}]}
    stability: development
    brief: Enum class SetsMixcaseXValues.
  - {key: mixcase.x.values, type: string, stability: development, brief: Setter SetsMixcaseXValues.}
  - key: dictcase.span_attributes
    type: string
    stability: development
    brief: Setter SetsDictcaseSpanAttributes.
  - key: dictcase.span_attribute_update
    type: string
    stability: development
    brief: Setter SetsDictcaseSpanAttributeUpdate.
spans:
  - type: paramcase.run
    kind: internal
    stability: development
    brief: Parameters named like what the factory uses.
    name: {note: By the caller.}
    annotations: {typed_semconv: {name_pattern: "run {paramcase.mode}"}}
    attributes:
      - {ref: str}
      - {ref: dict, requirement_level: required}
      - {ref: plain_value}
      - {ref: span_name_from_parts}
      - {ref: k}
      - {ref: v}
      - {ref: paramcase.mode, requirement_level: required}
  - type: enumcase.run
    kind: internal
    stability: development
    brief: Two enum classes of the same name.
    name: {note: By the caller.}
    attributes: [{ref: enumcase.b_c}, {ref: enumcase_b.c}]
  - type: mixcase.run
    kind: internal
    stability: development
    brief: An enum class named like a setter mixin.
    name: {note: By the caller.}
    attributes: [{ref: sets.mixcase.x}, {ref: mixcase.x.values}]
  - type: sets.dictcase
    kind: internal
    stability: development
    brief: TypedDicts named like setter mixins.
    name: {note: By the caller.}
    attributes: [{ref: dictcase.span_attributes}, {ref: dictcase.span_attribute_update}]
"""
# The line of each definition in REGISTRY, where its rename warning must point.
LINES = {
    key: number
    for number, line in enumerate(REGISTRY.splitlines(), start=1)
    for key in re.findall(r"key: ([\w.]+)", line)
}


@dataclass(frozen=True)
class Generation:
    output: Path
    stderr: str
    mypy: str

    def mypy_errors(self, module: str) -> list[str]:
        path = f"{PACKAGE}/{module.replace('.', '/')}.py"
        return [line for line in self.mypy.splitlines() if line.startswith(path)]

    def module(self, name: str) -> ModuleType:
        if str(self.output) not in sys.path:
            sys.path.insert(0, str(self.output))
        return importlib.import_module(f"{PACKAGE}.{name}")

    def renamed(self, kind: str, item: str) -> str:
        """The `name-collision` warning about the `kind` of name `item` gets."""
        found = [
            line
            for line in self.stderr.splitlines()
            if f"{kind} `{item}` would be named" in line and line.endswith("[name-collision]")
        ]
        assert len(found) == 1, (kind, item, self.stderr)
        return found[0]


@pytest.fixture(scope="module")
def generation(tmp_path_factory: pytest.TempPathFactory) -> Generation:
    work = tmp_path_factory.mktemp("clashes")
    (work / "registry").mkdir()
    (work / "registry" / "clashes.yaml").write_text(REGISTRY, encoding="utf-8")
    output = work / "out"
    result = run_cli(
        "generate", "--registry", "registry", "--output", output, "--package", PACKAGE, cwd=work
    )
    assert result.returncode == 0, result.stderr
    mypy = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(work / ".mypy_cache"),
            "--hide-error-context",
            "--no-error-summary",
            PACKAGE,
        ],
        cwd=output,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in mypy.stderr
    return Generation(output, result.stderr, mypy.stdout)


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def tracer(exporter: InMemorySpanExporter) -> Iterator[Tracer]:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield provider.get_tracer("tests")
    provider.shutdown()


def emit(
    exporter: InMemorySpanExporter, factory: Any, tracer: Tracer, **kwargs: Any
) -> ReadableSpan:
    with factory(tracer, **kwargs):
        pass
    (span,) = exporter.get_finished_spans()
    return span


def test_the_whole_package_passes_mypy_strict(generation: Generation) -> None:
    assert generation.mypy == "", generation.mypy


def test_a_template_function_named_like_a_builtin_is_renamed(generation: Generation) -> None:
    assert generation.mypy_errors("attributes.other_attributes") == []
    module = generation.module("attributes.other_attributes")
    assert module.str_2("x") == "str.x"
    assert module.k("x") == "k.x"  # a name the module does not use is kept
    warning = generation.renamed("template function", "str")
    assert "a name the generated code uses itself; named `str_2` instead" in warning
    assert warning.startswith(f"registry/clashes.yaml:{LINES['str']}:")


def test_span_parameters_named_like_the_factory_s_own_names(
    generation: Generation, tracer: Tracer, exporter: InMemorySpanExporter
) -> None:
    assert generation.mypy_errors("spans.paramcase_spans") == []
    module = generation.module("spans.paramcase_spans")
    span = emit(
        exporter,
        module.start_paramcase_run_span,
        tracer,
        dict_2="d",
        str_2={"a": "s"},
        plain_value_2="p",
        span_name_from_parts_2="n",
        k={"b": "kv"},
        v={"c": 3},
        paramcase_mode="fast",
    )
    assert span.name == "run fast"
    assert dict(span.attributes or {}) == {
        "dict": "d",
        "paramcase.mode": "fast",
        "str.a": "s",
        "plain_value": "p",
        "span_name_from_parts": "n",
        "k.b": "kv",
        "v.c": 3,
    }
    for key in ("dict", "plain_value", "span_name_from_parts", "str"):
        warning = generation.renamed("parameter of start_paramcase_run_span", key)
        assert warning.startswith(f"registry/clashes.yaml:{LINES[key]}:")


def test_two_enum_classes_of_one_name_in_one_span_module(
    generation: Generation, tracer: Tracer, exporter: InMemorySpanExporter
) -> None:
    assert generation.mypy_errors("spans.enumcase_spans") == []
    first = generation.module("attributes.enumcase_attributes").EnumcaseBCValues
    second = generation.module("attributes.enumcase_b_attributes").EnumcaseBCValues
    module = generation.module("spans.enumcase_spans")
    span = emit(
        exporter,
        module.start_enumcase_run_span,
        tracer,
        name="run",
        enumcase_b_c=first.ONE,
        enumcase_b_c_2=second.TWO,
    )
    assert dict(span.attributes or {}) == {"enumcase.b_c": "one", "enumcase_b.c": "two"}


def test_an_enum_class_named_like_a_setter_mixin(
    generation: Generation, tracer: Tracer, exporter: InMemorySpanExporter
) -> None:
    assert generation.mypy_errors("spans.mixcase_spans") == []
    values = generation.module("attributes.sets_attributes").SetsMixcaseXValues
    module = generation.module("spans.mixcase_spans")
    with module.start_mixcase_run_span(tracer, name="run") as span:
        span.set_sets_mixcase_x(values.LIT)
        span.set_mixcase_x_values("text")
    (finished,) = exporter.get_finished_spans()
    assert dict(finished.attributes or {}) == {"sets.mixcase.x": "lit", "mixcase.x.values": "text"}
    assert module.SetsMixcaseXValues.__mro__[1].__name__ == "TypedSpan"  # the setter mixin


def test_typed_dicts_named_like_setter_mixins(
    generation: Generation, tracer: Tracer, exporter: InMemorySpanExporter
) -> None:
    assert generation.mypy_errors("spans.sets_spans") == []
    module = generation.module("spans.sets_spans")
    with module.start_sets_dictcase_span(tracer, name="run") as span:
        span.set_dictcase_span_attributes("a")
        span.set_attributes({"dictcase.span_attribute_update": "b"})
    (finished,) = exporter.get_finished_spans()
    assert dict(finished.attributes or {}) == {
        "dictcase.span_attributes": "a",
        "dictcase.span_attribute_update": "b",
    }
    # The public names of the span (class, TypedDicts) keep theirs; the setter mixins yield.
    warning = generation.renamed("setter class", "dictcase.span_attributes")
    assert "named `SetsDictcaseSpanAttributes_2` instead" in warning
    line = LINES["dictcase.span_attributes"]
    assert warning.startswith(f"registry/clashes.yaml:{line}:")
