"""How a diff is printed: text for a terminal, JSON in the layout of weaver's schema-change
report (plus our own categories), and Markdown for release notes and pull-request comments.

Names and notes come from registries, which may be hostile: text output shows them on one line
through `printable` (no terminal escapes, no hidden characters), Markdown also escapes what
would be markup.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from typing import Any

from typed_semconv.diagnostics.text import printable
from typed_semconv.diff.changes import Change, ChangeType, FieldChange, RegistryDiff, Subject

# weaver's `registry` keys, then ours.
JSON_KEYS = {
    Subject.ATTRIBUTE: "attribute_changes",
    Subject.ATTRIBUTE_GROUP: "attribute_group_changes",
    Subject.ENTITY: "entity_changes",
    Subject.EVENT: "event_changes",
    Subject.METRIC: "metric_changes",
    Subject.SPAN: "span_changes",
    Subject.ENUM_MEMBER: "enum_member_changes",
}
_TITLES = {
    Subject.ATTRIBUTE: "attributes",
    Subject.ENUM_MEMBER: "enum members",
    Subject.ATTRIBUTE_GROUP: "attribute groups",
    Subject.METRIC: "metrics",
    Subject.SPAN: "spans",
    Subject.EVENT: "events",
    Subject.ENTITY: "entities",
}
_COLOURS = {
    ChangeType.ADDED: "32",
    ChangeType.REMOVED: "31",
    ChangeType.RENAMED: "33",
    ChangeType.OBSOLETED: "33",
    ChangeType.UNCATEGORIZED: "33",
    ChangeType.UPDATED: "36",
}


def _plain(text: str) -> str:
    """Registry text on one line (each run of white space, line breaks too, is one space),
    with every hidden character escaped: it cannot drive the terminal nor read as other text.
    Never shortened: a diff shows every change in full."""
    return printable(" ".join(text.split()), limit=sys.maxsize)


def _field_text(field: FieldChange) -> str:
    subject = f"{field.field} of {field.attribute}" if field.attribute else field.field
    if field.field == "attribute":
        return f"attribute {field.attribute} " + (
            f"added ({field.after})" if field.before is None else "removed"
        )
    return f"{subject}: {field.before or '(none)'} -> {field.after or '(none)'}"


def describe(change: Change) -> str:
    """One line saying what happened to the item, without its name."""
    if change.type is ChangeType.RENAMED:
        text = f"renamed to {change.new_name}"
    elif change.type is ChangeType.UPDATED:
        text = "; ".join(_field_text(f) for f in change.fields)
    else:
        text = change.type.value
    if change.note and change.type.is_deprecation:
        text += f" ({change.note})"
    return _plain(text)


def _grouped(diff: RegistryDiff) -> Iterable[tuple[Subject, ChangeType, list[Change]]]:
    for subject in Subject:
        of_subject = diff.of(subject)
        for change_type in ChangeType:
            found = [c for c in of_subject if c.type is change_type]
            if found:
                yield subject, change_type, found


def format_text(diff: RegistryDiff, colour: bool = False) -> str:
    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if colour else text

    lines = [f"Changes from {_plain(diff.baseline)} (baseline) to {_plain(diff.head)} (head)"]
    breaking = diff.breaking
    lines.append("")
    if breaking:
        lines.append(paint(f"Breaking for typed code ({len(breaking)}):", "1;31"))
        lines += [
            f"  {c.subject.value:<13} {_plain(c.qualified_name)}: {describe(c)}" for c in breaking
        ]
    else:
        lines.append("Nothing breaks typed code.")
    for subject, change_type, changes in _grouped(diff):
        lines += ["", paint(f"{_TITLES[subject]}, {change_type.value} ({len(changes)}):", "1")]
        for change in changes:
            mark = paint("!", "1;31") if change.breaking else " "
            name = paint(_plain(change.qualified_name), _COLOURS[change_type])
            detail = (
                "" if change_type in (ChangeType.ADDED, ChangeType.REMOVED) else describe(change)
            )
            lines.append(f" {mark} {name}" + (f": {detail}" if detail else ""))
    lines += ["", summary_line(diff)]
    return "\n".join(lines)


def summary_line(diff: RegistryDiff) -> str:
    counts = diff.counts()
    parts = []
    for subject in Subject:
        shown = [f"{counts[subject, t]} {t.value}" for t in ChangeType if counts[subject, t]]
        if shown:
            parts.append(f"{_TITLES[subject]}: {', '.join(shown)}")
    parts.append(f"{len(diff.breaking)} breaking")
    return "; ".join(parts)


# The note weaver gives a deprecation that was written without one.
_DEFAULT_NOTES = {ChangeType.OBSOLETED: "Obsoleted.", ChangeType.UNCATEGORIZED: "Uncategorized."}


def _weaver_note(change: Change) -> str:
    if change.note:
        return change.note
    if change.type is ChangeType.RENAMED:
        return f"Replaced by `{change.new_name}`."
    return _DEFAULT_NOTES.get(change.type, "")


def _json_change(change: Change) -> dict[str, Any]:
    item: dict[str, Any] = {"type": change.type.value}
    if change.type is ChangeType.RENAMED:
        item.update(old_name=change.name, new_name=change.new_name, note=_weaver_note(change))
    else:
        item["name"] = change.name
        if change.type.is_deprecation:
            item["note"] = _weaver_note(change)
    if change.owner is not None:
        item["attribute"] = change.owner
    if change.fields:
        item["fields"] = [
            {
                "field": f.field,
                **({"attribute": f.attribute} if f.attribute else {}),
                "before": f.before,
                "after": f.after,
                "breaking": f.breaking,
            }
            for f in change.fields
        ]
    item["breaking"] = change.breaking
    return item


def format_json(diff: RegistryDiff) -> str:
    """weaver's `SchemaChanges` (v2) layout; `enum_member_changes`, `updated` entries with
    their `fields`, `breaking` and `summary` are ours (extra keys its schema allows)."""
    counts = diff.counts()
    document = {
        "head_schema_url": {"url": diff.head},
        "baseline_schema_url": {"url": diff.baseline},
        "registry": {
            key: [_json_change(c) for c in diff.of(subject)] for subject, key in JSON_KEYS.items()
        },
        "summary": {
            "breaking": len(diff.breaking),
            "counts": {
                JSON_KEYS[subject]: {t.value: counts[subject, t] for t in ChangeType}
                for subject in Subject
            },
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def _md(text: str) -> str:
    """Registry text as inert Markdown: one line, every markup character escaped."""
    return _MD_SPECIAL.sub(r"\\\1", _plain(text)).replace("&", "&amp;")


def _md_code(text: str) -> str:
    """A code span that no backtick in `text` can close early."""
    text = _plain(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _md_line(change: Change) -> str:
    name = _md_code(change.qualified_name)
    if change.type is ChangeType.RENAMED:
        line = f"- {name} → {_md_code(change.new_name or '')}"
    elif change.type is ChangeType.UPDATED:
        line = f"- {name}: " + "; ".join(_md(_field_text(f)) for f in change.fields)
    else:
        line = f"- {name}"
    if change.note and change.type.is_deprecation:
        line += f" — {_md(change.note)}"
    return line + (" **(breaking)**" if change.breaking else "")


def format_markdown(diff: RegistryDiff) -> str:
    counts = diff.counts()
    lines = [
        f"## Semantic-convention changes: {_md_code(diff.baseline)} → {_md_code(diff.head)}",
        "",
        "| | " + " | ".join(t.value for t in ChangeType) + " |",
        "| --- |" + " ---: |" * len(ChangeType),
    ]
    for subject in Subject:
        if any(counts[subject, t] for t in ChangeType):
            row = " | ".join(str(counts[subject, t]) for t in ChangeType)
            lines.append(f"| {_TITLES[subject]} | {row} |")
    breaking = diff.breaking
    lines += ["", f"### Breaking for typed code ({len(breaking)})", ""]
    lines += [f"- {c.subject.value} " + _md_line(c)[2:] for c in breaking] or [
        "Nothing breaks code written against the baseline's generated package."
    ]
    for subject, change_type, changes in _grouped(diff):
        title = f"{_TITLES[subject].capitalize()}, {change_type.value} ({len(changes)})"
        lines += ["", "<details>", f"<summary>{title}</summary>", ""]
        lines += [_md_line(c) for c in changes]
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"
