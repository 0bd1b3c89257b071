"""Resolution: apply `ref` overrides, `extends`, `ref_group` and refinements to every group.

Every lookup goes through an index built once, and every group is resolved once (memoised), so
resolution is linear in the size of the registry.
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import TypeVar

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics, SourceLocation
from typed_semconv.model import (
    Attribute,
    AttributeRefSpec,
    AttributeUse,
    Group,
    GroupKind,
    GroupRefSpec,
    GroupSpec,
    Registry,
    RegistrySource,
    RequirementLevel,
)

_DEFAULT_LEVEL = RequirementLevel()
_T = TypeVar("_T")


def _suggest(name: str, candidates: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.7)
    return f"did you mean `{close[0]}`?" if close else None


def _id_location(group: GroupSpec) -> SourceLocation:
    """Where the group's id is written: `id` (v1, refinements), `type` or `name` (v2 signals)."""
    return group.location.first_of("id", "type", "name")


def apply_ref(base: AttributeUse, spec: AttributeRefSpec) -> AttributeUse:
    """Refine `base` with the fields the `ref` sets; an empty string blanks a text."""
    attribute = base.attribute
    changes: dict[str, object] = {}
    if spec.brief is not None:
        changes["brief"] = spec.brief
    if spec.note is not None:
        changes["note"] = spec.note
    if spec.examples is not None:
        changes["examples"] = spec.examples
    if spec.stability is not None:
        changes["stability"] = spec.stability
    if spec.deprecation is not None:
        changes["deprecation"] = spec.deprecation
    if spec.annotations is not None:
        changes["annotations"] = {**attribute.annotations, **spec.annotations}
    return AttributeUse(
        attribute=replace(attribute, **changes) if changes else attribute,  # type: ignore[arg-type]
        requirement_level=spec.requirement_level or base.requirement_level,
        sampling_relevant=(
            spec.sampling_relevant if spec.sampling_relevant is not None else base.sampling_relevant
        ),
        role=spec.role or base.role,
    )


