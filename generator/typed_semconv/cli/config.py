"""Options of a run: `[tool.typed-semconv]` in the nearest pyproject.toml, then the CLI."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typed_semconv.cli import names_option
from typed_semconv.diagnostics.core import Problem
from typed_semconv.options import (
    ConfigError,
    FilterOptions,
    GenerateOptions,
    RegistrySpec,
    SourceOptions,
    check_package_name,
)
from typed_semconv.sources.reference import plain_folder

# key in pyproject -> (python type, is a path)
CONFIG_KEYS: Mapping[str, tuple[type, bool]] = {
    "registry": (list, False),  # references: anchored to the pyproject's folder below
    "cache-dir": (str, True),
    "offline": (bool, False),
    "output": (str, True),
    "package": (str, False),
    "templates": (str, True),
    "stable-only": (bool, False),
    "include-deprecated": (bool, False),
    "exclude-namespace": (list, False),
    "format": (bool, False),
    "closed-enums": (bool, False),
    "include-dependencies": (bool, False),
    "live-check": (dict, False),  # a table of its own: typed_semconv.livecheck.settings
    names_option.CONFIG_KEY: (dict, False),
}


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def read_config(pyproject: Path | None) -> dict[str, Any]:
    """The `[tool.typed-semconv]` table, with paths made absolute; {} when there is none."""
    if pyproject is None:
        return {}
    try:
        document = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{pyproject}: cannot read: {exc}") from exc
    tool = document.get("tool", {})
    table = tool.get("typed-semconv", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.typed-semconv] must be a table")
    config: dict[str, Any] = {}
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        if key not in CONFIG_KEYS:
            known = ", ".join(sorted(CONFIG_KEYS))
            raise ConfigError(
                f"{pyproject}: unknown key `{raw_key}` in [tool.typed-semconv] "
                f"(known keys: {known})"
            )
        expected, is_path = CONFIG_KEYS[key]
        if key == "registry":
            config[key] = _registry_specs(pyproject, raw_key, value)
            continue
        if key == "live-check":
            from typed_semconv.livecheck.settings import parse_settings

            config[key] = parse_settings(str(pyproject), value)
            continue
        if expected is list and isinstance(value, str):
            value = [value]
        if not isinstance(value, expected) or (
            isinstance(value, list) and not all(isinstance(v, str) for v in value)
        ):
            raise ConfigError(
                f"{pyproject}: `{raw_key}` must be "
                f"{'a list of strings' if expected is list else expected.__name__}"
            )
        if is_path:
            base = pyproject.parent
            value = [base / v for v in value] if isinstance(value, list) else base / str(value)
        config[key] = value
    return config


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


@dataclass(frozen=True)
class OptionOverrides:
    """Values given on the command line; None (or empty) means "take the configuration's"."""

    registries: tuple[str, ...] = ()
    output: Path | None = None
    package: str | None = None
    templates: Path | None = None
    stable_only: bool | None = None
    include_deprecated: bool | None = None
    exclude_namespaces: tuple[str, ...] = ()
    format: bool | None = None
    cache_dir: Path | None = None
    offline: bool | None = None
    include_dependencies: bool | None = None


def _pick(given: Any, config: dict[str, Any], key: str, default: Any) -> Any:
    return given if given is not None else config.get(key, default)


def build_options(config: dict[str, Any], overrides: OptionOverrides) -> GenerateOptions:
    """Merge the configuration with command-line values (which win); ConfigError if incomplete."""
    output = _pick(overrides.output, config, "output", None)
    package = _pick(overrides.package, config, "package", None)
    if output is None or package is None:
        raise ConfigError(
            "--output and --package are required "
            "(or set `output` and `package` in [tool.typed-semconv])"
        )
    registries = registry_specs(config, overrides)
    templates = _pick(overrides.templates, config, "templates", None)
    if templates is not None and not Path(templates).is_dir():
        raise ConfigError(f"templates folder `{templates}` does not exist")
    return GenerateOptions(
        registries=tuple(registries),
        output=Path(output),
        package=check_package_name(package),
        templates=templates,
        filters=FilterOptions(
            stable_only=_pick(overrides.stable_only, config, "stable-only", False),
            include_deprecated=_pick(
                overrides.include_deprecated, config, "include-deprecated", True
            ),
            exclude_namespaces=overrides.exclude_namespaces
            or tuple(config.get("exclude-namespace", ())),
            include_dependencies=_pick(
                overrides.include_dependencies, config, "include-dependencies", False
            ),
        ),
        format=_pick(overrides.format, config, "format", True),
        closed_enums=config.get("closed-enums", False),
        sources=source_options(config, overrides),
        name_overrides=names_option.configured_names(config.get(names_option.CONFIG_KEY, {})),
    )


def source_options(config: dict[str, Any], overrides: OptionOverrides) -> SourceOptions:
    return SourceOptions(
        cache_dir=_pick(overrides.cache_dir, config, "cache-dir", None),
        offline=_pick(overrides.offline, config, "offline", False),
    )


def registry_specs(config: dict[str, Any], overrides: OptionOverrides) -> tuple[RegistrySpec, ...]:
    """The registries to read: the command line's, else the configuration's."""
    specs = tuple(RegistrySpec(r) for r in overrides.registries) or tuple(
        config.get("registry", ())
    )
    if not specs:
        raise ConfigError(
            "no registry: pass --registry DIR or set `registry` in [tool.typed-semconv]"
        )
    return specs
