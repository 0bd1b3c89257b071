"""Resolution: apply `ref` overrides, `extends`, `ref_group` and refinements to every group, as
weaver v0.25.1 does (docs/compatibility.md lists where and why we differ).

The stages: index every definition (`index`), merge each group's attribute overrides with
what it inherits (`inheritance`, `uses`), then build each resolved group, a refinement taking
what it leaves unset from the signal it refines (`refinements`).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from typed_semconv.diagnostics.core import Diagnostics
from typed_semconv.model import Group, GroupKind, GroupSpec, Registry, RegistrySource, Stability
from typed_semconv.resolve.index import RegistryIndex, build_index
from typed_semconv.resolve.inheritance import GroupMembers
from typed_semconv.resolve.refinements import check_entity_identity, inherited
from typed_semconv.resolve.uses import use_of

_T = TypeVar("_T")


class _Resolver:
    def __init__(self, index: RegistryIndex, diagnostics: Diagnostics) -> None:
        self.index = index
        self.members = GroupMembers(index, diagnostics)
        self.diagnostics = diagnostics

    def resolve(self) -> Registry:
        groups = tuple(self.group(self.index.groups[i]) for i in sorted(self.index.groups))
        attributes = tuple(self.index.attributes[k] for k in sorted(self.index.attributes))
        return Registry(attributes=attributes, groups=groups, sources=())

    def group(self, spec: GroupSpec) -> Group:
        members = self.members.of(spec)
        base = self.members.base_of(spec)
        if base is not None and spec.refines is not None:
            check_entity_identity(
                spec, self.members.of(base), self.index.attributes, self.diagnostics
            )
        from_dependency = spec.id in self.index.dependency_groups
        return Group(
            id=spec.id,
            kind=spec.kind,
            location=spec.location,
            brief=self.refined(spec, lambda g: g.brief) or "",
            note=self.refined(spec, lambda g: g.note) or "",
            stability=self.refined(spec, lambda g: g.stability) or Stability.DEVELOPMENT,
            deprecation=spec.deprecation,
            annotations=spec.annotations,
            attributes=tuple(
                use_of(self.index.attributes[key], member) for key, member in members.items()
            ),
            signal_name=self.signal_name(spec),
            span_kind=inherited(spec, self.members.base_of, lambda g: g.span_kind),
            span_name_note=inherited(spec, self.members.base_of, lambda g: g.span_name_note),
            instrument=inherited(spec, self.members.base_of, lambda g: g.instrument),
            unit=inherited(spec, self.members.base_of, lambda g: g.unit),
            extends=spec.extends,
            refines=spec.refines,
            visibility=spec.visibility,
            from_dependency=from_dependency,
            imported=from_dependency and self.is_imported(spec),
            events=spec.events,
            body=spec.body,
        )

    def refined(self, spec: GroupSpec, field: Callable[[GroupSpec], _T | None]) -> _T | None:
        """A field of a v2 refinement, else of the signal it refines (a v1 `extends` does not
        pass on the group's own fields)."""
        if spec.refines is None:
            return field(spec)
        return inherited(spec, self.members.base_of, field)

    def is_imported(self, spec: GroupSpec) -> bool:
        """Whether the project's `imports` name this dependency group (wildcards allowed)."""
        name = spec.id if spec.kind is GroupKind.ATTRIBUTE_GROUP else self.signal_name(spec)
        return name is not None and any(
            item.kind is spec.kind and fnmatch.fnmatchcase(name, item.pattern)
            for item in self.index.imports
        )

    def signal_name(self, spec: GroupSpec) -> str | None:
        if spec.refines is None:
            return spec.signal_name
        if spec.kind is GroupKind.SPAN:
            return spec.id.removeprefix("span.")
        return spec.refines


def resolve(sources: Sequence[RegistrySource], diagnostics: Diagnostics) -> Registry:
    """Resolve the definitions of one or more registries into one `Registry`."""
    registry = _Resolver(build_index(sources, diagnostics), diagnostics).resolve()
    schema_url = next((s.manifest.schema_url for s in sources if s.manifest), None)
    return replace(registry, sources=tuple(s.root for s in sources), schema_url=schema_url)
