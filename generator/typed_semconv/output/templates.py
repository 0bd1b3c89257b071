"""Where the templates are: the defaults shipped with the tool, and the user's overrides."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def default_templates_dir() -> Path:
    """`typed_semconv/templates/python` in a wheel, `templates/python` in a source checkout."""
    shipped = Path(str(resources.files("typed_semconv"))) / "templates" / "python"
    if shipped.is_dir():
        return shipped
    return Path(__file__).resolve().parents[3] / "templates" / "python"


def template_dirs(override_dir: Path | None) -> list[Path]:
    """Folders searched for a template, first match wins."""
    return [*([override_dir] if override_dir else []), default_templates_dir()]
