"""Rewrite one Python module from the baseline registry's names to the head's, with libcst.

Three passes over the concrete syntax tree, which keeps every space and comment: `_Collector`
records the imports, the names bound otherwise and the nodes worth a look; `_Planner` decides every
edit and every finding from that record (so a use can be rewritten whatever comes first in the
file); `_Apply` makes the edits. Names are resolved through the file's own imports only: a name
that is also bound by anything but one import (an assignment, a parameter, a star import) is
reported and left alone, and a value is never guessed from its type.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Code
from typed_semconv.python import naming
from typed_semconv.upgrade.layouts import Layout, Reference
from typed_semconv.upgrade.migration import Migration, Refusal
from typed_semconv.upgrade.names import Item, Role

# Methods whose first argument (or `name=`) is a metric name.
METER_METHODS = frozenset(
    {
        "create_counter",
        "create_up_down_counter",
        "create_histogram",
        "create_gauge",
        "create_observable_counter",
        "create_observable_up_down_counter",
        "create_observable_gauge",
    }
)
# Instrument methods taking (value, attributes).
_RECORD_METHODS = frozenset({"add", "record", "set"})
_RESOURCE = "opentelemetry.sdk.resources.Resource"
_ATTRIBUTES_TYPE = "opentelemetry.util.types.Attributes"
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9_.\-/:{}<> ]*")
_TOKEN = re.compile(r"[A-Za-z0-9_.\-]+")

Edit = Callable[[Any], Any]


@dataclass(frozen=True)
class Finding:
    """Something a person has to change: where, which code, and why."""

    code: Code
    message: str
    line: int
    column: int


@dataclass(frozen=True)
class ModuleResult:
    code: bytes
    rewrites: int
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class Rules:
    """What a whole run knows: where every baseline item went, and the packages' names."""

    migration: Migration
    layouts: tuple[Layout, ...]
    changed_keys: dict[str, str | Refusal]  # baseline attribute key -> new key or refusal
    changed_metrics: dict[str, str | Refusal]
    template_keys: tuple[str, ...]  # longest first
    triggers: re.Pattern[bytes]

    @classmethod
    def build(cls, migration: Migration, layouts: Sequence[Layout]) -> Rules:
        changed_keys = {
            key: fate
            for key in migration.baseline_attributes
            if (fate := migration.attribute(key)) != key
        }
        changed_metrics = {
            name: fate
            for name in migration.baseline_metrics
            if (fate := migration.metric(name)) != name
        }
        templates = sorted(
            (k for k, a in migration.baseline_attributes.items() if a.type.is_template),
            key=len,
            reverse=True,
        )
        words = {layout.package or "semconv" for layout in layouts}
        words |= set(changed_keys) | set(changed_metrics)
        for layout in layouts:
            words |= {m for m, k in layout.baseline.setter_keys.items() if k in changed_keys}
        pattern = b"|".join(re.escape(w.encode()) for w in sorted(words, key=len, reverse=True))
        return cls(
            migration,
            tuple(layouts),
            changed_keys,
            changed_metrics,
            tuple(templates),
            re.compile(pattern),
        )

    def concerns(self, source: bytes) -> bool:
        """Whether a file mentions anything upgrade may change (the others are not parsed)."""
        return self.triggers.search(source) is not None


def rewrite_module(source: bytes, rules: Rules) -> ModuleResult:
    """The module with the head's names; raises libcst.ParserSyntaxError when it cannot parse."""
    module = cst.parse_module(source)
    collector = _Collector()
    _walk(module, collector)
    planner = _Planner(collector, rules)
    planner.plan()
    result = module.visit(_Apply(planner)) if planner.rewrites else module
    findings: list[Finding] = []
    if planner.findings:
        positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
        seen = set()
        for node, code, message in planner.findings:
            start = positions[node].start
            if (start.line, message) not in seen:
                seen.add((start.line, message))
                findings.append(Finding(code, message, start.line, start.column + 1))
    findings.sort(key=lambda f: (f.line, f.column, f.message))
    return ModuleResult(result.bytes, planner.rewrites, tuple(findings))


# --- pass 1: what the file holds ------------------------------------------------------------------

_FIELDS: dict[type, tuple[str, ...]] = {}


def _children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """A node's children in field order, read straight from the dataclass: libcst's own
    traversal rebuilds every node on the way, several times slower for a read-only pass."""
    names = _FIELDS.get(type(node))
    if names is None:
        names = _FIELDS[type(node)] = tuple(f.name for f in dataclasses.fields(node))
    for name in names:
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            yield value
        elif isinstance(value, (list, tuple)):
            yield from (v for v in value if isinstance(v, cst.CSTNode))


