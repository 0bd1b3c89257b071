"""Where every option's value comes from: the command line, else `[tool.typed-semconv]`, else
the option's default, for each command that takes it, in process.

The command line is parsed by the real click commands (`make_context`), the pyproject by the
real reader, and the result is read back from what the run receives (`GenerateOptions`, or the
registries and source options of `resolve` and `live-check`). The pyproject lives in
`project/`, the working folder is `project/work/`: configured paths must be taken from the
pyproject's folder, paths on the command line from the working folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import pytest

from typed_semconv.cli import commands, livecheck
from typed_semconv.cli.config import (
    check_options,
    generate_options,
    live_check_settings,
    read_config,
    registry_specs,
    settings_for,
    source_options,
)
from typed_semconv.cli.hatch_hook import build_options
from typed_semconv.cli.option_table import (
    BY_KEY,
    CHECK,
    COMMANDS,
    DIFF,
    GENERATE,
    LIVE_CHECK,
    OPTIONS,
    RESOLVE,
    UPGRADE,
    Kind,
    Option,
    options_of,
)
from typed_semconv.livecheck.settings import LiveCheckSettings
from typed_semconv.options import ConfigError, GenerateOptions, RegistrySpec

SHA = "ab" * 32
# What a run needs besides the option under test, so that its options can be made.
BASE = {"registry": '["base-registry"]', "output": '"base-out"', "package": '"base_pkg"'}


@dataclass(frozen=True)
class Sample:
    toml: str  # the value as written in [tool.typed-semconv]
    configured: Callable[[Path], object]  # what the run gets from it, given the pyproject's folder
    args: tuple[str, ...]  # command-line flags that override it
    given: object  # what the run gets from those flags


SAMPLES: dict[str, Sample] = {
    "registry": Sample(
        f'["semconv", "archives/r.zip[model]", {{source = "https://example.test/r.tar.gz", '
        f'sha256 = "{SHA}"}}]',
        lambda root: (
            RegistrySpec(str(root / "semconv")),
            RegistrySpec(f"{root}/archives/r.zip[model]"),
            RegistrySpec("https://example.test/r.tar.gz", SHA),
        ),
        ("--registry", "one", "--registry", "two.zip[model]"),
        (RegistrySpec("one"), RegistrySpec("two.zip[model]")),
    ),
    "cache-dir": Sample('"cache"', lambda root: root / "cache", ("--cache-dir", "c"), Path("c")),
    "offline": Sample("true", lambda _: True, ("--online",), False),
    "output": Sample('"generated"', lambda root: root / "generated", ("--output", "o"), Path("o")),
    "package": Sample('"acme_semconv"', lambda _: "acme_semconv", ("--package", "mine"), "mine"),
    "templates": Sample(
        '"templates"', lambda root: root / "templates", ("--templates", "t"), Path("t")
    ),
    "stable-only": Sample("true", lambda _: True, ("--all-stabilities",), False),
    "include-deprecated": Sample("false", lambda _: False, ("--include-deprecated",), True),
    "exclude-namespace": Sample(
        '["aspnetcore", "jvm"]',
        lambda _: ("aspnetcore", "jvm"),
        ("--exclude-namespace", "kiln", "--exclude-namespace", "glaze"),
        ("kiln", "glaze"),  # the command line's list replaces the configured one
    ),
    "include-dependencies": Sample("true", lambda _: True, ("--used-dependencies",), False),
    "closed-enums": Sample("true", lambda _: True, ("--open-enums",), False),
    "format": Sample("false", lambda _: False, ("--format",), True),
}

# Where each option arrives in the options of a run.
FIELDS: dict[str, Callable[[GenerateOptions], object]] = {
    "registry": lambda o: o.registries,
    "cache-dir": lambda o: o.sources.cache_dir,
    "offline": lambda o: o.sources.offline,
    "output": lambda o: o.output,
    "package": lambda o: o.package,
    "templates": lambda o: o.templates,
    "stable-only": lambda o: o.filters.stable_only,
    "include-deprecated": lambda o: o.filters.include_deprecated,
    "exclude-namespace": lambda o: o.filters.exclude_namespaces,
    "include-dependencies": lambda o: o.filters.include_dependencies,
    "closed-enums": lambda o: o.closed_enums,
    "format": lambda o: o.format,
}

CLICK_COMMANDS: dict[str, click.Command] = {
    GENERATE: commands.generate,
    CHECK: commands.check,
    RESOLVE: commands.resolve,
    LIVE_CHECK: livecheck.live_check,
    DIFF: commands.diff,
    UPGRADE: commands.upgrade,
}
# The commands that read only where registries come from; `check` and `upgrade` make the options
# of a run without an output folder.
SOURCES_ONLY = (RESOLVE, LIVE_CHECK, DIFF)

PAIRS = [(command, option.key) for command in COMMANDS for option in options_of(command)]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`project/` for the pyproject, `project/work/` as the working folder; template folders
    exist where the samples name them."""
    root = tmp_path / "project"
    (root / "work" / "t").mkdir(parents=True)
    (root / "templates").mkdir()
    monkeypatch.chdir(root / "work")
    return root


