"""Writing the generated package: all or nothing, and never touching files we did not generate.

The new package is assembled in a staging folder beside the target (generated files, plus hard
links to every file of the old package that typed-semconv did not write), then swapped in with one
atomic `renameat2(RENAME_EXCHANGE)` where the platform has it, or with two renames and a recovery
step otherwise. A kill at any moment leaves the old or the new package complete, and a leftover
staging folder is cleaned up by the next run.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics, SourceLocation

OWNERSHIP_FILE = ".typed-semconv.json"
STAGING_MARK = ".typed-semconv-staging-"
BACKUP_MARK = ".typed-semconv-backup-"


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


def _record(target: Path) -> Any:
    try:
        return json.loads((target / OWNERSHIP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None


def _owned_files(record: Any) -> dict[str, str]:
    """The generated files a record lists, with their content hashes; {} for a broken record."""
    files = record.get("files") if isinstance(record, dict) else None
    if isinstance(files, dict) and all(isinstance(v, str) for v in files.values()):
        return {str(k): v for k, v in files.items() if _is_safe(str(k))}
    return {}


def _record_matches(record: Any, inputs: str) -> bool:
    """The record says these inputs made the output, and that run reported nothing."""
    return (
        isinstance(record, dict)
        and record.get("inputs") == inputs
        and record.get("clean") is True  # else its warnings must be shown again
    )


def previously_generated(target: Path) -> dict[str, str]:
    """Files typed-semconv wrote into `target` last time, with their content hashes."""
    return _owned_files(_record(target))


def unchanged_since(target: Path, inputs: str) -> WritePlan | None:
    """A current plan when the record says these inputs made the output and every recorded
    file is still on disk as written; None when the output must be rendered and compared."""
    record = _record(target)
    if not inputs or not _record_matches(record, inputs) or _leftovers(target, BACKUP_MARK):
        return None
    owned = _owned_files(record)
    if not owned:
        return None
    for relative, digest in owned.items():
        path = target / relative
        try:
            if path.is_symlink() or _digest(path.read_bytes()) != digest:
                return None
        except OSError:
            return None
    return WritePlan(target, {}, (), (), (), tuple(sorted(owned)), inputs)


def plan(
    target: Path, files: Mapping[str, bytes], diagnostics: Diagnostics, inputs: str = ""
) -> WritePlan:
    """Compare the rendered files with what is on disk; changes nothing (`--check` relies on it).

    When a killed run left the previous package only as a backup folder, that backup is what
    `write` will restore first, so it is what the plan compares against.
    """
    current = _previous_package(target)
    record = _record(current)
    owned = _owned_files(record)
    added: list[str] = []
    changed: list[str] = []
    unchanged: list[str] = []
    if current.is_symlink() or (current.exists() and not current.is_dir()):
        diagnostics.report(
            catalogue.OUTPUT_CONFLICT,
            f"`{target}` is a symbolic link or a file; the package needs a real folder there",
            SourceLocation(str(target)),
            "replace the link by a real folder or choose another --output / --package",
        )
        return WritePlan(target, files, (), (), (), ())
    blocked: set[Path] = set()
    for relative in sorted(files):
        blocker = _blocking_folder(current, safe_relative_path(relative))
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
        if path.is_symlink() or (path.exists() and not path.is_file()):
            diagnostics.report(
                catalogue.OUTPUT_CONFLICT,
                f"`{shown}` exists and is not a regular file",
                SourceLocation(str(shown)),
                "remove it or choose another --output / --package",
            )
            continue
        if not path.exists():
            added.append(relative)
            continue
        current_bytes = path.read_bytes()
        if relative not in owned:
            diagnostics.report(
                catalogue.OUTPUT_CONFLICT,
                f"`{shown}` was not generated by typed-semconv; refusing to overwrite it",
                SourceLocation(str(shown)),
                "move the file away or choose another --output / --package",
            )
            continue
        (unchanged if current_bytes == files[relative] else changed).append(relative)
    removed = sorted(
        r
        for r in owned
        if r not in files and (current / r).is_file() and not (current / r).is_symlink()
    )
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
        _record_matches(record, inputs),
    )


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


def write(write_plan: WritePlan) -> None:
    """Swap the planned package into place (no-op when nothing changed).

    Runs on the same output folder take turns: each holds an exclusive lock on the folder the
    package sits in while it recovers, stages and swaps, so one never removes another's staging
    folder. (Locking the folder itself leaves no lock file behind.)
    """
    target = write_plan.target
    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target.parent):
        recover(target)
        if write_plan.is_current:
            if not write_plan.record_current and target.is_dir():
                _write_record(target, write_plan)  # same files; remember the inputs that made them
            return
        staging = target.parent / f".{target.name}{STAGING_MARK}{os.getpid()}"
        _remove_tree(staging)
        staging.mkdir()
        try:
            _stage(write_plan, staging)
            _swap(staging, target)
        finally:
            _remove_tree(staging)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _stage(write_plan: WritePlan, staging: Path) -> None:
    target = write_plan.target
    owned = previously_generated(target)
    if target.is_dir():
        _carry_over_foreign_files(target, staging, set(owned) | {OWNERSHIP_FILE})
    unchanged = set(write_plan.unchanged)
    for relative, data in write_plan.files.items():
        destination = staging / relative
        blocker = _blocking_folder(staging, safe_relative_path(relative))
        if blocker is not None:  # a carried-over link or file: never write through it
            raise OSError(errno.ENOTDIR, "not a folder", str(blocker))
        destination.parent.mkdir(parents=True, exist_ok=True)
        if relative in unchanged:
            os.link(target / relative, destination)  # keeps the old inode and mtime
            continue
        # No fsync: the swap protects against a failed or killed run, which is what can happen
        # to a build; the kernel has the bytes either way.
        with open(destination, "xb") as handle:  # fails rather than follow a link
            handle.write(data)
    _write_record(staging, write_plan)


def _write_record(folder: Path, write_plan: WritePlan) -> None:
    """The ownership record: which files are ours, and the inputs they were made from."""
    record = {
        "generator": "typed-semconv",
        "inputs": write_plan.inputs,
        "clean": write_plan.clean,
        "files": {r: _digest(d) for r, d in sorted(write_plan.files.items())},
    }
    temporary = folder / f"{OWNERSHIP_FILE}.{os.getpid()}.tmp"
    temporary.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    os.replace(temporary, folder / OWNERSHIP_FILE)


def _carry_over_foreign_files(target: Path, staging: Path, owned: set[str]) -> None:
    generated_folders = {p.as_posix() for r in owned for p in PurePosixPath(r).parents}
    for dirpath, dirnames, filenames in os.walk(target):
        base = Path(dirpath)
        relative_dir = base.relative_to(target)
        for name in dirnames:
            source = base / name
            if source.is_symlink():
                (staging / relative_dir / name).symlink_to(os.readlink(source))
        dirnames[:] = [d for d in dirnames if d != "__pycache__" and not (base / d).is_symlink()]
        for name in dirnames:  # the user's folders survive even when empty
            if (relative_dir / name).as_posix() not in generated_folders:
                (staging / relative_dir / name).mkdir(parents=True, exist_ok=True)
        for name in filenames:
            relative = (relative_dir / name).as_posix()
            if relative in owned:
                continue
            source = base / name
            destination = staging / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            if source.is_symlink():
                destination.symlink_to(os.readlink(source))
            else:
                try:
                    os.link(source, destination)
                except OSError:
                    shutil.copy2(source, destination)


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
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
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
