"""The one way inputs are found and read: registries, dependencies' folders, template folders and
the unchanged-input check all list their files with `walk` and read them with `read_bytes`, and
the configuration (`pyproject.toml`) is read with `read_bytes` too.

So no input can make a run hang or swallow memory, whichever step reads it first:

- a walk visits at most `MAX_ENTRIES` files and folders, and stops with a diagnostic beyond
  that (a registry path of `/` ends at once);
- a folder reached twice (a symbolic-link loop, or two links to one folder) is read once;
- only regular files are read: a pipe, device or socket is reported and never opened for long
  (`O_NONBLOCK`: opening a pipe does not wait for a writer);
- a file's size is checked before anything is read, and reading stops at the limit anyway.

Walks report problems as data (`Listing.diagnostics`), so the unchanged-input check can fold them
into its digest silently and the full run reports them once.
"""

from __future__ import annotations

import functools
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostic, Diagnostics, Problem, SourceLocation
from typed_semconv.model import MANIFEST_NAMES

# The largest real registry has fewer than 400 files and folders; a tree ten times the size of
# any registry release is surely not one.
MAX_ENTRIES = 20_000
MAX_FILE_BYTES = 8 * 1024 * 1024
REGISTRY_SUFFIXES = (".yaml", ".yml")


def display_path(path: Path) -> str:
    """A path as diagnostics show it: relative to the working folder when below it.

    Symbolic links are kept as written (a file reached through a link is shown by the link's
    path, the one the user walked), unless only the resolved path lies below the working folder.
    """
    if path.name and not path.is_symlink():
        folder = _display_folder(str(path.parent), os.getcwd())
        return path.name if folder == "." else f"{folder}/{path.name}"
    return _display(path, Path.cwd())


@functools.lru_cache(maxsize=1024)
def _display_folder(folder: str, cwd: str) -> str:
    """`display_path` of a folder; cached, since a registry holds many files per folder."""
    return _display(Path(folder), Path(cwd))


def _display(path: Path, cwd: Path) -> str:
    for absolute, base in ((Path(os.path.abspath(path)), cwd), (path.resolve(), cwd.resolve())):
        try:
            return str(absolute.relative_to(base))
        except ValueError:
            continue
    return str(path)


@dataclass(frozen=True)
class FoundFile:
    """A file a walk found (maybe a pipe or a link to nothing: `read_bytes` tells)."""

    path: Path  # as walked, through links
    relative: str  # below the walk's root, with `/` separators


@dataclass(frozen=True)
class Listing:
    """What a walk found, sorted by relative path, and the problems it met."""

    files: tuple[FoundFile, ...]
    diagnostics: tuple[Diagnostic, ...]
    complete: bool  # False when the walk stopped at `MAX_ENTRIES`


def walk(
    root: Path, suffixes: tuple[str, ...] | None = None, what: str = "registry folder"
) -> Listing:
    """The files below `root` whose names end with one of `suffixes` (all when None).

    Links are followed (a registry may link in a folder), each real folder is visited once, and
    names starting with `.` are skipped. Every real folder is walked before any linked one, so a
    folder that is also reached through a link keeps its own path, and a link back up is
    reported where it is. `what` names `root` in messages.
    """
    found: list[FoundFile] = []
    problems: list[Diagnostic] = []
    try:
        top = os.stat(root)
    except OSError as exc:
        return Listing((), (_unreadable_folder(root, exc),), True)
    seen = {(top.st_dev, top.st_ino)}
    real: list[tuple[Path, str]] = [(root, "")]
    linked: list[tuple[Path, str, tuple[int, int]]] = []
    entries = 0
    while real or linked:
        if real:
            folder, prefix = real.pop()
        else:
            folder, prefix, key = linked.pop(0)
            if key in seen:
                problems.append(_loop(folder))
                continue
            seen.add(key)
        try:
            children = _children(folder, MAX_ENTRIES - entries)
        except OSError as exc:
            problems.append(_unreadable_folder(folder, exc))
            continue
        entries += len(children)
        if entries > MAX_ENTRIES:  # not a registry: what else was met there is noise
            too_many = Diagnostic(
                catalogue.REGISTRY_TOO_MANY_FILES,
                f"the {what} holds more than {MAX_ENTRIES} files and folders; reading stopped",
                SourceLocation(display_path(root)),
                f"point at the {what} itself, not at a large tree such as a home folder or `/`",
            )
            return Listing((), (too_many,), False)
        subfolders: list[tuple[Path, str]] = []
        for entry in children:
            path = folder / entry.name
            relative = f"{prefix}{entry.name}"
            try:
                is_link = entry.is_symlink()
                info = entry.stat()  # through a link
            except OSError:  # a link to nothing, or gone meanwhile: the reader reports it
                if suffixes is None or entry.name.endswith(suffixes):
                    found.append(FoundFile(path, relative))
                continue
            if stat.S_ISDIR(info.st_mode):
                key = (info.st_dev, info.st_ino)
                if is_link:  # checked once every real folder is known (see above)
                    linked.append((path, f"{relative}/", key))
                elif key in seen:
                    problems.append(_loop(path))
                else:
                    seen.add(key)
                    subfolders.append((path, f"{relative}/"))
            elif suffixes is None or entry.name.endswith(suffixes):
                found.append(FoundFile(path, relative))
        real.extend(reversed(subfolders))
    return Listing(_sorted(found), tuple(problems), True)


