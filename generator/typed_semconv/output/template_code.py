"""Compiled templates kept between runs, so a run does not compile the same templates again.

Jinja compiles a template to Python code; that code is kept in `<cache>/templates/` (the cache of
fetched registries, `--cache-dir`), one file per template, and used only when it was compiled
from exactly the template's text, by the same jinja and Python, with the same environment
settings: the file starts with a digest of all of those, and any other file is compiled afresh
and replaced. Compiled code is code, so the folder must be the user's own: a folder or file owned
by someone else, writable by others, or reached through a symbolic link is never read. Anything
that goes wrong with the cache (a read-only home, a full disk) only means compiling again.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from jinja2.bccache import Bucket

from typed_semconv.load.discovery import read_at_most

if TYPE_CHECKING:
    from types import CodeType

FOLDER_NAME = "templates"
_MAX_BYTES = 4 * 1024 * 1024
_SUFFIX = ".code"


def private_folder(folder: Path) -> bool:
    """Create `folder` for this user alone if needed; whether it is safe to load code from."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return _owned_and_private(os.lstat(folder), stat.S_ISDIR)
    except OSError:
        return False


def _owned_and_private(info: os.stat_result, kind: Callable[[int], bool]) -> bool:
    getuid = getattr(os, "getuid", None)
    return (
        kind(info.st_mode)
        and (getuid is None or info.st_uid == getuid())
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


class TemplateCode(jinja2.BytecodeCache):
    """Jinja's bytecode cache, kept in a private folder; `settings` names everything besides
    a template's text that its compiled code depends on (the environment's options)."""

    def __init__(self, folder: Path, settings: str) -> None:
        self.folder = folder
        self.settings = f"{settings}|jinja2 {jinja2.__version__}|{sys.implementation.cache_tag}"

    def get_source_checksum(self, source: str) -> str:
        """What the compiled code must have been made from: this text, these settings."""
        return hashlib.sha256(f"{self.settings}\0{source}".encode()).hexdigest()

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}{_SUFFIX}"

    def load_bytecode(self, bucket: Bucket) -> None:
        data = read_private(self._path(bucket))
        if data is None:
            return
        header, _, body = data.partition(b"\n")
        if header != bucket.checksum.encode():
            return  # another text, jinja, Python or setting: compiled afresh and replaced
        try:
            code: CodeType = marshal.loads(body)
        except (EOFError, ValueError, TypeError):
            return
        bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is None:
            return
        keep(self._path(bucket), bucket.checksum.encode() + b"\n" + marshal.dumps(bucket.code))


def keep(path: Path, data: bytes) -> None:
    """Write `data` to `path` in a private folder, whole or not at all; a failure only means
    the next run makes it again."""
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def read_private(path: Path) -> bytes | None:
    """The bytes of a regular file of this user's that no one else may write; else None."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as handle:
        try:
            info = os.fstat(handle.fileno())
            if not _owned_and_private(info, stat.S_ISREG) or info.st_size > _MAX_BYTES:
                return None
            return read_at_most(handle, info.st_size, _MAX_BYTES)
        except OSError:
            return None
