"""The resolved registry as plain data (JSON or YAML), for `typed-semconv resolve`: what the
templates and the generator see, for people to inspect and for other tools to read.

Every attribute definition, and every group with each of its attributes as the group uses it
(after `ref`, `extends`, `ref_group` and refinements): requirement level and condition,
sampling, role, stability, deprecation, brief, note, examples and annotations.
"""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Mapping
from typing import Any

import yaml

from typed_semconv.diagnostics.core import SourceLocation
from typed_semconv.model import AttributeUse, Registry

# What a definition says about its use in groups: in a group, the use's own values say it.
_USE_FIELDS = ("requirement_level", "sampling_relevant", "role")


def to_plain(value: Any) -> Any:
    if isinstance(value, AttributeUse):
        attribute = to_plain(value.attribute)
        for name in _USE_FIELDS:
            del attribute[name]
        return {
            "attribute": attribute,
            **{name: to_plain(getattr(value, name)) for name in _USE_FIELDS},
        }
    if isinstance(value, SourceLocation):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    return value


def dump_registry(registry: Registry, output_format: str) -> str:
    data = to_plain(registry)
    if output_format == "yaml":
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return json.dumps(data, indent=2, ensure_ascii=False)
