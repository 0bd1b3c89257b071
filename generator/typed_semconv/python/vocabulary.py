"""The names generated code uses itself, by the scope a generated name can land in.

They are read from what the templates render (see `output/vocabulary.py`), never listed by hand:
a template that starts using a builtin, a helper or an import reserves its name with it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class Vocabulary:
    """Names no registry name may take, in each kind of scope of the generated package."""

    attributes_module: frozenset[str]
    metrics_module: frozenset[str]
    spans_module: frozenset[str]
    span_factory: frozenset[str]  # a span factory's parameters, locals and what its body uses
    span_class: frozenset[str]  # what a span class has from its own body and its bases
    span_method: frozenset[str]  # a method of a span mixin: parameters, locals, what it uses
    metric_method: frozenset[str]  # a method of a metric class: parameters, locals, uses
    events_module: frozenset[str]
    event_function: frozenset[str]  # an emit function's parameters, locals and uses
    entities_module: frozenset[str]
    entity_function: frozenset[str]  # an entity builder's parameters, locals and uses

    def union(self, other: Vocabulary) -> Vocabulary:
        return Vocabulary(
            **{
                field.name: getattr(self, field.name) | getattr(other, field.name)
                for field in dataclasses.fields(self)
            }
        )


NO_VOCABULARY = Vocabulary(**{field.name: frozenset() for field in dataclasses.fields(Vocabulary)})
