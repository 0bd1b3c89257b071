"""Rendering the Python view through Jinja templates.

Default templates ship inside the package (`typed_semconv/templates/python` in a wheel, the
repository's `templates/python` in a source checkout); a `--templates` folder overrides them
file by file.
"""

from __future__ import annotations

import functools
import os
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Problem, SourceLocation
from typed_semconv.output import layout
from typed_semconv.output.templates import Templates, read_template, template_dirs
from typed_semconv.python.package import PyPackage

if TYPE_CHECKING:
    from collections.abc import Callable

    import jinja2

ATTRIBUTES_TEMPLATE = "attributes.py.j2"
METRICS_TEMPLATE = "metrics.py.j2"
SPANS_TEMPLATE = "spans.py.j2"
EVENTS_TEMPLATE = "events.py.j2"
ENTITIES_TEMPLATE = "entities.py.j2"


@functools.lru_cache(maxsize=4)
def make_environment(templates: Templates) -> jinja2.Environment:
    """One environment per set of templates: it compiles each template once (or loads the code
    a previous run compiled) and notices when a template file changes."""
    import jinja2

    from typed_semconv.output.template_code import TemplateCode, private_folder

    files = dict(templates.files)

    class GuardedLoader(jinja2.BaseLoader):
        """Only the templates the guarded walk found, each read through its checks (a pipe,
        a device or a huge file is refused, never read)."""

        def get_source(
            self, environment: jinja2.Environment, template: str
        ) -> tuple[str, str, Callable[[], bool]]:
            path = files.get(template)
            if path is None:
                raise jinja2.TemplateNotFound(template)
            text = read_template(path)
            mtime = _mtime(path)
            return text, str(path), lambda: mtime is not None and _mtime(path) == mtime

        def list_templates(self) -> list[str]:
            return sorted(files)

    environment = jinja2.Environment(
        loader=GuardedLoader(),
        autoescape=False,  # output is Python source; every value is already a safe literal
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    code_dir = templates.code_dir
    if code_dir is not None and private_folder(code_dir):
        environment.bytecode_cache = TemplateCode(code_dir, _compile_settings(environment))
    environment.globals.update(
        def_line=layout.def_line,
        call_line=layout.call_line,
        class_line=layout.class_line,
        assign_line=layout.assign_line,
        parameter_line=layout.parameter_line,
        subscript_entry_line=layout.subscript_entry_line,
        entry_line=layout.entry_line,
        update_from_items_line=layout.update_from_items_line,
    )
    return environment


def _compile_settings(environment: jinja2.Environment) -> str:
    """Every setting of the environment that shapes a template's compiled code."""
    return repr(
        (
            environment.block_start_string,
            environment.block_end_string,
            environment.variable_start_string,
            environment.variable_end_string,
            environment.comment_start_string,
            environment.comment_end_string,
            environment.line_statement_prefix,
            environment.line_comment_prefix,
            environment.trim_blocks,
            environment.lstrip_blocks,
            environment.newline_sequence,
            environment.keep_trailing_newline,
            sorted(environment.extensions),
            environment.optimized,
            environment.autoescape,
            environment.finalize is not None,
            environment.undefined.__name__,
            environment.is_async,
        )
    )


@dataclass(frozen=True)
class RenderedModule:
    text: str
    from_user_template: bool


def _mtime(path: Path) -> float | None:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return None


def render_package(package: PyPackage, templates: Templates) -> dict[str, RenderedModule]:
    """Render every module of the package: relative path -> Python source.

    A template gets one variable, `module`: the view of the module it renders. A template
    that cannot be read (or fails) raises Problem.
    """
    environment = make_environment(templates)
    override_dir = templates.override_dir
    overridden = templates.overridden
    jobs: list[tuple[str, str, object]] = []
    jobs += [(m.path, m.template, m) for m in package.fixed_modules]
    jobs += [(m.path, ATTRIBUTES_TEMPLATE, m) for m in package.attribute_modules]
    jobs += [(m.path, METRICS_TEMPLATE, m) for m in package.metric_modules]
    jobs += [(m.path, SPANS_TEMPLATE, m) for m in package.span_modules]
    jobs += [(m.path, EVENTS_TEMPLATE, m) for m in package.event_modules]
    jobs += [(m.path, ENTITIES_TEMPLATE, m) for m in package.entity_modules]
    rendered = {"py.typed": RenderedModule("", False)}
    for path, template_name, module in jobs:
        try:
            template = environment.get_template(template_name)  # compiled once, then cached
            text = template.render(module=module)
        except Problem:  # a template file that is refused (a pipe, a device, too large)
            raise
        except Exception as exc:
            problem = _template_problem(exc, template_name, override_dir)
            if problem is None:
                raise  # a bug of the default templates
            raise problem from exc
        rendered[path] = RenderedModule(text, template_name in overridden)
    return rendered


def _template_problem(
    exc: Exception, template_name: str, override_dir: Path | None
) -> Problem | None:
    """A `template-error` located in the template that failed, at its line.

    A jinja error is the template's fault wherever it happens; any other exception is when it
    was raised in a user's template (a division by zero, a wrong call, a missing key). In the
    default templates it is a bug of the generator: None.
    """
    import jinja2

    path, line = _failing_template_line(exc, override_dir)
    in_user_template = override_dir is not None and path is not None and _inside(path, override_dir)
    if isinstance(exc, jinja2.TemplateSyntaxError):
        path, line = exc.filename or path, exc.lineno
    elif not isinstance(exc, jinja2.TemplateError) and not in_user_template:
        return None
    message = str(exc) if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__}: {exc}"
    return Problem(
        catalogue.TEMPLATE_ERROR,
        f"rendering {template_name} failed: {message}",
        SourceLocation(path or template_name, line or 0),
    )


def _failing_template_line(
    exc: BaseException, override_dir: Path | None
) -> tuple[str | None, int | None]:
    """The innermost frame of the traceback that runs a template (jinja maps those frames to
    the template's file and line), or (None, None)."""
    folders = [str(d) for d in template_dirs(override_dir)]
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(".j2") or any(frame.filename.startswith(f) for f in folders):
            found = (frame.filename, frame.lineno)
    return found


def _inside(path: str, folder: Path) -> bool:
    return Path(path).resolve().is_relative_to(folder.resolve())
