"""Enum classes: one member per registry member, with names `enum` accepts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics
from typed_semconv.model import Attribute, EnumMember
from typed_semconv.python import naming
from typed_semconv.python.context import Context
from typed_semconv.python.namer import by_precedence
from typed_semconv.python.texts import deprecation_text, describe
from typed_semconv.python.view import PyEnum, PyEnumMember


def enum(context: Context, attribute: Attribute, class_name: str) -> PyEnum:
    assert attribute.type.members is not None
    kept = [m for m in attribute.type.members if context.selection.member(m)]
    ranked = by_precedence(kept, lambda m: m.id)
    wanted = [(m.id, naming.member_name(m.id)) for m in ranked]
    # A class body is a scope of its own: members only avoid each other (and never take a name
    # `enum` reserves, see `naming.member_name`). Renames get their own warning.
    names = naming.disambiguate(wanted)
    _warn_member_collisions(context.diagnostics, attribute, ranked, dict(wanted), names)
    literals = [naming.value_literal(m.value) for m in kept]
    members = tuple(
        PyEnumMember(
            name=names[m.id],
            value=literal,
            docstring=naming.docstring_literal(
                describe(m.brief or m.id, m.note, m.stability, m.deprecation)
            ),
            repeats_value=literal in literals[:index],
        )
        for index, (m, literal) in enumerate(zip(kept, literals, strict=True))
    )
    deprecated = None
    if attribute.deprecation is not None:
        deprecated = naming.string_literal(
            f"The attribute {attribute.key} is deprecated - "
            f"{deprecation_text(attribute.deprecation)}"
        )
    closed = "closed" if attribute.type.closed else "open: other values are allowed too"
    doc = f"Values of `{attribute.key}` ({closed})."
    return PyEnum(class_name, naming.docstring_literal(doc), deprecated, members)


def _warn_member_collisions(
    diagnostics: Diagnostics,
    attribute: Attribute,
    ranked: Sequence[EnumMember],
    wanted: Mapping[str, str],
    names: Mapping[str, str],
) -> None:
    """Members renamed with a `_2`, `_3`... suffix, which a reader would not expect.

    The member that ranks first keeps the name. A deprecated member that yields its name to
    its replacement (`azure_vm` renamed to `azure.vm`) is the expected case: no warning.
    """
    holder = {names[m.id]: m for m in ranked}
    for member in ranked:
        name = wanted[member.id]
        if names[member.id] == name:
            continue
        winner = holder.get(name)
        if winner is None or (member.deprecation is not None and winner.deprecation is None):
            continue
        diagnostics.report(
            catalogue.ENUM_MEMBER_COLLISION,
            f"enum member `{member.id}` of `{attribute.key}` has the same Python name "
            f"`{name}` as member `{winner.id}`",
            member.location.at("id"),
            f"`{winner.id}` is at {winner.location.at('id')}; give the members ids that "
            "differ in more than `.`, `_` or other punctuation",
        )
