"""Command line: `typed-semconv generate | check | resolve | diff | upgrade`.

Exit codes: 0 success, 1 invalid input or stale output, 2 usage error, 3 internal error.
Heavy modules are imported inside the commands so that `--help` starts fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from typed_semconv import __version__
from typed_semconv.cli.config import (
    check_options,
    find_pyproject,
    generate_options,
    registry_specs,
    settings_for,
    source_options,
)
from typed_semconv.cli.option_table import (
    CHECK,
    DIFF,
    GENERATE,
    PACKAGE,
    RESOLVE,
    UPGRADE,
    Kind,
    Option,
    options_of,
)
from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostic, Diagnostics, InputError, Severity
from typed_semconv.diagnostics.formats import format_github, format_json, format_text
from typed_semconv.diagnostics.text import printable
from typed_semconv.options import ConfigError, GenerateOptions, RegistrySpec, SourceOptions

if TYPE_CHECKING:
    from typed_semconv.check.span_naming import SpanNamings
    from typed_semconv.model import Registry

EXIT_INVALID = 1
EXIT_INTERNAL = 3
_F = TypeVar("_F", bound=Callable[..., Any])
_T = TypeVar("_T")


def _report_options(function: _F) -> _F:
    options = [
        click.option("-q", "--quiet", is_flag=True, help="Print errors only."),
        click.option("-v", "--verbose", is_flag=True, help="Print more detail."),
        click.option(
            "--diagnostic-format",
            type=click.Choice(["text", "json", "github"]),
            default="text",
            show_default=True,
            help="How problems are printed.",
        ),
        click.option("--werror", is_flag=True, help="Treat warnings as errors."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _click_option(option: Option[object]) -> Callable[[_F], _F]:
    """The click option of a row of the option table."""
    help_text = f"{option.help} [default: {option.shown_default()}; pyproject: {option.key}]"
    match option.kind:
        case Kind.SWITCH:
            return click.option(
                f"{option.flag}/{option.off_flag}", option.parameter, default=None, help=help_text
            )
        case Kind.TEXT:
            return click.option(
                option.flag, option.parameter, metavar=option.metavar, help=help_text
            )
        case Kind.PATH:
            return click.option(
                option.flag,
                option.parameter,
                type=click.Path(path_type=Path),
                metavar=option.metavar,
                help=help_text,
            )
        case Kind.TEXT_LIST | Kind.REGISTRIES:
            return click.option(
                option.flag,
                option.parameter,
                multiple=True,
                metavar=option.metavar,
                help=help_text,
            )


def _table_options(command: str) -> Callable[[_F], _F]:
    """The flags of every option of the table that `command` takes, in the table's order."""

    def decorate(function: _F) -> _F:
        for option in reversed(options_of(command)):
            function = _click_option(option)(function)
        return function

    return decorate


def _from_settings(
    ctx: click.Context, command: str, params: dict[str, Any], make: Callable[..., _T]
) -> _T:
    """`make` applied to the command's settings; a configuration problem is a usage error."""
    try:
        return make(settings_for(command, params, find_pyproject(Path.cwd())))
    except ConfigError as exc:
        raise click.UsageError(printable(str(exc)), ctx) from exc


class _Reporter:
    def __init__(self, quiet: bool, verbose: bool, diagnostic_format: str, werror: bool):
        self.quiet = quiet
        self.verbose = verbose
        self.format = diagnostic_format
        self.werror = werror

    def shown(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        return [
            d
            for d in diagnostics
            if not (self.quiet and d.severity is Severity.WARNING and not self.werror)
        ]

    def print(self, diagnostics: Diagnostics) -> None:
        shown = self.shown(diagnostics)
        if self.format == "json":
            click.echo(format_json(shown), err=True)
            return
        colour = sys.stderr.isatty()
        for diagnostic in shown:
            line = (
                format_github(diagnostic)
                if self.format == "github"
                else format_text(diagnostic, colour=colour)
            )
            click.echo(line, err=True)
        errors = sum(d.severity is Severity.ERROR for d in diagnostics)
        warnings = len(diagnostics) - errors
        if self.format == "text" and (errors or (warnings and not self.quiet)):
            click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)

    def failed(self, diagnostics: Diagnostics) -> bool:
        return diagnostics.has_errors or (self.werror and len(diagnostics) > 0)

    def info(self, message: str) -> None:
        if not self.quiet:
            click.echo(message)


