"""What a v2 refinement takes from the signal it refines, and what it may not change."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics
from typed_semconv.model import Attribute, AttributeRefSpec, GroupKind, GroupSpec

_T = TypeVar("_T")
_IDENTIFYING = "identifying"


def inherited(
    spec: GroupSpec,
    base_of: Callable[[GroupSpec], GroupSpec | None],
    field: Callable[[GroupSpec], _T | None],
) -> _T | None:
    """A field of the group, or else of the nearest group it inherits from."""
    seen: set[str] = set()
    current: GroupSpec | None = spec
    while current is not None and current.id not in seen:
        value = field(current)
        if value is not None:
            return value
        seen.add(current.id)
        current = base_of(current)
    return None


def _role(spec: AttributeRefSpec | None, attributes: Mapping[str, Attribute]) -> str | None:
    if spec is None:
        return None
    definition = attributes.get(spec.key)
    return spec.role or (definition.role if definition else None)


def check_entity_identity(
    refinement: GroupSpec,
    target: Mapping[str, AttributeRefSpec],
    attributes: Mapping[str, Attribute],
    diagnostics: Diagnostics,
) -> None:
    """An entity refinement may refine the identifying attributes of its entity, never change
    which they are: it cannot add one, promote a descriptive one, or demote one."""
    if refinement.kind is not GroupKind.ENTITY or refinement.refines is None:
        return
    for member in refinement.members:
        if not isinstance(member, AttributeRefSpec) or member.key not in attributes:
            continue  # an unknown attribute is reported as such
        identifying = member.role == _IDENTIFYING
        base = target.get(member.key)
        was = _role(base, attributes)
        entity = f"entity `{refinement.refines}`"
        if base is None and identifying:
            change = f"adds `{member.key}` to the identity of {entity}"
        elif base is None or was is None or identifying == (was == _IDENTIFYING):
            continue
        elif identifying:
            change = f"makes `{member.key}`, a descriptive attribute of {entity}, identifying"
        else:
            change = f"makes `{member.key}`, an identifying attribute of {entity}, descriptive"
        diagnostics.report(
            catalogue.ENTITY_REFINEMENT_IDENTITY,
            f"refinement `{refinement.id}` {change}",
            member.location,
            "a refinement cannot change which attributes identify the entity; list it under "
            + ("`description`" if identifying else "`identity`"),
        )
