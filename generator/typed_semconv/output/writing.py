"""Writing the generated package: all or nothing, and never touching files we did not generate.

The new package is assembled in a staging folder beside the target (generated files, plus hard
links to every file of the old package that typed-semconv did not write), then swapped in with one
atomic `renameat2(RENAME_EXCHANGE)` where the platform has it, or with two renames and a recovery
step otherwise. A kill at any moment leaves the old or the new package complete, and a leftover
staging folder is cleaned up by the next run.

The output folder may be hostile: whatever the tool creates there (the staging folder, the
ownership record) is created anew with `mkdir` or `O_EXCL`, which never follow a link, and
whatever it reads there (the record, the package's files) is opened with `O_NOFOLLOW |
O_NONBLOCK` and checked to be a small regular file first, so a planted link, pipe or device is
never followed, read or waited on. A folder of the user's that cannot be read stops the run
before anything is moved.

Runs on one output folder take turns: each holds an exclusive lock on the folder the package sits
in while it recovers, re-plans, stages and swaps (the plan made before the lock may be stale by
then), so the package on disk is always one run's whole output with its record.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from types import ModuleType

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics, InputError, Problem, SourceLocation
from typed_semconv.load.discovery import read_at_most

OWNERSHIP_FILE = ".typed-semconv.json"
STAGING_MARK = ".typed-semconv-staging-"
BACKUP_MARK = ".typed-semconv-backup-"
# A record lists a few hundred files (about 100 bytes each); a generated module is at most a
# few hundred KiB. Anything far larger is not ours and is never read whole.
MAX_RECORD_BYTES = 16 * 1024 * 1024
MAX_GENERATED_BYTES = 16 * 1024 * 1024
_SAFE_READ = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


@dataclass(frozen=True)
class WritePlan:
    target: Path
    files: Mapping[str, bytes]
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: tuple[str, ...]
    inputs: str = ""
    record_current: bool = True
    clean: bool = True  # the run that planned it reported no diagnostic at all
    owned: frozenset[str] = frozenset()  # the files the previous generation recorded

    @property
    def is_current(self) -> bool:
        """The files on disk are what this run would write."""
        return not (self.added or self.changed or self.removed)

    @property
    def file_count(self) -> int:
        return len(self.added) + len(self.changed) + len(self.unchanged)


def safe_relative_path(relative: str) -> PurePosixPath:
    """Reject any generated path that could leave the output folder."""
    path = PurePosixPath(relative)
    if (
        path.is_absolute()
        or not path.parts
        or any(p in ("", ".", "..") for p in path.parts)
        or "\\" in relative
        or "\x00" in relative
    ):
        raise ValueError(f"unsafe output path {relative!r}")
    return path


def _is_safe(relative: str) -> bool:
    try:
        safe_relative_path(relative)
    except ValueError:
        return False
    return True


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class _Record:
    """What an ownership record says: the generated files with their hashes, and the inputs
    (and whether that run was clean) that made them."""

    files: Mapping[str, str]
    inputs: object
    clean: object

    def matches(self, inputs: str) -> bool:
        """These inputs made the output, and that run reported nothing (else its warnings
        must be shown again)."""
        return self.inputs == inputs and self.clean is True


def _read_small_file(path: Path, limit: int) -> bytes | None:
    """The bytes of `path` when it is a regular file (not a link) of at most `limit` bytes;
    None when there is nothing there. Raises OSError, with a reason, for anything else."""
    try:
        descriptor = os.open(path, _SAFE_READ)
    except (FileNotFoundError, NotADirectoryError):  # no such file, or no such folder
        return None
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK):  # O_NOFOLLOW met a link
            raise OSError(exc.errno, "it is a symbolic link", str(path)) from exc
        raise
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "it is not a regular file", str(path))
        if info.st_size > limit:
            raise OSError(errno.EFBIG, f"it is larger than {limit // 2**20} MiB", str(path))
        data = read_at_most(handle, info.st_size, limit)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"it is larger than {limit // 2**20} MiB", str(path))
    return data


def _record(folder: Path) -> _Record | None:
    """The ownership record of the package in `folder`; None when there is none. Raises
    Problem(`output-record-invalid`) when it is not a small regular JSON file of our making."""
    path = folder / OWNERSHIP_FILE

    def invalid(reason: str) -> Problem:
        return Problem(
            catalogue.OUTPUT_RECORD_INVALID,
            f"the ownership record `{path}` cannot be used: {reason}",
            SourceLocation(str(path)),
            "remove it only if every file of the folder may be treated as someone else's; "
            "generating into a new folder is safer",
        )

    try:
        data = _read_small_file(path, MAX_RECORD_BYTES)
    except OSError as exc:
        raise invalid(exc.strerror or str(exc)) from exc
    if data is None:
        return None
    try:
        record = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise invalid("it is not valid JSON") from exc
    files = record.get("files") if isinstance(record, dict) else None
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise invalid("it is not a record typed-semconv wrote (no `files` table of hashes)")
    owned = {str(k): v for k, v in files.items() if _is_safe(str(k))}
    return _Record(owned, record.get("inputs"), record.get("clean"))


def _generated_bytes(path: Path) -> bytes | None:
    """The bytes of a file typed-semconv may have generated; None when the path holds no
    regular file of a plausible size (a link, a pipe, a folder, something huge, nothing)."""
    try:
        return _read_small_file(path, MAX_GENERATED_BYTES)
    except OSError:
        return None


def unchanged_since(target: Path, inputs: str) -> WritePlan | None:
    """A current plan when the record says these inputs made the output and every recorded
    file is still on disk as written; None when the output must be rendered and compared."""
    if not inputs or _leftovers(target, BACKUP_MARK):
        return None
    try:
        record = _record(target)
    except Problem:  # the full run reports it
        return None
    if record is None or not record.matches(inputs) or not record.files:
        return None
    for relative, digest in record.files.items():
        data = _generated_bytes(target / relative)
        if data is None or _digest(data) != digest:
            return None
    owned = frozenset(record.files)
    return WritePlan(target, {}, (), (), (), tuple(sorted(owned)), inputs, owned=owned)


def plan(
    target: Path, files: Mapping[str, bytes], diagnostics: Diagnostics, inputs: str = ""
) -> WritePlan:
    """Compare the rendered files with what is on disk; changes nothing (`--check` relies on it).

    When a killed run left the previous package only as a backup folder, that backup is what
    `write` will restore first, so it is what the plan compares against.
    """
    current = _previous_package(target)
    if current.is_symlink() or (current.exists() and not current.is_dir()):
        diagnostics.report(
            catalogue.OUTPUT_CONFLICT,
            f"`{target}` is a symbolic link or a file; the package needs a real folder there",
            SourceLocation(str(target)),
            "replace the link by a real folder or choose another --output / --package",
        )
        return WritePlan(target, files, (), (), (), ())
    try:
        record = _record(current)
    except Problem as problem:
        diagnostics.add(problem.diagnostic)
        return WritePlan(target, files, (), (), (), ())
    owned = record.files if record is not None else {}
    added: list[str] = []
    changed: list[str] = []
    unchanged: list[str] = []
    blocked: set[Path] = set()
    blockers: dict[PurePosixPath, Path | None] = {}  # by folder: files share folders
    for relative in sorted(files):
        inside = safe_relative_path(relative)
        if inside.parent not in blockers:
            blockers[inside.parent] = _blocking_folder(current, inside)
        blocker = blockers[inside.parent]
        if blocker is not None:
            if blocker not in blocked:
                blocked.add(blocker)
                diagnostics.report(
                    catalogue.OUTPUT_CONFLICT,
                    f"`{target / blocker.relative_to(current)}` is in the way of generated "
                    "files: it is a symbolic link or a file, not a folder",
                    SourceLocation(str(target / blocker.relative_to(current))),
                    "remove it or choose another --output / --package",
                )
            continue
        path = current / relative
        shown = target / relative
        try:
            info = path.lstat()
        except FileNotFoundError:
            added.append(relative)
            continue
        if not stat.S_ISREG(info.st_mode):
            diagnostics.report(
                catalogue.OUTPUT_CONFLICT,
                f"`{shown}` exists and is not a regular file",
                SourceLocation(str(shown)),
                "remove it or choose another --output / --package",
            )
            continue
        if relative not in owned:
            diagnostics.report(
                catalogue.OUTPUT_CONFLICT,
                f"`{shown}` was not generated by typed-semconv; refusing to overwrite it",
                SourceLocation(str(shown)),
                "move the file away or choose another --output / --package",
            )
            continue
        same = info.st_size == len(files[relative]) and _generated_bytes(path) == files[relative]
        (unchanged if same else changed).append(relative)
    removed = sorted(r for r in owned if r not in files and _is_regular(current / r))
    if current != target:  # the backup must be restored: never "up to date"
        changed = sorted({*changed, *unchanged})
        unchanged = []
    return WritePlan(
        target,
        files,
        tuple(added),
        tuple(changed),
        tuple(removed),
        tuple(unchanged),
        inputs,
        record is not None and record.matches(inputs),
        owned=frozenset(owned),
    )


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _blocking_folder(root: Path, relative: PurePosixPath) -> Path | None:
    """The first folder on the way to a generated file that is a symlink or not a folder."""
    folder = root
    for part in relative.parts[:-1]:
        folder = folder / part
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            return folder
    return None


def _leftovers(target: Path, mark: str) -> list[Path]:
    parent = target.parent
    if not parent.is_dir():
        return []
    prefix = f".{target.name}{mark}"
    return sorted(e for e in parent.iterdir() if e.name.startswith(prefix))


def _previous_package(target: Path) -> Path:
    """Where the previous package is now: `target`, or the backup `recover` would restore."""
    if target.exists() or target.is_symlink():
        return target
    backups = [b for b in _leftovers(target, BACKUP_MARK) if b.is_dir() and not b.is_symlink()]
    return backups[0] if backups else target


def _remove_tree(path: Path) -> None:
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def recover(target: Path) -> None:
    """Finish or undo a swap that a killed run left half done, and drop stale staging folders."""
    restore = _previous_package(target)
    if restore != target:
        os.rename(restore, target)
    for entry in _leftovers(target, BACKUP_MARK) + _leftovers(target, STAGING_MARK):
        _remove_tree(entry)


def write(write_plan: WritePlan, diagnostics: Diagnostics) -> WritePlan:
    """Swap the planned package into place (nothing to do when it is current); returns the
    plan that was carried out. Raises InputError, with its diagnostics, when the folder changed
    since planning in a way that conflicts, or holds something that cannot be kept.

    The lock is taken on the folder the package sits in (locking the folder itself leaves no
    lock file behind); under it, a rendered plan is made again, since another run may have
    written the package since this one planned.
    """
    locks = _lock_module(diagnostics)
    target = write_plan.target
    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target.parent, locks):
        recover(target)
        if write_plan.files:  # rendered (not from the record alone): plan again under the lock
            fresh = plan(target, write_plan.files, diagnostics, write_plan.inputs)
            if diagnostics.has_errors:
                raise InputError(diagnostics)
            write_plan = replace(fresh, clean=write_plan.clean)
        if write_plan.is_current and write_plan.record_current:
            return write_plan
        staging = target.parent / f".{target.name}{STAGING_MARK}{os.getpid()}"
        _remove_tree(staging)
        staging.mkdir()  # fails, rather than follow, if anything took the name meanwhile
        try:
            _stage(write_plan, staging)
            _swap(staging, target)
        except Problem as problem:
            diagnostics.add(problem.diagnostic)
            raise InputError(diagnostics) from problem
        finally:
            _remove_tree(staging)
    return write_plan


def _lock_module(diagnostics: Diagnostics) -> ModuleType:
    """`fcntl`, imported only to write (so reading works everywhere); stops with a diagnostic
    where the platform has no such module (Windows)."""
    try:
        import fcntl
    except ImportError as exc:
        diagnostics.report(
            catalogue.OUTPUT_PLATFORM_UNSUPPORTED,
            "writing the package needs file locks (fcntl), which this platform lacks; "
            "typed-semconv generates on Linux and macOS",
            hint="run it under WSL, or in a Linux container; `check`, `resolve` and "
            "`generate --check` work here",
        )
        raise InputError(diagnostics) from exc
    return fcntl


@contextlib.contextmanager
def _locked(folder: Path, locks: ModuleType) -> Iterator[None]:
    descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        locks.flock(descriptor, locks.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _stage(write_plan: WritePlan, staging: Path) -> None:
    target = write_plan.target
    if target.is_dir():
        _carry_over_foreign_files(target, staging, set(write_plan.owned) | {OWNERSHIP_FILE})
    unchanged = set(write_plan.unchanged)
    made: set[Path] = set()  # folders checked and made: their files need neither again
    for relative, data in write_plan.files.items():
        destination = staging / relative
        if destination.parent not in made:
            blocker = _blocking_folder(staging, safe_relative_path(relative))
            if blocker is not None:  # a carried-over link or file: never write through it
                raise OSError(errno.ENOTDIR, "not a folder", str(blocker))
            destination.parent.mkdir(parents=True, exist_ok=True)
            made.add(destination.parent)
        if relative in unchanged:
            os.link(target / relative, destination)  # keeps the old inode and mtime
            continue
        # No fsync: the swap protects against a failed or killed run, which is what can happen
        # to a build; the kernel has the bytes either way.
        with open(destination, "xb") as handle:  # fails rather than follow a link
            handle.write(data)
    _write_record(staging, write_plan)


def _write_record(staging: Path, write_plan: WritePlan) -> None:
    """The ownership record: which files are ours, and the inputs they were made from. It is
    written straight into the staging folder, which the swap makes visible whole."""
    record = {
        "generator": "typed-semconv",
        "inputs": write_plan.inputs,
        "clean": write_plan.clean,
        "files": {r: _digest(d) for r, d in sorted(write_plan.files.items())},
    }
    with open(staging / OWNERSHIP_FILE, "x", encoding="utf-8") as handle:  # never through a link
        handle.write(json.dumps(record, indent=1) + "\n")


def _carry_over_foreign_files(target: Path, staging: Path, owned: set[str]) -> None:
    """Link every file of the user's into the staging folder, keeping their links as links and
    their folders (with their mode) even when empty. A folder that cannot be listed, or a file
    that can be neither linked nor copied, stops the run: after the swap it would be gone."""
    generated_folders = {p.as_posix() for r in owned for p in PurePosixPath(r).parents}
    kept_folders: list[PurePosixPath] = []
    pending = [PurePosixPath()]
    while pending:
        relative_dir = pending.pop()
        try:
            with os.scandir(target / relative_dir) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            raise _cannot_keep(target / relative_dir, "read the folder", exc) from exc
        for entry in entries:
            relative = relative_dir / entry.name
            source = target / relative
            destination = staging / relative
            if entry.is_dir(follow_symlinks=False):
                if entry.name == "__pycache__":
                    continue
                if relative.as_posix() not in generated_folders:  # kept even when empty
                    destination.mkdir(parents=True, exist_ok=True)
                    kept_folders.append(relative)
                pending.append(relative)
                continue
            if relative.as_posix() in owned:
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            if entry.is_symlink():
                destination.symlink_to(os.readlink(source))
            else:
                _carry_over_file(source, destination)
    for relative in reversed(kept_folders):  # innermost first: a mode may forbid writing
        shutil.copystat(target / relative, staging / relative, follow_symlinks=False)


def _carry_over_file(source: Path, destination: Path) -> None:
    """A hard link to the user's file (same inode, mode and mtime), else a copy of it when it
    is a regular file; a pipe or device is never opened."""
    try:
        os.link(source, destination)  # `source` is no link: links are carried as links
        return
    except OSError as exc:
        link_error = exc
    try:
        descriptor = os.open(source, _SAFE_READ)
    except OSError as exc:
        raise _cannot_keep(source, "read the file", exc) from exc
    with os.fdopen(descriptor, "rb") as original:
        if not stat.S_ISREG(os.fstat(original.fileno()).st_mode):
            raise _cannot_keep(source, "link the file", link_error)
        with open(destination, "xb") as copy:
            shutil.copyfileobj(original, copy)
    shutil.copystat(source, destination, follow_symlinks=False)


def _cannot_keep(path: Path, action: str, exc: OSError) -> Problem:
    return Problem(
        catalogue.OUTPUT_UNREADABLE,
        f"cannot {action} `{path}` ({exc.strerror or exc}), so it could not be kept in the "
        "new package; nothing was changed",
        SourceLocation(str(path)),
        "make it readable by the user running typed-semconv, or move it out of the package",
    )


def _swap(staging: Path, target: Path) -> None:
    if not target.exists():
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        return
    backup = target.parent / f".{target.name}{BACKUP_MARK}{os.getpid()}"
    os.rename(target, backup)
    os.rename(staging, target)
    shutil.rmtree(backup, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where unsupported."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)  # the C library this process already runs with
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(error, os.strerror(error), str(second))
