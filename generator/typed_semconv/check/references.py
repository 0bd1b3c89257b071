"""An unknown `ref` into a namespace that no loaded registry defines is most likely an attribute
of a registry the project forgot to declare as a dependency: its hint says which manifest to
declare it in. (The resolver reports the unknown `ref`; only here are all registries and their
manifests known together.)"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostic, Diagnostics
from typed_semconv.load.registry import display_path
from typed_semconv.model import AttributeRefSpec, RegistrySource


def hint_missing_dependencies(sources: Sequence[RegistrySource], diagnostics: Diagnostics) -> None:
    """Add the missing-dependency hint to each `unknown-ref` whose namespace no source has."""
    if not any(d.code is catalogue.UNKNOWN_REF for d in diagnostics.items):
        return
    namespaces = {a.key.split(".")[0] for source in sources for a in source.attributes}
    refs = {
        member.location: (member.key, source)
        for source in sources
        for group in source.groups
        for member in group.members
        if isinstance(member, AttributeRefSpec)
    }

    def revise(diagnostic: Diagnostic) -> Diagnostic:
        if diagnostic.code is not catalogue.UNKNOWN_REF or diagnostic.location is None:
            return diagnostic
        found = refs.get(diagnostic.location)
        if found is None or found[0].split(".")[0] in namespaces:
            return diagnostic
        key, source = found
        hint = dependency_hint(key.split(".")[0], source)
        return diagnostic.with_hint(
            f"{diagnostic.hint} Otherwise: {hint}" if diagnostic.hint else hint
        )

    diagnostics.revise(revise)


def dependency_hint(namespace: str, source: RegistrySource) -> str:
    if source.manifest is not None:
        where = f"the `dependencies` of {source.manifest.location.path}"
    else:
        where = f"`dependencies` in a manifest.yaml in {display_path(Path(source.root))}"
    return (
        f"no loaded registry defines the namespace `{namespace}`; if another registry does, "
        f"add it to {where}"
    )
