"""Upgrading a project tree: which files, what changes in each, and writing them safely.

Files are read without following symbolic links and only if they mention something that changes
(a generated package's name, a renamed key); each is written on its own, atomically (a new file
beside it, renamed over it), and only if it is still exactly what was read. Folders of a package
typed-semconv generated are never entered.
"""

from __future__ import annotations

import difflib
import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import libcst as cst

from typed_semconv.check.span_naming import SpanNamings
from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics, InputError, Severity, SourceLocation
from typed_semconv.model import Registry
from typed_semconv.options import FilterOptions, GenerateOptions
from typed_semconv.output.writing import OWNERSHIP_FILE
from typed_semconv.python.package import build_view
from typed_semconv.python.selection import Selection
from typed_semconv.python.vocabulary import Vocabulary
from typed_semconv.upgrade.layouts import Layout
from typed_semconv.upgrade.migration import Migration
from typed_semconv.upgrade.names import PackageNames, package_names
from typed_semconv.upgrade.rewrite import Rules, rewrite_module

SUFFIXES = (".py", ".pyi")
Checked = tuple[Registry, SpanNamings]  # a resolved registry and how its spans are named
_SKIPPED_FOLDERS = frozenset({"__pycache__", "node_modules", "site-packages"})


@dataclass(frozen=True)
class FileChange:
    path: Path
    before: bytes
    after: bytes
    rewrites: int
    identity: tuple[int, int, int, int]  # device, inode, size, mtime: unchanged until written


@dataclass(frozen=True)
class UpgradePlan:
    changes: tuple[FileChange, ...]
    scanned: int  # Python files looked at
    parsed: int  # of those, files that mention something that changes

    @property
    def rewrites(self) -> int:
        return sum(c.rewrites for c in self.changes)


def build_rules(
    baseline: Checked,
    head: Checked,
    package: str | None,
    options: GenerateOptions,
    vocabulary: Vocabulary,
    diagnostics: Diagnostics,
) -> Rules:
    """The names of both packages in both registries (as `generate` names them with these
    options and templates), and where each baseline item went."""
    scratch = Diagnostics()  # the registries' naming warnings belong to `generate`, not here

    def names(checked: Checked, filters: FilterOptions, closed: bool) -> PackageNames:
        registry, namings = checked
        view = build_view(registry, namings, filters, vocabulary, scratch, closed)
        return package_names(view, registry, Selection(filters, registry))

    # opentelemetry-semantic-conventions holds everything, with open enums.
    pypi = (FilterOptions(), False)
    baseline_pypi, head_pypi = names(baseline, *pypi), names(head, *pypi)
    layouts = [Layout(baseline_pypi, head_pypi, None)]
    if package is not None:
        same = (options.filters, options.closed_enums) == pypi
        layouts.insert(
            0,
            Layout(
                baseline_pypi if same else names(baseline, options.filters, options.closed_enums),
                head_pypi if same else names(head, options.filters, options.closed_enums),
                package,
            ),
        )
    if scratch.has_errors:
        diagnostics.extend(d for d in scratch if d.severity is Severity.ERROR)
        raise InputError(diagnostics)
    return Rules.build(Migration(baseline[0], head[0]), layouts)


def python_files(paths: Sequence[Path], diagnostics: Diagnostics) -> Iterator[Path]:
    """The Python files below `paths`, in a stable order; symbolic links are reported, never
    followed, and generated packages and tool folders are left out."""
    for path in paths:
        if path.is_symlink():
            _skipped(diagnostics, path, "is a symbolic link")
        elif path.is_dir():
            yield from _walk(path, diagnostics)
        elif path.is_file():
            yield path
        else:
            _skipped(diagnostics, path, "does not exist or is not a regular file")


def _walk(root: Path, diagnostics: Diagnostics) -> Iterator[Path]:
    for folder, dirnames, filenames in os.walk(root):
        base = Path(folder)
        if OWNERSHIP_FILE in filenames:
            dirnames[:] = []
            continue
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".") and d not in _SKIPPED_FOLDERS and not (base / d).is_symlink()
        )
        for name in sorted(filenames):
            if name.endswith(SUFFIXES):
                path = base / name
                if path.is_symlink():
                    _skipped(diagnostics, path, "is a symbolic link")
                else:
                    yield path


def _skipped(diagnostics: Diagnostics, path: Path, why: str) -> None:
    diagnostics.report(
        catalogue.UPGRADE_FILE_SKIPPED, f"{path} {why}; not upgraded", SourceLocation(str(path))
    )


def _read(path: Path) -> tuple[bytes, tuple[int, int, int, int]]:
    """The bytes of a regular file, never through a symbolic link (OSError otherwise); a pipe
    is refused without waiting for a writer."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise IsADirectoryError(0, "not a regular file", str(path))
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read()
        return data, (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
    finally:
        os.close(descriptor)


def plan_upgrade(paths: Sequence[Path], rules: Rules, diagnostics: Diagnostics) -> UpgradePlan:
    changes = []
    scanned = parsed = 0
    for path in python_files(paths, diagnostics):
        scanned += 1
        try:
            data, identity = _read(path)
        except OSError as exc:
            _unparsable(diagnostics, path, f"cannot be read: {exc.strerror or exc}")
            continue
        if not rules.concerns(data):
            continue
        parsed += 1
        try:
            result = rewrite_module(data, rules)
        except cst.ParserSyntaxError as exc:
            _unparsable(
                diagnostics,
                path,
                f"is not valid Python: {exc.message}",
                exc.raw_line,
                exc.raw_column + 1,
            )
            continue
        except (UnicodeError, LookupError, SyntaxError, RecursionError) as exc:
            _unparsable(diagnostics, path, f"cannot be parsed: {type(exc).__name__}: {exc}")
            continue
        for finding in result.findings:
            diagnostics.report(
                finding.code,
                finding.message,
                SourceLocation(str(path), finding.line, finding.column),
            )
        if result.code != data:
            changes.append(FileChange(path, data, result.code, result.rewrites, identity))
    return UpgradePlan(tuple(changes), scanned, parsed)


def _unparsable(
    diagnostics: Diagnostics, path: Path, why: str, line: int = 0, column: int = 0
) -> None:
    diagnostics.report(
        catalogue.UPGRADE_UNPARSABLE,
        f"{path.name} {why}; left untouched",
        SourceLocation(str(path), line, column),
    )


def unified_diff(change: FileChange) -> str:
    shown = os.path.relpath(change.path) if not change.path.is_absolute() else str(change.path)
    shown = shown.lstrip("/")
    before = change.before.decode("utf-8", "replace").splitlines(keepends=True)
    after = change.after.decode("utf-8", "replace").splitlines(keepends=True)
    lines = difflib.unified_diff(before, after, f"a/{shown}", f"b/{shown}")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def write(plan: UpgradePlan, diagnostics: Diagnostics) -> int:
    """Write every changed file on its own, atomically; the number written."""
    written = 0
    for change in plan.changes:
        try:
            current, identity = _read(change.path)
        except OSError as exc:
            _skipped(diagnostics, change.path, f"cannot be read again: {exc.strerror or exc}")
            continue
        if identity != change.identity or current != change.before:
            _skipped(diagnostics, change.path, "changed while upgrade was running")
            continue
        _replace(change.path, change.after)
        written += 1
    return written


def _replace(path: Path, data: bytes) -> None:
    """Put `data` in place of the file at `path` with one rename, keeping its permissions."""
    mode = stat.S_IMODE(os.lstat(path).st_mode)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".upgrade", dir=path.parent
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