def _run(reporter: _Reporter, diagnostics: Diagnostics, action: Callable[[], int]) -> None:
    """Run a command body; input problems become diagnostics and exit 1, never a traceback."""
    try:
        code = action()
    except InputError:
        code = EXIT_INVALID
    except OSError as exc:
        diagnostics.report(
            catalogue.IO_ERROR, f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
        )
        code = EXIT_INVALID
    except (click.ClickException, click.exceptions.Exit):
        raise
    except Exception as exc:  # a bug: say so plainly, with the trace only when asked
        reporter.print(diagnostics)
        click.echo(
            f"internal error: {type(exc).__name__}: {printable(str(exc))} "
            "(please report it; run with -v for the trace)",
            err=True,
        )
        if reporter.verbose:
            import traceback

            traceback.print_exc()
        sys.exit(EXIT_INTERNAL)
    reporter.print(diagnostics)
    if code == 0 and reporter.failed(diagnostics):
        code = EXIT_INVALID
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="typed-semconv")
def main() -> None:
    """Generate typed Python from OpenTelemetry semantic-convention registries."""


@main.command()
@_table_options(GENERATE)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 and list the files that would change if stale.",
)
@_report_options
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
    options: GenerateOptions = _from_settings(ctx, GENERATE, values, generate_options)
    reporter = _Reporter(quiet, verbose, diagnostic_format, werror)
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

    _run(reporter, diagnostics, action)


@main.command()
@_table_options(CHECK)
@_report_options
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
    options: GenerateOptions = _from_settings(ctx, CHECK, values, check_options)
    reporter = _Reporter(quiet, verbose, diagnostic_format, werror)
    diagnostics = Diagnostics()

    def action() -> int:
        from typed_semconv.pipeline import check

        registry = check(options, diagnostics)
        reporter.info(f"ok: {len(registry.attributes)} attributes, {len(registry.groups)} groups")
        return 0

    _run(reporter, diagnostics, action)


@main.command()
@_table_options(RESOLVE)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "yaml"]),
    default="json",
    show_default=True,
    help="Print the registry as JSON or as YAML.",
)
@_report_options
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
    specs, source_settings = _from_settings(
        ctx, RESOLVE, values, lambda s: (registry_specs(s), source_options(s))
    )
    reporter = _Reporter(quiet, verbose, diagnostic_format, werror)
    diagnostics = Diagnostics()

    def action() -> int:
        from typed_semconv.pipeline import load_resolved
        from typed_semconv.resolve.export import dump_registry

        registry = load_resolved(specs, source_settings, diagnostics)
        click.echo(dump_registry(registry, output_format))
        return 0

    _run(reporter, diagnostics, action)


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
@_table_options(DIFF)
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
@_report_options
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
    specs, source_settings = _from_settings(
        ctx, DIFF, values, lambda s: (registry_specs(s), source_options(s))
    )
    baseline_specs = tuple(RegistrySpec(reference) for reference in baselines)
    reporter = _Reporter(quiet, verbose, diagnostic_format, werror)
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

    _run(reporter, diagnostics, action)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=False))
@_baseline_option
@_table_options(UPGRADE)
@click.option(
    "--write", is_flag=True, help="Rewrite the files; without it, print the changes only."
)
@_report_options
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
    options, own_package = _from_settings(
        ctx, UPGRADE, values, lambda s: (check_options(s), s[PACKAGE])
    )
    baseline_specs = tuple(RegistrySpec(reference) for reference in baselines)
    reporter = _Reporter(quiet, verbose, diagnostic_format, werror)
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

    _run(reporter, diagnostics, action)


# `live-check` lives in its own module, which builds on the helpers above.
from typed_semconv.cli.livecheck import live_check  # noqa: E402

main.add_command(live_check)
