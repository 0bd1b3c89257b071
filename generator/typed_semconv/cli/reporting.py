"""What every command shares: the reporting options and how diagnostics are printed, the click
flags made from the option table, settings read from the command line and `pyproject.toml`, and
the exit codes (0 success, 1 invalid input or stale output, 2 usage error, 3 internal error)."""

from __future__ import annotations

import atexit
import gc
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from typed_semconv.cli.config import find_pyproject, settings_for
from typed_semconv.cli.option_table import Kind, Option, options_of
from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostic, Diagnostics, InputError, Severity
from typed_semconv.diagnostics.formats import format_github, format_json, format_text
from typed_semconv.diagnostics.text import printable
from typed_semconv.options import ConfigError

EXIT_INVALID = 1
EXIT_INTERNAL = 3
_F = TypeVar("_F", bound=Callable[..., Any])
_T = TypeVar("_T")


def report_options(function: _F) -> _F:
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


def click_option(option: Option[object]) -> Callable[[_F], _F]:
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


def table_options(command: str) -> Callable[[_F], _F]:
    """The flags of every option of the table that `command` takes, in the table's order."""

    def decorate(function: _F) -> _F:
        for option in reversed(options_of(command)):
            function = click_option(option)(function)
        return function

    return decorate


def from_settings(
    ctx: click.Context, command: str, params: dict[str, Any], make: Callable[..., _T]
) -> _T:
    """`make` applied to the command's settings; a configuration problem is a usage error."""
    try:
        return make(settings_for(command, params, find_pyproject(Path.cwd())))
    except ConfigError as exc:
        raise click.UsageError(printable(str(exc)), ctx) from exc


class Reporter:
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


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """A batch command builds a large graph of objects that all live until it ends: the cycle
    collector would scan that graph again and again while it grows (a tenth of a generation's
    time) and once more at exit, and find next to no garbage. It is off while the command runs
    and back on after, for a caller that goes on; what is alive at exit is frozen, so the
    interpreter's last collection skips it."""
    enabled = gc.isenabled()
    gc.disable()
    atexit.unregister(gc.freeze)  # registered once however many commands a process runs
    atexit.register(gc.freeze)
    try:
        yield
    finally:
        if enabled:
            # The run's objects join the oldest generation unscanned (freezing and unfreezing
            # moves them there), so the first allocation after does not scan them all at once.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def run_reported(
    reporter: Reporter,
    diagnostics: Diagnostics,
    action: Callable[[], int],
    collect_cycles: bool = False,
) -> None:
    """Run a command body; input problems become diagnostics and exit 1, never a traceback.
    A command whose work grows with something other than the registries (the user's code for
    `upgrade`, a stream for a live check) passes `collect_cycles`."""
    try:
        if collect_cycles:
            code = action()
        else:
            with _without_cycle_collection():
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
