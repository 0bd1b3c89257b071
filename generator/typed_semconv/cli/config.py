"""The values of a run's options: `[tool.typed-semconv]` in the nearest pyproject.toml, read and
checked by the option table, then the command line's values over them (see `option_table`)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from typed_semconv.cli import names_option
from typed_semconv.cli.option_table import (
    BY_KEY,
    CACHE_DIR,
    CLOSED_ENUMS,
    EXCLUDE_NAMESPACE,
    FORMAT,
    INCLUDE_DEPENDENCIES,
    INCLUDE_DEPRECATED,
    OFFLINE,
    OUTPUT,
    PACKAGE,
    REGISTRY,
    STABLE_ONLY,
    TEMPLATES,
    Kind,
    Option,
    Settings,
    merge,
    options_of,
)
from typed_semconv.diagnostics.core import Problem
from typed_semconv.options import (
    ConfigError,
    FilterOptions,
    GenerateOptions,
    NameOverride,
    RegistrySpec,
    SourceOptions,
    check_package_name,
)
from typed_semconv.sources.reference import plain_folder

if TYPE_CHECKING:
    from typed_semconv.livecheck.settings import LiveCheckSettings

# The package name `check` decides Python names for when the configuration names none.
CHECK_PACKAGE = "semconv"
# Sub-tables of [tool.typed-semconv] that configure one command, not options of a run.
LIVE_CHECK_SECTION = "live-check"  # [tool.typed-semconv.live-check]: typed_semconv.livecheck
NAMES_SECTION = names_option.CONFIG_KEY  # [tool.typed-semconv.names.<kind>]


def find_pyproject(start: Path) -> Path | None:
    """The nearest `pyproject.toml` that is not a folder: one that is not a plain file either
    (a pipe, a device) is found, and `read_config` refuses it, rather than passed over."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.exists() and not candidate.is_dir():
            return candidate
    return None


def read_config(pyproject: Path | None) -> dict[str, object]:
    """The `[tool.typed-semconv]` table by option key, each value checked against its kind
    and paths made absolute; {} when there is none."""
    if pyproject is None:
        return {}
    from typed_semconv.load.discovery import read_bytes

    try:
        document = tomllib.loads(read_bytes(pyproject, str(pyproject)).decode("utf-8"))
    except Problem as exc:  # not a plain file, too large, or unreadable: never waited on
        raise ConfigError(f"{pyproject}: {exc.message}") from exc
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{pyproject}: cannot read: {exc}") from exc
    tool = document.get("tool", {})
    table = tool.get("typed-semconv", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.typed-semconv] must be a table")
    config: dict[str, object] = {}
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        if key == NAMES_SECTION:
            config[key] = names_option.configured_names(value)
            continue
        if key == LIVE_CHECK_SECTION:
            from typed_semconv.livecheck.settings import parse_settings

            config[key] = parse_settings(str(pyproject), value)
            continue
        option = BY_KEY.get(key)
        if option is None:
            known = ", ".join(sorted([*BY_KEY, LIVE_CHECK_SECTION, NAMES_SECTION]))
            raise ConfigError(
                f"{pyproject}: unknown key `{raw_key}` in [tool.typed-semconv] "
                f"(known keys: {known})"
            )
        config[option.key] = _configured(option, pyproject, raw_key, value)
    return config


def _configured(option: Option[object], pyproject: Path, raw_key: str, value: Any) -> object:
    def wrong(expected: str) -> ConfigError:
        return ConfigError(f"{pyproject}: `{raw_key}` must be {expected}")

    match option.kind:
        case Kind.SWITCH:
            if not isinstance(value, bool):
                raise wrong("true or false")
            return value
        case Kind.TEXT:
            if not isinstance(value, str):
                raise wrong("a string")
            return value
        case Kind.PATH:
            if not isinstance(value, str):
                raise wrong("a path (a string)")
            return pyproject.parent / Path(value).expanduser()
        case Kind.TEXT_LIST:
            values = [value] if isinstance(value, str) else value
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise wrong("a list of strings")
            return tuple(values)
        case Kind.REGISTRIES:
            return _registry_specs(pyproject, raw_key, value)


