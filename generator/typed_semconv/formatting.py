"""Formatting rendered modules with black, in-process."""

from __future__ import annotations

from dataclasses import dataclass

import black
from black.mode import TargetVersion
from black.parsing import InvalidInput

LINE_LENGTH = 100


@dataclass(frozen=True)
class FormatFailure(Exception):
    """A rendered module is not valid Python (a template bug, never registry text)."""

    path: str
    reason: str


def format_module(path: str, source: str) -> str:
    mode = black.Mode(line_length=LINE_LENGTH, target_versions={TargetVersion.PY39})
    try:
        return black.format_str(source, mode=mode)
    except InvalidInput as exc:
        raise FormatFailure(path, str(exc)) from exc


def check_syntax(path: str, source: str) -> None:
    """With formatting off, still refuse to write a module that does not parse."""
    try:
        compile(source, path, "exec", dont_inherit=True, flags=0x400)  # PyCF_ONLY_AST
    except SyntaxError as exc:
        raise FormatFailure(path, f"line {exc.lineno}: {exc.msg}") from exc
