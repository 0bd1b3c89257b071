"""How diagnostics are printed: text for people, GitHub workflow commands, JSON for tools.

Every format shows the registry's text through `text.printable`: control and bidirectional
characters escaped, huge values shortened.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from typed_semconv.diagnostics.core import Diagnostic, Severity
from typed_semconv.diagnostics.text import printable


def format_text(diagnostic: Diagnostic, colour: bool = False) -> str:
    where = f"{printable(str(diagnostic.location))}: " if diagnostic.location else ""
    severity = diagnostic.severity.value
    if colour:
        code = "31" if diagnostic.severity is Severity.ERROR else "33"
        severity = f"\x1b[1;{code}m{severity}\x1b[0m"
    text = f"{where}{severity}: {printable(diagnostic.message)} [{diagnostic.code}]"
    if diagnostic.hint:
        text += f"\n  hint: {printable(diagnostic.hint)}"
    return text


def github_escape(text: str, in_property: bool = False) -> str:
    """Text for a GitHub workflow command: its message, or (`in_property`) a `key=value`."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if in_property:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(diagnostic: Diagnostic) -> str:
    props = []
    if diagnostic.location:
        props.append(f"file={github_escape(printable(diagnostic.location.path), True)}")
        if diagnostic.location.line:
            props.append(f"line={diagnostic.location.line}")
        if diagnostic.location.column:
            props.append(f"col={diagnostic.location.column}")
    props.append(f"title={github_escape(diagnostic.code.name, True)}")
    message = printable(diagnostic.message)
    if diagnostic.hint:
        message += f" (hint: {printable(diagnostic.hint)})"
    return f"::{diagnostic.severity.value} {','.join(props)}::{github_escape(message)}"


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps(
        [
            {
                "severity": d.severity.value,
                "code": d.code.name,
                "message": printable(d.message),
                "path": printable(d.location.path) if d.location else None,
                "line": d.location.line if d.location else None,
                "column": d.location.column if d.location else None,
                "hint": printable(d.hint) if d.hint else d.hint,
            }
            for d in diagnostics
        ],
        indent=2,
    )
