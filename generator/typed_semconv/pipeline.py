"""The whole run, stage by stage: files -> definitions -> registry -> view -> text -> disk."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from typed_semconv.diagnostics.core import Diagnostics, InputError, Problem
from typed_semconv.load.dependencies import dependency_folders, load_graph
from typed_semconv.options import GenerateOptions, RegistrySpec, SourceOptions
from typed_semconv.output import writing
from typed_semconv.output.fingerprint import input_digest
from typed_semconv.output.templates import Templates, code_folder, find_templates, template_dirs
from typed_semconv.sources.reference import plain_folder

if TYPE_CHECKING:
    from typed_semconv.check.span_naming import SpanNamings
    from typed_semconv.model import Registry
    from typed_semconv.python.package import PyPackage
    from typed_semconv.upgrade.rewrite import Rules

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
        from typed_semconv.sources.fetch import materialize

        try:
            folders.append(
                materialize(
                    spec.reference,
                    cache_dir=options.cache_dir,
                    offline=options.offline,
                    sha256=spec.sha256,
                )
            )
        except Problem as problem:
            diagnostics.add(problem.diagnostic)
    if diagnostics.has_errors:
        raise InputError(diagnostics)
    return folders


def load_resolved(
    registries: Sequence[RegistrySpec], options: SourceOptions, diagnostics: Diagnostics
) -> Registry:
    """Fetch, load, resolve and validate; raises InputError when any error was found."""
    return resolve_folders(fetch(registries, options, diagnostics), options, diagnostics)


def load_checked(
    registries: Sequence[RegistrySpec], options: SourceOptions, diagnostics: Diagnostics
) -> tuple[Registry, SpanNamings]:
    """Fetch, load, resolve and validate: the registry and how each of its spans is named."""
    return _checked(fetch(registries, options, diagnostics), options, diagnostics)


def resolve_folders(
    folders: Sequence[Path], options: SourceOptions, diagnostics: Diagnostics
) -> Registry:
    registry, _ = _checked(folders, options, diagnostics)
    return registry


def _checked(
    folders: Sequence[Path], options: SourceOptions, diagnostics: Diagnostics
) -> tuple[Registry, SpanNamings]:
    """Load, resolve and validate; the registry and how each of its spans is named."""
    from typed_semconv.check.validation import validate
    from typed_semconv.resolve.resolver import resolve
    from typed_semconv.resolve.visibility import check_ref_visibility

    registries = load_graph(folders, options, diagnostics)
    if diagnostics.has_errors:
        raise InputError(diagnostics)
    check_ref_visibility(registries, diagnostics)
    sources = [r.source for r in registries]
    registry = resolve(sources, diagnostics)
    namings = validate(registry, diagnostics)
    if diagnostics.has_errors:
        raise InputError(diagnostics)
    return registry, namings


def build_python_view(
    options: GenerateOptions,
    folders: Sequence[Path],
    templates: Templates,
    diagnostics: Diagnostics,
) -> tuple[Registry, PyPackage]:
    """Resolve the registries and decide every name of the package: everything `generate`
    checks before it renders (what `check` runs). `templates` come from `find_templates`,
    whose problems are in `diagnostics` already."""
    registry, namings = _checked(folders, options.sources, diagnostics)
    # Imported only once the registry proved valid: a run that stops at an error never needs them.
    from typed_semconv.output.vocabulary import derive_vocabulary
    from typed_semconv.python.package import build_view

    try:
        vocabulary = derive_vocabulary(templates)
    except Problem as problem:
        diagnostics.add(problem.diagnostic)
        raise InputError(diagnostics) from problem
    view = build_view(
        registry,
        namings,
        options.filters,
        vocabulary,
        diagnostics,
        options.closed_enums,
        options.name_overrides,
    )
    if diagnostics.has_errors:
        raise InputError(diagnostics)
    return registry, view


def check(options: GenerateOptions, diagnostics: Diagnostics) -> Registry:
    """Every problem `generate` would report, without rendering or writing anything."""
    folders = fetch(options.registries, options.sources, diagnostics)
    templates = find_templates(
        options.templates, diagnostics, code_folder(options.sources.cache_dir)
    )
    registry, _ = build_python_view(options, folders, templates, diagnostics)
    return registry


def render(
    options: GenerateOptions, folders: Sequence[Path], diagnostics: Diagnostics
) -> dict[str, bytes]:
    """Every file of the package as it should be on disk (relative path -> bytes)."""
    templates = find_templates(
        options.templates, diagnostics, code_folder(options.sources.cache_dir)
    )
    _, view = build_python_view(options, folders, templates, diagnostics)
    from typed_semconv.output import formatting
    from typed_semconv.output.rendering import render_package

    try:
        sources = render_package(view, templates)
    except Problem as problem:
        diagnostics.add(problem.diagnostic)
        raise InputError(diagnostics) from problem
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
            except Problem as problem:
                diagnostics.add(problem.diagnostic)
                raise InputError(diagnostics) from problem
        files[relative] = text.encode("utf-8")
    return files


def plan_generation(options: GenerateOptions, diagnostics: Diagnostics) -> writing.WritePlan:
    folders = fetch(options.registries, options.sources, diagnostics)
    dependencies = dependency_folders(folders, options.sources)
    inputs = input_digest(
        options, [*folders, *(dependencies or ())], template_dirs(options.templates)
    )
    target = options.output / options.package.replace(".", "/")
    # Without a judgement on the dependencies, only a full load can say whether anything changed.
    unchanged = writing.unchanged_since(target, inputs) if dependencies is not None else None
    if unchanged is not None:
        return unchanged
    files = render(options, folders, diagnostics)
    write_plan = writing.plan(target, files, diagnostics, inputs)
    if diagnostics.has_errors:
        raise InputError(diagnostics)
    return replace(write_plan, clean=len(diagnostics) == 0)


def upgrade_rules(
    baseline: tuple[Registry, SpanNamings],
    head: tuple[Registry, SpanNamings],
    options: GenerateOptions,
    package: str | None,
    diagnostics: Diagnostics,
) -> Rules:
    """What `upgrade` rewrites: the names `generate` gives both registries with `options` (and
    its templates), and where each item of the baseline went."""
    from typed_semconv.output.vocabulary import derive_vocabulary
    from typed_semconv.upgrade.project import build_rules

    templates = find_templates(options.templates, diagnostics)
    if diagnostics.has_errors:
        raise InputError(diagnostics)
    try:
        vocabulary = derive_vocabulary(templates)
    except Problem as problem:
        diagnostics.add(problem.diagnostic)
        raise InputError(diagnostics) from problem
    return build_rules(baseline, head, package, options, vocabulary, diagnostics)
