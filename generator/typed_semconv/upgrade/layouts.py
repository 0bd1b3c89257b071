"""Where a package puts what: dotted import paths to and from the generator's module names.

Two packages follow the generator's names: the one typed-semconv generates (`acme_semconv.
attributes.http_attributes`) and OpenTelemetry's `opentelemetry-semantic-conventions` (the same
modules under `opentelemetry.semconv._incubating`, stable ones also under `opentelemetry.semconv`,
and the older `SpanAttributes`/`ResourceAttributes` classes, whose names are the constants').
"""

from __future__ import annotations

from dataclasses import dataclass

from typed_semconv.upgrade.names import Item, PackageNames, Role, Symbol

PYPI_ROOT = "opentelemetry.semconv"
_INCUBATING = f"{PYPI_ROOT}._incubating"
_LEGACY_MODULES = (f"{PYPI_ROOT}.trace", f"{PYPI_ROOT}.resource")
_LEGACY_CLASSES = ("SpanAttributes", "ResourceAttributes")


@dataclass(frozen=True)
class Reference:
    """A use of a generated name found in code: which name, through which import path."""

    layout: Layout
    symbol: Symbol  # the baseline package's name
    item: Item
    member: str | None  # `Values.MEMBER`: the member name after an enum class
    source: str  # the module it was imported from, as written
    legacy: bool = False  # `SpanAttributes.HTTP_METHOD`: a class attribute, not a module name


@dataclass(frozen=True)
class Layout:
    """The names of one package in the baseline and in the head registry."""

    baseline: PackageNames
    head: PackageNames
    package: str | None  # a typed-semconv package; None for opentelemetry-semantic-conventions

    def locate(self, qualified: str) -> Reference | None:
        """The generated name `qualified` (`pkg.attributes.http_attributes.HTTP_METHOD`) uses."""
        if self.package is not None:
            return self._in_module(qualified, self.package + ".")
        for root in _LEGACY_MODULES:
            if qualified.startswith(root + "."):
                return self._legacy(qualified, root)
        for root in (_INCUBATING + ".", PYPI_ROOT + "."):
            if qualified.startswith(root):
                return self._in_module(qualified, root)
        return None

    def _in_module(self, qualified: str, root: str) -> Reference | None:
        if not qualified.startswith(root):
            return None
        parts = qualified[len(root) :].split(".")
        candidates: list[tuple[list[str], str, str | None]] = [(parts[:-1], parts[-1], None)]
        if len(parts) > 2:
            candidates.append((parts[:-2], parts[-2], parts[-1]))
        for module_parts, name, member in candidates:
            module = ".".join(module_parts)
            item = self.baseline.items.get(Symbol(module, name))
            if item is None or (member is not None and item.role is not Role.ENUM_CLASS):
                continue
            return Reference(self, Symbol(module, name), item, member, root + module)
        return None

    def _legacy(self, qualified: str, root: str) -> Reference | None:
        """`opentelemetry.semconv.trace.SpanAttributes.X` or `....trace.SomeValues[.MEMBER]`."""
        parts = qualified[len(root) + 1 :].split(".")
        if parts[0] in _LEGACY_CLASSES:
            if len(parts) != 2:
                return None
            wanted, member, role = parts[1], None, Role.CONSTANT
        else:
            wanted, member, role = parts[0], parts[1] if len(parts) == 2 else None, Role.ENUM_CLASS
            if len(parts) > 2:
                return None
        found = [
            s for s, item in self.baseline.items.items() if s.name == wanted and item.role is role
        ]
        if len(found) != 1:
            return None
        symbol = found[0]
        return Reference(self, symbol, self.baseline.items[symbol], member, root, legacy=True)

    def module_path(self, reference: Reference, head: Symbol, stable: bool) -> str:
        """The import path of `head`'s module, in the style `reference` was written in."""
        if self.package is not None:
            return f"{self.package}.{head.module}"
        incubating = reference.source.startswith(_INCUBATING)
        has_stable_module = head.module.startswith("attributes.") or (
            self.head.items.get(head, Item(Role.CONSTANT, "")).role is Role.METRIC_CONSTANT
        )
        if stable and has_stable_module and not incubating:
            return f"{PYPI_ROOT}.{head.module}"
        return f"{_INCUBATING}.{head.module}"