class _Resolver:
    def __init__(self, sources: Sequence[RegistrySource], diagnostics: Diagnostics) -> None:
        self.diagnostics = diagnostics
        self.attributes: dict[str, Attribute] = {}
        self.groups: dict[str, GroupSpec] = {}
        self.signals: dict[tuple[GroupKind, str], GroupSpec] = {}
        self.done: dict[str, dict[str, AttributeUse]] = {}
        self.in_progress: list[str] = []
        self.dependency_groups: set[str] = set()
        self.imports = [
            spec for source in sources if not source.is_dependency for spec in source.imports
        ]
        for source in sources:
            self._index(source)

    def _index(self, source: RegistrySource) -> None:
        for attribute in source.attributes:
            if source.is_dependency:
                attribute = replace(attribute, from_dependency=True)
            first = self.attributes.get(attribute.key)
            if first is not None:
                if first.from_dependency != attribute.from_dependency:
                    ours, theirs = (
                        (first, attribute) if attribute.from_dependency else (attribute, first)
                    )
                    self.diagnostics.report(
                        catalogue.DUPLICATE_ATTRIBUTE,
                        f"attribute `{attribute.key}` is defined by the project and by a "
                        "registry it depends on",
                        ours.location.first_of("id", "key"),
                        f"the dependency defines it at {theirs.location.first_of('id', 'key')}; "
                        "reference it with `ref` instead",
                    )
                else:
                    self.diagnostics.report(
                        catalogue.DUPLICATE_ATTRIBUTE,
                        f"attribute `{attribute.key}` is defined twice",
                        attribute.location.first_of("id", "key"),
                        f"first defined at {first.location.first_of('id', 'key')}",
                    )
                continue
            self.attributes[attribute.key] = attribute
        for group in source.groups:
            first_group = self.groups.get(group.id)
            if first_group is not None:
                self.diagnostics.report(
                    catalogue.DUPLICATE_GROUP,
                    f"group `{group.id}` is defined twice",
                    _id_location(group),
                    f"first defined at {_id_location(first_group)}",
                )
                continue
            self.groups[group.id] = group
            if source.is_dependency:
                self.dependency_groups.add(group.id)
            if (
                group.refines is None
                and group.signal_name
                and group.kind is not GroupKind.ATTRIBUTE_GROUP
            ):
                self.signals.setdefault((group.kind, group.signal_name), group)

    def resolve(self) -> Registry:
        groups = []
        for group_id in sorted(self.groups):
            spec = self.groups[group_id]
            uses = self.group_attributes(spec)
            groups.append(
                Group(
                    id=spec.id,
                    kind=spec.kind,
                    location=spec.location,
                    brief=spec.brief,
                    note=spec.note,
                    stability=spec.stability,
                    deprecation=spec.deprecation,
                    annotations=spec.annotations,
                    attributes=tuple(uses.values()),
                    signal_name=self.signal_name(spec),
                    span_kind=self.inherited(spec, lambda g: g.span_kind),
                    span_name_note=self.inherited(spec, lambda g: g.span_name_note),
                    instrument=self.inherited(spec, lambda g: g.instrument),
                    unit=self.inherited(spec, lambda g: g.unit),
                    extends=spec.extends,
                    refines=spec.refines,
                    visibility=spec.visibility,
                    from_dependency=spec.id in self.dependency_groups,
                    imported=spec.id in self.dependency_groups and self.is_imported(spec),
                )
            )
        attributes = tuple(self.attributes[key] for key in sorted(self.attributes))
        return Registry(attributes=attributes, groups=tuple(groups), sources=())

    def is_imported(self, spec: GroupSpec) -> bool:
        """Whether the project's `imports` name this dependency group (wildcards allowed)."""
        name = spec.id if spec.kind is GroupKind.ATTRIBUTE_GROUP else self.signal_name(spec)
        return name is not None and any(
            item.kind is spec.kind and fnmatch.fnmatchcase(name, item.pattern)
            for item in self.imports
        )

    def base_of(self, spec: GroupSpec) -> GroupSpec | None:
        """The group `spec` inherits from: its `extends` parent or its refinement target."""
        if spec.extends is not None:
            return self.groups.get(spec.extends)
        if spec.refines is not None:
            return self.signals.get((spec.kind, spec.refines))
        return None

    def inherited(self, spec: GroupSpec, field: Callable[[GroupSpec], _T | None]) -> _T | None:
        """A field of the group, or else of the nearest group it inherits from."""
        seen: set[str] = set()
        current: GroupSpec | None = spec
        while current is not None and current.id not in seen:
            value = field(current)
            if value is not None:
                return value
            seen.add(current.id)
            current = self.base_of(current)
        return None

    def signal_name(self, spec: GroupSpec) -> str | None:
        if spec.refines is None:
            return spec.signal_name
        if spec.kind is GroupKind.SPAN:
            return spec.id.removeprefix("span.")
        return spec.refines

    def group_attributes(self, spec: GroupSpec) -> dict[str, AttributeUse]:
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

    def _compute(self, spec: GroupSpec) -> dict[str, AttributeUse]:
        result: dict[str, AttributeUse] = {}
        if spec.extends is not None:
            parent = self.groups.get(spec.extends)
            if parent is None:
                self.diagnostics.report(
                    catalogue.UNKNOWN_EXTENDS,
                    f"group `{spec.id}` extends unknown group `{spec.extends}`",
                    spec.location.at("extends"),
                    _suggest(spec.extends, self.groups),
                )
            else:
                result.update(self.group_attributes(parent))
        if spec.refines is not None:
            target = self.signals.get((spec.kind, spec.refines))
            if target is None:
                names = (name for kind, name in self.signals if kind is spec.kind)
                self.diagnostics.report(
                    catalogue.UNKNOWN_REFINEMENT_TARGET,
                    f"`{spec.id}` refines unknown {spec.kind.value} `{spec.refines}`",
                    spec.location.at("ref"),
                    _suggest(spec.refines, names),
                )
            else:
                result.update(self.group_attributes(target))
        from_groups: dict[str, str] = {}
        for member in spec.members:
            if isinstance(member, GroupRefSpec):
                self._include_group(spec, member, result, from_groups)
        for member in spec.members:
            if isinstance(member, AttributeRefSpec):
                self._include_ref(spec, member, result)
        return result

    def _include_group(
        self,
        spec: GroupSpec,
        member: GroupRefSpec,
        result: dict[str, AttributeUse],
        from_groups: dict[str, str],
    ) -> None:
        target = self.groups.get(member.group_id)
        if target is None:
            self.diagnostics.report(
                catalogue.UNKNOWN_REF_GROUP,
                f"`ref_group: {member.group_id}` names no attribute group",
                member.location,
                _suggest(member.group_id, self.groups),
            )
            return
        for key, use in self.group_attributes(target).items():
            other = from_groups.get(key)
            if other is not None and other != target.id:
                self.diagnostics.report(
                    catalogue.REF_GROUP_COLLISION,
                    f"attribute `{key}` comes from both `{other}` and `{target.id}`",
                    member.location,
                    "reference the attribute from one group only",
                )
            from_groups[key] = target.id
            result[key] = use

    def _include_ref(
        self, spec: GroupSpec, member: AttributeRefSpec, result: dict[str, AttributeUse]
    ) -> None:
        base = result.get(member.key)
        if base is None:
            attribute = self.attributes.get(member.key)
            if attribute is None:
                self.diagnostics.report(
                    catalogue.UNKNOWN_REF,
                    f"`ref: {member.key}` names no attribute",
                    member.location,
                    _suggest(member.key, self.attributes),
                )
                return
            base = AttributeUse(attribute, _DEFAULT_LEVEL, False, None)
        result[member.key] = apply_ref(base, member)


def resolve(sources: Sequence[RegistrySource], diagnostics: Diagnostics) -> Registry:
    """Resolve the definitions of one or more registries into one `Registry`."""
    registry = _Resolver(sources, diagnostics).resolve()
    schema_url = next((s.manifest.schema_url for s in sources if s.manifest), None)
    return replace(registry, sources=tuple(s.root for s in sources), schema_url=schema_url)
