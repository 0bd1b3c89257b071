"""Where the templates are: the defaults shipped with the tool, and the user's overrides.

Template folders are listed, and template files read, through the loader's guarded walk
(`load.discovery`), as registry folders are: a pipe, a device, a huge file or a huge tree in an
override folder is reported, never waited on or read whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics, Problem, SourceLocation
from typed_semconv.load.discovery import display_path, read_bytes, walk
from typed_semconv.sources.cache import default_cache_dir

# Below the cache folder: the compiled templates (see `template_code`).
CODE_FOLDER = "templates"


def default_templates_dir() -> Path:
    """`typed_semconv/templates/python` in a wheel, `templates/python` in a source checkout."""
    package = Path(__file__).resolve().parents[1]
    shipped = package / "templates" / "python"
    if shipped.is_dir():
        return shipped
    return package.parents[1] / "templates" / "python"


def template_dirs(override_dir: Path | None) -> list[Path]:
    """Folders searched for a template, first match wins."""
    return [*([override_dir] if override_dir else []), default_templates_dir()]


def code_folder(cache_dir: Path | None) -> Path | None:
    """Where compiled templates are kept: in the cache folder (None without a home folder)."""
    try:
        return (cache_dir or default_cache_dir()) / CODE_FOLDER
    except Problem:
        return None


@dataclass(frozen=True)
class Templates:
    """The templates of a run: each name (its path below a template folder) with its file, the
    override's where it has one, and where their compiled code is kept between runs (None: not
    kept). Hashable, so an environment can be kept per set."""

    override_dir: Path | None
    files: tuple[tuple[str, Path], ...]
    code_dir: Path | None = None

    @property
    def overridden(self) -> frozenset[str]:
        """The names whose file is the user's."""
        if self.override_dir is None:
            return frozenset()
        return frozenset(
            name for name, path in self.files if path.is_relative_to(self.override_dir)
        )


def find_templates(
    override_dir: Path | None, diagnostics: Diagnostics, code_dir: Path | None = None
) -> Templates:
    """The defaults, each replaced by the override of the same name, compiled code kept in
    `code_dir` (see `code_folder`); problems of the walks go to `diagnostics`."""
    files: dict[str, Path] = {}
    for folder in reversed(template_dirs(override_dir)):
        listing = walk(folder, what="templates folder")
        diagnostics.extend(listing.diagnostics)
        files.update((found.relative, found.path) for found in listing.files)
    return Templates(override_dir, tuple(sorted(files.items())), code_dir)


def read_template(path: Path) -> str:
    """A template's text; raises Problem for a special, oversized or non-UTF-8 file."""
    shown = display_path(path)
    data = read_bytes(path, shown)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Problem(
            catalogue.FILE_ENCODING,
            f"the template is not valid UTF-8 (byte {exc.start})",
            SourceLocation(shown),
            "save the file as UTF-8",
        ) from exc
