"""Registry references: a local folder, an archive (local or remote) or a git repository, made
into a local folder the loader can read, as weaver's "virtual directory path" does.

A reference is written `LOCATION[@REF][[SUB/FOLDER]]`:

- `path/to/model` -- a local folder, used as it is;
- `path/to/semconv.zip`, `.tar.gz`, `.tgz` -- a local archive, extracted into the cache;
- `https://host/semconv-1.44.0.tar.gz[model]` -- a remote archive, downloaded once;
- `https://host/semantic-conventions.git@v1.44.0[model]`, `git+https://host/repo@main`,
  `ssh://git@host/repo.git`, `file:///srv/repo.git@<commit>`, `/srv/repo.git@v1` -- a git
  repository at a tag, branch or commit (default: the remote's default branch).

`[sub/folder]` selects a folder of the tree; in an archive whose content is one top folder (as
GitHub release archives are: `semantic-conventions-1.44.0/model/...`) it is also looked up
inside that folder.

Remote sources and local archives land in a cache folder (`cache_dir`, else
`$TYPED_SEMCONV_CACHE`, else `$XDG_CACHE_HOME/typed-semconv`, else `~/.cache/typed-semconv`);
see `cache`. Every failure is raised as a `Problem` carrying its diagnostic.

This module makes a reference into a folder; the steps live beside it: `parsing` (references),
`cache`, `download`, `extraction`, `git` and `subfolder`. The archive, git and HTTP steps are
imported only by the kind of reference that needs them: a local folder needs none.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Problem
from typed_semconv.sources.cache import (
    CACHE_ENV,
    TREE_NAME,
    default_cache_dir,
    entry_path,
    populate,
    read_entry,
)
from typed_semconv.sources.limits import DEFAULT_LIMITS, Limits, MiB
from typed_semconv.sources.parsing import (
    RegistryReference,
    SourceKind,
    is_local_git,
    parse_reference,
    redact,
    url_label,
)
from typed_semconv.sources.subfolder import select

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def materialize(
    reference: RegistryReference | str,
    *,
    cache_dir: Path | None = None,
    offline: bool = False,
    sha256: str | None = None,
    progress: bool | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Path:
    """The local folder of a registry reference, fetching and extracting it into the cache
    when needed. `sha256` pins the archive's digest; `offline` forbids the network (only the
    cache is used); `progress` (default: stderr is a terminal) shows download progress."""
    parsed = parse_reference(reference) if isinstance(reference, str) else reference
    pin = _check_pin(parsed, sha256)
    if parsed.kind is SourceKind.LOCAL_FOLDER:
        return select(_local_folder(parsed), parsed, unwrap=False)
    cache = (cache_dir.expanduser() if cache_dir is not None else default_cache_dir()).absolute()
    show_progress = sys.stderr.isatty() if progress is None else progress
    try:
        if parsed.kind is SourceKind.LOCAL_ARCHIVE:
            tree = _local_archive(parsed, cache, pin, limits)
        elif parsed.kind is SourceKind.REMOTE_ARCHIVE:
            tree = _remote_archive(parsed, cache, pin, offline, show_progress, limits)
        else:
            tree = _git_tree(parsed, cache, offline, limits)
    except OSError as exc:
        raise Problem(
            catalogue.SOURCE_CACHE_ERROR,
            f"cannot use the cache folder {cache} for `{parsed.display}`: "
            f"{exc.strerror or exc}{f': {exc.filename}' if exc.filename else ''}",
            hint=f"make it writable, or choose another with --cache-dir or {CACHE_ENV}",
        ) from exc
    return select(tree, parsed, unwrap=parsed.kind is not SourceKind.GIT)


def _check_pin(reference: RegistryReference, sha256: str | None) -> str | None:
    if sha256 is None:
        return None
    pin = sha256.strip().lower().removeprefix("sha256:")
    if not _SHA256.fullmatch(pin):
        raise Problem(
            catalogue.SOURCE_INVALID,
            f"the sha256 pin `{sha256}` of `{reference.display}` is not 64 hexadecimal digits",
        )
    if reference.kind not in (SourceKind.LOCAL_ARCHIVE, SourceKind.REMOTE_ARCHIVE):
        raise Problem(
            catalogue.SOURCE_INVALID,
            f"a sha256 pin applies to archives, and `{reference.display}` is not one",
            hint="pin a git repository by commit instead: `...git@<commit sha>`",
        )
    return pin


def _local_folder(reference: RegistryReference) -> Path:
    root = Path(os.path.expanduser(reference.location))
    if not root.is_dir():
        what = "is not a folder" if root.exists() else "does not exist"
        raise Problem(
            catalogue.SOURCE_NOT_FOUND,
            f"registry folder `{reference.location}` {what}",
            hint="a registry is a folder, an archive (.zip, .tar.gz, .tgz) or a git URL",
        )
    return root


def _mismatch(reference: RegistryReference, pin: str, actual: str, cached: bool) -> Problem:
    where = "the cached archive" if cached else "the archive"
    return Problem(
        catalogue.SOURCE_CHECKSUM_MISMATCH,
        f"sha256 of {where} `{reference.display}` is {actual}, but {pin} was expected",
        hint="check the pin; if the archive really changed upstream, update the pin"
        + (" and remove the cache entry" if cached else ""),
    )


def _local_archive(
    reference: RegistryReference, cache: Path, pin: str | None, limits: Limits
) -> Path:
    archive = Path(os.path.abspath(os.path.expanduser(reference.location)))
    if not archive.is_file():
        raise Problem(
            catalogue.SOURCE_NOT_FOUND,
            f"registry archive `{reference.location}` "
            f"{'is not a file' if archive.exists() else 'does not exist'}",
        )
    try:
        status = archive.stat()
        digest = _file_sha256(archive)
    except OSError as exc:
        raise Problem(
            catalogue.SOURCE_NOT_FOUND,
            f"cannot read registry archive `{reference.location}`: {exc}",
        ) from exc
    if pin is not None and digest != pin:
        raise _mismatch(reference, pin, digest, cached=False)
    key = (str(archive), str(status.st_size), str(status.st_mtime_ns), digest)
    entry = entry_path(cache, SourceKind.LOCAL_ARCHIVE, key, archive.name)
    if read_entry(entry) is None:

        def build(staging: Path) -> dict[str, Any]:
            from typed_semconv.sources.extraction import extract_archive

            extract_archive(archive, staging / TREE_NAME, limits, origin=reference.display)
            return {
                "reference": _whole(reference).display,
                "archive": str(archive),
                "sha256": digest,
            }

        populate(cache, entry, build)
    return entry / TREE_NAME


def _remote_archive(
    reference: RegistryReference,
    cache: Path,
    pin: str | None,
    offline: bool,
    progress: bool,
    limits: Limits,
) -> Path:
    url = reference.location
    entry = entry_path(cache, SourceKind.REMOTE_ARCHIVE, (url, ""), url_label(url))
    metadata = read_entry(entry)
    if metadata is not None:
        if pin is not None and metadata.get("sha256") != pin:
            raise _mismatch(reference, pin, str(metadata.get("sha256")), cached=True)
        return entry / TREE_NAME
    if offline:
        raise _offline_missing(reference, entry)

    def build(staging: Path) -> dict[str, Any]:
        from typed_semconv.sources.download import download
        from typed_semconv.sources.extraction import extract_archive

        archive = staging / "download"
        digest = download(url, archive, limits, progress, reference.display)
        if pin is not None and digest != pin:
            raise _mismatch(reference, pin, digest, cached=False)
        extract_archive(archive, staging / TREE_NAME, limits, origin=reference.display)
        archive.unlink()
        return {"reference": _whole(reference).display, "url": redact(url), "sha256": digest}

    populate(cache, entry, build)
    return entry / TREE_NAME


def _git_tree(reference: RegistryReference, cache: Path, offline: bool, limits: Limits) -> Path:
    url = reference.location
    if is_local_git(url):
        url = os.path.abspath(os.path.expanduser(url))
    label = url_label(url).removesuffix(".git") + (f"-{reference.ref}" if reference.ref else "")
    entry = entry_path(cache, SourceKind.GIT, (url, reference.ref or ""), label)
    if read_entry(entry) is not None:
        return entry / TREE_NAME
    if offline and reference.is_remote:  # a clone of a local repository needs no network
        raise _offline_missing(reference, entry)

    # A local path is cloned through a file:// URL, where git honours --depth.
    clone_url = Path(url).as_uri() if is_local_git(url) else url

    def build(staging: Path) -> dict[str, Any]:
        from typed_semconv.sources.git import clone

        commit = clone(clone_url, reference, staging / TREE_NAME, limits)
        return {
            "reference": _whole(reference).display,
            "url": redact(url),
            "ref": reference.ref,
            "commit": commit,
        }

    populate(cache, entry, build)
    return entry / TREE_NAME


def _whole(reference: RegistryReference) -> RegistryReference:
    """The reference to the whole tree (what a cache entry holds), without its sub-folder."""
    return replace(reference, subfolder=None)


def _offline_missing(reference: RegistryReference, entry: Path) -> Problem:
    return Problem(
        catalogue.SOURCE_OFFLINE_MISSING,
        f"`{reference.display}` is not in the cache (looked for {entry}) and offline mode "
        "forbids fetching it",
        hint="run once without --offline, with network access, to fill the cache (or point "
        f"--cache-dir / {CACHE_ENV} at a cache that has it)",
    )


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(MiB):
            digest.update(chunk)
    return digest.hexdigest()
