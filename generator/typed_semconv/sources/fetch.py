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
`$TYPED_SEMCONV_CACHE`, else `$XDG_CACHE_HOME/typed-semconv`, else `~/.cache/typed-semconv`).
Each cache entry is built in `<cache>/tmp/` and renamed into place only once complete, so an
entry that exists is whole: a killed run leaves at most a stale staging folder, never an entry.
Every failure is raised as a `Problem` carrying its diagnostic.
"""

from __future__ import annotations

import enum
import hashlib
import http.client
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import IO, Any

from typed_semconv import __version__
from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics, InputError, Problem

CACHE_ENV = "TYPED_SEMCONV_CACHE"
CACHE_APP = "typed-semconv"
ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz")
METADATA_NAME = "source.json"
TREE_NAME = "tree"
STAGING_NAME = "tmp"
STALE_STAGING_SECONDS = 24 * 3600
MiB = 1024 * 1024
GiB = 1024 * MiB
_CHUNK = 256 * 1024

_SCHEMES = frozenset({"http", "https", "ssh", "git", "file"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_SCP_LIKE = re.compile(r"^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:(?!//)")
_DRIVE = re.compile(r"^[A-Za-z]:")
_GIT_SUFFIX_REF = re.compile(r"^(?P<location>.+?\.git)/?(?:@(?P<ref>.*))?$", re.DOTALL)
_REF_CHARS = re.compile(r"^[A-Za-z0-9._/+-]+$")
_COMMITISH = re.compile(r"^[0-9a-fA-F]{4,40}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_SLUG = re.compile(r"[^A-Za-z0-9._-]+")
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)([^/@]*)@")


class SourceKind(enum.Enum):
    LOCAL_FOLDER = "local-folder"
    LOCAL_ARCHIVE = "local-archive"
    REMOTE_ARCHIVE = "remote-archive"
    GIT = "git"


@dataclass(frozen=True)
class RegistryReference:
    """A parsed reference. `location` is a path or a URL (for git: what `git clone` is given,
    without any `git+` prefix); `ref` is the git tag, branch or commit; `subfolder` is a
    normalised relative POSIX path (no `.`, `..` or empty parts)."""

    kind: SourceKind
    location: str
    ref: str | None = None
    subfolder: str | None = None

    @property
    def is_remote(self) -> bool:
        """Whether it needs the network: a remote archive, or a git repository that is neither
        a local path nor a `file://` URL."""
        return self.kind is SourceKind.REMOTE_ARCHIVE or (
            self.kind is SourceKind.GIT
            and not _is_local_git(self.location)
            and not self.location.lower().startswith("file:")
        )

    def with_base(self, base: Path) -> RegistryReference:
        """The same reference with a relative local location taken relative to `base` (the
        folder of the pyproject.toml that names it); URLs are left alone."""
        if _SCHEME.match(self.location) or os.path.isabs(os.path.expanduser(self.location)):
            return self
        location = str(base / os.path.expanduser(self.location))
        return RegistryReference(self.kind, location, self.ref, self.subfolder)

    def __str__(self) -> str:
        location = self.location
        if (
            self.kind is SourceKind.GIT
            and _SCHEME.match(location)
            and not location.rstrip("/").endswith(".git")
            and not location.lower().startswith(("ssh://", "git://"))
        ):
            location = "git+" + location
        text = location + (f"@{self.ref}" if self.ref else "")
        return text + (f"[{self.subfolder}]" if self.subfolder else "")

    @property
    def display(self) -> str:
        """The reference as messages show it: any password in the URL is hidden."""
        return _redact(str(self))


@dataclass(frozen=True)
class Limits:
    """Bounds on what a source may cost; the defaults suit real semantic-convention releases
    (about 3 MiB packed, 20 MiB unpacked, a few thousand files)."""

    max_download_bytes: int = 512 * MiB
    max_members: int = 50_000
    max_total_bytes: int = 1 * GiB
    timeout: float = 60.0  # seconds a network read may wait
    git_timeout: float = 900.0  # seconds one git command may take


DEFAULT_LIMITS = Limits()


# --- parsing -------------------------------------------------------------------------------


def parse_reference(text: str) -> RegistryReference:
    """Parse `LOCATION[@REF][[SUB/FOLDER]]`; raises Problem(`source-invalid`)."""
    raw = text.strip()
    if not raw:
        raise _invalid(text, "the registry reference is empty")
    if any(ord(c) < 32 or ord(c) == 127 for c in raw):
        raise _invalid(text, "the registry reference contains control characters")
    body, subfolder = _split_subfolder(raw)
    scheme_match = _SCHEME.match(body)
    if scheme_match is None:
        if _SCP_LIKE.match(body):
            raise _invalid(
                text,
                "scp-like git addresses (`user@host:path`) are not supported",
                "write it as a URL: `ssh://user@host/path.git[@ref]`",
            )
        return _parse_local(raw, body, subfolder)
    scheme = scheme_match.group(1).lower()
    if scheme.startswith("git+"):
        inner = scheme[len("git+") :]
        if inner not in _SCHEMES:
            raise _invalid(text, f"unsupported git URL scheme `{scheme}`")
        location, ref = _split_url_ref(raw, body[len("git+") :])
        return RegistryReference(SourceKind.GIT, location, ref, subfolder)
    if scheme not in _SCHEMES:
        raise _invalid(
            text,
            f"unsupported URL scheme `{scheme}`",
            "use https://, http://, ssh://, file:// or git+<scheme>://",
        )
    suffix = _GIT_SUFFIX_REF.match(body)
    if suffix is not None:
        return RegistryReference(
            SourceKind.GIT, suffix["location"], _check_ref(raw, suffix["ref"]), subfolder
        )
    if scheme in ("ssh", "git"):
        location, ref = _split_url_ref(raw, body)
        return RegistryReference(SourceKind.GIT, location, ref, subfolder)
    path = urllib.parse.urlsplit(body).path
    is_archive = path.lower().endswith(ARCHIVE_SUFFIXES)
    if scheme == "file":
        local = urllib.request.url2pathname(path)
        kind = SourceKind.LOCAL_ARCHIVE if is_archive else SourceKind.LOCAL_FOLDER
        return RegistryReference(kind, local, None, subfolder)
    if is_archive:
        return RegistryReference(SourceKind.REMOTE_ARCHIVE, body, None, subfolder)
    raise _invalid(
        text,
        "cannot tell what this URL points at",
        "a remote registry is an archive ending in .zip, .tar.gz or .tgz, or a git repository "
        "ending in .git (or written git+https://...)",
    )


def _invalid(text: str, reason: str, hint: str | None = None) -> Problem:
    return Problem(
        catalogue.SOURCE_INVALID,
        f"invalid registry reference `{_redact(text)}`: {reason}",
        hint=hint,
    )


def _split_subfolder(raw: str) -> tuple[str, str | None]:
    if not raw.endswith("]"):
        if raw.rfind("[") > raw.rfind("]"):
            raise _invalid(raw, "`[` without a closing `]`", "write the folder as `[sub/folder]`")
        return raw, None
    start = raw.rfind("[")
    if start < 0:
        raise _invalid(raw, "`]` without an opening `[`")
    if start == 0:
        raise _invalid(raw, "a `[sub/folder]` needs a location before it")
    return raw[:start], _normalise_subfolder(raw, raw[start + 1 : -1])


def _normalise_subfolder(raw: str, text: str) -> str:
    folder = text.strip()
    if "\\" in folder:
        raise _invalid(raw, f"sub-folder `{folder}` contains `\\`", "separate folders with `/`")
    if folder.startswith("/") or _DRIVE.match(folder):
        raise _invalid(raw, f"sub-folder `{folder}` must be relative")
    parts = [part for part in folder.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise _invalid(raw, f"sub-folder `{folder}` must not contain `..`")
    if not parts:
        raise _invalid(raw, "the sub-folder in `[...]` is empty")
    return "/".join(parts)


def _check_ref(raw: str, ref: str | None) -> str | None:
    if ref is None:
        return None
    if not ref:
        raise _invalid(
            raw, "nothing after `@`", "write the tag, branch or commit: `...git@v1.44.0`"
        )
    if ref.startswith("-"):
        raise _invalid(raw, f"git ref `{ref}` must not start with `-`")
    if (
        not _REF_CHARS.match(ref)
        or ".." in ref
        or "//" in ref
        or ref.startswith("/")
        or ref.endswith(("/", ".", ".lock"))
    ):
        raise _invalid(
            raw,
            f"`{ref}` is not a valid git tag, branch or commit",
            "use letters, digits and `. _ / + -`, e.g. `v1.44.0` or `main`",
        )
    return ref


def _split_url_ref(raw: str, url: str) -> tuple[str, str | None]:
    """Split `scheme://authority/path@ref`: the ref is after the first `@` of the path."""
    suffix = _GIT_SUFFIX_REF.match(url)
    if suffix is not None:
        return suffix["location"], _check_ref(raw, suffix["ref"])
    head, separator, rest = url.partition("://")
    slash = rest.find("/")
    if slash < 0:
        return url, None
    authority, path = rest[:slash], rest[slash:]
    path, at, ref = path.partition("@")
    location = f"{head}{separator}{authority}{path}"
    return location, _check_ref(raw, ref if at else None)


def _parse_local(raw: str, body: str, subfolder: str | None) -> RegistryReference:
    suffix = _GIT_SUFFIX_REF.match(body)
    if suffix is not None:
        return RegistryReference(
            SourceKind.GIT, suffix["location"], _check_ref(raw, suffix["ref"]), subfolder
        )
    if body.lower().endswith(ARCHIVE_SUFFIXES):
        return RegistryReference(SourceKind.LOCAL_ARCHIVE, body, None, subfolder)
    return RegistryReference(SourceKind.LOCAL_FOLDER, body, None, subfolder)


def _is_local_git(location: str) -> bool:
    return _SCHEME.match(location) is None


def _redact(text: str) -> str:
    """Hide secrets in a URL's user information: the password of `user:password@`, and the
    whole of an http(s) `token@` (an ssh user name such as `git@` is kept)."""

    def hide(match: re.Match[str]) -> str:
        scheme, userinfo = match.group(1), match.group(2)
        user, colon, _ = userinfo.partition(":")
        if colon:
            return f"{scheme}{user}:***@"
        if scheme.lower().rstrip(":/").removeprefix("git+") in ("http", "https"):
            return f"{scheme}***@"
        return match.group(0)

    return _USERINFO.sub(hide, text)


# --- cache ---------------------------------------------------------------------------------


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


def _entry_path(cache: Path, kind: SourceKind, key: Sequence[str], label: str) -> Path:
    digest = hashlib.sha256("\0".join((kind.value, *key)).encode("utf-8")).hexdigest()[:32]
    slug = _SLUG.sub("-", label).strip("-.")[:48] or "source"
    return cache / kind.value / f"{slug}-{digest}"


def _read_entry(entry: Path) -> dict[str, Any] | None:
    """The metadata of a complete entry, or None. An entry is renamed into place whole, so
    its metadata file exists exactly when the entry is complete."""
    try:
        data = json.loads((entry / METADATA_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not (entry / TREE_NAME).is_dir():
        return None
    return data


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


def _populate(cache: Path, entry: Path, build: Callable[[Path], dict[str, Any]]) -> dict[str, Any]:
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
        if entry.exists() and _read_entry(entry) is None:
            # Not an entry this code wrote (it has no metadata): move it out of the way.
            trash = Path(tempfile.mkdtemp(prefix="broken.", dir=staging_root))
            os.replace(entry, trash / "entry")
            shutil.rmtree(trash, ignore_errors=True)
        try:
            os.rename(staging, entry)
        except OSError:
            existing = _read_entry(entry)
            if existing is None:
                raise
            return existing  # another run filled it meanwhile: theirs is as good
        return metadata
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


# --- materialising -------------------------------------------------------------------------


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
        return _select(_local_folder(parsed), parsed, unwrap=False)
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
    return _select(tree, parsed, unwrap=parsed.kind is not SourceKind.GIT)


def materialize_all(
    references: Sequence[RegistryReference | str | Path],
    diagnostics: Diagnostics,
    *,
    cache_dir: Path | None = None,
    offline: bool = False,
    progress: bool | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[Path, ...]:
    """Every reference made into a folder; each failure becomes an error diagnostic and, when
    any failed, InputError is raised after all were tried."""
    paths: list[Path] = []
    failed = False
    for reference in references:
        try:
            given = str(reference) if isinstance(reference, Path) else reference
            paths.append(
                materialize(
                    given, cache_dir=cache_dir, offline=offline, progress=progress, limits=limits
                )
            )
        except Problem as error:
            diagnostics.add(error.diagnostic)
            failed = True
    if failed:
        raise InputError(diagnostics)
    return tuple(paths)


def _check_pin(reference: RegistryReference, sha256: str | None) -> str | None:
    if sha256 is None:
        return None
    pin = sha256.strip().lower().removeprefix("sha256:")
    if not _SHA256.match(pin):
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
    entry = _entry_path(cache, SourceKind.LOCAL_ARCHIVE, key, archive.name)
    if _read_entry(entry) is None:

        def build(staging: Path) -> dict[str, Any]:
            extract_archive(archive, staging / TREE_NAME, limits, origin=reference.display)
            return {
                "reference": _whole(reference).display,
                "archive": str(archive),
                "sha256": digest,
            }

        _populate(cache, entry, build)
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
    entry = _entry_path(cache, SourceKind.REMOTE_ARCHIVE, (url, ""), _url_label(url))
    metadata = _read_entry(entry)
    if metadata is not None:
        if pin is not None and metadata.get("sha256") != pin:
            raise _mismatch(reference, pin, str(metadata.get("sha256")), cached=True)
        return entry / TREE_NAME
    if offline:
        raise _offline_missing(reference, entry)

    def build(staging: Path) -> dict[str, Any]:
        download = staging / "download"
        digest = _download(url, download, limits, progress, reference.display)
        if pin is not None and digest != pin:
            raise _mismatch(reference, pin, digest, cached=False)
        extract_archive(download, staging / TREE_NAME, limits, origin=reference.display)
        download.unlink()
        return {"reference": _whole(reference).display, "url": _redact(url), "sha256": digest}

    _populate(cache, entry, build)
    return entry / TREE_NAME


def _git_tree(reference: RegistryReference, cache: Path, offline: bool, limits: Limits) -> Path:
    url = reference.location
    if _is_local_git(url):
        url = os.path.abspath(os.path.expanduser(url))
    label = _url_label(url).removesuffix(".git") + (f"-{reference.ref}" if reference.ref else "")
    entry = _entry_path(cache, SourceKind.GIT, (url, reference.ref or ""), label)
    if _read_entry(entry) is not None:
        return entry / TREE_NAME
    if offline and reference.is_remote:  # a clone of a local repository needs no network
        raise _offline_missing(reference, entry)

    # A local path is cloned through a file:// URL, where git honours --depth.
    clone_url = Path(url).as_uri() if _is_local_git(url) else url

    def build(staging: Path) -> dict[str, Any]:
        commit = _clone(clone_url, reference, staging / TREE_NAME, limits)
        return {
            "reference": _whole(reference).display,
            "url": _redact(url),
            "ref": reference.ref,
            "commit": commit,
        }

    _populate(cache, entry, build)
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


def _url_label(url: str) -> str:
    path = urllib.parse.urlsplit(url).path if _SCHEME.match(url) else url
    path = path.replace("\\", "/").rstrip("/").removesuffix("/.git")
    return PurePosixPath(path).name or "source"


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(MiB):
            digest.update(chunk)
    return digest.hexdigest()


# --- download ------------------------------------------------------------------------------


class _Meter:
    """A one-line progress display on stderr, at most ten updates a second."""

    def __init__(self, label: str, total: int | None, enabled: bool) -> None:
        self.label = label
        self.total = total
        self.enabled = enabled
        self.shown = False
        self.last = 0.0

    def update(self, received: int, final: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not final and now - self.last < 0.1):
            return
        self.last = now
        done = f"{received / MiB:.1f}"
        size = f" / {self.total / MiB:.1f}" if self.total else ""
        sys.stderr.write(f"\rdownloading {self.label}: {done}{size} MiB")
        sys.stderr.flush()
        self.shown = True

    def close(self, received: int) -> None:
        if self.shown:
            self.update(received, final=True)
            sys.stderr.write("\n")
            sys.stderr.flush()


def _download(url: str, target: Path, limits: Limits, progress: bool, display: str) -> str:
    """Download `url` into `target` (a new file); returns the sha256 of the bytes."""

    def failed(reason: str, hint: str | None = None) -> Problem:
        return Problem(
            catalogue.SOURCE_DOWNLOAD_FAILED, f"cannot download `{display}`: {reason}", hint=hint
        )

    too_large = (
        f"larger than the {limits.max_download_bytes // MiB} MiB limit",
        "registry archives are a few MiB; check the URL",
    )
    request = urllib.request.Request(url, headers={"User-Agent": f"typed-semconv/{__version__}"})
    digest = hashlib.sha256()
    received = 0
    meter: _Meter | None = None
    try:
        with (
            urllib.request.urlopen(request, timeout=limits.timeout) as response,
            target.open("xb") as out,
        ):
            header = (response.headers.get("Content-Length") or "").strip()
            expected = int(header) if header.isdigit() else None
            if expected is not None and expected > limits.max_download_bytes:
                raise failed(*too_large)
            meter = _Meter(_url_label(url), expected, progress)
            while chunk := response.read(_CHUNK):
                received += len(chunk)
                if received > limits.max_download_bytes:
                    raise failed(*too_large)
                digest.update(chunk)
                out.write(chunk)
                meter.update(received)
            if expected is not None and received != expected:
                raise failed(
                    f"the connection ended after {received} of {expected} bytes",
                    "try again; nothing was cached",
                )
    except urllib.error.HTTPError as exc:
        raise failed(f"HTTP {exc.code} {exc.reason}", "check the URL") from exc
    except urllib.error.URLError as exc:
        raise failed(str(exc.reason), "check the URL and the network") from exc
    except (TimeoutError, http.client.HTTPException, OSError, ValueError) as exc:
        raise failed(f"{type(exc).__name__}: {exc}", "try again; nothing was cached") from exc
    finally:
        if meter is not None:
            meter.close(received)
    return digest.hexdigest()


# --- extraction ----------------------------------------------------------------------------


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
    if name.startswith("/") or _DRIVE.match(name):
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


# --- git -----------------------------------------------------------------------------------


def _clone(url: str, reference: RegistryReference, tree: Path, limits: Limits) -> str:
    """Clone `url` at `reference.ref` into `tree` (without its .git folder); returns the
    commit. Shallow for a tag or branch; a full clone and checkout for a commit."""
    git = shutil.which("git")
    if git is None:
        raise Problem(
            catalogue.SOURCE_GIT_FAILED,
            f"cannot fetch `{reference.display}`: git is not installed (not found on PATH)",
            hint="install git, or use a release archive (.tar.gz / .zip) instead",
        )
    # Links are checked out as small text files: a repository cannot point outside itself.
    base = [git, "-c", "core.symlinks=false", "-c", "advice.detachedHead=false"]
    ref = reference.ref
    branch = ["--branch", ref] if ref else []
    shallow = _run_git(
        [*base, "clone", "--quiet", "--depth", "1", *branch, "--", url, str(tree)], limits
    )
    if shallow.returncode != 0:
        if ref is None or not _COMMITISH.match(ref):
            raise _git_failed(reference, shallow)
        shutil.rmtree(tree, ignore_errors=True)
        full = _run_git([*base, "clone", "--quiet", "--no-checkout", "--", url, str(tree)], limits)
        if full.returncode != 0:
            raise _git_failed(reference, full)
        # `ref` never starts with `-` (see _check_ref), so it cannot be read as an option.
        found = _run_git(
            [git, "-C", str(tree), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
            limits,
        )
        if found.returncode != 0:
            raise Problem(
                catalogue.SOURCE_GIT_FAILED,
                f"cannot fetch `{reference.display}`: no tag, branch or commit `{ref}`",
                hint="check the ref after `@` (git ls-remote <url> lists tags and branches)",
            )
        checkout = _run_git(
            [*base, "-C", str(tree), "checkout", "--quiet", "--detach", found.stdout.strip()],
            limits,
        )
        if checkout.returncode != 0:
            raise _git_failed(reference, checkout)
    head = _run_git([git, "-C", str(tree), "rev-parse", "HEAD"], limits)
    if head.returncode != 0:
        raise _git_failed(reference, head)
    shutil.rmtree(tree / ".git")
    return head.stdout.strip()


def _run_git(command: list[str], limits: Limits) -> _GitResult:
    timeout = limits.git_timeout
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GCM_INTERACTIVE": "never"}
    try:
        result = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return _GitResult(124, "", f"git took longer than {timeout:.0f} s")
    except OSError as exc:
        return _GitResult(127, "", f"cannot run git: {exc}")
    return _GitResult(result.returncode, result.stdout, result.stderr)


@dataclass(frozen=True)
class _GitResult:
    returncode: int
    stdout: str
    stderr: str


def _git_failed(reference: RegistryReference, result: _GitResult) -> Problem:
    lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
    serious = [line for line in lines if not line.startswith(("warning:", "hint:"))]
    detail = _redact(" / ".join((serious or lines)[-3:]))
    detail = detail or f"git exited with status {result.returncode}"
    hint = "check the URL and the ref after `@`"
    if _is_local_git(reference.location) or reference.location.startswith("file:"):
        hint += " (a local repository path must exist)"
    else:
        hint += "; private repositories need credentials git can use without prompting"
    return Problem(
        catalogue.SOURCE_GIT_FAILED, f"cannot fetch `{reference.display}`: {detail}", hint=hint
    )


# --- sub-folder ----------------------------------------------------------------------------


def _single_top_folder(root: Path) -> Path | None:
    """The one folder an archive's content sits in (GitHub release archives), if so."""
    try:
        children = [
            c for c in root.iterdir() if not c.name.startswith(".") and c.name != "__MACOSX"
        ]
    except OSError:
        return None
    if len(children) == 1 and children[0].is_dir() and not children[0].is_symlink():
        return children[0]
    return None


