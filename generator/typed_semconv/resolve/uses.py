"""How one attribute is used by a group: the overrides of a `ref`, layered over those of the
groups it inherits from, and finally over the attribute's definition.

Overrides are merged field by field while groups are resolved, and only applied to the
definition at the end. So a layer that says nothing about a field (a `ref_group` whose `ref`
sets no requirement level, say) never resets what a lower layer set: the level comes from the
nearest layer that sets it, else from the definition, else it is `recommended`.
"""

from __future__ import annotations

from dataclasses import replace

from typed_semconv.model import (
    Attribute,
    AttributeRefSpec,
    AttributeUse,
    RequirementLevel,
)

_DEFAULT_LEVEL = RequirementLevel()


def overlay(base: AttributeRefSpec, top: AttributeRefSpec) -> AttributeRefSpec:
    """`top`'s overrides over `base`'s: each field from `top` where it sets it."""
    return AttributeRefSpec(
        key=top.key,
        location=top.location,
        brief=top.brief if top.brief is not None else base.brief,
        note=top.note if top.note is not None else base.note,
        examples=top.examples if top.examples is not None else base.examples,
        examples_text=top.examples_text if top.examples is not None else base.examples_text,
        stability=top.stability or base.stability,
        deprecation=top.deprecation or base.deprecation,
        annotations=(
            {**(base.annotations or {}), **top.annotations}
            if top.annotations is not None
            else base.annotations
        ),
        requirement_level=top.requirement_level or base.requirement_level,
        sampling_relevant=(
            top.sampling_relevant if top.sampling_relevant is not None else base.sampling_relevant
        ),
        role=top.role or base.role,
    )


def use_of(attribute: Attribute, spec: AttributeRefSpec) -> AttributeUse:
    """The attribute as the group uses it: its definition with the group's overrides applied;
    an empty text blanks the inherited one."""
    changes: dict[str, object] = {}
    if spec.brief is not None:
        changes["brief"] = spec.brief
    if spec.note is not None:
        changes["note"] = spec.note
    if spec.examples is not None:
        text = spec.examples_text is not None and attribute.type.holds_text
        changes["examples"] = spec.examples_text if text else spec.examples
    if spec.stability is not None:
        changes["stability"] = spec.stability
    if spec.deprecation is not None:
        changes["deprecation"] = spec.deprecation
    if spec.annotations is not None:
        changes["annotations"] = {**attribute.annotations, **spec.annotations}
    return AttributeUse(
        attribute=replace(attribute, **changes) if changes else attribute,  # type: ignore[arg-type]
        requirement_level=(spec.requirement_level or attribute.requirement_level or _DEFAULT_LEVEL),
        sampling_relevant=(
            spec.sampling_relevant
            if spec.sampling_relevant is not None
            else bool(attribute.sampling_relevant)
        ),
        role=spec.role or attribute.role,
    )
