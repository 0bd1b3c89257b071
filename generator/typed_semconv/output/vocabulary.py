"""The names generated code uses itself, read from what the templates actually render.

A probe registry that uses every feature the templates have (each attribute type, templates,
enums, deprecations, the three ways of naming a span, a span without kind, every instrument) goes
through the view and the templates in use (the defaults, or a `--templates` folder). In what they
render, every name that comes from the registry carries the probe's marker; every other name is
the generated code's own (an import, a builtin, a helper, a parameter, a method of the span base)
and is reserved in the scope where it lives, so a registry name can never take it.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import hashlib
import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from typed_semconv.check.span_naming import name_spans
from typed_semconv.diagnostics.core import Diagnostics, SourceLocation
from typed_semconv.model import (
    Attribute,
    AttributeType,
    AttributeUse,
    BodyField,
    Deprecation,
    EnumMember,
    Group,
    GroupKind,
    Instrument,
    PrimitiveType,
    Registry,
    RequirementLevel,
    SpanKind,
    Stability,
)
from typed_semconv.options import FilterOptions
from typed_semconv.output.fingerprint import tool_digest
from typed_semconv.output.rendering import render_package
from typed_semconv.output.template_code import keep, private_folder, read_private
from typed_semconv.output.templates import (
    Templates,
    default_templates_dir,
    find_templates,
    read_template,
)
from typed_semconv.python.package import build_view
from typed_semconv.python.vocabulary import NO_VOCABULARY, Vocabulary

# The default vocabulary is kept in the folder of the compiled templates (see `template_code`),
# one file per installed copy of the tool (named by where its templates are), as their code is.
KEPT_PREFIX = "vocabulary-"
_FIELDS = tuple(each.name for each in dataclasses.fields(Vocabulary))

MARKER = "zqprobe"  # in every name the probe registry gives rise to, in any letter case
_HERE = SourceLocation("<probe registry>")
_DEPRECATED = Deprecation("obsoleted", "Probe.")
_SUPPORT = "spans/_support.py"


def derive_vocabulary(templates: Templates | None) -> Vocabulary:
    """The vocabulary of the default templates, plus what the user's templates (found by
    `find_templates`; None: the defaults only) use.

    Overriding a template never frees a name the defaults reserve, so it changes no generated
    name unless it uses a name of its own.
    """
    code_dir = templates.code_dir if templates is not None else None
    if templates is None or templates.override_dir is None:
        return _default_vocabulary(code_dir)
    return _default_vocabulary(code_dir).union(_derive(templates))


@functools.cache
def _default_vocabulary(code_dir: Path | None) -> Vocabulary:
    """The vocabulary of the shipped templates (nothing to report), compiled as the run's own
    are; kept beside their compiled code, since it changes only with the tool itself."""
    templates = find_templates(None, Diagnostics(), code_dir)
    if code_dir is None or not private_folder(code_dir):
        return _derive(templates)
    where = str(default_templates_dir()).encode()
    path = code_dir / f"{KEPT_PREFIX}{hashlib.sha256(where).hexdigest()[:32]}.json"
    made_from = _made_from(templates).encode()
    kept = _read_kept(path, made_from)
    if kept is not None:
        return kept
    vocabulary = _derive(templates)
    fields = {name: sorted(getattr(vocabulary, name)) for name in _FIELDS}
    keep(path, made_from + b"\n" + json.dumps(fields, sort_keys=True).encode())
    return vocabulary


def _made_from(templates: Templates) -> str:
    """Everything the default vocabulary is derived from: the tool's code, the templates'
    text, and the jinja and Python that render and parse them."""
    digest = hashlib.sha256()
    for part in (tool_digest(), jinja2.__version__, sys.implementation.cache_tag):
        digest.update(f"{part}\0".encode())
    for name, path in templates.files:
        digest.update(f"{name}\0".encode())
        digest.update(read_template(path).encode())
    return digest.hexdigest()


def _read_kept(path: Path, made_from: bytes) -> Vocabulary | None:
    """The kept vocabulary when it was derived from exactly `made_from`; None otherwise (a
    damaged or foreign file is derived again and replaced)."""
    data = read_private(path)
    if data is None:
        return None
    header, _, body = data.partition(b"\n")
    if header != made_from:
        return None
    try:
        fields = json.loads(body)
    except ValueError:
        return None
    if not isinstance(fields, dict) or sorted(fields) != sorted(_FIELDS):
        return None
    if not all(
        isinstance(names, list) and all(isinstance(name, str) for name in names)
        for names in fields.values()
    ):
        return None
    return Vocabulary(**{name: frozenset(fields[name]) for name in _FIELDS})


def _derive(templates: Templates) -> Vocabulary:
    registry = _probe_registry()
    view = build_view(
        registry,
        name_spans(registry.groups_of(GroupKind.SPAN)),
        FilterOptions(include_deprecated=True),
        NO_VOCABULARY,
        Diagnostics(),
    )
    rendered = render_package(view, templates)
    modules: dict[str, _Scopes] = {}
    for path, module in rendered.items():
        if not path.endswith(".py") or path.endswith("__init__.py"):
            continue
        try:
            modules[path] = _scopes(module.text, path)
        except SyntaxError:
            if not module.from_user_template:
                raise
            # Not Python: writing the real package reports it (template-invalid-python).
    support = modules.pop(_SUPPORT, _Scopes(_Scope(), [], [], []))

    def of_kind(folder: str) -> list[_Scopes]:
        return [scopes for path, scopes in modules.items() if path.startswith(folder)]

    spans = of_kind("spans/")
    metrics = of_kind("metrics/")
    events = of_kind("events/")
    entities = of_kind("entities/")
    return Vocabulary(
        attributes_module=_own(n for s in of_kind("attributes/") for n in s.module_names),
        metrics_module=_own(n for s in metrics for n in s.module_names),
        spans_module=_own(n for s in spans for n in s.module_names),
        span_factory=_own(n for s in spans for f in s.functions for n in f.names),
        # A span class has the names of its own body and those of its base, `TypedSpan`.
        span_class=_own(n for s in [*spans, support] for c in s.classes for n in c.bound),
        span_method=_own(n for s in spans for m in s.methods for n in m.names),
        metric_method=_own(n for s in metrics for m in s.methods for n in m.names),
        events_module=_own(n for s in events for n in s.module_names),
        event_function=_own(n for s in events for f in s.functions for n in f.names),
        entities_module=_own(n for s in entities for n in s.module_names),
        entity_function=_own(n for s in entities for f in s.functions for n in f.names),
    )


def _own(names: Iterable[str]) -> frozenset[str]:
    return frozenset(name for name in names if MARKER not in name.lower())


# -- scopes of the rendered code -------------------------------------------------------------


@dataclass
class _Scope:
    bound: set[str] = field(default_factory=set)
    used: set[str] = field(default_factory=set)

    @property
    def names(self) -> set[str]:
        return self.bound | self.used

    @property
    def free(self) -> set[str]:
        return self.used - self.bound


@dataclass
class _Scopes:
    """The names of a module's scope (what it binds, and every name its code looks up there),
    of each function and method (parameters, locals, and whatever its body looks up) and of
    each class."""

    module: _Scope
    functions: list[_Scope]
    classes: list[_Scope]
    methods: list[_Scope]

    @property
    def module_names(self) -> set[str]:
        return self.module.names


def _scopes(source: str, path: str) -> _Scopes:
    visitor = _ScopeVisitor()
    visitor.visit(ast.parse(source, path))
    return _Scopes(visitor.module, visitor.functions, visitor.classes, visitor.methods)


class _ScopeVisitor(ast.NodeVisitor):
    """Python's scoping rules, for the statements templates emit: what a function's signature
    (annotations, defaults, decorators) and a class's bases use belongs to the enclosing scope;
    what a function or class body does not bind itself is looked up in the module."""

    def __init__(self) -> None:
        self.module = _Scope()
        self.current = self.module
        self.classes: list[_Scope] = []
        self.functions: list[_Scope] = []
        self.methods: list[_Scope] = []
        self._class: _Scope | None = None

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self.current.used.add(node.id)
        else:
            self.current.bound.add(node.id)

    def visit_Import(self, node: ast.Import) -> None:
        self.current.bound.update(alias.asname or alias.name.split(".")[0] for alias in node.names)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self.current.bound.update(alias.asname or alias.name for alias in node.names)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        """`self.x = ...` in a method gives the class an attribute `x`."""
        target = node.value
        if (
            not isinstance(node.ctx, ast.Load)
            and isinstance(target, ast.Name)
            and target.id == "self"
            and self._class is not None
        ):
            self._class.bound.add(node.attr)
        self.visit(target)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.current.bound.add(node.name)
        arguments = node.args
        parameters = [
            *arguments.posonlyargs,
            *arguments.args,
            *arguments.kwonlyargs,
            *(a for a in (arguments.vararg, arguments.kwarg) if a is not None),
        ]
        outside: list[Any] = [*node.decorator_list, *arguments.defaults, node.returns]
        outside += [*arguments.kw_defaults, *(p.annotation for p in parameters)]
        for expression in outside:
            if expression is not None:
                self.visit(expression)
        scope = _Scope(bound={p.arg for p in parameters})
        if self.current is self.module:
            self.functions.append(scope)
        elif self.current is self._class:
            self.methods.append(scope)
        self._body(scope, node.body, self._class)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.current.bound.add(node.name)
        for expression in [*node.decorator_list, *node.bases, *node.keywords]:
            self.visit(expression)
        scope = _Scope()
        self.classes.append(scope)
        self._body(scope, node.body, scope)

    def _comprehension(self, node: Any, results: list[ast.expr]) -> None:
        generators: list[ast.comprehension] = node.generators
        self.visit(generators[0].iter)  # evaluated in the enclosing scope
        scope = _Scope()
        outer, self.current = self.current, scope
        for index, generator in enumerate(generators):
            self.visit(generator.target)
            if index:
                self.visit(generator.iter)
            for condition in generator.ifs:
                self.visit(condition)
        for result in results:
            self.visit(result)
        self.current = outer
        outer.used |= scope.free

    def visit_ListComp(self, node: ast.ListComp) -> None:
        self._comprehension(node, [node.elt])

    def visit_SetComp(self, node: ast.SetComp) -> None:
        self._comprehension(node, [node.elt])

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> None:
        self._comprehension(node, [node.elt])

    def visit_DictComp(self, node: ast.DictComp) -> None:
        self._comprehension(node, [node.key, node.value])

    def _body(self, scope: _Scope, body: list[ast.stmt], enclosing_class: _Scope | None) -> None:
        outer, outer_class = self.current, self._class
        self.current, self._class = scope, enclosing_class
        for statement in body:
            self.visit(statement)
        self.current, self._class = outer, outer_class
        self.module.used |= scope.free


# -- the probe registry ----------------------------------------------------------------------


def _attribute(name: str, type_: AttributeType, deprecated: bool = False) -> Attribute:
    return Attribute(
        key=f"{MARKER}.{name}",
        type=type_,
        brief="Probe.",
        note="",
        examples=None,
        stability=Stability.DEVELOPMENT,
        deprecation=_DEPRECATED if deprecated else None,
        annotations={},
        location=_HERE,
    )


def _group(
    kind: GroupKind,
    name: str,
    attributes: tuple[AttributeUse, ...] = (),
    **fields: Any,
) -> Group:
    values: dict[str, Any] = {
        "id": f"{kind.value}.{MARKER}.{name}",
        "kind": kind,
        "location": _HERE,
        "brief": "Probe.",
        "note": "",
        "stability": Stability.DEVELOPMENT,
        "deprecation": None,
        "annotations": {},
        "attributes": attributes,
        "signal_name": f"{MARKER}.{name}",
        "span_kind": None,
        "span_name_note": None,
        "instrument": None,
        "unit": None,
        "extends": None,
        "refines": None,
        "visibility": None,
    }
    return Group(**{**values, **fields})


def _use(attribute: Attribute, required: bool) -> AttributeUse:
    level = RequirementLevel("required" if required else "recommended")
    return AttributeUse(attribute, level, sampling_relevant=required, role=None)


def _probe_registry() -> Registry:
    member = EnumMember(
        f"{MARKER}_member", "value", "Probe.", "", Stability.DEVELOPMENT, None, _HERE
    )
    plain = [
        _attribute(primitive.name.lower(), AttributeType(primitive)) for primitive in PrimitiveType
    ]
    enum = _attribute("mode", AttributeType(PrimitiveType.STRING, members=(member,)), True)
    template = _attribute("labels", AttributeType(PrimitiveType.INT, is_template=True), True)
    attributes = (*plain, enum, template)
    everything = tuple(_use(a, required=a is plain[0] or a is enum) for a in attributes)
    naming_annotations: Mapping[str, Any] = {"typed_semconv": {"span_name": f"{MARKER}.static"}}
    pattern = {"typed_semconv": {"name_pattern": f"{{{enum.key}}} {MARKER}"}}
    groups = (
        _group(
            GroupKind.SPAN,
            "static",
            everything,
            span_kind=SpanKind.CLIENT,
            annotations=naming_annotations,
        ),
        _group(
            GroupKind.SPAN, "pattern", everything, span_kind=SpanKind.SERVER, annotations=pattern
        ),
        _group(GroupKind.SPAN, "named", (everything[0],), deprecation=_DEPRECATED),
        _group(GroupKind.SPAN, "bare"),
        _group(
            GroupKind.SPAN,
            "eventful",
            (everything[0],),
            span_kind=SpanKind.INTERNAL,
            annotations=naming_annotations,
            events=(f"{MARKER}.event", f"{MARKER}.bare_event"),
        ),
        *(
            _group(
                GroupKind.METRIC,
                instrument.value,
                everything,
                instrument=instrument,
                unit="s",
                deprecation=_DEPRECATED if instrument is Instrument.GAUGE else None,
            )
            for instrument in Instrument
        ),
        _group(GroupKind.METRIC, "plain", instrument=Instrument.COUNTER, unit="1"),
        _group(GroupKind.EVENT, "event", everything, body=_probe_body(), deprecation=_DEPRECATED),
        _group(GroupKind.EVENT, "bare_event"),
        _group(GroupKind.EVENT, "required_body", body=_probe_body(required=True)),
        _group(GroupKind.ENTITY, "entity", everything, deprecation=_DEPRECATED),
        _group(GroupKind.ENTITY, "bare_entity"),
    )
    return Registry(attributes, groups, (f"{MARKER}-registry",))


def _probe_body(required: bool = False) -> BodyField:
    """A map body with a field of every kind, a nested map and a list of maps."""

    def field(name: str, type_: str, **more: Any) -> BodyField:
        level = RequirementLevel("required" if required or type_ == "string" else "opt_in")
        return BodyField(
            f"{MARKER}.{name}", type_, "Probe.", "", level, Stability.DEVELOPMENT, None, **more
        )

    scalars = tuple(
        field(type_.replace("[]", "s"), type_)
        for type_ in ("string", "int", "double", "boolean", "string[]", "byte[]", "undefined")
    )
    enum = field("state", "enum", members=("on", "off"))
    nested = field("inner", "map", fields=scalars)
    listed = field("items", "map[]", fields=(enum,))
    return field("body", "map", fields=(*scalars, enum, nested, listed))
