"""Formatting: the default templates render in black's style already (see `layout`), so black
runs only on modules rendered from the user's own templates or holding a line the layout rules do
not cover. black is imported on first use: it is the slowest import of the tool."""

from __future__ import annotations

import re
from typing import Any

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Problem, SourceLocation
from typed_semconv.output.layout import LINE_LENGTH, fits

# Over-long lines black cannot split and leaves alone: a lone string (with an optional keyword or
# trailing comma), as in `description="...",` or a wrapped decorator argument, and a plain name
# assigned a lone string (`layout.assign_line` wraps it in parentheses whenever that fits).
_UNSPLITTABLE = re.compile(
    r'^\s*(?:[A-Za-z_][A-Za-z0-9_]*=|[A-Za-z_][A-Za-z0-9_]* = )?"(?:[^"\\]|\\.)*",?$'
)


def needs_black(source: str) -> bool:
    """True when a code line (outside docstrings) is longer than black allows and could be split.

    Only the code between docstrings is scanned: the text between triple quotes, less the lines
    a triple quote stands on (black leaves a docstring's text alone)."""
    pieces = source.split('"""')
    last = len(pieces) - 1
    for index in range(0, len(pieces), 2):  # even pieces: outside every docstring
        code = pieces[index]
        start = 0 if index == 0 else code.find("\n") + 1  # after the line a docstring ends on
        end = len(code) if index == last else code.rfind("\n")  # before the one the next starts on
        if (start == 0 and index > 0) or end < start:
            continue  # no whole line here
        # Only a longer line can be too long: one of at most 100 ASCII characters fits, and one
        # of at most 50 fits even if every character is wide.
        longest_fitting = LINE_LENGTH if code.isascii() else LINE_LENGTH // 2
        for line in code[start:end].split("\n"):
            if len(line) > longest_fitting and not fits(line) and not _UNSPLITTABLE.match(line):
                return True
    return False


_MODE: Any = None


def formatter_version() -> str:
    """The version of black that `format_module` runs, found without importing black."""
    import importlib

    try:
        version = importlib.import_module("_black_version").version  # black's own record of it
    except (ImportError, AttributeError):  # pragma: no cover - every black accepted here has it
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version as installed

        try:
            return installed("black")
        except PackageNotFoundError:
            return "missing"
    return str(version)


def format_module(path: str, source: str) -> str:
    global _MODE
    import black
    from black.mode import TargetVersion
    from black.parsing import InvalidInput

    if _MODE is None:
        _MODE = black.Mode(line_length=LINE_LENGTH, target_versions={TargetVersion.PY310})
    try:
        return black.format_str(source, mode=_MODE)
    except InvalidInput as exc:
        raise _invalid_python(path, str(exc)) from exc


def check_syntax(path: str, source: str) -> None:
    """Refuse to write a module that does not compile (duplicate parameters included)."""
    try:
        compile(source, path, "exec", dont_inherit=True)
    except SyntaxError as exc:
        raise _invalid_python(path, f"line {exc.lineno}: {exc.msg}") from exc


def _invalid_python(path: str, reason: str) -> Problem:
    return Problem(
        catalogue.TEMPLATE_INVALID_PYTHON,
        f"the templates produced invalid Python: {reason}",
        SourceLocation(path),
        "check the --templates overrides",
    )