def _walk(node: cst.CSTNode, visitor: _Collector) -> None:
    """Visit `node` and its descendants with `visitor`'s visit_X/leave_X methods; records each
    node's parent in `visitor.parents`."""
    kind = type(node).__name__
    visit = getattr(visitor, "visit_" + kind, None)
    if visit is None or visit(node) is not False:
        for child in _children(node):
            visitor.parents[id(child)] = node
            _walk(child, visitor)
    leave = getattr(visitor, "leave_" + kind, None)
    if leave is not None:
        leave(node)


@dataclass(frozen=True)
class _Binding:
    """A name bound by an import: `local` stands for the module or name `target`."""

    local: str
    target: str
    alias: cst.ImportAlias
    node: cst.Import | cst.ImportFrom
    statement: cst.SimpleStatementLine | None
    block: int


def _dotted(node: cst.BaseExpression) -> str | None:
    """`a.b.c` as text, for a chain of names."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def _target_names(node: cst.CSTNode) -> Iterator[str]:
    """The names an assignment target binds (`a`, `a, *b`, `[a, b]`)."""
    if isinstance(node, cst.Name):
        yield node.value
    elif isinstance(node, (cst.Tuple, cst.List)):
        for element in node.elements:
            yield from _target_names(element.value)
    elif isinstance(node, cst.StarredElement):
        yield from _target_names(node.value)


@dataclass
class _Collector:
    """What `_walk` records of a module; its methods are named after libcst's visitor API."""

    bindings: dict[str, list[_Binding]] = field(default_factory=dict)
    rebound: set[str] = field(default_factory=set)  # bound by anything but an import
    not_references: set[int] = field(default_factory=set)  # Names that are no variable use
    names: list[cst.Name] = field(default_factory=list)
    attributes: list[cst.Attribute] = field(default_factory=list)
    calls: list[cst.Call] = field(default_factory=list)
    subscripts: list[cst.Subscript] = field(default_factory=list)
    annotated: list[cst.AnnAssign] = field(default_factory=list)
    strings: list[cst.SimpleString] = field(default_factory=list)
    fstrings: list[cst.FormattedString] = field(default_factory=list)
    star_modules: list[str] = field(default_factory=list)
    from_imports: list[tuple[cst.ImportFrom, int]] = field(default_factory=list)
    parents: dict[int, cst.CSTNode] = field(default_factory=dict)
    _blocks: list[int] = field(default_factory=list)
    _statement: cst.SimpleStatementLine | None = None

    # -- blocks and statements: where an import can be added ---------------------------------------

    def visit_Module(self, node: cst.Module) -> None:
        self._blocks.append(id(node))

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._blocks.append(id(node))

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock) -> None:
        self._blocks.pop()

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self._blocks.append(id(node))

    def leave_SimpleStatementSuite(self, original_node: cst.SimpleStatementSuite) -> None:
        self._blocks.pop()

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._statement = node

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine) -> None:
        self._statement = None

    # -- imports -----------------------------------------------------------------------------

    def _bind(self, local: str, target: str, alias: cst.ImportAlias, node: Any) -> None:
        binding = _Binding(local, target, alias, node, self._statement, self._blocks[-1])
        self.bindings.setdefault(local, []).append(binding)

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            dotted = _dotted(alias.name) or ""
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self._bind(alias.asname.name.value, dotted, alias, node)
            else:
                top = dotted.split(".", 1)[0]
                self._bind(top, top, alias, node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        module = _dotted(node.module) if node.module is not None else None
        if isinstance(node.names, cst.ImportStar):
            if module is not None and not node.relative:
                self.star_modules.append(module)
            return False
        for alias in node.names:
            name = alias.name.value if isinstance(alias.name, cst.Name) else ""
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            if node.relative or module is None:
                self.rebound.add(local)  # the project's own module: not a generated name
            else:
                self._bind(local, f"{module}.{name}", alias, node)
        if not node.relative and module is not None:
            self.from_imports.append((node, self._blocks[-1]))
        return False  # the module path and the names are not uses

    def visit_ImportAlias(self, node: cst.ImportAlias) -> bool:
        return False  # its names are not uses

    # -- names bound otherwise, and names that are not uses -----------------------------------

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.not_references.add(id(node.attr))
        self.attributes.append(node)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.not_references.add(id(node.keyword))

    def visit_Param(self, node: cst.Param) -> None:
        self.rebound.add(node.name.value)
        self.not_references.add(id(node.name))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.rebound.add(node.name.value)
        self.not_references.add(id(node.name))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.rebound.add(node.name.value)
        self.not_references.add(id(node.name))

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.rebound.update(_target_names(node.target))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.annotated.append(node)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.rebound.update(_target_names(node.target))

    def visit_For(self, node: cst.For) -> None:
        self.rebound.update(_target_names(node.target))

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self.rebound.update(_target_names(node.target))

    def visit_AsName(self, node: cst.AsName) -> None:
        self.rebound.update(_target_names(node.name))

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.rebound.update(_target_names(node.target))

    def visit_Global(self, node: cst.Global) -> None:
        self.rebound.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.rebound.update(item.name.value for item in node.names)

    # -- what may need an edit ---------------------------------------------------------------

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node)

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self.subscripts.append(node)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self.strings.append(node)

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        self.fstrings.append(node)


