"""What a registry's `ref`s may name: its own attributes and those its direct dependencies
define, as in weaver. An attribute that only a dependency of a dependency defines is not
visible (a signal brought in with `imports` still carries it); the project's registries (every
`--registry`) see each other and all of their direct dependencies."""

from __future__ import annotations

from collections.abc import Sequence

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics
from typed_semconv.load.dependencies import LoadedRegistry
from typed_semconv.model import AttributeRefSpec


def check_ref_visibility(registries: Sequence[LoadedRegistry], diagnostics: Diagnostics) -> None:
    """Report each `ref` to an attribute defined only where its registry cannot see it (a
    key that no registry defines is left to the resolver's `unknown-ref`)."""
    own: dict[str, set[str]] = {}
    definers: dict[str, set[str]] = {}
    for registry in registries:
        keys = {a.key for a in registry.source.attributes} - registry.carried_attributes.keys()
        own.setdefault(registry.name, set()).update(keys)
        for key in keys:
            definers.setdefault(key, set()).add(registry.name)
        for key, owner in registry.carried_attributes.items():
            definers.setdefault(key, set()).add(owner)
    by_name = {r.name: r for r in registries}
    projects = {r.name for r in registries if r.is_project}
    project_scope = projects.union(*(r.dependencies for r in registries if r.is_project))
    for registry in registries:
        if registry.is_published:
            continue  # already resolved: its signals list their attributes
        scope = project_scope if registry.is_project else {registry.name, *registry.dependencies}
        visible = set().union(*(own.get(name, set()) for name in scope))
        for group in registry.source.groups:
            for member in group.members:
                if not isinstance(member, AttributeRefSpec) or member.key in visible:
                    continue
                owners = sorted(definers.get(member.key, set()) - scope)
                if not owners:
                    continue
                listed = ", ".join(f"`{name}`" for name in owners)
                carriers = _carriers(member.key, owners, scope - {registry.name}, by_name)
                through = ", ".join(f"`{name}`" for name in carriers) or "a dependency"
                diagnostics.report(
                    catalogue.UNKNOWN_REF,
                    f"`ref: {member.key}` names an attribute that only {listed} defines, and "
                    f"`{registry.name}` does not depend on it directly",
                    member.location,
                    f"it comes with {through} as a dependency of a dependency, whose attributes "
                    f"are not visible: declare {listed} in the `dependencies` of this registry's "
                    "manifest",
                )


def _carriers(
    key: str, owners: list[str], direct: set[str], by_name: dict[str, LoadedRegistry]
) -> list[str]:
    """The direct dependencies through which `key` reaches a registry: the ones that depend,
    at any depth, on an owner of it, or that carry it (a published registry)."""
    found = []
    for start in sorted(direct):
        seen, pending = {start}, [start]
        while pending:
            registry = by_name.get(pending.pop())
            if registry is None:
                continue
            if key in registry.carried_attributes or registry.dependencies & set(owners):
                found.append(start)
                break
            for name in registry.dependencies - seen:
                seen.add(name)
                pending.append(name)
    return found
