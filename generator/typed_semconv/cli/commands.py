"""Command line: `typed-semconv generate | check | resolve | diff | upgrade` (and `live-check`, from
its own module).

Exit codes: 0 success, 1 invalid input or stale output, 2 usage error, 3 internal error.
Heavy modules are imported inside the commands so that `--help` starts fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from typed_semconv import __version__
from typed_semconv.cli.config import (
    check_options,
    generate_options,
    registry_specs,
    source_options,
)
from typed_semconv.cli.livecheck import live_check
from typed_semconv.cli.option_table import (
    CHECK,
    DIFF,
    GENERATE,
    PACKAGE,
    RESOLVE,
    UPGRADE,
)
from typed_semconv.cli.reporting import (
    EXIT_INVALID,
    Reporter,
    from_settings,
    report_options,
    run_reported,
    table_options,
)
from typed_semconv.diagnostics.core import Diagnostics, Severity
from typed_semconv.options import GenerateOptions, RegistrySpec, SourceOptions

if TYPE_CHECKING:
    from typed_semconv.check.span_naming import SpanNamings
    from typed_semconv.model import Registry

_F = TypeVar("_F", bound=Callable[..., Any])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="typed-semconv")
def main() -> None:
    """Generate typed Python from OpenTelemetry semantic-convention registries."""


@main.command()
@table_options(GENERATE)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 and list the files that would change if stale.",
)
@report_options
@click.pass_context
def generate(
    ctx: click.Context,
    /,
    check: bool,
    quiet: bool,
    verbose: bool,
    diagnostic_format: str,
    werror: bool,
    **values: Any,
) -> None:
    """Generate the typed package from the registries."""
    options: GenerateOptions = from_settings(ctx, GENERATE, values, generate_options)
    reporter = Reporter(quiet, verbose, diagnostic_format, werror)
    diagnostics = Diagnostics()

    def action() -> int:
        from typed_semconv import pipeline
        from typed_semconv.output import writing

        write_plan = pipeline.plan_generation(options, diagnostics)
        target = write_plan.target
        if check:
            if write_plan.is_current:
                reporter.info(f"{target}: up to date ({write_plan.file_count} files)")
                return 0
            click.echo(f"{target}: out of date; generate would change:")
            for label, paths in (
                ("add", write_plan.added),
                ("update", write_plan.changed),
                ("remove", write_plan.removed),
            ):
                for relative in paths:
                    click.echo(f"  {label:<6} {target / relative}")
            return EXIT_INVALID
        if reporter.failed(diagnostics):
            return EXIT_INVALID
        write_plan = writing.write(write_plan, diagnostics)
        if write_plan.is_current:
            reporter.info(f"{target}: up to date ({write_plan.file_count} files)")
        else:
            reporter.info(
                f"{target}: {len(write_plan.added)} added, {len(write_plan.changed)} updated, "
                f"{len(write_plan.removed)} removed, {len(write_plan.unchanged)} unchanged"
            )
        return 0

    run_reported(reporter, diagnostics, action)


@main.command()
@table_options(CHECK)
@report_options
@click.pass_context
def check(
    ctx: click.Context,
    /,
    quiet: bool,
    verbose: bool,
    diagnostic_format: str,
    werror: bool,
    **values: Any,
) -> None:
    """Load, resolve and validate the registries and decide the Python names; report every
    problem `generate` would, and write nothing."""
    options: GenerateOptions = from_settings(ctx, CHECK, values, check_options)
    reporter = Reporter(quiet, verbose, diagnostic_format, werror)
    diagnostics = Diagnostics()

    def action() -> int:
        from typed_semconv.pipeline import check

        registry = check(options, diagnostics)
        reporter.info(f"ok: {len(registry.attributes)} attributes, {len(registry.groups)} groups")
        return 0

    run_reported(reporter, diagnostics, action)


@main.command()
@table_options(RESOLVE)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "yaml"]),
    default="json",
    show_default=True,
    help="Print the registry as JSON or as YAML.",
)
@report_options
@click.pass_context
def resolve(
    ctx: click.Context,
    /,
    output_format: str,
    quiet: bool,
    verbose: bool,
    diagnostic_format: str,
    werror: bool,
    **values: Any,
) -> None:
    """Print the resolved registry as JSON or YAML, and write nothing.

    Every attribute definition, and every group with each attribute as that group uses it after
    `ref`, `extends`, `ref_group`, imports and refinements were applied (requirement level and
    condition, stability, deprecation, examples, annotations), with the file, line and column
    each came from. Use it to see how the registry resolved (why a signal has an attribute,
    which override won), to compare two registries, or to feed other tools. Templates do not
    receive this data: they print the Python view `generate` derives from it (docs/templates.md).
    Nothing is printed when the registry has errors.
    """
    specs: tuple[RegistrySpec, ...]
    source_settings: SourceOptions
    specs, source_settings = from_settings(
        ctx, RESOLVE, values, lambda s: (registry_specs(s), source_options(s))
    )
    reporter = Reporter(quiet, verbose, diagnostic_format, werror)
    diagnostics = Diagnostics()

    def action() -> int:
        from typed_semconv.pipeline import load_resolved
        from typed_semconv.resolve.export import dump_registry

        registry = load_resolved(specs, source_settings, diagnostics)
        click.echo(dump_registry(registry, output_format))
        return 0

    run_reported(reporter, diagnostics, action)


# --- diff and upgrade: comparing two registries, and moving code from one to the other ----------


def _baseline_option(function: _F) -> _F:
    return click.option(
        "--baseline",
        "baselines",
        multiple=True,
        required=True,
        help="The older registry to compare with: any registry reference, as for --registry "
        "(repeatable).",
    )(function)


def _load_checked(
    specs: Sequence[RegistrySpec], sources: SourceOptions, diagnostics: Diagnostics
) -> tuple[Registry, SpanNamings]:
    """A resolved registry whose own warnings are not shown: `diff` and `upgrade` are about the
    changes between registries, not about their quality (`check` is)."""
    from typed_semconv.pipeline import load_checked

    own = Diagnostics()
    try:
        return load_checked(specs, sources, own)
    finally:
        diagnostics.extend(d for d in own.items if d.severity is Severity.ERROR)


def _registry_label(registry: Registry, specs: Sequence[RegistrySpec]) -> str:
    return registry.schema_url or ", ".join(spec.reference for spec in specs)


@main.command()
@_baseline_option
@table_options(DIFF)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="text (grouped; coloured on a terminal), json (weaver's schema-change layout plus "
    "enum members and field changes) or markdown (release notes, pull requests).",
)
@click.option(
    "--fail-on",
    type=click.Choice(["breaking"]),
    help="Exit 1 when a change would break code typed against the baseline's package.",
)
@report_options
@click.pass_context
def diff(
    ctx: click.Context,
    /,
    baselines: tuple[str, ...],
    output_format: str,
    fail_on: str | None,
    quiet: bool,
    verbose: bool,
    diagnostic_format: str,
    werror: bool,
    **values: Any,
) -> None:
    """Compare the registry with a baseline: what was added, removed, renamed, deprecated or
    changed, and which changes break typed code."""
    specs: tuple[RegistrySpec, ...]
    source_settings: SourceOptions
    specs, source_settings = from_settings(
        ctx, DIFF, values, lambda s: (registry_specs(s), source_options(s))
    )
    baseline_specs = tuple(RegistrySpec(reference) for reference in baselines)
    reporter = Reporter(quiet, verbose, diagnostic_format, werror)
    diagnostics = Diagnostics()

    def action() -> int:
        from typed_semconv.diff import formats
        from typed_semconv.diff.compare import compare

        baseline, _ = _load_checked(baseline_specs, source_settings, diagnostics)
        head, _ = _load_checked(specs, source_settings, diagnostics)
        changes = compare(
            baseline,
            head,
            _registry_label(baseline, baseline_specs),
            _registry_label(head, specs),
        )
        if output_format == "json":
            click.echo(formats.format_json(changes))
        elif output_format == "markdown":
            click.echo(formats.format_markdown(changes), nl=False)
        else:
            click.echo(formats.format_text(changes, colour=sys.stdout.isatty()))
        return EXIT_INVALID if fail_on == "breaking" and changes.breaking else 0

    run_reported(reporter, diagnostics, action)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=False))
@_baseline_option
@table_options(UPGRADE)
@click.option(
    "--write", is_flag=True, help="Rewrite the files; without it, print the changes only."
)
@report_options
@click.pass_context
def upgrade(
    ctx: click.Context,
    /,
    paths: tuple[Path, ...],
    baselines: tuple[str, ...],
    write: bool,
    quiet: bool,
    verbose: bool,
    diagnostic_format: str,
    werror: bool,
    **values: Any,
) -> None:
    """Rewrite Python code from the names of the baseline registry to the current one: renamed
    constants and their imports, attribute keys, factory keywords, setters, enum classes and
    members. Prints a unified diff unless --write; what it cannot change safely is reported.

    --package names the generated package the code imports; code using
    opentelemetry-semantic-conventions is upgraded in any case. The options that decide the
    package's names (filters, closed enums, templates) are read as `generate` reads them."""
    try:
        import libcst  # noqa: F401
    except ImportError:
        raise click.UsageError(
            "typed-semconv upgrade needs libcst: pip install 'typed-semconv[upgrade]'", ctx
        ) from None
    options: GenerateOptions
    own_package: str | None
    options, own_package = from_settings(
        ctx, UPGRADE, values, lambda s: (check_options(s), s[PACKAGE])
    )
    baseline_specs = tuple(RegistrySpec(reference) for reference in baselines)
    reporter = Reporter(quiet, verbose, diagnostic_format, werror)
    diagnostics = Diagnostics()

    def action() -> int:
        from typed_semconv.pipeline import upgrade_rules
        from typed_semconv.upgrade import project

        baseline = _load_checked(baseline_specs, options.sources, diagnostics)
        head = _load_checked(options.registries, options.sources, diagnostics)
        rules = upgrade_rules(baseline, head, options, own_package, diagnostics)
        plan = project.plan_upgrade(paths, rules, diagnostics)
        human = sum(
            d.severity is Severity.WARNING and d.code.stage == "upgrade" for d in diagnostics
        )
        if write:
            written = project.write(plan, diagnostics)
            reporter.info(
                f"upgraded {written} of {plan.scanned} file(s): {plan.rewrites} rewrite(s); "
                f"{human} item(s) need a human"
            )
        else:
            for change in plan.changes:
                click.echo(project.unified_diff(change), nl=False)
            reporter.info(
                f"{len(plan.changes)} of {plan.scanned} file(s) would change: {plan.rewrites} "
                f"rewrite(s); {human} item(s) need a human (dry run: --write applies)"
            )
        return 0

    run_reported(reporter, diagnostics, action, collect_cycles=True)


main.add_command(live_check)
