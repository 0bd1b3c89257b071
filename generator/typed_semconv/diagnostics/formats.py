"""How diagnostics are printed: text for people, GitHub workflow commands, JSON for tools."""

from __future__ import annotations

import json
from collections.abc import Iterable

from typed_semconv.diagnostics.core import Diagnostic, Severity


def format_text(diagnostic: Diagnostic, colour: bool = False) -> str:
    where = f"{diagnostic.location}: " if diagnostic.location else ""
    severity = diagnostic.severity.value
    if colour:
        code = "31" if diagnostic.severity is Severity.ERROR else "33"
        severity = f"\x1b[1;{code}m{severity}\x1b[0m"
    text = f"{where}{severity}: {diagnostic.message} [{diagnostic.code}]"
    if diagnostic.hint:
        text += f"\n  hint: {diagnostic.hint}"
    return text


def _github_escape(text: str, in_property: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if in_property:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(diagnostic: Diagnostic) -> str:
    props = []
    if diagnostic.location:
        props.append(f"file={_github_escape(diagnostic.location.path, True)}")
        if diagnostic.location.line:
            props.append(f"line={diagnostic.location.line}")
        if diagnostic.location.column:
            props.append(f"col={diagnostic.location.column}")
    props.append(f"title={_github_escape(diagnostic.code.name, True)}")
    message = diagnostic.message + (f" (hint: {diagnostic.hint})" if diagnostic.hint else "")
    return f"::{diagnostic.severity.value} {','.join(props)}::{_github_escape(message)}"


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps(
        [
            {
                "severity": d.severity.value,
                "code": d.code.name,
                "message": d.message,
                "path": d.location.path if d.location else None,
                "line": d.location.line if d.location else None,
                "column": d.location.column if d.location else None,
                "hint": d.hint,
            }
            for d in diagnostics
        ],
        indent=2,
    )