def write_pyproject(root: Path, table: dict[str, str]) -> Path:
    lines = ["[project]", 'name = "studio"', "", "[tool.typed-semconv]"]
    lines += [f"{key} = {value}" for key, value in table.items()]
    path = root / "pyproject.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_value(command: str, args: tuple[str, ...], pyproject: Path, key: str) -> object:
    """What `command` run with `args` under `pyproject` gets for the option `key`."""
    required = ["--baseline", "old"] if command in (DIFF, UPGRADE) else []
    arguments = ["code.py"] if command == UPGRADE else []
    context = CLICK_COMMANDS[command].make_context(command, [*arguments, *required, *args])
    params: dict[str, Any] = dict(context.params)
    settings = settings_for(command, params, pyproject)
    if command in SOURCES_ONLY:
        sources = source_options(settings)
        by_key = {
            "registry": registry_specs(settings),
            "cache-dir": sources.cache_dir,
            "offline": sources.offline,
        }
        return by_key[key]
    options = generate_options(settings) if command == GENERATE else check_options(settings)
    return FIELDS[key](options)


def test_every_option_has_a_sample_and_a_field() -> None:
    assert set(SAMPLES) == set(BY_KEY) == set(FIELDS)


@pytest.mark.parametrize(("command", "key"), PAIRS)
def test_the_default_applies_when_nothing_is_given(command: str, key: str, project: Path) -> None:
    option = BY_KEY[key]
    pyproject = write_pyproject(project, {k: v for k, v in BASE.items() if k != key})
    if key == "registry" or (key in BASE and command == GENERATE):  # required
        with pytest.raises(ConfigError, match=r"required|no registry"):
            run_value(command, (), pyproject, key)
        return
    assert run_value(command, (), pyproject, key) == expected_default(command, option)


def expected_default(command: str, option: Option[object]) -> object:
    if command in (CHECK, UPGRADE) and option.key == "package":
        return "semconv"  # the neutral name the view is decided for
    return option.default


@pytest.mark.parametrize(("command", "key"), PAIRS)
def test_the_configuration_overrides_the_default(command: str, key: str, project: Path) -> None:
    sample = SAMPLES[key]
    pyproject = write_pyproject(project, {**BASE, key: sample.toml})
    expected = sample.configured(project)
    assert expected != BY_KEY[key].default
    assert run_value(command, (), pyproject, key) == expected


@pytest.mark.parametrize(("command", "key"), PAIRS)
def test_the_command_line_overrides_the_configuration(
    command: str, key: str, project: Path
) -> None:
    sample = SAMPLES[key]
    pyproject = write_pyproject(project, {**BASE, key: sample.toml})
    assert sample.given != sample.configured(project)
    assert run_value(command, sample.args, pyproject, key) == sample.given


@pytest.mark.parametrize(
    ("command", "key"), [(c, k) for c, k in PAIRS if BY_KEY[k].kind is Kind.SWITCH]
)
def test_both_flags_of_a_switch_win_over_the_configuration(
    command: str, key: str, project: Path
) -> None:
    option = BY_KEY[key]
    for configured in (True, False):
        pyproject = write_pyproject(project, {**BASE, key: str(configured).lower()})
        assert run_value(command, (option.flag,), pyproject, key) is True
        assert run_value(command, (option.off_flag,), pyproject, key) is False


@pytest.mark.parametrize("command", COMMANDS)
def test_a_command_takes_only_its_options(command: str) -> None:
    parameters = {p.name: p for p in CLICK_COMMANDS[command].params}
    for option in OPTIONS:
        takes = command in option.commands
        assert (option.parameter in parameters) == takes, (command, option.key)
        if takes:
            parameter = parameters[option.parameter]
            flags = (*parameter.opts, *parameter.secondary_opts)
            expected = (
                (option.flag, option.off_flag) if option.kind is Kind.SWITCH else (option.flag,)
            )
            assert flags == expected


