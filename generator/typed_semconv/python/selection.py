"""Which definitions the generation options keep."""

from __future__ import annotations

from typed_semconv.check.span_naming import span_stem
from typed_semconv.model import (
    Attribute,
    AttributeUse,
    Deprecation,
    EnumMember,
    Group,
    GroupKind,
    Registry,
    Stability,
)
from typed_semconv.options import FilterOptions


class Selection:
    """Which items the options keep.

    A dependency registry contributes only what the project uses: the attributes its groups
    reference and the signals its `imports` name, unless the whole dependency is asked for.
    """

    def __init__(self, options: FilterOptions, registry: Registry) -> None:
        self.options = options
        self.used_keys = frozenset(
            use.key
            for group in registry.groups
            if self._origin_kept(group)
            for use in group.attributes
        )

    def _origin_kept(self, group: Group) -> bool:
        return not group.from_dependency or group.imported or self.options.include_dependencies

    def _namespace_kept(self, key: str) -> bool:
        excluded = self.options.exclude_namespaces
        return not any(key == ns or key.startswith(ns + ".") for ns in excluded)

    def _level_kept(self, stability: Stability, deprecation: Deprecation | None) -> bool:
        if self.options.stable_only and stability is not Stability.STABLE:
            return False
        return self.options.include_deprecated or deprecation is None

    def attribute(self, attribute: Attribute) -> bool:
        if (
            attribute.from_dependency
            and not self.options.include_dependencies
            and attribute.key not in self.used_keys
        ):
            return False
        return (
            not attribute.code_generation_excluded
            and self._namespace_kept(attribute.key)
            and self._level_kept(attribute.stability, attribute.deprecation)
        )

    def kept_uses(self, group: Group) -> tuple[AttributeUse, ...]:
        """The attribute uses of `group` whose attributes the options keep."""
        return tuple(u for u in group.attributes if self.attribute(u.attribute))

    def member(self, member: EnumMember) -> bool:
        return not member.code_generation_excluded and self._level_kept(
            member.stability, member.deprecation
        )

    def span(self, group: Group) -> bool:
        return (
            group.kind is GroupKind.SPAN
            and self._origin_kept(group)
            and not group.code_generation_excluded
            and self._namespace_kept(span_stem(group))
            and self._level_kept(group.stability, group.deprecation)
        )

    def metric(self, group: Group) -> bool:
        return self._signal(group, GroupKind.METRIC)

    def event(self, group: Group) -> bool:
        return self._signal(group, GroupKind.EVENT)

    def entity(self, group: Group) -> bool:
        return self._signal(group, GroupKind.ENTITY)

    def _signal(self, group: Group, kind: GroupKind) -> bool:
        """A named signal (a refinement is generated as the signal it refines)."""
        return (
            group.kind is kind
            and self._origin_kept(group)
            and group.refines is None
            and group.signal_name is not None
            and not group.code_generation_excluded
            and self._namespace_kept(group.signal_name)
            and self._level_kept(group.stability, group.deprecation)
        )


def signal_name(group: Group) -> str:
    """The name of a metric, event or entity the selection keeps (it keeps only named ones)."""
    assert group.signal_name is not None
    return group.signal_name