# --- pass 2: what to change ---------------------------------------------------------------------

Outcome = tuple[str, str] | Refusal | None  # (module, name) in the head; None when unchanged


class _Planner:
    def __init__(self, collector: _Collector, rules: Rules) -> None:
        self.seen = collector
        self.rules = rules
        self.migration = rules.migration
        self.references: dict[str, list[cst.Name]] = {}
        for name in collector.names:
            if id(name) not in collector.not_references:
                self.references.setdefault(name.value, []).append(name)
        self.replace: dict[int, Edit] = {}
        self.removed_aliases: set[int] = set()
        self.renamed_aliases: dict[int, str] = {}
        self.added_aliases: dict[int, list[tuple[str, str | None]]] = {}
        # statement -> imports to add after it: `from module` -> names, or `import module` -> []
        self.inserts: dict[int, dict[str, list[str]]] = {}
        self.planned: dict[str, str] = {}  # names the edits bind, and what to
        self.insert_comments: dict[tuple[int, str], cst.Comment] = {}  # a moved name's comment
        self.findings: list[tuple[cst.CSTNode, Code, str]] = []
        self.rewrites = 0
        self.consumed: set[int] = set()
        self.provided: set[tuple[int, str, str, str | None]] = set()
        self.key_positions: set[int] = set()
        self.imports_package = {
            layout.package
            for layout in rules.layouts
            if layout.package is not None
            and any(
                b.target == layout.package or b.target.startswith(layout.package + ".")
                for found in collector.bindings.values()
                for b in found
            )
        }

    def plan(self) -> None:
        self.plan_imports()
        for node in self.seen.attributes:
            self.plan_attribute(node)
        for call in self.seen.calls:
            self.plan_call(call)
        for subscript in self.seen.subscripts:
            self.plan_subscript(subscript)
        for assignment in self.seen.annotated:
            self.plan_annotated(assignment)
        self.remove_unused_imports()
        self.report_strings()
        self.report_star_imports()

    def find(self, node: cst.CSTNode, code: Code, message: str) -> None:
        self.findings.append((node, code, message))

    def edit(self, node: cst.CSTNode, change: Edit) -> None:
        self.replace[id(node)] = change
        self.rewrites += 1

    # -- resolving names through the file's imports -------------------------------------------

    def binding(self, local: str) -> _Binding | None:
        """The one import `local` comes from; None if it is bound in any other way too."""
        found = self.seen.bindings.get(local, [])
        if not found or local in self.seen.rebound or len({b.target for b in found}) > 1:
            return None
        return found[0]

    def qualified(self, node: cst.BaseExpression) -> str | None:
        parts: list[str] = []
        while isinstance(node, cst.Attribute):
            parts.append(node.attr.value)
            node = node.value
        if not isinstance(node, cst.Name):
            return None
        binding = self.binding(node.value)
        return None if binding is None else ".".join([binding.target, *reversed(parts)])

    def resolve(self, qualified: str | None) -> Reference | None:
        if qualified is None:
            return None
        for layout in self.rules.layouts:
            reference = layout.locate(qualified)
            if reference is not None:
                return reference
        return None

    def outcome(self, reference: Reference) -> Outcome:
        """Where the generated name `reference` uses is in the head package."""
        layout, item = reference.layout, reference.item
        stable = False
        if item.role.of_attribute:
            fate = self.migration.attribute(item.id)
            if not isinstance(fate, Refusal):
                stable = self.migration.attribute_is_stable(fate)
                head_attribute = self.migration.head_attributes[fate]
                if item.role is Role.ENUM_CLASS and not head_attribute.type.is_enum:
                    return Refusal(catalogue.UPGRADE_VALUE_CHANGED, f"`{fate}` is no enum any more")
        elif item.role.of_metric:
            fate = self.migration.metric(item.id)
            stable = not isinstance(fate, Refusal) and self.migration.metric_is_stable(fate)
        else:
            fate = self.migration.span(item.id)
        if isinstance(fate, Refusal):
            return fate
        head = layout.head.symbol(Item(item.role, fate), near=reference.symbol.module)
        if head is None:
            return Refusal(
                catalogue.UPGRADE_NOT_GENERATED,
                f"the new package has no {item.role.value} for `{fate}` "
                "(check its generation options)",
            )
        module = layout.module_path(reference, head, stable)
        if not reference.legacy and (module, head.name) == (
            reference.source,
            reference.symbol.name,
        ):
            return None
        return module, head.name

    def name_is_free(self, name: str, target: str) -> bool:
        """Whether `name` can stand for `target` here: unbound, or bound to it already."""
        found = self.seen.bindings.get(name, [])
        return (
            name not in self.seen.rebound
            and all(b.target == target for b in found)
            and self.planned.get(name, target) == target
        )

    # -- imports -----------------------------------------------------------------------------

    def provide(
        self,
        binding: _Binding,
        module: str,
        name: str,
        asname: str | None,
        comment: cst.Comment | None = None,
    ) -> bool:
        """Make `from module import name [as asname]` available where `binding` is imported:
        already there, merged into an import of `module` in the same block, or a new line."""
        local = asname or name
        wanted = (binding.block, module, name, asname)
        if wanted in self.provided or any(
            b.target == f"{module}.{name}" and b.block == binding.block
            for b in self.seen.bindings.get(local, [])
        ):
            return True
        if binding.statement is None:
            return False
        self.provided.add(wanted)
        self.planned[local] = f"{module}.{name}"
        for node, block in self.seen.from_imports:
            if block == binding.block and _dotted(node.module) == module:  # type: ignore[arg-type]
                self.added_aliases.setdefault(id(node), []).append((name, asname))
                return True
        added = self.inserts.setdefault(id(binding.statement), {})
        added.setdefault(f"from {module}", []).append(name + (f" as {asname}" if asname else ""))
        if comment is not None:
            self.insert_comments.setdefault((id(binding.statement), f"from {module}"), comment)
        return True

    def plan_imports(self) -> None:
        """`from module import NAME [as alias]` of a renamed or moved name, and its uses."""
        for found in self.seen.bindings.values():
            for binding in found:
                if isinstance(binding.node, cst.ImportFrom):
                    self.plan_from_import(binding)

    def plan_from_import(self, binding: _Binding) -> None:
        reference = self.resolve(binding.target)
        if reference is None or reference.member is not None:
            return
        outcome = self.outcome(reference)
        if outcome is None:
            return
        if isinstance(outcome, Refusal):
            self.find(binding.alias, outcome.code, outcome.reason)
            return
        module, name = outcome
        asname = None
        if binding.alias.asname is not None and isinstance(binding.alias.asname.name, cst.Name):
            asname = binding.alias.asname.name.value
        renames_uses = asname is None and name != binding.local
        if self.binding(binding.local) is None or (
            renames_uses and not self.name_is_free(name, f"{module}.{name}")
        ):
            self.find(
                binding.alias,
                catalogue.UPGRADE_NAME_CONFLICT,
                f"`{binding.local}` would become `{name}` (from {module}), but the file binds "
                f"`{binding.local if self.binding(binding.local) is None else name}` "
                "in another way too",
            )
            return
        if module == _dotted(binding.node.module):  # type: ignore[arg-type, union-attr]
            imported = (binding.block, module, name, asname) in self.provided or any(
                b.target == f"{module}.{name}" and b.block == binding.block
                for b in self.seen.bindings.get(asname or name, [])
            )
            if imported and binding.statement is not None:
                self.removed_aliases.add(id(binding.alias))
            else:
                self.provided.add((binding.block, module, name, asname))
                self.planned[asname or name] = f"{module}.{name}"
                self.renamed_aliases[id(binding.alias)] = name
        else:
            self.removed_aliases.add(id(binding.alias))
            if not self.provide(binding, module, name, asname, _alias_comment(binding.alias)):
                self.removed_aliases.discard(id(binding.alias))
                self.find(
                    binding.alias,
                    catalogue.UPGRADE_NAME_CONFLICT,
                    f"`{binding.local}` moved to {module}, but its import is on a one-line block",
                )
                return
        self.rewrites += 1
        if renames_uses:
            for use in self.references.get(binding.local, []):
                self.edit(use, _const(cst.Name(name)))

    def remove_unused_imports(self) -> None:
        """Imports all of whose uses were rewritten away (a module, a SpanAttributes class)."""
        for local, found in self.seen.bindings.items():
            uses = self.references.get(local, [])
            binding = self.binding(local)
            if binding is None or not uses or not all(id(u) in self.consumed for u in uses):
                continue
            if any(each.statement is None for each in found):
                continue  # an import on a one-line block stays: the block needs a statement
            if isinstance(binding.node, cst.ImportFrom) or binding.alias.asname is not None:
                for each in found:
                    self.removed_aliases.add(id(each.alias))

    # -- attribute access: module.NAME, Values.MEMBER, SpanAttributes.NAME --------------------

    def plan_attribute(self, node: cst.Attribute) -> None:
        reference = self.resolve(self.qualified(node))
        if reference is None:
            return
        if reference.member is not None:
            self.plan_member(node, reference)
            return
        outcome = self.outcome(reference)
        if outcome is None:
            return
        if isinstance(outcome, Refusal):
            self.find(node, outcome.code, outcome.reason)
            return
        module, name = outcome
        base = _leftmost(node)
        binding = self.binding(base.value)
        assert binding is not None  # qualified() resolved through it
        if reference.legacy:
            if not self.name_is_free(name, f"{module}.{name}") or not self.provide(
                binding, module, name, None
            ):
                self.find(
                    node,
                    catalogue.UPGRADE_NAME_CONFLICT,
                    f"would become `{name}` from {module}, but the file binds `{name}` otherwise",
                )
                return
            self.consumed.add(id(base))
            self.edit(node, _const(cst.Name(name)))
            return
        if module == reference.source:
            self.edit(node, _with_attribute(name))
            return
        value = self.module_expression(binding, module)
        if value is None:
            self.find(
                node,
                catalogue.UPGRADE_NAME_CONFLICT,
                f"`{reference.symbol.name}` is now `{name}` in {module}, which this file cannot "
                "import under a free name",
            )
            return
        self.consumed.add(id(base))
        self.edit(node, lambda updated: updated.with_changes(value=value, attr=cst.Name(name)))

    def module_expression(self, binding: _Binding, module: str) -> cst.BaseExpression | None:
        """An expression for `module`, importing it next to `binding` if need be."""
        for found in self.seen.bindings.values():
            for other in found:
                names_module = isinstance(other.node, cst.ImportFrom) or other.alias.asname
                if other.target == module and self.binding(other.local) is other and names_module:
                    return cst.Name(other.local)
        if isinstance(binding.node, cst.Import) and binding.alias.asname is None:
            if module.startswith(binding.target + ".") and binding.statement is not None:
                self.inserts.setdefault(id(binding.statement), {})[f"import {module}"] = []
                return cst.parse_expression(module)
            return None
        parent, _, local = module.rpartition(".")
        if not parent or not self.name_is_free(local, module):
            return None
        return cst.Name(local) if self.provide(binding, parent, local, None) else None

    def plan_member(self, node: cst.Attribute, reference: Reference) -> None:
        key, written = reference.item.id, reference.member or ""
        member_id = reference.layout.baseline.member_ids.get((key, written))
        if member_id is None:
            return  # `.value`, a method: not a member
        fate = self.migration.member(key, member_id)
        if isinstance(fate, Refusal):
            self.find(node, fate.code, f"`{written}`: {fate.reason}")
            return
        name = reference.layout.head.members.get(fate)
        if name is None:
            self.find(
                node,
                catalogue.UPGRADE_NOT_GENERATED,
                f"member `{fate[1]}` of `{fate[0]}` is not in the new package",
            )
        elif name != written:
            self.edit(node, _with_attribute(name))

    # -- calls: factory keywords, setters, keys and metric names ------------------------------

    def plan_call(self, call: cst.Call) -> None:
        reference = self.resolve(self.qualified(call.func))
        if reference is not None and reference.item.role is Role.SPAN_FACTORY:
            self.plan_keywords(call, reference)
        positional = [a for a in call.args if a.keyword is None and not a.star]
        keywords = {a.keyword.value: a for a in call.args if a.keyword is not None}
        if "attributes" in keywords:
            self.plan_dict(keywords["attributes"].value)
        qualified = self.qualified(call.func)
        if qualified in (_RESOURCE, f"{_RESOURCE}.create") and positional:
            self.plan_dict(positional[0].value)
        if not isinstance(call.func, cst.Attribute):
            return
        method = call.func.attr.value
        first = positional[0].value if positional else None
        if method == "set_attribute":
            self.plan_key(keywords["key"].value if "key" in keywords else first)
        elif method == "set_attributes" and first is not None:
            self.plan_dict(first)
        elif method in _RECORD_METHODS and len(positional) >= 2:
            self.plan_dict(positional[1].value)
        elif method == "get" and _holds_attributes(call.func.value):
            self.plan_key(first)
        elif method in METER_METHODS:
            self.plan_metric_name(keywords["name"].value if "name" in keywords else first)
        else:
            self.plan_setter(call.func)

    def plan_keywords(self, call: cst.Call, reference: Reference) -> None:
        span = reference.item.id
        head_span = self.migration.span(span)
        if isinstance(head_span, Refusal):
            return  # reported where the factory is named
        given = {a.keyword.value for a in call.args if a.keyword is not None}
        passed = set(given)
        for argument in call.args:
            if argument.keyword is None:
                continue
            written = argument.keyword.value
            key = reference.layout.baseline.parameter_keys.get((span, written))
            if key is None:
                continue
            fate = self.migration.attribute(key)
            if isinstance(fate, Refusal):
                self.find(argument, fate.code, f"`{written}=`: {fate.reason}")
                continue
            param = reference.layout.head.parameters.get((head_span, fate))
            if param is None:
                self.find(
                    argument,
                    catalogue.UPGRADE_NOT_GENERATED,
                    f"`{written}=` records `{key}`, now `{fate}`, which the new "
                    f"`{reference.symbol.name}` does not take",
                )
            elif param != written and param in given:
                self.find(
                    argument,
                    catalogue.UPGRADE_NAME_CONFLICT,
                    f"`{written}=` would become `{param}=`, which the call already passes",
                )
            elif param != written:
                self.edit(argument, _with_keyword(param))
                passed.add(param)
        splat = any(a.star for a in call.args)
        missing = [p for p in reference.layout.head.required.get(head_span, ()) if p not in passed]
        if missing and not splat:
            self.find(
                call,
                catalogue.UPGRADE_NOW_REQUIRED,
                f"the new `{reference.symbol.name}` requires "
                + ", ".join(f"`{p}=`" for p in missing),
            )

    def plan_setter(self, method: cst.Attribute) -> None:
        name = method.attr.value
        for layout in self.rules.layouts:
            key = layout.baseline.setter_keys.get(name)
            if key is None or layout.package not in self.imports_package:
                continue
            fate = self.migration.attribute(key)
            if isinstance(fate, Refusal):
                self.find(method, fate.code, f"`{name}()`: {fate.reason}")
                return
            new = layout.head.setters.get(fate)
            if new is None:
                self.find(
                    method,
                    catalogue.UPGRADE_NOT_GENERATED,
                    f"`{name}()` sets `{key}`, now `{fate}`, which no span of the new package has",
                )
            elif new != name:
                self.edit(method, _with_attribute(new))
            return

    def plan_subscript(self, node: cst.Subscript) -> None:
        if _holds_attributes(node.value) and len(node.slice) == 1:
            index = node.slice[0].slice
            if isinstance(index, cst.Index):
                self.plan_key(index.value)

    def plan_annotated(self, node: cst.AnnAssign) -> None:
        qualified = self.qualified(node.annotation.annotation)
        reference = self.resolve(qualified)
        typed_dict = reference is not None and reference.item.role in (
            Role.SPAN_ATTRIBUTES,
            Role.SPAN_UPDATE,
        )
        if (typed_dict or qualified == _ATTRIBUTES_TYPE) and node.value is not None:
            self.plan_dict(node.value)

    def plan_dict(self, node: cst.BaseExpression) -> None:
        if isinstance(node, cst.Dict):
            for element in node.elements:
                if isinstance(element, cst.DictElement):
                    self.plan_key(element.key)

    def plan_key(self, node: cst.BaseExpression | None) -> None:
        if node is None:
            return
        self.key_positions.add(id(node))
        if not isinstance(node, cst.SimpleString):
            return
        value = node.evaluated_value
        if not isinstance(value, str):
            return
        fate = self.new_key(value)
        if isinstance(fate, Refusal):
            self.find(node, fate.code, f'"{value}": {fate.reason}')
        elif fate is not None:
            self.edit(node, _const(_string_like(node, fate)))

    def plan_metric_name(self, node: cst.BaseExpression | None) -> None:
        if node is None:
            return
        self.key_positions.add(id(node))
        if isinstance(node, cst.SimpleString) and isinstance(node.evaluated_value, str):
            fate = self.rules.changed_metrics.get(node.evaluated_value)
            if isinstance(fate, Refusal):
                self.find(node, fate.code, f'"{node.evaluated_value}": {fate.reason}')
            elif fate is not None:
                self.edit(node, _const(_string_like(node, fate)))

    def new_key(self, value: str) -> str | Refusal | None:
        """The head's key for `value`: a renamed key, or a template key with a renamed prefix."""
        if value in self.migration.baseline_attributes:
            return self.rules.changed_keys.get(value)
        for template in self.rules.template_keys:
            if value.startswith(template + "."):
                fate = self.rules.changed_keys.get(template)
                if isinstance(fate, str):
                    return fate + value[len(template) :]
                return fate
        return None

    # -- what is left for a person ------------------------------------------------------------

    def report_star_imports(self) -> None:
        """Names a star import of a generated module brings in cannot be traced: say which."""
        for module in self.seen.star_modules:
            for name, uses in self.references.items():
                if name in self.seen.bindings or name in self.seen.rebound:
                    continue
                reference = self.resolve(f"{module}.{name}")
                if reference is not None and self.outcome(reference) is not None:
                    self.find(
                        uses[0],
                        catalogue.UPGRADE_NAME_CONFLICT,
                        f"`{name}` comes from `from {module} import *` and changes in the new "
                        "registry; import it by name and run upgrade again",
                    )

    def report_strings(self) -> None:
        for string in self.seen.strings:
            if id(string) in self.key_positions:
                continue
            value = string.evaluated_value
            if not isinstance(value, str):
                continue
            fate = self.rules.changed_keys.get(value) or self.rules.changed_metrics.get(value)
            if fate is not None:
                now = fate.reason if isinstance(fate, Refusal) else f"now `{fate}`"
                self.find(
                    string,
                    catalogue.UPGRADE_STRING_NOT_REWRITTEN,
                    f'"{value}" ({now}) is not where an attribute key certainly goes; '
                    "not rewritten",
                )
        for fstring in self.seen.fstrings:
            text = "".join(
                part.value for part in fstring.parts if isinstance(part, cst.FormattedStringText)
            )
            for token in _TOKEN.findall(text):
                token = token.strip(".")
                fate = self.new_key(token) or self.rules.changed_metrics.get(token)
                if fate is not None:
                    now = fate.reason if isinstance(fate, Refusal) else f"now `{fate}`"
                    self.find(
                        fstring,
                        catalogue.UPGRADE_F_STRING,
                        f"`{token}` in an f-string ({now}); f-strings are never rewritten",
                    )
                    break