def _registry_specs(pyproject: Path, raw_key: str, value: Any) -> tuple[RegistrySpec, ...]:
    """`registry` entries: references, or `{source = "...", sha256 = "..."}` tables; local
    paths are taken relative to the pyproject's folder."""
    entries = [value] if isinstance(value, (str, dict)) else value
    if not isinstance(entries, list):
        raise ConfigError(f"{pyproject}: `{raw_key}` must be a list of registry references")
    specs = []
    for entry in entries:
        if isinstance(entry, dict):
            unknown = set(entry) - {"source", "sha256"}
            if (
                unknown
                or not isinstance(entry.get("source"), str)
                or not isinstance(entry.get("sha256", ""), str)
            ):
                raise ConfigError(
                    f"{pyproject}: a `{raw_key}` table takes `source` and an optional `sha256`"
                )
            text, sha256 = entry["source"], entry.get("sha256")
        elif isinstance(entry, str):
            text, sha256 = entry, None
        else:
            raise ConfigError(f"{pyproject}: `{raw_key}` entries must be strings or tables")
        specs.append(RegistrySpec(_anchored(pyproject, text), sha256))
    return tuple(specs)


def _anchored(pyproject: Path, text: str) -> str:
    """A registry reference with local paths taken relative to the pyproject's folder."""
    if plain_folder(text):
        return str(pyproject.parent / text)
    from typed_semconv.sources.parsing import parse_reference

    try:
        return str(parse_reference(text).with_base(pyproject.parent))
    except Problem as exc:
        raise ConfigError(f"{pyproject}: {exc}") from exc


def given_on_command_line(command: str, params: dict[str, Any]) -> dict[str, object]:
    """Take the table's options out of click's `params` of `command`: the values given, by
    option key (an option left out, or a repeatable one given no value, is absent). Paths stay
    as written: they are relative to the working folder."""
    given: dict[str, object] = {}
    for option in options_of(command):
        value = params.pop(option.parameter)
        if value is None or value == ():
            continue
        if option.kind is Kind.REGISTRIES:
            value = tuple(RegistrySpec(reference) for reference in value)
        given[option.key] = value
    return given


def registry_specs(settings: Settings) -> tuple[RegistrySpec, ...]:
    specs = settings[REGISTRY]
    if not specs:
        raise ConfigError(
            "no registry: pass --registry REF or set `registry` in [tool.typed-semconv]"
        )
    return specs


def source_options(settings: Settings) -> SourceOptions:
    return SourceOptions(cache_dir=settings[CACHE_DIR], offline=settings[OFFLINE])


def generate_options(settings: Settings) -> GenerateOptions:
    """The options of `generate` (and of the build hook); ConfigError if incomplete."""
    output, package = settings[OUTPUT], settings[PACKAGE]
    if output is None or package is None:
        raise ConfigError(
            "--output and --package are required "
            "(or set `output` and `package` in [tool.typed-semconv])"
        )
    return _options(settings, output, package)


def check_options(settings: Settings) -> GenerateOptions:
    """The options of `check`: it writes nothing, so no output folder is needed, and without
    a configured package name the Python view is decided for a neutral one."""
    return _options(settings, Path("."), settings[PACKAGE] or CHECK_PACKAGE)


def _options(settings: Settings, output: Path, package: str) -> GenerateOptions:
    registries = registry_specs(settings)
    templates = settings[TEMPLATES]
    if templates is not None and not templates.is_dir():
        raise ConfigError(f"templates folder `{templates}` does not exist")
    return GenerateOptions(
        registries=registries,
        output=output,
        package=check_package_name(package),
        templates=templates,
        filters=FilterOptions(
            stable_only=settings[STABLE_ONLY],
            include_deprecated=settings[INCLUDE_DEPRECATED],
            exclude_namespaces=settings[EXCLUDE_NAMESPACE],
            include_dependencies=settings[INCLUDE_DEPENDENCIES],
        ),
        format=settings[FORMAT],
        closed_enums=settings[CLOSED_ENUMS],
        sources=source_options(settings),
        name_overrides=name_overrides(settings.values),
    )


def name_overrides(values: Mapping[str, object]) -> tuple[NameOverride, ...]:
    """`[tool.typed-semconv.names]` as read into `values`, or none."""
    configured = values.get(NAMES_SECTION, ())
    return configured if isinstance(configured, tuple) else ()


def live_check_settings(values: Mapping[str, object]) -> LiveCheckSettings:
    """`[tool.typed-semconv.live-check]` as read into `values`, or the defaults."""
    from typed_semconv.livecheck.settings import LiveCheckSettings

    configured = values.get(LIVE_CHECK_SECTION)
    return configured if isinstance(configured, LiveCheckSettings) else LiveCheckSettings()


def settings_for(command: str, params: dict[str, Any], pyproject: Path | None) -> Settings:
    """The settings of a command: its command-line values over the configuration's."""
    return merge(given_on_command_line(command, params), read_config(pyproject))
