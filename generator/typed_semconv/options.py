"""The options of a run, as every stage receives them (the CLI, the configuration file and the
build hook all produce a `GenerateOptions`)."""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from pathlib import Path

_PACKAGE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


class ConfigError(Exception):
    """A configuration problem: reported as a usage error (exit code 2)."""


@dataclass(frozen=True)
class FilterOptions:
    stable_only: bool = False
    include_deprecated: bool = True
    exclude_namespaces: tuple[str, ...] = ()
    include_dependencies: bool = False


@dataclass(frozen=True)
class RegistrySpec:
    """A registry to read: a folder, an archive or a git repository (see `sources`), with an
    optional sha256 pin of the downloaded archive."""

    reference: str
    sha256: str | None = None


@dataclass(frozen=True)
class SourceOptions:
    """Where remote registries are cached, and whether the network may be used."""

    cache_dir: Path | None = None
    offline: bool = False


@dataclass(frozen=True)
class GenerateOptions:
    registries: tuple[RegistrySpec, ...]
    output: Path
    package: str
    templates: Path | None = None
    filters: FilterOptions = field(default_factory=FilterOptions)
    format: bool = True
    closed_enums: bool = False
    sources: SourceOptions = field(default_factory=SourceOptions)


def check_package_name(name: str) -> str:
    if not _PACKAGE_NAME.match(name) or any(keyword.iskeyword(p) for p in name.split(".")):
        raise ConfigError(
            f"package name `{name}` is not a valid Python package name "
            "(use letters, digits and underscores, e.g. acme_semconv)"
        )
    return name