def _const(node: cst.CSTNode) -> Edit:
    return lambda updated: node.with_changes(**_keep_parens(updated))


def _keep_parens(node: Any) -> dict[str, Any]:
    """The parentheses around an expression, so that replacing it keeps them."""
    if hasattr(node, "lpar") and hasattr(node, "rpar"):
        return {"lpar": node.lpar, "rpar": node.rpar}
    return {}


def _with_keyword(name: str) -> Edit:
    return lambda updated: updated.with_changes(keyword=cst.Name(name))


def _with_attribute(name: str) -> Edit:
    return lambda updated: updated.with_changes(attr=cst.Name(name))


def _leftmost(node: cst.BaseExpression) -> cst.Name:
    while isinstance(node, cst.Attribute):
        node = node.value
    assert isinstance(node, cst.Name)
    return node


def _holds_attributes(node: cst.BaseExpression) -> bool:
    """`attributes`, `span.attributes`: what reads of recorded attributes look like."""
    if isinstance(node, cst.Name):
        return node.value == "attributes"
    return isinstance(node, cst.Attribute) and node.attr.value == "attributes"


def _string_like(node: cst.SimpleString, text: str) -> cst.SimpleString:
    """A literal of `text` in the quotes and prefix of `node` where that is exact."""
    quote = node.quote
    if _PLAIN_TEXT.fullmatch(text) and quote[0] not in text:
        return cst.SimpleString(f"{node.prefix}{quote}{text}{quote}")
    return cst.SimpleString(naming.string_literal(text))


