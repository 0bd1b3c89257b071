"""The names generated code uses itself, by the scope a generated name can land in.

They are read from what the templates render (see `output/vocabulary.py`), never listed by hand:
a template that starts using a builtin, a helper or an import reserves its name with it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Vocabulary:
    """Names no registry name may take, in each kind of scope of the generated package."""

    attributes_module: frozenset[str]
    metrics_module: frozenset[str]
    spans_module: frozenset[str]
    span_factory: frozenset[str]  # a span factory's parameters, locals and what its body uses
    span_class: frozenset[str]  # what a span class has from its own body and its bases

    def union(self, other: Vocabulary) -> Vocabulary:
        return Vocabulary(
            self.attributes_module | other.attributes_module,
            self.metrics_module | other.metrics_module,
            self.spans_module | other.spans_module,
            self.span_factory | other.span_factory,
            self.span_class | other.span_class,
        )


NO_VOCABULARY = Vocabulary(frozenset(), frozenset(), frozenset(), frozenset(), frozenset())
