"""`[tool.typed-semconv.names]`: the user's name overrides, a table of tables like weaver's text
maps. Each kind of generated name maps definitions to the Python name they take:

    [tool.typed-semconv.names.enum_class]
    "cpython.gc.generation" = "CPythonGCGenerationValues"

(see `python/name_overrides.py` for the kinds and how they combine with the defaults and the
registry's own `names` annotations).
"""

from __future__ import annotations

from typing import Any

from typed_semconv.options import ConfigError, NameOverride
from typed_semconv.python.name_overrides import problem_with

CONFIG_KEY = "names"


def configured_names(table: Any) -> tuple[NameOverride, ...]:
    """The overrides of the `names` table; ConfigError when one is not valid."""
    if not isinstance(table, dict):
        raise ConfigError("[tool.typed-semconv.names] must be a table of tables")
    overrides = []
    for kind, entries in sorted(table.items()):
        if not isinstance(entries, dict):
            raise ConfigError(
                f"[tool.typed-semconv.names.{kind}] must be a table of definition = name"
            )
        for item, name in sorted(entries.items()):
            problem = problem_with(kind, name)
            if problem is not None:
                raise ConfigError(f"[tool.typed-semconv.names.{kind}] `{item}`: {problem}")
            overrides.append(NameOverride(kind, item, name))
    return tuple(overrides)