def test_check_and_resolve_take_what_changes_their_report() -> None:
    source_keys = {"registry", "cache-dir", "offline"}
    view_keys = {
        "stable-only",
        "include-deprecated",
        "exclude-namespace",
        "include-dependencies",
        "closed-enums",
    }
    for command in SOURCES_ONLY:
        assert {o.key for o in options_of(command)} == source_keys
    # the templates decide names too: their own names are kept free (docs/templates.md)
    assert {o.key for o in options_of(CHECK)} == source_keys | view_keys | {"templates"}
    assert {o.key for o in options_of(UPGRADE)} == (
        source_keys | view_keys | {"templates", "package"}
    )


# --- the configuration file ------------------------------------------------------------------


def test_a_single_string_is_a_list_of_one(project: Path) -> None:
    pyproject = write_pyproject(project, {"registry": '"semconv"', "exclude-namespace": '"jvm"'})
    config = read_config(pyproject)
    assert config["registry"] == (RegistrySpec(str(project / "semconv")),)
    assert config["exclude-namespace"] == ("jvm",)


def test_keys_may_be_written_with_underscores(project: Path) -> None:
    pyproject = write_pyproject(project, {"stable_only": "true", "cache_dir": '"c"'})
    assert read_config(pyproject) == {"stable-only": True, "cache-dir": project / "c"}


def test_configured_paths_expand_the_home_folder(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(project / "home"))
    pyproject = write_pyproject(project, {"cache-dir": '"~/cache"', "output": '"/abs/out"'})
    config = read_config(pyproject)
    assert config["cache-dir"] == project / "home" / "cache"
    assert config["output"] == Path("/abs/out")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("offline", '"yes"', "`offline` must be true or false"),
        ("package", "3", "`package` must be a string"),
        ("output", "[1]", "`output` must be a path"),
        ("exclude-namespace", "[1, 2]", "`exclude-namespace` must be a list of strings"),
        ("registry", "[1]", "`registry` entries must be strings or tables"),
        ("registry", '[{source = "a.zip", sha = "x"}]', "takes `source` and an optional"),
        ("registry", '["https://[broken"]', "pyproject.toml"),
        ("flavour", '"sour"', "unknown key `flavour`"),
    ],
)
def test_a_wrong_value_names_the_key_and_what_it_must_be(
    project: Path, key: str, value: str, message: str
) -> None:
    pyproject = write_pyproject(project, {key: value})
    with pytest.raises(ConfigError, match=message) as error:
        read_config(pyproject)
    assert str(pyproject) in str(error.value)


def test_a_missing_templates_folder_is_a_configuration_error(project: Path) -> None:
    pyproject = write_pyproject(project, {**BASE, "templates": '"nowhere"'})
    with pytest.raises(ConfigError, match="templates folder"):
        run_value(GENERATE, (), pyproject, "templates")


# --- the build hook ----------------------------------------------------------------------------


def test_the_build_hook_reads_every_key_of_the_table(project: Path) -> None:
    write_pyproject(project, {key: sample.toml for key, sample in SAMPLES.items()})
    options = build_options(project)
    for key, sample in SAMPLES.items():
        assert FIELDS[key](options) == sample.configured(project), key


def test_the_live_check_section_is_read_apart_from_the_options(project: Path) -> None:
    pyproject = write_pyproject(project, {"registry": '"semconv"'})
    assert live_check_settings(read_config(pyproject)) == LiveCheckSettings()
    with pyproject.open("a", encoding="utf-8") as file:
        file.write('\n[tool.typed-semconv.live-check]\nfail-on = "none"\n')
    config = read_config(pyproject)
    assert live_check_settings(config).fail_on == "none"
    assert config["registry"] == (RegistrySpec(str(project / "semconv")),)


def test_the_pytest_plugin_offers_the_fail_on_levels_of_the_table() -> None:
    """The plugin restates the levels (it may import nothing but pytest): they must agree."""
    from typed_semconv import pytest_plugin
    from typed_semconv.options import FAIL_ON_CHOICES

    assert pytest_plugin.FAIL_ON == FAIL_ON_CHOICES
