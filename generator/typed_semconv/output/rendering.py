"""Rendering the Python view through Jinja templates.

Default templates ship inside the package (`typed_semconv/templates/python` in a wheel, the
repository's `templates/python` in a source checkout); a `--templates` folder overrides them
file by file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Problem, SourceLocation
from typed_semconv.output import layout
from typed_semconv.output.templates import template_dirs
from typed_semconv.python.view import PyPackage

if TYPE_CHECKING:
    import jinja2

ATTRIBUTES_TEMPLATE = "attributes.py.j2"
METRICS_TEMPLATE = "metrics.py.j2"
SPANS_TEMPLATE = "spans.py.j2"


def make_environment(override_dir: Path | None) -> jinja2.Environment:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(override_dir)]),
        autoescape=False,  # output is Python source; every value is already a safe literal
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.globals.update(
        def_line=layout.def_line,
        call_line=layout.call_line,
        class_line=layout.class_line,
        assign_line=layout.assign_line,
        parameter_line=layout.parameter_line,
        subscript_entry_line=layout.subscript_entry_line,
        update_from_items_line=layout.update_from_items_line,
    )
    return environment


@dataclass(frozen=True)
class RenderedModule:
    text: str
    from_user_template: bool


def render_package(package: PyPackage, override_dir: Path | None) -> dict[str, RenderedModule]:
    """Render every module of the package: relative path -> Python source."""
    import jinja2

    environment = make_environment(override_dir)
    overridden = {
        name
        for name in environment.list_templates()
        if override_dir and (override_dir / name).is_file()
    }
    jobs: list[tuple[str, str, object]] = []
    jobs += [(m.path, m.template, m) for m in package.fixed_modules]
    jobs += [(m.path, ATTRIBUTES_TEMPLATE, m) for m in package.attribute_modules]
    jobs += [(m.path, METRICS_TEMPLATE, m) for m in package.metric_modules]
    jobs += [(m.path, SPANS_TEMPLATE, m) for m in package.span_modules]
    rendered = {"py.typed": RenderedModule("", False)}
    for path, template_name, module in jobs:
        try:
            template = environment.get_template(template_name)  # compiled once, then cached
            text = template.render(module=module, package=package)
            rendered[path] = RenderedModule(text, template_name in overridden)
        except jinja2.TemplateError as exc:
            line = getattr(exc, "lineno", None) or 0
            raise Problem(
                catalogue.TEMPLATE_ERROR, str(exc), SourceLocation(template_name, line)
            ) from exc
    return rendered
