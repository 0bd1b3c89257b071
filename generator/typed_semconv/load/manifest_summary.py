"""What the dependency graph needs from a registry's manifest, read without the schema models.

The full load (`load_registry`) validates a definition manifest completely; this reader takes
only the schema URL, the dependencies and, for a published registry (`file_format:
manifest/2.0`), where its resolved file is. The graph of dependencies and the cheap look that
decides whether anything changed both use it, so they can never see different graphs. It uses
the safe YAML reader (size, alias and depth limits) and does not import pydantic.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics, Problem, SourceLocation
from typed_semconv.load.yaml_reader import LocatedDict, load_yaml
from typed_semconv.model import MANIFEST_NAMES, Dependency

PUBLICATION_FORMAT = "manifest/2.0"
# The cheap look digests a registry folder's YAML files only: a resolved file of another kind
# makes it leave the decision to a full load.
RESOLVED_SUFFIXES = (".yaml", ".yml")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class Publication:
    """A published registry's manifest: where the resolved registry file is."""

    resolved_registry_uri: object  # as written; checked where it is used
    location: SourceLocation


@dataclass(frozen=True)
class ManifestInfo:
    """`readable` is False when the file is not a mapping of the expected shape; the full load
    reports why (or, for a published registry, the published loader does)."""

    path: Path
    location: SourceLocation
    readable: bool
    schema_url: str | None = None
    dependencies: tuple[Dependency, ...] = ()
    publication: Publication | None = None
    file_format: object = None


def manifest_path(folder: Path) -> Path | None:
    for name in MANIFEST_NAMES:
        path = folder / name
        if path.is_file():
            return path
    return None


def read_manifest(folder: Path, display: Callable[[Path], str]) -> ManifestInfo | None:
    """The manifest of the registry at `folder`, or None when it has none."""
    path = manifest_path(folder)
    if path is None:
        return None
    shown = display(path)
    unreadable = ManifestInfo(path, SourceLocation(shown, 1, 1), readable=False)
    try:
        data = load_yaml(str(path), shown, Diagnostics())
    except Problem:
        return unreadable
    if not isinstance(data, LocatedDict):
        return unreadable
    schema_url = _schema_url(data.get("schema_url"))
    if schema_url is None and "schema_url" not in data:
        base, version = data.get("schema_base_url"), data.get("semconv_version")
        if isinstance(base, str) and isinstance(version, str) and base.strip() and version.strip():
            schema_url = f"{base.strip().rstrip('/')}/{version.strip()}"
    dependencies = _dependencies(data.get("dependencies"))
    if dependencies is None:
        return unreadable
    file_format = data.get("file_format")
    publication = None
    if file_format is not None:
        publication = Publication(
            data.get("resolved_registry_uri"), data.key_location("resolved_registry_uri")
        )
    return ManifestInfo(
        path,
        data.location,
        readable=True,
        schema_url=schema_url,
        dependencies=dependencies,
        publication=publication,
        file_format=file_format,
    )


def _schema_url(value: Any) -> str | None:
    if isinstance(value, LocatedDict):
        value = value.get("url")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _dependencies(value: Any) -> tuple[Dependency, ...] | None:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(e, LocatedDict) for e in value):
        return None
    dependencies = []
    for entry in value:
        path = entry.get("registry_path")
        if path is not None and not isinstance(path, str):
            return None
        name = entry.get("name")
        declared = _schema_url(entry.get("schema_url")) or (
            name.strip() if isinstance(name, str) and name.strip() else None
        )
        dependencies.append(Dependency(declared, path, entry.location))
    return tuple(dependencies)


def resolved_file(folder: Path, manifest: ManifestInfo) -> Path:
    """The resolved file a published manifest names; raises Problem when the manifest is not a
    `manifest/2.0` one or its `resolved_registry_uri` is not a relative path inside `folder`
    (nothing outside the package is read, and the cheap look then covers the file)."""
    publication = manifest.publication
    if publication is None or manifest.file_format != PUBLICATION_FORMAT:
        raise Problem(
            catalogue.PUBLISHED_REGISTRY_INVALID,
            f"unknown manifest `file_format: {manifest.file_format}`",
            manifest.location.at("file_format"),
            f"a published registry's manifest says `file_format: {PUBLICATION_FORMAT}`; a "
            "registry of definition files has no `file_format`",
        )
    uri = publication.resolved_registry_uri
    if not isinstance(uri, str) or not uri.strip():
        raise Problem(
            catalogue.PUBLISHED_REGISTRY_INVALID,
            "the published registry's manifest has no `resolved_registry_uri`",
            publication.location,
            "name the resolved registry file, e.g. `resolved_registry_uri: resolved.yaml`",
        )
    text = uri.strip()
    parts = [p for p in text.replace("\\", "/").split("/") if p not in ("", ".")]
    if _URL.match(text) or text.startswith(("/", "\\", "~")) or _DRIVE.match(text) or not parts:
        raise _outside(text, publication.location)
    if ".." in parts:
        raise _outside(text, publication.location)
    path = folder.joinpath(*parts)
    real_folder = os.path.realpath(folder)
    if os.path.commonpath([real_folder, os.path.realpath(path)]) != real_folder:
        raise _outside(text, publication.location)
    return path


def _outside(uri: str, location: SourceLocation) -> Problem:
    return Problem(
        catalogue.PUBLISHED_REGISTRY_INVALID,
        f"`resolved_registry_uri: {uri}` is not a file inside the published registry's folder",
        location,
        "keep the resolved file beside the manifest, as `weaver registry package` writes it, and "
        "name it by its relative path",
    )


# --- schema URLs and versions ----------------------------------------------------------------


@dataclass(frozen=True)
class RegistryId:
    """A registry's identity: its schema URL without the scheme and the last path segment
    (`name`), and that segment (`version`; None when a dependency is declared by name only)."""

    name: str
    version: str | None

    def __str__(self) -> str:
        return f"{self.name} {self.version}" if self.version else self.name


def registry_id(schema_url: str) -> RegistryId | None:
    """`https://example.test/schemas/kiln/2.1.0` -> (`example.test/schemas/kiln`, `2.1.0`);
    a bare name (a dependency declared by `name`) has no version; None when the URL has no
    host or no path segment to take the version from."""
    text = schema_url.strip()
    if "://" not in text:
        plain = text.strip("/")
        if not plain or any(c.isspace() for c in plain):
            return None
        return RegistryId(plain, None)
    try:
        parts = urllib.parse.urlsplit(text)
    except ValueError:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if not parts.scheme or not parts.netloc or not segments:
        return None
    if any(c.isspace() for c in text):
        return None
    head = "/".join([parts.netloc, *segments[:-1]])
    return RegistryId(head, segments[-1])


_SEMVER = re.compile(
    r"^v?(?P<major>0|[1-9][0-9]*)\.(?P<minor>0|[1-9][0-9]*)\.(?P<patch>0|[1-9][0-9]*)"
    r"(?:-(?P<pre>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$"
)

SemverKey = tuple[int, int, int, int, tuple[tuple[int, int | str], ...]]


def semver_key(version: str | None) -> SemverKey | None:
    """A sort key giving semantic-version precedence (a pre-release sorts before its release;
    build metadata is ignored); None when `version` is not `MAJOR.MINOR.PATCH[-pre][+build]`
    (an optional leading `v` is allowed)."""
    match = _SEMVER.match(version or "")
    if match is None:
        return None
    pre = match["pre"]
    identifiers = tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in (pre or "").split(".") if pre
    )
    release = (int(match["major"]), int(match["minor"]), int(match["patch"]))
    return (*release, 0 if pre else 1, identifiers)
