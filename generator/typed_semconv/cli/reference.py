"""README's list of options, made from the option table and the commands' own flags. `make docs`
writes it between the two marker lines of README.md; the test suite fails while it is stale."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from typed_semconv.cli.commands import main as command_line
from typed_semconv.cli.option_table import COMMANDS, OPTIONS, Kind, Option

BEGIN = "<!-- options: made by `make docs` from generator/typed_semconv/cli/option_table.py -->"
END = "<!-- end of options -->"


def _cell(text: str) -> str:
    """Text for a table cell: one line, with the pipes escaped (in code spans too)."""
    return " ".join(text.split()).replace("|", "\\|")


def _flags(option: Option[object]) -> str:
    match option.kind:
        case Kind.SWITCH:
            return f"`{option.flag}` / `{option.off_flag}`"
        case Kind.TEXT_LIST | Kind.REGISTRIES:
            return f"`{option.flag} {option.metavar}` (repeatable)"
        case _:
            return f"`{option.flag} {option.metavar}`"


def _default(option: Option[object]) -> str:
    shown = _cell(option.shown_default())
    return f"`{shown}`" if option.kind is Kind.SWITCH else shown


def _toml(option: Option[object]) -> str:
    match option.kind:
        case Kind.SWITCH:
            value = "false" if option.default else "true"  # what changes the default
        case Kind.TEXT | Kind.PATH:
            value = f'"{option.metavar}"'
        case Kind.TEXT_LIST:
            value = f'["{option.metavar}", ...]'
        case Kind.REGISTRIES:
            value = f'["{option.metavar}", {{source = "{option.metavar}", sha256 = "..."}}]'
    return f"`{option.key} = {value}`"


def _commands(commands: Sequence[str]) -> str:
    if set(commands) == set(COMMANDS):
        return "all"
    return ", ".join(c for c in COMMANDS if c in commands)


def _command_only_flags() -> list[tuple[str, list[str], str]]:
    """The flags that are not in the option table: (flags, commands, help), in command order,
    each listed once with every command that has it."""
    found: dict[str, tuple[list[str], str]] = {}
    table_parameters = {option.parameter for option in OPTIONS}
    for name in COMMANDS:
        command = command_line.commands[name]
        context = click.Context(command, info_name=name)
        for parameter in command.get_params(context):
            if (
                not isinstance(parameter, click.Option)
                or parameter.name in table_parameters
                or not parameter.expose_value  # --help
            ):
                continue
            record = parameter.get_help_record(context)
            if record is None:
                continue
            flags, help_text = record
            found.setdefault(flags, ([], help_text))[0].append(name)
    return [(flags, commands, help_text) for flags, (commands, help_text) in found.items()]


def options_markdown() -> str:
    lines = [
        BEGIN,
        "",
        "| on the command line | in `[tool.typed-semconv]` | default | commands | what it does |",
        "| --- | --- | --- | --- | --- |",
    ]
    for option in OPTIONS:
        lines.append(
            f"| {_flags(option)} | {_toml(option)} | {_default(option)} "
            f"| {_commands(sorted(option.commands))} | {_cell(option.help)} |"
        )
    lines += [
        "",
        "Flags of a run that have no `[tool.typed-semconv]` key:",
        "",
        "| flag | commands | what it does |",
        "| --- | --- | --- |",
    ]
    for flags, commands, help_text in _command_only_flags():
        lines.append(f"| {_cell(f'`{flags}`')} | {_commands(commands)} | {_cell(help_text)} |")
    lines += ["", END]
    return "\n".join(lines)


def with_options(readme: str) -> str:
    """README's text with the list between the markers made afresh."""
    before, rest = readme.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    return before + options_markdown() + after


def main(arguments: Sequence[str]) -> None:
    """`python -m typed_semconv.cli.reference README.md`: update the list in place."""
    (target,) = arguments
    path = Path(target)
    path.write_text(with_options(path.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
