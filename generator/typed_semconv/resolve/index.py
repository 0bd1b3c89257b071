"""Every definition of the loaded registries by its name, built once, with the names that are
taken twice reported: attribute keys, group ids and metric names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics, SourceLocation
from typed_semconv.load.registry import display_path
from typed_semconv.model import Attribute, GroupKind, GroupSpec, ImportSpec, RegistrySource


def _id_location(group: GroupSpec) -> SourceLocation:
    """Where the group's id is written: `id` (v1, refinements), `type` or `name` (v2 signals)."""
    return group.location.first_of("id", "type", "name")


def _key_location(attribute: Attribute) -> SourceLocation:
    return attribute.location.first_of("id", "key")


@dataclass
class RegistryIndex:
    """Attribute definitions by key, groups by id, signals by kind and name."""

    attributes: dict[str, Attribute] = field(default_factory=dict)
    groups: dict[str, GroupSpec] = field(default_factory=dict)
    signals: dict[tuple[GroupKind, str], GroupSpec] = field(default_factory=dict)
    dependency_groups: set[str] = field(default_factory=set)
    imports: list[ImportSpec] = field(default_factory=list)
    origins: dict[str, RegistrySource] = field(default_factory=dict)
    namespaces: set[str] = field(default_factory=set)

    def missing_namespace_hint(self, key: str, group_id: str) -> str | None:
        """For a `ref` into a namespace no loaded registry defines: most likely an attribute of
        a registry the project forgot to declare, so say which manifest to declare it in."""
        namespace = key.split(".")[0]
        origin = self.origins.get(group_id)
        if namespace in self.namespaces or origin is None:
            return None
        if origin.manifest is not None:
            where = f"the `dependencies` of {origin.manifest.location.path}"
        else:
            where = f"`dependencies` in a manifest.yaml in {display_path(Path(origin.root))}"
        return (
            f"no loaded registry defines the namespace `{namespace}`; if another registry does, "
            f"add it to {where}"
        )


def build_index(sources: Sequence[RegistrySource], diagnostics: Diagnostics) -> RegistryIndex:
    index = RegistryIndex(
        imports=[spec for s in sources if not s.is_dependency for spec in s.imports]
    )
    for source in sources:
        for attribute in source.attributes:
            if source.is_dependency:
                attribute = replace(attribute, from_dependency=True)
            _add_attribute(index, attribute, diagnostics)
            index.namespaces.add(attribute.key.split(".")[0])
        for group in source.groups:
            _add_group(index, group, source.is_dependency, diagnostics)
            index.origins.setdefault(group.id, source)
    return index


def _add_attribute(index: RegistryIndex, attribute: Attribute, diagnostics: Diagnostics) -> None:
    """Index the definition; a key defined twice is an error even when both definitions are
    the same (as in weaver)."""
    first = index.attributes.get(attribute.key)
    if first is None:
        index.attributes[attribute.key] = attribute
    elif first.from_dependency != attribute.from_dependency:
        ours, theirs = (first, attribute) if attribute.from_dependency else (attribute, first)
        diagnostics.report(
            catalogue.DUPLICATE_ATTRIBUTE,
            f"attribute `{attribute.key}` is defined by the project and by a "
            "registry it depends on",
            _key_location(ours),
            f"the dependency defines it at {_key_location(theirs)}; "
            "reference it with `ref` instead",
        )
    else:
        diagnostics.report(
            catalogue.DUPLICATE_ATTRIBUTE,
            f"attribute `{attribute.key}` is defined twice",
            _key_location(attribute),
            f"first defined at {_key_location(first)}",
        )


def _add_group(
    index: RegistryIndex, group: GroupSpec, from_dependency: bool, diagnostics: Diagnostics
) -> None:
    first = index.groups.get(group.id)
    if first is not None:
        diagnostics.report(
            catalogue.DUPLICATE_GROUP,
            f"group `{group.id}` is defined twice",
            _id_location(group),
            f"first defined at {_id_location(first)}",
        )
        return
    index.groups[group.id] = group
    if from_dependency:
        index.dependency_groups.add(group.id)
    if group.refines is not None or not group.signal_name:
        return
    if group.kind is GroupKind.ATTRIBUTE_GROUP:
        return
    signal = (group.kind, group.signal_name)
    other = index.signals.setdefault(signal, group)
    if other is not group and group.kind is GroupKind.METRIC and not from_dependency:
        # Events of one name may be written twice (v1.26.0 does); metrics may not.
        diagnostics.report(
            catalogue.DUPLICATE_METRIC_NAME,
            f"metric `{group.signal_name}` of group `{group.id}` is also defined by group "
            f"`{other.id}`",
            group.location.first_of("metric_name", "name"),
            f"first defined at {other.location.first_of('metric_name', 'name')}",
        )
