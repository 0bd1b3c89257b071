"""Extracting a registry archive (zip or tar) safely: nothing outside the target folder, no
links, devices or pipes, and no more members or bytes than the limits allow, counting what is
actually written rather than trusting headers."""

from __future__ import annotations

import os
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import IO

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Problem
from typed_semconv.sources.limits import DEFAULT_LIMITS, Limits, MiB
from typed_semconv.sources.parsing import has_drive

_CHUNK = 256 * 1024


class _Budget:
    """Counts members and bytes actually written (never trusting headers)."""

    def __init__(self, limits: Limits, origin: str) -> None:
        self.limits = limits
        self.origin = origin
        self.members = 0
        self.bytes = 0

    def member(self) -> None:
        self.members += 1
        if self.members > self.limits.max_members:
            raise _unsafe(self.origin, f"it has more than {self.limits.max_members} members")

    def add(self, size: int) -> None:
        self.bytes += size
        if self.bytes > self.limits.max_total_bytes:
            raise _unsafe(
                self.origin,
                f"it unpacks to more than {self.limits.max_total_bytes // MiB} MiB",
            )


def _unsafe(origin: str, reason: str) -> Problem:
    return Problem(
        catalogue.SOURCE_UNSAFE_ARCHIVE,
        f"refusing to extract `{origin}`: {reason}",
        hint="registry archives hold plain folders and files; nothing was extracted",
    )


def extract_archive(
    archive: Path, target: Path, limits: Limits = DEFAULT_LIMITS, *, origin: str | None = None
) -> None:
    """Extract a zip or tar archive (any compression tarfile reads) into the new folder
    `target`. Refuses members outside the target, links, devices and fifos, and stops at the
    member and size limits; the caller removes `target` when this raises."""
    origin = origin or str(archive)
    with archive.open("rb") as stream:
        magic = stream.read(4)
    target.mkdir(parents=True)
    budget = _Budget(limits, origin)
    try:
        if magic[:2] == b"PK":
            _extract_zip(archive, target, budget)
        elif tarfile.is_tarfile(archive):
            _extract_tar(archive, target, budget)
        else:
            raise Problem(
                catalogue.SOURCE_ARCHIVE_INVALID,
                f"`{origin}` is neither a zip nor a tar archive",
                hint="a registry archive is a .zip, .tar.gz or .tgz file",
            )
    except (tarfile.TarError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error) as e:
        raise _corrupt(origin, e) from e
    except (OSError, NotImplementedError, RuntimeError) as exc:
        raise _corrupt(origin, exc) from exc


def _corrupt(origin: str, exc: BaseException) -> Problem:
    return Problem(
        catalogue.SOURCE_ARCHIVE_INVALID,
        f"cannot extract `{origin}`: {type(exc).__name__}: {exc}",
        hint="the archive is damaged or incomplete; nothing was cached",
    )


def _member_path(name: str, origin: str) -> PurePosixPath | None:
    """The safe relative path of an archive member, None for the archive's root."""
    if "\x00" in name:
        raise _unsafe(origin, f"member `{name!r}` has a NUL character in its name")
    if "\\" in name:
        raise _unsafe(origin, f"member `{name}` has a `\\` in its name")
    if name.startswith("/") or has_drive(name):
        raise _unsafe(origin, f"member `{name}` has an absolute path")
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise _unsafe(origin, f"member `{name}` would land outside the target folder")
    return PurePosixPath(*parts) if parts else None


def _destination(target: Path, relative: PurePosixPath, origin: str) -> Path:
    destination = target.joinpath(*relative.parts)
    real_target = os.path.realpath(target)
    real_parent = os.path.realpath(destination.parent)
    if os.path.commonpath([real_target, real_parent]) != real_target:
        raise _unsafe(origin, f"member `{relative}` would land outside the target folder")
    return destination


def _write_member(source: IO[bytes], destination: Path, budget: _Budget, executable: bool) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    with destination.open("wb") as out:
        while chunk := source.read(_CHUNK):
            budget.add(len(chunk))
            out.write(chunk)
    if executable:
        destination.chmod(0o755)


def _extract_tar(archive: Path, target: Path, budget: _Budget) -> None:
    data_filter: Callable[[tarfile.TarInfo, str], tarfile.TarInfo | None] | None = getattr(
        tarfile, "data_filter", None
    )
    with tarfile.open(archive, mode="r:*") as tar:
        for member in tar:
            budget.member()
            relative = _member_path(member.name, budget.origin)
            if member.issym() or member.islnk():
                kind = "symbolic link" if member.issym() else "hard link"
                raise _unsafe(
                    budget.origin, f"member `{member.name}` is a {kind} (to `{member.linkname}`)"
                )
            if not (member.isreg() or member.isdir()):
                raise _unsafe(
                    budget.origin, f"member `{member.name}` is a device, fifo or special file"
                )
            if data_filter is not None:
                try:
                    data_filter(member, str(target))
                except tarfile.FilterError as exc:
                    raise _unsafe(budget.origin, str(exc)) from exc
            if relative is None:
                continue
            destination = _destination(target, relative, budget.origin)
            if member.isdir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            source = tar.extractfile(member)
            if source is None:  # pragma: no cover - regular members always have data
                continue
            with source:
                _write_member(source, destination, budget, bool(member.mode & 0o111))


def _extract_zip(archive: Path, target: Path, budget: _Budget) -> None:
    with zipfile.ZipFile(archive) as zipped:
        members = zipped.infolist()
        if len(members) > budget.limits.max_members:
            raise _unsafe(budget.origin, f"it has more than {budget.limits.max_members} members")
        for info in members:
            budget.member()
            relative = _member_path(info.filename, budget.origin)
            mode = info.external_attr >> 16
            file_type = stat.S_IFMT(mode)
            if stat.S_ISLNK(mode):
                raise _unsafe(budget.origin, f"member `{info.filename}` is a symbolic link")
            if file_type not in (0, stat.S_IFREG, stat.S_IFDIR):
                raise _unsafe(
                    budget.origin, f"member `{info.filename}` is a device, fifo or special file"
                )
            if info.flag_bits & 0x1:
                raise Problem(
                    catalogue.SOURCE_ARCHIVE_INVALID,
                    f"`{budget.origin}`: member `{info.filename}` is encrypted",
                )
            if relative is None:
                continue
            destination = _destination(target, relative, budget.origin)
            if info.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            with zipped.open(info) as source:
                _write_member(source, destination, budget, bool(mode & 0o111))