# --- pass 3: making the edits --------------------------------------------------------------------


class _Apply(cst.CSTTransformer):
    def __init__(self, plan: _Planner) -> None:
        super().__init__()
        self.plan = plan
        self.tombstones: set[int] = set()
        self.edited_imports = set(plan.added_aliases) | {
            id(b.node)
            for f in plan.seen.bindings.values()
            for b in f
            if id(b.alias) in plan.removed_aliases or id(b.alias) in plan.renamed_aliases
        }
        # Only the way down to an edit is visited; other subtrees are kept as they are.
        self.on_the_way: set[int] = set()
        parents = plan.seen.parents
        for edited in (*plan.replace, *self.edited_imports, *plan.inserts):
            while edited not in self.on_the_way:
                self.on_the_way.add(edited)
                parent = parents.get(edited)
                if parent is None:
                    break
                edited = id(parent)

    def on_visit(self, node: cst.CSTNode) -> bool:
        return id(node) in self.on_the_way

    def on_leave(self, original_node: Any, updated_node: Any) -> Any:
        if id(original_node) in self.edited_imports:
            return self.imports(original_node, updated_node)
        edit = self.plan.replace.get(id(original_node))
        result = edit(updated_node) if edit is not None else updated_node
        if isinstance(original_node, cst.SimpleStatementLine):
            return self.statement(original_node, result)
        if isinstance(original_node, (cst.Module, cst.IndentedBlock)):
            return self.block(result)
        return result

    def imports(self, original: Any, updated: Any) -> Any:
        plan = self.plan
        kept = []
        for before, after in zip(original.names, updated.names, strict=True):
            if id(before) in plan.removed_aliases:
                continue
            new_name = plan.renamed_aliases.get(id(before))
            kept.append(after.with_changes(name=cst.Name(new_name)) if new_name else after)
        added = [
            cst.ImportAlias(
                name=cst.Name(name),
                asname=cst.AsName(name=cst.Name(asname)) if asname else None,
            )
            for name, asname in plan.added_aliases.get(id(original), [])
        ]
        names = _with_commas(kept, added, list(original.names))
        if not names:
            return cst.RemovalSentinel.REMOVE
        return updated.with_changes(names=names)

    def statement(self, original: cst.SimpleStatementLine, result: Any) -> Any:
        added: list[cst.SimpleStatementLine] = []
        for head, names in self.plan.inserts.get(id(original), {}).items():
            line = cst.parse_statement(f"{head} import {', '.join(names)}\n" if names else head)
            assert isinstance(line, cst.SimpleStatementLine)  # an import is a simple statement
            comment = self.plan.insert_comments.get((id(original), head))
            if comment is not None:
                line = line.with_changes(
                    trailing_whitespace=cst.TrailingWhitespace(
                        whitespace=cst.SimpleWhitespace("  "), comment=comment
                    )
                )
            added.append(line)
        if not isinstance(result, cst.SimpleStatementLine):
            return result
        if not result.body:
            # The statement's imports all went: what replaces it keeps its comments.
            if added:
                kept = result.trailing_whitespace
                added[0] = added[0].with_changes(
                    leading_lines=result.leading_lines,
                    trailing_whitespace=kept if kept.comment else added[0].trailing_whitespace,
                )
                return cst.FlattenSentinel(added)
            comments = list(result.leading_lines)
            if result.trailing_whitespace.comment is not None:
                comments.append(cst.EmptyLine(comment=result.trailing_whitespace.comment))
            if any(line.comment is not None for line in comments):
                tombstone = cst.SimpleStatementLine(body=[cst.Pass()], leading_lines=comments)
                self.tombstones.add(id(tombstone))
                return tombstone
            return cst.RemovalSentinel.REMOVE
        return cst.FlattenSentinel([result, *added]) if added else result

    def block(self, node: Any) -> Any:
        """Give the comments of removed imports to the next statement; keep a block valid."""
        body: list[Any] = []
        carried: list[cst.EmptyLine] = []
        for statement in node.body:
            if id(statement) in self.tombstones:
                carried.extend(statement.leading_lines)
                continue
            if carried:
                statement = statement.with_changes(
                    leading_lines=[*carried, *statement.leading_lines]
                )
                carried = []
            body.append(statement)
        if isinstance(node, cst.IndentedBlock) and not body:
            body = [cst.SimpleStatementLine(body=[cst.Pass()], leading_lines=carried)]
            carried = []
        return node.with_changes(body=body, footer=[*carried, *node.footer])


