"""The resolved registry as plain data (JSON or YAML), for `typed-semconv resolve`."""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Mapping
from typing import Any

import yaml

from typed_semconv.diagnostics.core import SourceLocation
from typed_semconv.model import Registry


def to_plain(value: Any) -> Any:
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
