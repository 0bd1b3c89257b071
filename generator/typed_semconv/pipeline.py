"""The whole run, stage by stage: files -> definitions -> registry -> view -> text -> disk."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from typed_semconv import writing
from typed_semconv.config import GenerateOptions, RegistrySpec, SourceOptions, plain_folder
from typed_semconv.dependencies import dependency_folders, load_dependencies
from typed_semconv.diagnostics import Diagnostics, InputError, SourceLocation
from typed_semconv.fingerprint import input_digest
from typed_semconv.template_dirs import template_dirs

if TYPE_CHECKING:
    from typed_semconv.model import Registry

# The loading, rendering and formatting stages are imported when first needed: a run whose inputs
# did not change (the usual regeneration, and `--check`) never needs them.


def fetch(
    registries: Sequence[RegistrySpec], options: SourceOptions, diagnostics: Diagnostics
) -> list[Path]:
    """Local folders for the registry references: archives and git repositories are fetched
    into the cache (or found there); raises InputError when any could not be."""
    folders = []
    for spec in registries:
        if plain_folder(spec.reference) and spec.sha256 is None and Path(spec.reference).is_dir():
            folders.append(Path(spec.reference))
            continue
        from typed_semconv.sources import SourceError, materialize

        try:
            folders.append(
                materialize(
                    spec.reference,
                    cache_dir=options.cache_dir,
                    offline=options.offline,
                    sha256=spec.sha256,
                )
            )
        except SourceError as problem:
            problem.report(diagnostics)
    if diagnostics.has_errors:
        raise InputError(diagnostics)
    return folders


def load_resolved(
    registries: Sequence[RegistrySpec], options: SourceOptions, diagnostics: Diagnostics
) -> Registry:
    """Fetch, load, resolve and validate; raises InputError when any error was found."""
    return resolve_folders(fetch(registries, options, diagnostics), options, diagnostics)


def resolve_folders(
    folders: Sequence[Path], options: SourceOptions, diagnostics: Diagnostics
) -> Registry:
    from typed_semconv.loading import load_registry
    from typed_semconv.resolution import resolve
    from typed_semconv.validation import validate

    sources = [load_registry(path, diagnostics) for path in folders]
    sources += load_dependencies(sources, options, diagnostics)
    if diagnostics.has_errors:
        raise InputError(diagnostics)
    registry = resolve(sources, diagnostics)
    validate(registry, diagnostics)
    if diagnostics.has_errors:
        raise InputError(diagnostics)
    return registry


def render(
    options: GenerateOptions, folders: Sequence[Path], diagnostics: Diagnostics
) -> dict[str, bytes]:
    """Every file of the package as it should be on disk (relative path -> bytes)."""
    from typed_semconv import formatting
    from typed_semconv.python_view import build_view
    from typed_semconv.rendering import TemplateFailure, render_package

    registry = resolve_folders(folders, options.sources, diagnostics)
    view = build_view(registry, options.package, options.filters, diagnostics, options.closed_enums)
    if diagnostics.has_errors:
        raise InputError(diagnostics)
    try:
        sources = render_package(view, options.templates)
    except TemplateFailure as failure:
        diagnostics.error("template-error", failure.reason, SourceLocation(failure.template))
        raise InputError(diagnostics) from failure
    files: dict[str, bytes] = {}
    for relative, module in sources.items():
        text = module.text
        if relative.endswith(".py"):
            try:
                if options.format and (module.from_user_template or formatting.needs_black(text)):
                    text = formatting.format_module(relative, text)
                if module.from_user_template:
                    # The default templates are proven valid on hostile and random registries
                    # by the test suite; a user's template gets compiled before it is written.
                    formatting.check_syntax(relative, text)
            except formatting.FormatFailure as failure:
                diagnostics.error(
                    "template-invalid-python",
                    f"the templates produced invalid Python: {failure.reason}",
                    SourceLocation(relative),
                    "check the --templates overrides",
                )
                raise InputError(diagnostics) from failure
        files[relative] = text.encode("utf-8")
    return files


def plan_generation(options: GenerateOptions, diagnostics: Diagnostics) -> writing.WritePlan:
    folders = fetch(options.registries, options.sources, diagnostics)
    inputs = input_digest(
        options,
        [*folders, *dependency_folders(folders, options.sources)],
        template_dirs(options.templates),
    )
    target = options.output / options.package.replace(".", "/")
    unchanged = writing.unchanged_since(target, inputs)
    if unchanged is not None:
        return unchanged
    files = render(options, folders, diagnostics)
    write_plan = writing.plan(target, files, diagnostics, inputs)
    if diagnostics.has_errors:
        raise InputError(diagnostics)
    return replace(write_plan, clean=len(diagnostics) == 0)
