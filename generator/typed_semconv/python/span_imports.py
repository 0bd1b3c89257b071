"""The imports of a span module: few at run time, the rest only for type checkers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from typed_semconv.python import naming
from typed_semconv.python.context import EnumClass
from typed_semconv.python.view import PyParameter, PySpan, PySpanAttribute, PySpanEvent


def span_imports(
    spans: Sequence[PySpan],
    span_events: Sequence[PySpanEvent],
    enums: Sequence[EnumClass],
    enum_names: Mapping[str, str],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Imports needed at run time, and those needed only by type checkers.

    Annotations are never evaluated (`from __future__ import annotations`) and the TypedDicts
    exist only for type checkers, so a span module imports almost nothing at run time. `enums`
    are the enum classes the module's attributes take, imported as `enum_names` calls them.
    """
    runtime_third_party = ["from opentelemetry.trace import SpanKind"]
    if any(s.deprecated_message for s in spans):
        runtime_third_party.append("from typing_extensions import deprecated")
    support = {"SpanName", "TypedSpan", "plain_attributes"}
    if any(s.name_parts for s in spans):
        support.add("span_name_from_parts")
    parameters: list[PySpanAttribute | PyParameter] = [
        *(a for s in spans for a in s.attributes),
        *(p for e in span_events for p in e.attributes),
    ]
    if any(p.value_expression != p.param for p in parameters):
        support.add("plain_value")
    runtime = naming.import_block(
        ["from typing import TYPE_CHECKING"],
        runtime_third_party,
        [f"from ._support import {', '.join(sorted(support))}"],
    )
    has_templates = any(p.is_template for p in parameters)
    standard = [
        "from collections.abc import Mapping, Sequence"
        if has_templates
        else "from collections.abc import Sequence"
    ]
    # The factories' local dict holds values whose types the parameters already fixed;
    # `Any` spares the type checker re-proving each one against the AttributeValue union.
    standard.append(
        "from typing import Any, Final"
        if any(s.name_constant for s in spans)
        else "from typing import Any"
    )
    third_party = [
        "from opentelemetry.context import Context",
        "from opentelemetry.trace import Link, Tracer",
        _typed_dict_import(spans),
    ]
    if any("AttributeValue" in p.value_type for p in parameters):
        third_party.append("from opentelemetry.util.types import AttributeValue")
    by_module: dict[str, set[str]] = {}
    for enum in enums:
        local = enum_names[enum.key]
        shown = enum.class_name if local == enum.class_name else f"{enum.class_name} as {local}"
        by_module.setdefault(enum.module, set()).add(shown)
    local_imports = [
        f"from ..attributes.{module} import {', '.join(sorted(names))}"
        for module, names in sorted(by_module.items())
    ]
    typing_only = naming.import_block(standard, third_party, local_imports, indent=4)
    return runtime, typing_only


def _typed_dict_import(spans: Sequence[PySpan]) -> str:
    """The TypedDict helpers the spans' TypedDicts use (an unused import is an error to ruff)."""
    keyed = [a for s in spans for a in s.typed_dict_attributes]
    names = [
        *(["NotRequired"] if any(not a.required for a in keyed) else []),
        *(["ReadOnly"] if keyed else []),
        *(["Required"] if any(a.required for a in keyed) else []),
        "TypedDict",
    ]
    return f"from typing_extensions import {', '.join(names)}"
