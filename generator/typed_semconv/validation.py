"""Checks on the resolved registry that go beyond the schema of a single file."""

from __future__ import annotations

import re

from typed_semconv.diagnostics import Diagnostics
from typed_semconv.model import Attribute, Registry

_ATTRIBUTE_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
_MEMBER_ID = re.compile(r"^[a-z0-9_.\-]+$", re.IGNORECASE)


def validate(registry: Registry, diagnostics: Diagnostics) -> None:
    keys = {attribute.key: attribute for attribute in registry.attributes}
    for attribute in registry.attributes:
        _check_name(attribute, keys, diagnostics)
        _check_members(attribute, diagnostics)
        deprecation = attribute.deprecation
        if deprecation and deprecation.renamed_to and deprecation.renamed_to not in keys:
            diagnostics.warning(
                "unknown-renamed-to",
                f"`{attribute.key}` is renamed to `{deprecation.renamed_to}`, "
                "which is not an attribute of the registry",
                attribute.location,
            )


def _check_name(attribute: Attribute, keys: dict[str, Attribute], diagnostics: Diagnostics) -> None:
    key = attribute.key
    if not _ATTRIBUTE_NAME.match(key):
        diagnostics.error(
            "attribute-invalid-name",
            f"attribute name `{key}` breaks the naming rules",
            attribute.location,
            "use lowercase dot-separated namespaces and snake_case segments, "
            "e.g. `http.request.method`",
        )
        return
    parts = key.split(".")
    for end in range(1, len(parts)):
        namespace = ".".join(parts[:end])
        other = keys.get(namespace)
        if other is not None and other.deprecation is None and attribute.deprecation is None:
            diagnostics.error(
                "attribute-namespace-collision",
                f"`{namespace}` is an attribute and also the namespace of `{key}`",
                attribute.location,
                f"rename one of them, or deprecate `{namespace}` ({other.location})",
            )


def _check_members(attribute: Attribute, diagnostics: Diagnostics) -> None:
    members = attribute.type.members
    if not members:
        return
    seen: set[str] = set()
    for member in members:
        if member.id in seen:
            diagnostics.error(
                "enum-duplicate-member",
                f"enum `{attribute.key}` has member `{member.id}` twice",
                member.location,
                "give each member its own id",
            )
        seen.add(member.id)
        if not _MEMBER_ID.match(member.id):
            diagnostics.warning(
                "enum-member-invalid-id",
                f"enum member id `{member.id}` of `{attribute.key}` is not lowercase "
                "snake_case; its Python name is derived safely",
                member.location,
            )
