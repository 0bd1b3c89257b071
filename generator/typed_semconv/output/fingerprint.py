"""A digest of everything a generation depends on, so that a run whose inputs have not changed can
confirm the output is current without loading, rendering or formatting anything.

The digest covers the tool itself (its version and its source files, so a changed generator never
trusts an old record), what it runs with that shapes the output (the Python version, PyYAML, Jinja,
and black's version when the output is formatted: a new black may lay code out differently), the
options that shape the output, every template file (the defaults and the overrides) and every
registry file (path and bytes). It is stored in the package's ownership record; a run compares it,
and the recorded hashes of the files on disk, before doing any work.

Every folder is listed, and every file read, through the loader's guarded walk
(`load.discovery`), with the same limits as the full run: what the full run would refuse (a
pipe, a huge file, a tree too large to be a registry) goes into the digest as that refusal,
unread, and the full run then reports it.
"""

from __future__ import annotations

import functools
import hashlib
import sys
from collections.abc import Sequence
from pathlib import Path

import jinja2
import yaml

from typed_semconv import __version__
from typed_semconv.diagnostics.core import Problem
from typed_semconv.load.discovery import REGISTRY_SUFFIXES, read_bytes, walk
from typed_semconv.options import GenerateOptions
from typed_semconv.output.formatting import formatter_version


def toolchain(formatted: bool) -> tuple[str, ...]:
    """What the tool runs with that can change its output: Python, PyYAML (and whether libyaml
    reads the files), Jinja (which renders the templates), and black when the output goes
    through it."""
    return (
        f"{sys.implementation.name} {sys.version_info[0]}.{sys.version_info[1]}",
        f"pyyaml {yaml.__version__} libyaml {getattr(yaml, '__with_libyaml__', False)}",
        f"jinja2 {jinja2.__version__}",
        *([f"black {formatter_version()}"] if formatted else []),
    )


def input_digest(
    options: GenerateOptions, registries: Sequence[Path], templates: Sequence[Path]
) -> str:
    digest = hashlib.sha256()
    settings = (
        options.package,
        options.filters,
        options.format,
        options.closed_enums,
        options.name_overrides,
        toolchain(options.format),
    )
    digest.update(repr(settings).encode())
    digest.update(tool_digest().encode())
    for kind, roots, suffixes in (
        ("template", templates, None),
        ("registry", registries, REGISTRY_SUFFIXES),
    ):
        for index, root in enumerate(roots):
            _add_files(digest, f"{kind}:{index}", root, suffixes)
    return digest.hexdigest()


@functools.cache
def tool_digest() -> str:
    """A digest of the tool itself: its version and every source file."""
    digest = hashlib.sha256(__version__.encode())
    _add_files(digest, "tool", Path(__file__).resolve().parents[1], (".py",))
    return digest.hexdigest()


def _add_files(
    digest: hashlib._Hash, label: str, root: Path, suffixes: tuple[str, ...] | None
) -> None:
    """Every file below `root` (its path and bytes) into `digest`, and what the walk met."""
    listing = walk(root, suffixes)
    for problem in listing.diagnostics:  # a loop, an unreadable folder, too many files
        digest.update(f"\0{label}:{problem.code}:{problem.message}\0".encode())
    for found in listing.files:
        digest.update(f"\0{label}:{found.relative}\0".encode())
        try:
            digest.update(read_bytes(found.path, found.relative))
        except Problem as refused:  # the full run reports it
            digest.update(f"\0refused:{refused.code}\0".encode())
