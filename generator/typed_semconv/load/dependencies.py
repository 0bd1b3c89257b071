"""Registries a project builds on: `dependencies` in its manifest, fetched like any registry
(a folder, an archive or a git repository) and loaded as dependencies, transitively."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics, Problem
from typed_semconv.model import MANIFEST_NAMES, Dependency, RegistrySource
from typed_semconv.options import SourceOptions

MAX_DEPTH = 8


def _reference(dependency: Dependency, base: Path) -> str | None:
    from typed_semconv.sources.fetch import parse_reference

    if dependency.registry_path is None:
        return None
    return str(parse_reference(dependency.registry_path).with_base(base))


def load_dependencies(
    projects: list[RegistrySource], options: SourceOptions, diagnostics: Diagnostics
) -> list[RegistrySource]:
    """Every registry the projects depend on, loaded and marked as dependencies."""
    loaded: list[RegistrySource] = []
    seen: set[str] = set()
    pending = [(source, 0) for source in projects]
    while pending:
        source, depth = pending.pop(0)
        manifest = source.manifest
        for dependency in manifest.dependencies if manifest else ():
            from typed_semconv.load.registry import load_registry
            from typed_semconv.sources.fetch import materialize

            try:
                reference = _reference(dependency, Path(source.root))
                if reference is None:
                    diagnostics.report(
                        catalogue.DEPENDENCY_NO_PATH,
                        f"dependency `{dependency.schema_url}` has no `registry_path`",
                        dependency.location,
                        "give the folder, archive or git URL the dependency is read from",
                    )
                    continue
                if reference in seen:
                    continue
                seen.add(reference)
                if depth >= MAX_DEPTH:
                    diagnostics.report(
                        catalogue.DEPENDENCY_TOO_DEEP,
                        f"dependencies nest deeper than {MAX_DEPTH} registries",
                        dependency.location,
                    )
                    continue
                folder = materialize(
                    reference, cache_dir=options.cache_dir, offline=options.offline
                )
            except Problem as problem:
                diagnostics.add(problem.diagnostic.at(dependency.location))
                continue
            child = replace(load_registry(folder, diagnostics), is_dependency=True)
            loaded.append(child)
            pending.append((child, depth + 1))
    return loaded


def dependency_folders(folders: list[Path], options: SourceOptions) -> list[Path]:
    """The folders of the registries `folders` depend on, read from their manifests only.

    This is the cheap look used to decide whether anything changed; any problem is left for
    the full load to report.
    """
    import yaml

    found: list[Path] = []
    pending = list(folders)
    seen = {str(folder) for folder in folders}
    while pending and len(found) < 64:
        folder = pending.pop(0)
        for name in MANIFEST_NAMES:
            path = folder / name
            if not path.is_file():
                continue
            try:
                manifest = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
                entries = manifest.get("dependencies") or []
                references = [str(e["registry_path"]) for e in entries if e.get("registry_path")]
            except (OSError, yaml.YAMLError, AttributeError, KeyError, TypeError):
                return found  # the full run reports it; the digest then differs
            if not references:
                continue
            from typed_semconv.sources.fetch import materialize, parse_reference

            try:
                for reference in references:
                    location = str(parse_reference(reference).with_base(folder))
                    child = materialize(location, cache_dir=options.cache_dir, offline=True)
                    if str(child) not in seen:
                        seen.add(str(child))
                        found.append(child)
                        pending.append(child)
            except (OSError, Problem):
                return found
    return found
