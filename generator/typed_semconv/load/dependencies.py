"""Registries a project builds on: the `dependencies` of its manifest, followed transitively.

The graph is built in two steps, as weaver resolves it:

1. discovery: every declared dependency is fetched (a folder, an archive or a git repository;
   `registry_path` is taken relative to the folder of the manifest that declares it) and its
   manifest read. A registry is identified by its schema URL without the version
   (`https://example.test/schemas/kiln/2.1.0` is `example.test/schemas/kiln` at `2.1.0`), and a
   folder reached twice (two relative paths, or two declarations) is read once;
2. selection: a registry needed at several versions of one major version is used once, at the
   highest; other majors (or versions that are not semantic) are an error naming both paths, and
   so is a cycle (one diagnostic per cycle).

A registry read from an archive or a git repository is confined: its dependencies may be remote
references or paths inside that archive or repository, never a local folder elsewhere (refused
before anything is read). A published registry (`file_format: manifest/2.0`) is read from its
resolved file and its own dependencies are not followed: the file already holds what it uses.

The cheap look that decides whether anything changed (`dependency_folders`) runs the same two
steps from the cache only, so it covers exactly the folders the full load reads, or answers
that it cannot judge.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics, Problem
from typed_semconv.load.manifest_summary import (
    RESOLVED_SUFFIXES,
    ManifestInfo,
    RegistryId,
    read_manifest,
    registry_id,
    resolved_file,
    semver_key,
)
from typed_semconv.model import MANIFEST_NAMES, Dependency, RegistrySource
from typed_semconv.options import SourceOptions

if TYPE_CHECKING:
    from typed_semconv.sources.parsing import RegistryReference

MAX_DEPTH = 8
MAX_REGISTRIES = 64  # dependencies read for one run, every version counted


# --- the graph -------------------------------------------------------------------------------


@dataclass
class _Node:
    """A registry folder found while following the dependencies."""

    folder: Path
    name: str
    version: str | None
    manifest: ManifestInfo | None
    depth: int
    via: tuple[str, ...]  # the names on the first path that reached it, ending with its own
    reached_by: Dependency | None  # the declaration of that path (None for a project)
    confined_to: Path | None  # the fetched tree it must stay in
    targets: list[tuple[Dependency, str]] = field(default_factory=list)  # declaration, node key

    @property
    def is_root(self) -> bool:
        return self.reached_by is None

    @property
    def is_published(self) -> bool:
        return self.manifest is not None and self.manifest.publication is not None


@dataclass(frozen=True)
class _Graph:
    nodes: dict[str, _Node]  # by real path, in discovery order (projects first)
    selected: dict[str, str]  # registry name -> key of the node used for it

    def used(self) -> list[_Node]:
        """The projects, then every registry they use (breadth first), each once."""
        order = [key for key, node in self.nodes.items() if node.is_root]
        seen = set(order)
        for key in order:
            for _, target in self.nodes[key].targets:
                chosen = self.chosen(target)
                if chosen not in seen:
                    seen.add(chosen)
                    order.append(chosen)
        return [self.nodes[key] for key in order]

    def chosen(self, key: str) -> str:
        node = self.nodes[key]
        return key if node.is_root else self.selected.get(node.name, key)


class _Discovery:
    def __init__(
        self,
        options: SourceOptions,
        diagnostics: Diagnostics,
        display: Callable[[Path], str],
    ) -> None:
        self.options = options
        self.diagnostics = diagnostics
        self.display = display
        self.nodes: dict[str, _Node] = {}
        self.too_many_reported = False

    def run(self, roots: Sequence[Path]) -> _Graph:
        for root in roots:
            key = os.path.realpath(root)
            if key not in self.nodes:
                manifest = read_manifest(root, self.display)
                identity = self.identity(manifest)
                name = identity.name if identity else self.display(root)
                version = identity.version if identity else None
                self.nodes[key] = _Node(root, name, version, manifest, 0, (name,), None, None)
        pending = list(self.nodes)
        while pending:
            node = self.nodes[pending.pop(0)]
            if node.is_published or node.manifest is None or not node.manifest.dependencies:
                continue  # a published registry's file already holds what it uses
            if node.is_root:
                node.confined_to = self.confinement(node.folder)
            for dependency in node.manifest.dependencies:
                known = len(self.nodes)
                target = self.follow(node, dependency)
                if target is None:
                    continue
                node.targets.append((dependency, target))
                if len(self.nodes) > known:
                    pending.append(target)
        graph = _Graph(self.nodes, self.select())
        self.report_cycles()
        return graph

    def identity(self, manifest: ManifestInfo | None) -> RegistryId | None:
        if manifest is None or not manifest.readable or manifest.schema_url is None:
            return None
        return registry_id(manifest.schema_url)

    def confinement(self, folder: Path) -> Path | None:
        """The fetched tree a folder of the cache belongs to (`<cache>/<kind>/<entry>/tree`)."""
        from typed_semconv.sources.cache import TREE_NAME, default_cache_dir
        from typed_semconv.sources.parsing import SourceKind

        try:
            cache = self.options.cache_dir or default_cache_dir()
        except Problem:
            return None  # no cache folder: nothing was fetched into one
        real_cache = os.path.realpath(cache.expanduser())
        real = os.path.realpath(folder)
        if os.path.commonpath([real_cache, real]) != real_cache:
            return None
        parts = Path(os.path.relpath(real, real_cache)).parts
        kinds = {kind.value for kind in SourceKind}
        if len(parts) >= 3 and parts[0] in kinds and parts[2] == TREE_NAME:
            return Path(real_cache, *parts[:3])
        return None

    def follow(self, node: _Node, dependency: Dependency) -> str | None:
        """The key of the node a declaration leads to, fetching and reading it when new; None
        when it cannot be followed (reported)."""
        from typed_semconv.sources.fetch import materialize
        from typed_semconv.sources.parsing import parse_reference

        if dependency.registry_path is None:
            self.diagnostics.report(
                catalogue.DEPENDENCY_NO_PATH,
                f"dependency `{dependency.schema_url}` has no `registry_path`",
                dependency.location,
                "give the folder, archive or git URL the dependency is read from",
            )
            return None
        if dependency.schema_url is None:
            self.diagnostics.report(
                catalogue.DEPENDENCY_NO_SCHEMA_URL,
                f"dependency `{dependency.registry_path}` has no `schema_url`",
                dependency.location,
                "declare which registry and version it is: "
                "`schema_url: https://host/path/<version>`",
            )
        try:
            reference = parse_reference(dependency.registry_path).with_base(node.folder)
            if node.confined_to is not None and not _stays_inside(reference, node.confined_to):
                raise Problem(
                    catalogue.DEPENDENCY_OUTSIDE_ARCHIVE,
                    f"a registry fetched from an archive or git repository depends on "
                    f"`{dependency.registry_path}`, a local path outside it; it was not read",
                    hint="a fetched registry may depend on remote registries (archive or git "
                    "URLs) and on folders inside its own archive or repository only",
                )
            if node.depth >= MAX_DEPTH:
                raise Problem(
                    catalogue.DEPENDENCY_TOO_DEEP,
                    f"dependencies nest deeper than {MAX_DEPTH} registries",
                    hint="chain: " + " → ".join(node.via),
                )
            folder = _local_folder(
                materialize(
                    _manifest_file_folder(reference),
                    cache_dir=self.options.cache_dir,
                    offline=self.options.offline,
                )
            )
        except Problem as problem:
            self.diagnostics.add(problem.diagnostic.at(dependency.location))
            return None
        key = os.path.realpath(folder)
        if key in self.nodes:
            return key
        if len(self.nodes) - sum(n.is_root for n in self.nodes.values()) >= MAX_REGISTRIES:
            if not self.too_many_reported:
                self.too_many_reported = True
                self.diagnostics.report(
                    catalogue.DEPENDENCY_TOO_MANY,
                    f"the dependencies reach more than {MAX_REGISTRIES} registries",
                    dependency.location,
                )
            return None
        manifest = read_manifest(folder, self.display)
        identity = self.dependency_identity(manifest, dependency, folder)
        name = identity.name if identity else self.display(folder)
        confined = self.confinement(folder) or node.confined_to
        self.nodes[key] = _Node(
            folder,
            name,
            identity.version if identity else None,
            manifest,
            node.depth + 1,
            (*node.via, name),
            dependency,
            confined,
        )
        return key

    def dependency_identity(
        self, manifest: ManifestInfo | None, dependency: Dependency, folder: Path
    ) -> RegistryId | None:
        """Who a dependency is: its manifest's schema URL, or without a manifest the one its
        declaration gives (as weaver does)."""
        if manifest is not None and not manifest.readable:
            return None  # the full load reports what is wrong with the manifest
        written = manifest.schema_url if manifest else dependency.schema_url
        identity = registry_id(written) if written else None
        if identity is None and (manifest is not None or dependency.schema_url is not None):
            where = manifest.location.first_of("schema_url") if manifest else dependency.location
            what = f"schema URL `{written}` has no host or no version" if written else "no"
            self.diagnostics.report(
                catalogue.DEPENDENCY_NO_SCHEMA_URL,
                f"the registry at `{self.display(folder)}` has {what}"
                + ("" if written else " `schema_url`"),
                where,
                "a registry used as a dependency names itself and its version in its manifest: "
                "`schema_url: https://host/path/<version>`",
            )
        return identity

    # -- selection ---------------------------------------------------------------------------

    def select(self) -> dict[str, str]:
        """The node used for each registry name: the highest of compatible versions."""
        by_name: dict[str, list[str]] = {}
        for key, node in self.nodes.items():
            if not node.is_root:
                by_name.setdefault(node.name, []).append(key)
        selected: dict[str, str] = {}
        for name, keys in by_name.items():
            nodes = [self.nodes[key] for key in keys]
            first = nodes[0]
            clash = next((n for n in nodes[1:] if not _compatible(first, n)), None)
            if clash is not None:
                self.report_conflict(name, first, clash)
                selected[name] = keys[0]
                continue
            best = max(range(len(nodes)), key=lambda i: (semver_key(nodes[i].version), -i))
            selected[name] = keys[best]
        return selected

    def report_conflict(self, name: str, first: _Node, other: _Node) -> None:
        semantic = semver_key(first.version) is not None and semver_key(other.version) is not None
        self.diagnostics.report(
            catalogue.DEPENDENCY_VERSION_CONFLICT,
            f"registry `{name}` is needed at {first.version or 'an unversioned declaration'} "
            f"by {' → '.join(first.via)} and at {other.version or 'an unversioned declaration'} "
            f"by {' → '.join(other.via)}",
            other.reached_by.location if other.reached_by else None,
            "one registry is used at one major version only; make both paths depend on the same "
            "major version"
            if semantic
            else "versions that are not `MAJOR.MINOR.PATCH` cannot be reconciled; depend on the "
            "same version on both paths",
        )

    # -- cycles ------------------------------------------------------------------------------

    def report_cycles(self) -> None:
        """One diagnostic for each cycle among registry names, at the declaration closing it."""
        edges: dict[str, list[tuple[str, Dependency]]] = {}
        for node in self.nodes.values():
            for dependency, target in node.targets:
                edges.setdefault(node.name, []).append((self.nodes[target].name, dependency))
        state: dict[str, int] = {}  # 1 on the current path, 2 done
        path: list[str] = []

        def visit(name: str) -> None:
            state[name] = 1
            path.append(name)
            for target, dependency in edges.get(name, ()):
                if state.get(target) == 1:
                    cycle = [*path[path.index(target) :], target]
                    self.diagnostics.report(
                        catalogue.DEPENDENCY_CYCLE,
                        "dependency cycle: " + " → ".join(cycle),
                        dependency.location,
                        "a registry cannot depend on itself, directly or through others; "
                        "remove one of these dependencies",
                    )
                elif target not in state:
                    visit(target)
            path.pop()
            state[name] = 2

        for node in self.nodes.values():
            if node.is_root and node.name not in state:
                visit(node.name)


def _compatible(first: _Node, other: _Node) -> bool:
    """Same version, or semantic versions of one major version (weaver compares the major)."""
    if first.version == other.version:
        return True
    a, b = semver_key(first.version), semver_key(other.version)
    return a is not None and b is not None and a[0] == b[0]


def _inside(path: str, root: str) -> bool:
    return os.path.commonpath([root, path]) == root


def _stays_inside(reference: RegistryReference, root: Path) -> bool:
    """Whether a confined registry may read `reference`: any remote archive or remote git
    repository, or a local folder or archive inside `root`. Decided on the written path first,
    so that nothing outside is touched, then on the real path."""
    from typed_semconv.sources.parsing import SourceKind

    if reference.kind is SourceKind.REMOTE_ARCHIVE:
        return True
    if reference.kind is SourceKind.GIT:
        return reference.is_remote  # a local repository is a local path (and may link out)
    location = os.path.abspath(os.path.expanduser(reference.location))
    return _inside(location, str(root)) and _inside(
        os.path.realpath(location), os.path.realpath(root)
    )


def _manifest_file_folder(reference: RegistryReference) -> RegistryReference:
    """A `registry_path` may name the manifest file itself (as weaver allows): its folder."""
    from typed_semconv.sources.parsing import SourceKind

    location = Path(os.path.expanduser(reference.location))
    if (
        reference.kind is SourceKind.LOCAL_FOLDER
        and reference.subfolder is None
        and location.name in MANIFEST_NAMES
        and location.is_file()
    ):
        return replace(reference, location=str(location.parent))
    return reference


def _local_folder(folder: Path) -> Path:
    """`main/../dep_a` as `dep_a` when both are the same folder (for messages and output)."""
    normal = Path(os.path.normpath(folder))
    return normal if os.path.realpath(normal) == os.path.realpath(folder) else folder


# --- the full load ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedRegistry:
    """A registry of the run with its place in the graph: `dependencies` are the names of the
    registries it declares (the ones used for them), and `carried_attributes` the attribute keys
    a published registry holds for one of its own dependencies (key -> that registry's name)."""

    source: RegistrySource
    name: str
    dependencies: frozenset[str]
    is_project: bool
    is_published: bool = False
    carried_attributes: dict[str, str] = field(default_factory=dict)


def load_graph(
    folders: Sequence[Path], options: SourceOptions, diagnostics: Diagnostics
) -> list[LoadedRegistry]:
    """The projects at `folders` and every registry they depend on, each loaded once (the
    projects first); problems go to `diagnostics`."""
    from typed_semconv.load.discovery import display_path
    from typed_semconv.load.documents import validate
    from typed_semconv.load.registry import load_registry

    graph = _Discovery(options, diagnostics, display_path).run(folders)
    loaded: list[LoadedRegistry] = []
    carried_groups: list[dict[str, str]] = []
    for node in graph.used():
        names = frozenset(graph.nodes[graph.chosen(target)].name for _, target in node.targets)
        if node.is_published and node.manifest is not None:
            from typed_semconv.load.published import load_published

            published = load_published(
                node.folder,
                node.manifest,
                diagnostics,
                display_path,
                lambda model, data, shown: validate(model, data, shown, diagnostics),
            )
            if published is None:
                continue
            source = replace(published.source, is_dependency=not node.is_root)
            carried = published.carried_attributes
            loaded.append(LoadedRegistry(source, node.name, names, node.is_root, True, carried))
            carried_groups.append(published.carried_groups)
            continue
        source = replace(load_registry(node.folder, diagnostics), is_dependency=not node.is_root)
        loaded.append(LoadedRegistry(source, node.name, names, node.is_root))
        carried_groups.append({})
    return _without_duplicate_carried(loaded, carried_groups)


def _without_duplicate_carried(
    loaded: list[LoadedRegistry], carried_groups: list[dict[str, str]]
) -> list[LoadedRegistry]:
    """Drop what a published registry carries for a dependency when another registry of the
    run defines it (that dependency, loaded too) or an earlier published registry carries the
    same: one definition per key, as if the dependency had been read once."""
    owned_attributes = {
        attribute.key
        for registry in loaded
        for attribute in registry.source.attributes
        if attribute.key not in registry.carried_attributes
    }
    owned_groups = {
        group.id
        for registry, carried in zip(loaded, carried_groups, strict=True)
        for group in registry.source.groups
        if group.id not in carried
    }
    result = []
    for registry, carried in zip(loaded, carried_groups, strict=True):
        if not registry.carried_attributes and not carried:
            result.append(registry)
            continue
        source = registry.source
        attributes = tuple(
            a
            for a in source.attributes
            if a.key not in registry.carried_attributes or a.key not in owned_attributes
        )
        groups = tuple(g for g in source.groups if g.id not in carried or g.id not in owned_groups)
        owned_attributes.update(a.key for a in attributes)
        owned_groups.update(g.id for g in groups)
        kept = {a.key for a in attributes}
        result.append(
            replace(
                registry,
                source=replace(source, attributes=attributes, groups=groups),
                carried_attributes={
                    k: v for k, v in registry.carried_attributes.items() if k in kept
                },
            )
        )
    return result


# --- the cheap look --------------------------------------------------------------------------


def dependency_folders(folders: list[Path], options: SourceOptions) -> list[Path] | None:
    """The folders of every registry `folders` depend on (the ones the full load reads), from
    the manifests and the cache only; None when it cannot judge (a problem the full load would
    report, a registry that is not in the cache, a resolved file the folder digest would not
    cover), and the run then does a full load."""
    manifests = [read_manifest(folder, str) for folder in folders]
    if all(
        m is None or (m.readable and not m.dependencies and not m.publication) for m in manifests
    ):
        return []
    scratch = Diagnostics()
    graph = _Discovery(replace(options, offline=True), scratch, str).run(folders)
    if scratch.has_errors:
        return None
    found: list[Path] = []
    for node in graph.nodes.values():
        if node.manifest is not None and not node.manifest.readable:
            return None  # the full load's own reading decides what it says
        if node.is_published and node.manifest is not None:
            try:
                resolved = resolved_file(node.folder, node.manifest)
            except Problem:
                return None
            if not resolved.name.endswith(RESOLVED_SUFFIXES) or not resolved.is_file():
                return None
        if not node.is_root:
            found.append(node.folder)
    return found
