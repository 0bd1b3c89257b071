"""A digest of everything a generation depends on, so that a run whose inputs have not changed can
confirm the output is current without loading, rendering or formatting anything.

The digest covers the tool itself (its version and its source files, so a changed generator never
trusts an old record), the options that shape the output, every template file (the defaults and
the overrides) and every registry file (path and bytes). It is stored in the package's
ownership record; a run compares it, and the recorded hashes of the files on disk, before doing
any work.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from typed_semconv import __version__
from typed_semconv.options import GenerateOptions

_REGISTRY_SUFFIXES = (".yaml", ".yml")


def _files(root: Path, suffixes: tuple[str, ...] | None) -> Iterable[Path]:
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        dirnames.sort()
        for name in sorted(filenames):
            if suffixes is None or name.endswith(suffixes):
                yield Path(dirpath) / name


def input_digest(
    options: GenerateOptions, registries: Sequence[Path], templates: Sequence[Path]
) -> str:
    digest = hashlib.sha256()
    settings = (
        __version__,
        options.package,
        options.filters,
        options.format,
        options.closed_enums,
    )
    digest.update(repr(settings).encode())
    tool = Path(__file__).resolve().parents[1]
    for kind, roots, suffixes in (
        ("tool", [tool], (".py",)),
        ("template", templates, None),
        ("registry", registries, _REGISTRY_SUFFIXES),
    ):
        for index, root in enumerate(roots):
            for path in _files(root, suffixes):
                digest.update(f"\0{kind}:{index}:{path.relative_to(root).as_posix()}\0".encode())
                if path.is_file():
                    digest.update(path.read_bytes())
                else:  # never read a pipe or a device (it may block); the full run reports it
                    digest.update(b"\0not a regular file\0")
    return digest.hexdigest()