def _select(root: Path, reference: RegistryReference, *, unwrap: bool) -> Path:
    top = _single_top_folder(root) if unwrap else None
    if reference.subfolder is None:
        return top or root
    parts = reference.subfolder.split("/")
    real_root = os.path.realpath(root)
    for base in (root, top) if top is not None else (root,):
        candidate = base.joinpath(*parts)
        if not candidate.is_dir():
            continue
        real = os.path.realpath(candidate)
        if os.path.commonpath([real_root, real]) != real_root:
            raise Problem(
                catalogue.SOURCE_SUBFOLDER_OUTSIDE,
                f"sub-folder `{reference.subfolder}` of `{reference.display}` leads outside it "
                "(through a symbolic link)",
            )
        return candidate
    where = [root] if top is None else [root, top]
    folders = sorted(
        {c.name for base in where for c in base.iterdir() if c.is_dir() and c.name[0] != "."}
    )
    listing = ", ".join(f"`{name}`" for name in folders[:12]) or "none"
    return_hint = f"folders at the top: {listing}" + (" ..." if len(folders) > 12 else "")
    raise Problem(
        catalogue.SOURCE_SUBFOLDER_MISSING,
        f"`{reference.display}` has no folder `{reference.subfolder}`",
        hint=return_hint,
    )
