"""Every option of a run, in one table: its command-line flag, its `[tool.typed-semconv]` key,
its kind, its default, and the commands that take it.

The flags of `generate`, `check` and `resolve`, the reading of `pyproject.toml` (which the build
hook shares), and README's list of options are all made from `OPTIONS`. A value comes from the
command line, else from `[tool.typed-semconv]`, else from the option's default.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar, cast

from typed_semconv.options import RegistrySpec

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

GENERATE = "generate"
CHECK = "check"
RESOLVE = "resolve"
LIVE_CHECK = "live-check"
DIFF = "diff"
UPGRADE = "upgrade"
COMMANDS = (GENERATE, CHECK, RESOLVE, LIVE_CHECK, DIFF, UPGRADE)


class Kind(enum.Enum):
    """How an option is written on the command line and in `pyproject.toml`."""

    SWITCH = "switch"  # `--name` / `--off-name`; `name = true` or `false`
    TEXT = "text"  # `--name VALUE`; `name = "value"`
    PATH = "path"  # `--name PATH`; `name = "path"`, relative to the pyproject's folder
    TEXT_LIST = "text list"  # `--name VALUE`, repeatable; `name = ["a", "b"]` (or one string)
    REGISTRIES = "registries"  # repeatable references; in pyproject also {source, sha256} tables


@dataclass(frozen=True)
class Option(Generic[T_co]):
    key: str  # the `[tool.typed-semconv]` key; the flag is `--key`
    kind: Kind
    default: T_co
    help: str
    commands: frozenset[str]
    off: str | None = None  # the flag that turns a switch off, e.g. `all-stabilities`
    metavar: str | None = None
    default_text: str | None = None  # what the default means, where the value says too little

    @property
    def flag(self) -> str:
        return f"--{self.key}"

    @property
    def off_flag(self) -> str:
        return f"--{self.off}"

    @property
    def parameter(self) -> str:
        """The name click gives the option's value."""
        return self.key.replace("-", "_")

    def shown_default(self) -> str:
        if self.default_text is not None:
            return self.default_text
        if self.kind is Kind.SWITCH:
            return self.flag if self.default else self.off_flag
        return "none" if self.default in (None, ()) else str(self.default)


_EVERY = frozenset(COMMANDS)
# The options that shape the Python view: its names decide what `upgrade` rewrites to.
_VIEW = frozenset({GENERATE, CHECK, UPGRADE})
_PACKAGE = frozenset({GENERATE, UPGRADE})  # the package `generate` writes, `upgrade` rewrites to
_GENERATE = frozenset({GENERATE})

REGISTRY: Option[tuple[RegistrySpec, ...]] = Option(
    "registry",
    Kind.REGISTRIES,
    (),
    "A registry: a folder, a .zip/.tar.gz archive (a path or a URL) or a git URL with @ref, "
    "each optionally followed by [sub/folder]. Repeat it to read several registries. In "
    'pyproject.toml an entry may also be {source = "...", sha256 = "..."}, pinning the archive.',
    _EVERY,
    metavar="REF",
    default_text="required",
)
CACHE_DIR: Option[Path | None] = Option(
    "cache-dir",
    Kind.PATH,
    None,
    "Where fetched archives and git repositories are kept.",
    _EVERY,
    metavar="DIR",
    default_text="$TYPED_SEMCONV_CACHE, else $XDG_CACHE_HOME/typed-semconv",
)
OFFLINE: Option[bool] = Option(
    "offline",
    Kind.SWITCH,
    False,
    "Use only registries already in the cache and fetch nothing, or fetch what is missing.",
    _EVERY,
    off="online",
)
OUTPUT: Option[Path | None] = Option(
    "output",
    Kind.PATH,
    None,
    "The folder to write the package in: the package goes to OUTPUT/PACKAGE/.",
    _GENERATE,
    metavar="DIR",
    default_text="required",
)
PACKAGE: Option[str | None] = Option(
    "package",
    Kind.TEXT,
    None,
    "The name of the generated package, e.g. acme_semconv (dotted names make sub-packages).",
    _PACKAGE,
    metavar="NAME",
    default_text="required by generate",
)
TEMPLATES: Option[Path | None] = Option(
    "templates",
    Kind.PATH,
    None,
    "A folder of templates that replace the built-in ones file by file, by name (see "
    "docs/templates.md).",
    _VIEW,
    metavar="DIR",
    default_text="the built-in templates",
)
STABLE_ONLY: Option[bool] = Option(
    "stable-only",
    Kind.SWITCH,
    False,
    "Generate only stable definitions, or every stability level.",
    _VIEW,
    off="all-stabilities",
)
INCLUDE_DEPRECATED: Option[bool] = Option(
    "include-deprecated",
    Kind.SWITCH,
    True,
    "Keep deprecated definitions, or leave them out.",
    _VIEW,
    off="exclude-deprecated",
)
EXCLUDE_NAMESPACE: Option[tuple[str, ...]] = Option(
    "exclude-namespace",
    Kind.TEXT_LIST,
    (),
    "Leave out a root namespace, e.g. aspnetcore. Repeat it to leave out several.",
    _VIEW,
    metavar="NS",
)
INCLUDE_DEPENDENCIES: Option[bool] = Option(
    "include-dependencies",
    Kind.SWITCH,
    False,
    "Generate everything of the registries the manifest depends on, or only what the project uses.",
    _VIEW,
    off="used-dependencies",
)
CLOSED_ENUMS: Option[bool] = Option(
    "closed-enums",
    Kind.SWITCH,
    False,
    "Generated factories, setters and instruments take only enum members, or members and "
    "plain values too.",
    _VIEW,
    off="open-enums",
)
FORMAT: Option[bool] = Option(
    "format",
    Kind.SWITCH,
    True,
    "Format the output with black, or skip it; the output is valid Python either way.",
    _GENERATE,
    off="no-format",
)

OPTIONS: tuple[Option[object], ...] = (
    REGISTRY,
    CACHE_DIR,
    OFFLINE,
    OUTPUT,
    PACKAGE,
    TEMPLATES,
    STABLE_ONLY,
    INCLUDE_DEPRECATED,
    EXCLUDE_NAMESPACE,
    INCLUDE_DEPENDENCIES,
    CLOSED_ENUMS,
    FORMAT,
)
BY_KEY: Mapping[str, Option[object]] = {option.key: option for option in OPTIONS}


def options_of(command: str) -> tuple[Option[object], ...]:
    return tuple(option for option in OPTIONS if command in option.commands)


@dataclass(frozen=True)
class Settings:
    """The values of a run by option key: only what was given (on the command line or in the
    configuration); `settings[OPTION]` falls back to the option's default."""

    values: Mapping[str, object]

    def __getitem__(self, option: Option[T]) -> T:
        return cast(T, self.values.get(option.key, option.default))


def merge(command_line: Mapping[str, object], configured: Mapping[str, object]) -> Settings:
    """Command-line values win over configured ones; what neither gives keeps its default."""
    return Settings({**configured, **command_line})