def _with_commas(
    kept: list[cst.ImportAlias], added: list[cst.ImportAlias], original: list[cst.ImportAlias]
) -> list[cst.ImportAlias]:
    """Aliases in place, added ones in sorted position if the list was sorted, with commas as
    the statement wrote them (the separator of its aliases, its own trailing comma or none)."""
    if not kept and not added:
        return []
    separator = next(
        (a.comma for a in original[:-1] if isinstance(a.comma, cst.Comma)),
        cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
    )
    trailing = original[-1].comma
    names = list(kept)
    in_order = [_alias_name(a) for a in names] == sorted(_alias_name(a) for a in names)
    for alias in added:
        position = len(names)
        if in_order:
            position = next(
                (i for i, a in enumerate(names) if _alias_name(a) > _alias_name(alias)),
                len(names),
            )
        names.insert(position, alias)
    last = len(names) - 1
    return [
        a.with_changes(
            comma=trailing
            if i == last
            else (a.comma if isinstance(a.comma, cst.Comma) else separator)
        )
        for i, a in enumerate(names)
    ]


def _alias_comment(alias: cst.ImportAlias) -> cst.Comment | None:
    """The comment after an alias on its own line of a parenthesised import."""
    comma = alias.comma
    if isinstance(comma, cst.Comma) and isinstance(
        comma.whitespace_after, cst.ParenthesizedWhitespace
    ):
        return comma.whitespace_after.first_line.comment
    return None


def _alias_name(alias: cst.ImportAlias) -> str:
    return _dotted(alias.name) or ""
