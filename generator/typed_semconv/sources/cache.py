"""The cache of fetched registries: where it is, and how an entry is built so that one that
exists is whole.

Each entry is built in `<cache>/tmp/` and renamed into place only once complete: a killed run
leaves at most a stale staging folder (swept a day later), never an entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from typed_semconv import __version__
from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Problem
from typed_semconv.sources.parsing import SourceKind

CACHE_ENV = "TYPED_SEMCONV_CACHE"
CACHE_APP = "typed-semconv"
METADATA_NAME = "source.json"
TREE_NAME = "tree"
STAGING_NAME = "tmp"
STALE_STAGING_SECONDS = 24 * 3600

_SLUG = re.compile(r"[^A-Za-z0-9._-]+")


def default_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """`$TYPED_SEMCONV_CACHE`, else `$XDG_CACHE_HOME/typed-semconv`, else
    `~/.cache/typed-semconv` (a relative XDG_CACHE_HOME is ignored, as the spec says)."""
    env = os.environ if environ is None else environ
    explicit = env.get(CACHE_ENV, "").strip()
    if explicit:
        return Path(explicit).expanduser()
    xdg = env.get("XDG_CACHE_HOME", "").strip()
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / CACHE_APP
    try:
        return Path.home() / ".cache" / CACHE_APP
    except RuntimeError as exc:
        raise Problem(
            catalogue.SOURCE_CACHE_ERROR,
            "cannot find the home folder for the cache",
            hint=f"set {CACHE_ENV} to a writable folder",
        ) from exc


def entry_path(cache: Path, kind: SourceKind, key: Sequence[str], label: str) -> Path:
    digest = hashlib.sha256("\0".join((kind.value, *key)).encode("utf-8")).hexdigest()[:32]
    slug = _SLUG.sub("-", label).strip("-.")[:48] or "source"
    return cache / kind.value / f"{slug}-{digest}"


def read_entry(entry: Path) -> dict[str, Any] | None:
    """The metadata of a complete entry, or None. An entry is renamed into place whole, so
    its metadata file exists exactly when the entry is complete."""
    try:
        data = json.loads(_small_regular_file(entry / METADATA_NAME))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not (entry / TREE_NAME).is_dir():
        return None
    return data


def _small_regular_file(path: Path, limit: int = 1 << 20) -> bytes:
    """A cache entry's metadata, read so that a planted link, pipe or huge file is refused
    (OSError) instead of followed, waited on or read whole."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(path, flags), "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            raise OSError(f"{path} is not a small regular file")
        return handle.read(limit)


def _sweep_staging(staging_root: Path) -> None:
    """Remove staging folders that killed runs left behind (only old ones: a run in progress
    in another process owns the recent ones)."""
    now = time.time()
    try:
        children = list(staging_root.iterdir())
    except OSError:
        return
    for child in children:
        try:
            if now - child.lstat().st_mtime > STALE_STAGING_SECONDS:
                shutil.rmtree(child, ignore_errors=True)
        except OSError:
            continue


def populate(cache: Path, entry: Path, build: Callable[[Path], dict[str, Any]]) -> dict[str, Any]:
    """Build an entry in a staging folder (`build` fills `<staging>/tree` and returns the
    metadata), then rename it into place. Nothing is left behind when `build` fails."""
    staging_root = cache / STAGING_NAME
    staging_root.mkdir(parents=True, exist_ok=True)
    _sweep_staging(staging_root)
    staging = Path(tempfile.mkdtemp(prefix=entry.name[:40] + ".", dir=staging_root))
    try:
        metadata = build(staging)
        metadata = {"typed_semconv": __version__, "fetched": _now(), **metadata}
        (staging / METADATA_NAME).write_text(
            json.dumps(metadata, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        entry.parent.mkdir(parents=True, exist_ok=True)
        if entry.exists() and read_entry(entry) is None:
            # Not an entry this code wrote (it has no metadata): move it out of the way.
            trash = Path(tempfile.mkdtemp(prefix="broken.", dir=staging_root))
            os.replace(entry, trash / "entry")
            shutil.rmtree(trash, ignore_errors=True)
        try:
            os.rename(staging, entry)
        except OSError:
            existing = read_entry(entry)
            if existing is None:
                raise
            return existing  # another run filled it meanwhile: theirs is as good
        return metadata
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
