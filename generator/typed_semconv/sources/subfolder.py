"""Selecting the `[sub/folder]` of a fetched tree, never outside it."""

from __future__ import annotations

import os
from pathlib import Path

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Problem
from typed_semconv.sources.parsing import RegistryReference


def _single_top_folder(root: Path) -> Path | None:
    """The one folder an archive's content sits in (GitHub release archives), if so."""
    try:
        children = [
            c for c in root.iterdir() if not c.name.startswith(".") and c.name != "__MACOSX"
        ]
    except OSError:
        return None
    if len(children) == 1 and children[0].is_dir() and not children[0].is_symlink():
        return children[0]
    return None


def select(root: Path, reference: RegistryReference, *, unwrap: bool) -> Path:
    top = _single_top_folder(root) if unwrap else None
    if reference.subfolder is None:
        return top or root
    parts = reference.subfolder.split("/")
    real_root = os.path.realpath(root)
    for base in (root, top) if top is not None else (root,):
        candidate = base.joinpath(*parts)
        if not candidate.is_dir():
            continue
        real = os.path.realpath(candidate)
        if os.path.commonpath([real_root, real]) != real_root:
            raise Problem(
                catalogue.SOURCE_SUBFOLDER_OUTSIDE,
                f"sub-folder `{reference.subfolder}` of `{reference.display}` leads outside it "
                "(through a symbolic link)",
            )
        return candidate
    where = [root] if top is None else [root, top]
    folders = sorted(
        {c.name for base in where for c in base.iterdir() if c.is_dir() and c.name[0] != "."}
    )
    listing = ", ".join(f"`{name}`" for name in folders[:12]) or "none"
    return_hint = f"folders at the top: {listing}" + (" ..." if len(folders) > 12 else "")
    raise Problem(
        catalogue.SOURCE_SUBFOLDER_MISSING,
        f"`{reference.display}` has no folder `{reference.subfolder}`",
        hint=return_hint,
    )
