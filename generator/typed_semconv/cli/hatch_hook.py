"""A Hatch build hook: generate the package while `python -m build` or `pip install` builds the
project, with the configuration of `[tool.typed-semconv]`.

Enable it in the project's pyproject.toml (README's "Use it in your project" shows how to require
typed-semconv before it is on the package index):

    [build-system]
    requires = ["hatchling", "typed-semconv"]
    build-backend = "hatchling.build"

    [tool.hatch.build.hooks.typed-semconv]

The generated package is added to the wheel even when it is git-ignored. Hatch finds the hook
through the `hatch` entry point of typed-semconv.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.config import BuilderConfig
from hatchling.builders.hooks.plugin.interface import BuildHookInterface
from hatchling.plugin import hookimpl

from typed_semconv.cli.config import generate_options, read_config
from typed_semconv.cli.option_table import merge
from typed_semconv.diagnostics.core import Diagnostics, InputError
from typed_semconv.diagnostics.formats import format_text
from typed_semconv.diagnostics.text import printable
from typed_semconv.options import ConfigError, GenerateOptions


class GenerationFailed(Exception):
    """The build stops with the diagnostics, as the command line would print them."""


def build_options(root: Path) -> GenerateOptions:
    """The options of a build: `[tool.typed-semconv]` of the project's pyproject.toml, read as
    the command line reads it (there is no command line to override it)."""
    return generate_options(merge({}, read_config(root / "pyproject.toml")))


class TypedSemconvBuildHook(BuildHookInterface[BuilderConfig]):
    PLUGIN_NAME = "typed-semconv"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name not in ("wheel", "editable"):
            return  # an sdist ships the registry; its wheel build generates
        from typed_semconv import pipeline
        from typed_semconv.output import writing

        try:
            options = build_options(Path(self.root))
        except ConfigError as exc:
            raise GenerationFailed(f"typed-semconv: {printable(str(exc))}") from exc
        diagnostics = Diagnostics()
        try:
            write_plan = pipeline.plan_generation(options, diagnostics)
            write_plan = writing.write(write_plan, diagnostics)
        except InputError as exc:
            lines = "\n".join(format_text(d) for d in exc.diagnostics)
            raise GenerationFailed(
                f"typed-semconv could not generate the package:\n{lines}"
            ) from exc
        for diagnostic in diagnostics:
            self.app.display_warning(format_text(diagnostic))
        if self.target_name == "wheel":  # the generated files, not the ownership record
            package_path = options.package.replace(".", "/")
            for relative in sorted({*write_plan.files, *write_plan.unchanged}):
                source = str(write_plan.target / relative)
                build_data["force_include"][source] = f"{package_path}/{relative}"
        self.app.display_info(f"typed-semconv: generated {write_plan.target}")


@hookimpl
def hatch_register_build_hook() -> type[TypedSemconvBuildHook]:
    return TypedSemconvBuildHook
