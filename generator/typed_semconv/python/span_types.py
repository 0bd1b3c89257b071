"""The Python type of a span attribute's value, as parameters and setters declare it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from typed_semconv.model import AttributeUse, PrimitiveType

_VALUE_TYPES = {
    PrimitiveType.STRING: "str",
    PrimitiveType.INT: "int",
    PrimitiveType.DOUBLE: "float",
    PrimitiveType.BOOLEAN: "bool",
    PrimitiveType.ANY: "AttributeValue",
    # list | tuple rather than Sequence: a plain str is a Sequence[str] and would slip through.
    PrimitiveType.STRING_ARRAY: "list[str] | tuple[str, ...]",
    PrimitiveType.INT_ARRAY: "list[int] | tuple[int, ...]",
    PrimitiveType.DOUBLE_ARRAY: "list[float] | tuple[float, ...]",
    PrimitiveType.BOOLEAN_ARRAY: "list[bool] | tuple[bool, ...]",
}


@dataclass(frozen=True)
class ValueTypes:
    """`enum_names`: the name each enum attribute's class has in the span module."""

    enum_names: Mapping[str, str]
    closed_enums: bool

    def of(self, use: AttributeUse) -> str:
        plain = _VALUE_TYPES[use.attribute.type.primitive]
        enum = self.enum_names.get(use.key)
        if enum is None:
            return plain
        return enum if self.closed_enums else f"{enum} | {plain}"

    def expression(self, use: AttributeUse, variable: str) -> str:
        """What the generated code records for a value held in `variable`."""
        return f"plain_value({variable})" if use.key in self.enum_names else variable
