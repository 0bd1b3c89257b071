"""Parsing registry references: `LOCATION[@REF][[SUB/FOLDER]]` into a `RegistryReference`
(see `fetch` for what each form means). Light on purpose: it imports no archive, git or HTTP
machinery.
"""

from __future__ import annotations

import enum
import os
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Problem

ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz")

_SCHEMES = frozenset({"http", "https", "ssh", "git", "file"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_SCP_LIKE = re.compile(r"^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:(?!//)")
_DRIVE = re.compile(r"^[A-Za-z]:")
_GIT_SUFFIX_REF = re.compile(r"^(?P<location>.+?\.git)/?(?:@(?P<ref>.*))?$", re.DOTALL)
_REF_CHARS = re.compile(r"^[A-Za-z0-9._/+-]+$")
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
            and not is_local_git(self.location)
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
        return redact(str(self))


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
        from urllib.request import url2pathname  # only here: it imports the HTTP machinery

        local = url2pathname(path)
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
        f"invalid registry reference `{redact(text)}`: {reason}",
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
    if folder.startswith("/") or has_drive(folder):
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
        not _REF_CHARS.fullmatch(ref)
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


def is_local_git(location: str) -> bool:
    return _SCHEME.match(location) is None


def redact(text: str) -> str:
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


def has_drive(path: str) -> bool:
    """Whether `path` starts with a Windows drive (`C:`): absolute, wherever it is read."""
    return _DRIVE.match(path) is not None


def url_label(url: str) -> str:
    """The last part of a URL's or path's location: `semconv-1.44.0.tar.gz`."""
    path = urllib.parse.urlsplit(url).path if _SCHEME.match(url) else url
    path = path.replace("\\", "/").rstrip("/").removesuffix("/.git")
    return PurePosixPath(path).name or "source"
