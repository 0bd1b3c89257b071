"""The options of a run, as every stage receives them (the CLI, the configuration file and the
build hook all produce a `GenerateOptions`)."""

from __future__ import annotations

import keyword
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from typed_semconv.diagnostics.text import printable

_PACKAGE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")

# The packages the generated code imports at run time besides the standard library
# (tests/test_cli.py checks this against the imports of generated packages).
# When a live check fails: at a finding of this level or worse (`livecheck.settings`). Here so
# that the command line offers the choices without loading the live check.
FailOn = Literal["violation", "improvement", "information", "none"]
FAIL_ON_CHOICES: tuple[FailOn, ...] = ("violation", "improvement", "information", "none")

RUNTIME_PACKAGES = frozenset({"opentelemetry", "typing_extensions"})


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
class NameOverride:
    """`[tool.typed-semconv.names]`: the Python name of one kind of name of one definition.

    `kind` is a kind of generated name (`enum_class`, `metric_class`...), `item` the definition
    (an attribute key, a metric or event name, an entity type, a span id); `python/name_overrides`
    applies them over the defaults and the registry's own `names` annotations.
    """

    kind: str
    item: str
    name: str


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
    name_overrides: tuple[NameOverride, ...] = ()


def check_package_name(name: str) -> str:
    """The name of the package to generate; ConfigError when it is not a valid name, or when
    its top-level package would shadow a module the generated code (or its user) imports."""
    if not _PACKAGE_NAME.fullmatch(name) or any(keyword.iskeyword(p) for p in name.split(".")):
        raise ConfigError(
            f"package name `{printable(name)}` is not a valid Python package name "
            "(use letters, digits and underscores, e.g. acme_semconv)"
        )
    top = name.split(".")[0]
    if top in sys.stdlib_module_names or top in RUNTIME_PACKAGES:
        what = (
            "the standard library's"
            if top in sys.stdlib_module_names
            else "the generated code's run-time dependency"
        )
        raise ConfigError(
            f"package name `{name}` would shadow {what} `{top}` wherever the output folder is "
            f"on the import path; choose another name, e.g. `{top}_semconv`"
        )
    return name
