"""The attributes of each group, with what it inherits: from the group it `extends` or the
signal it refines, then from its `ref_group`s, then its own `ref`s, each layer overriding only
the fields it sets (see `uses`). Every group is resolved once (memoised), so resolution is
linear in the size of the registry."""

from __future__ import annotations

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics
from typed_semconv.diagnostics.suggest import suggest
from typed_semconv.model import AttributeRefSpec, GroupRefSpec, GroupSpec
from typed_semconv.resolve.index import RegistryIndex
from typed_semconv.resolve.uses import overlay

Members = dict[str, AttributeRefSpec]


class GroupMembers:
    """The merged overrides of every attribute of a group, by key, computed on demand."""

    def __init__(self, index: RegistryIndex, diagnostics: Diagnostics) -> None:
        self.index = index
        self.diagnostics = diagnostics
        self.done: dict[str, Members] = {}
        self.in_progress: list[str] = []

    def base_of(self, spec: GroupSpec) -> GroupSpec | None:
        """The group `spec` inherits from: its `extends` parent or its refinement target."""
        if spec.extends is not None:
            return self.index.groups.get(spec.extends)
        if spec.refines is not None:
            return self.index.signals.get((spec.kind, spec.refines))
        return None

    def of(self, spec: GroupSpec) -> Members:
        done = self.done.get(spec.id)
        if done is not None:
            return done
        if spec.id in self.in_progress:
            cycle = [*self.in_progress[self.in_progress.index(spec.id) :], spec.id]
            self.diagnostics.report(
                catalogue.EXTENDS_CYCLE,
                f"group `{spec.id}` inherits from itself",
                spec.location.first_of("extends", "ref"),
                "cycle: " + " -> ".join(cycle),
            )
            return {}
        self.in_progress.append(spec.id)
        try:
            result = self._compute(spec)
        finally:
            self.in_progress.pop()
        self.done[spec.id] = result
        return result

    def _compute(self, spec: GroupSpec) -> Members:
        result = dict(self._inherited(spec))
        from_groups: dict[str, str] = {}
        for member in spec.members:
            if isinstance(member, GroupRefSpec):
                self._include_group(member, result, from_groups)
        listed: dict[str, AttributeRefSpec] = {}
        for member in spec.members:
            if not isinstance(member, AttributeRefSpec):
                continue
            first = listed.setdefault(member.key, member)
            if first is not member:
                self.diagnostics.report(
                    catalogue.DUPLICATE_REF,
                    f"group `{spec.id}` lists attribute `{member.key}` twice",
                    member.location,
                    f"first listed at {first.location}; keep one entry with all its overrides",
                )
                continue
            self._include_ref(spec, member, result)
        return result

    def _inherited(self, spec: GroupSpec) -> Members:
        if spec.extends is not None:
            parent = self.index.groups.get(spec.extends)
            if parent is not None:
                return self.of(parent)
            self.diagnostics.report(
                catalogue.UNKNOWN_EXTENDS,
                f"group `{spec.id}` extends unknown group `{spec.extends}`",
                spec.location.at("extends"),
                suggest(spec.extends, self.index.groups),
            )
        if spec.refines is not None:
            target = self.index.signals.get((spec.kind, spec.refines))
            if target is not None:
                return self.of(target)
            names = (name for kind, name in self.index.signals if kind is spec.kind)
            self.diagnostics.report(
                catalogue.UNKNOWN_REFINEMENT_TARGET,
                f"`{spec.id}` refines unknown {spec.kind.value} `{spec.refines}`",
                spec.location.at("ref"),
                suggest(spec.refines, names),
            )
        return {}

    def _include_group(
        self, member: GroupRefSpec, result: Members, from_groups: dict[str, str]
    ) -> None:
        """Layer the attributes of a `ref_group` over the inherited ones."""
        target = self.index.groups.get(member.group_id)
        if target is None:
            self.diagnostics.report(
                catalogue.UNKNOWN_REF_GROUP,
                f"`ref_group: {member.group_id}` names no attribute group",
                member.location,
                suggest(member.group_id, self.index.groups),
            )
            return
        for key, spec in self.of(target).items():
            other = from_groups.get(key)
            if other is not None and other != target.id:
                self.diagnostics.report(
                    catalogue.REF_GROUP_COLLISION,
                    f"attribute `{key}` comes from both `{other}` and `{target.id}`",
                    member.location,
                    "reference the attribute from one of the attribute groups only",
                )
                continue
            from_groups[key] = target.id
            inherited = result.get(key)
            result[key] = overlay(inherited, spec) if inherited is not None else spec

    def _include_ref(self, spec: GroupSpec, member: AttributeRefSpec, result: Members) -> None:
        """Layer the group's own `ref` over what it inherits."""
        inherited = result.get(member.key)
        if inherited is not None:
            result[member.key] = overlay(inherited, member)
        elif member.key in self.index.attributes:
            result[member.key] = member
        else:
            self.diagnostics.report(
                catalogue.UNKNOWN_REF,
                f"`ref: {member.key}` names no attribute",
                member.location,
                _either(
                    suggest(member.key, self.index.attributes),
                    self.index.missing_namespace_hint(member.key, spec.id),
                ),
            )


def _either(first: str | None, otherwise: str | None) -> str | None:
    """Two hints, the second offered in case the first is not it."""
    if first and otherwise:
        return f"{first} Otherwise: {otherwise}"
    return first or otherwise
