"""The whole run, stage by stage: files -> definitions -> registry -> view -> text -> disk."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from typed_semconv import formatting, writing
from typed_semconv.config import GenerateOptions, RegistrySpec, SourceOptions
from typed_semconv.dependencies import load_dependencies
from typed_semconv.diagnostics import Diagnostics, InputError, SourceLocation
from typed_semconv.loading import load_registry
from typed_semconv.model import Registry
from typed_semconv.python_view import build_view
from typed_semconv.rendering import TemplateFailure, render_package
from typed_semconv.resolution import resolve
from typed_semconv.validation import validate


def fetch(
    registries: Sequence[RegistrySpec], options: SourceOptions, diagnostics: Diagnostics
) -> list[Path]:
    """Local folders for the registry references: archives and git repositories are fetched
    into the cache (or found there); raises InputError when any could not be."""
    from typed_semconv.sources import SourceError, materialize

    folders = []
    for spec in registries:
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
    sources = [load_registry(path, diagnostics) for path in fetch(registries, options, diagnostics)]
    sources += load_dependencies(sources, options, diagnostics)
    if diagnostics.has_errors:
        raise InputError(diagnostics)
    registry = resolve(sources, diagnostics)
    validate(registry, diagnostics)
    if diagnostics.has_errors:
        raise InputError(diagnostics)
    return registry


def render(options: GenerateOptions, diagnostics: Diagnostics) -> dict[str, bytes]:
    """Every file of the package as it should be on disk (relative path -> bytes)."""
    registry = load_resolved(options.registries, options.sources, diagnostics)
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
    files = render(options, diagnostics)
    target = options.output / options.package.replace(".", "/")
    write_plan = writing.plan(target, files, diagnostics)
    if diagnostics.has_errors:
        raise InputError(diagnostics)
    return write_plan