@dataclass(frozen=True)
class RegistryFiles:
    """The YAML files of a registry folder: its definition files and its manifest."""

    files: tuple[FoundFile, ...]
    manifest: FoundFile | None
    complete: bool  # False when the folder is too large to be a registry


def discover_files(root: Path, diagnostics: Diagnostics) -> RegistryFiles:
    """The registry's YAML files (sorted, each real folder visited once) and its manifest;
    the walk's problems go to `diagnostics`."""
    listing = walk(root, REGISTRY_SUFFIXES)
    diagnostics.extend(listing.diagnostics)
    manifests = [f for f in listing.files if f.relative in MANIFEST_NAMES]
    files = tuple(f for f in listing.files if f.relative not in MANIFEST_NAMES)
    return RegistryFiles(files, manifests[-1] if manifests else None, listing.complete)


def _children(folder: Path, budget: int) -> list[os.DirEntry[str]]:
    """The entries of `folder` not starting with `.`, sorted by name; at most `budget` + 1 of
    them are collected (a folder of millions of entries is not read to its end)."""
    children: list[os.DirEntry[str]] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            children.append(entry)
            if len(children) > budget:
                break
    return sorted(children, key=lambda entry: entry.name)


def _sorted(found: list[FoundFile]) -> tuple[FoundFile, ...]:
    return tuple(sorted(found, key=lambda file: file.relative))


def _loop(path: Path) -> Diagnostic:
    return Diagnostic(
        catalogue.REGISTRY_SYMLINK_LOOP,
        "folder reached twice through symbolic links; its files are read once",
        SourceLocation(display_path(path)),
        f"it is the folder {display_path(Path(os.path.realpath(path)))}",
    )


def _unreadable_folder(folder: Path, exc: OSError) -> Diagnostic:
    return Diagnostic(
        catalogue.FILE_UNREADABLE,
        f"cannot read the folder: {exc.strerror or exc}",
        SourceLocation(display_path(folder)),
    )


def read_bytes(path: Path, shown: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; raises Problem otherwise.

    Opening never blocks (`O_NONBLOCK`: a pipe does not wait for a writer), the kind and size
    are checked on the open file before anything is read, and no more than `limit` + 1 bytes
    are ever read (a file may grow meanwhile).
    """
    location = SourceLocation(shown)  # the file as a whole
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise _unreadable(exc, location) from exc
    try:
        with os.fdopen(descriptor, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise Problem(
                    catalogue.FILE_NOT_REGULAR,
                    "not a regular file (a device, pipe or socket); it is not read",
                    location,
                    "inputs must be plain files",
                )
            data = b"" if info.st_size > limit else read_at_most(handle, info.st_size, limit)
    except OSError as exc:
        raise _unreadable(exc, location) from exc
    if info.st_size > limit or len(data) > limit:
        raise Problem(
            catalogue.FILE_TOO_LARGE,
            f"the file is larger than {limit // 2**20} MiB",
            location,
            "split it into several files",
        )
    return data


def read_at_most(handle: BinaryIO, size: int, limit: int) -> bytes:
    """The bytes of an open file that had `size` bytes when checked; never more than `limit` + 1.

    Asking for the size the file had (and one byte more, to see that it grew) rather than for
    `limit` + 1 spares allocating the whole limit for every small file read.
    """
    data = handle.read(min(size, limit) + 1)
    if size < len(data) <= limit:  # it grew meanwhile: read on, up to the limit
        data += handle.read(limit + 1 - len(data))
    return data


def _unreadable(exc: OSError, location: SourceLocation) -> Problem:
    return Problem(catalogue.FILE_UNREADABLE, f"cannot read the file: {exc.strerror}", location)
