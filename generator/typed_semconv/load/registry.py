"""Load a registry folder: find its files, parse them safely, check them against the schemas and
turn both file formats into one set of definitions (`RegistrySource`)."""

from __future__ import annotations

import difflib
import functools
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics, Problem, SourceLocation
from typed_semconv.load import schema as raw
from typed_semconv.load.yaml_reader import LocatedDict, load_yaml
from typed_semconv.model import (
    MANIFEST_NAMES,
    Attribute,
    AttributeRefSpec,
    AttributeType,
    Dependency,
    Deprecation,
    EnumMember,
    GroupKind,
    GroupRefSpec,
    GroupSpec,
    ImportSpec,
    Instrument,
    Manifest,
    MemberSpec,
    PrimitiveType,
    RegistrySource,
    RequirementLevel,
    SpanKind,
    Stability,
    excluded_from_code_generation,
)

REGISTRY_SUFFIXES = (".yaml", ".yml")
MAX_FILES = 20_000

_V1_KINDS = {
    "attribute_group": GroupKind.ATTRIBUTE_GROUP,
    "metric_group": GroupKind.ATTRIBUTE_GROUP,
    "scope": GroupKind.ATTRIBUTE_GROUP,
    "span": GroupKind.SPAN,
    "metric": GroupKind.METRIC,
    "event": GroupKind.EVENT,
    "entity": GroupKind.ENTITY,
    "resource": GroupKind.ENTITY,
}
_TYPE_NAMES = tuple(t.value for t in PrimitiveType)
_M = TypeVar("_M", bound=BaseModel)


def _all_field_names() -> frozenset[str]:
    names: set[str] = set()
    for obj in vars(raw).values():
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            names.update(obj.model_fields)
    return frozenset(names)


_KNOWN_KEYS = _all_field_names()


def display_path(path: Path) -> str:
    """A path as diagnostics show it: relative to the working folder when below it.

    Symbolic links are kept as written (a file reached through a link is shown by the link's
    path, the one the user walked), unless only the resolved path lies below the working folder.
    """
    if path.name and not path.is_symlink():
        folder = _display_folder(str(path.parent), os.getcwd())
        return path.name if folder == "." else f"{folder}/{path.name}"
    return _display(path, Path.cwd())


@functools.lru_cache(maxsize=1024)
def _display_folder(folder: str, cwd: str) -> str:
    """`display_path` of a folder; cached, since a registry holds many files per folder."""
    return _display(Path(folder), Path(cwd))


def _display(path: Path, cwd: Path) -> str:
    for absolute, base in ((Path(os.path.abspath(path)), cwd), (path.resolve(), cwd.resolve())):
        try:
            return str(absolute.relative_to(base))
        except ValueError:
            continue
    return str(path)


def discover_files(root: Path, diagnostics: Diagnostics) -> tuple[list[Path], Path | None]:
    """The registry's YAML files (sorted, each real folder visited once) and its manifest."""
    files: list[Path] = []
    manifest: Path | None = None
    seen_dirs: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen_dirs:
            diagnostics.report(
                catalogue.REGISTRY_SYMLINK_LOOP,
                "folder reached twice through symbolic links; its files are read once",
                SourceLocation(display_path(Path(dirpath))),
                f"it is the folder {display_path(Path(real))}",
            )
            dirnames[:] = []
            continue
        seen_dirs.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.endswith(REGISTRY_SUFFIXES) or name.startswith("."):
                continue
            path = Path(dirpath) / name
            if Path(dirpath) == root and name in MANIFEST_NAMES:
                manifest = path
                continue
            files.append(path)
            if len(files) > MAX_FILES:
                diagnostics.report(
                    catalogue.REGISTRY_TOO_MANY_FILES,
                    f"the registry has more than {MAX_FILES} YAML files",
                    SourceLocation(display_path(root)),
                )
                return files, manifest
    return sorted(files), manifest


def load_registry(root: Path, diagnostics: Diagnostics) -> RegistrySource:
    """Load every definition of the registry at `root`; problems go to `diagnostics`."""
    if not root.is_dir():
        if root.exists():
            diagnostics.report(
                catalogue.REGISTRY_NOT_A_FOLDER,
                f"registry `{root}` is a file, not a folder",
                SourceLocation(display_path(root)),
                "pass the folder that holds the semantic-convention YAML files",
            )
        else:
            diagnostics.report(
                catalogue.REGISTRY_NOT_FOUND,
                f"registry folder `{root}` does not exist",
                hint="pass the folder that holds the semantic-convention YAML files",
            )
        return RegistrySource(str(root), (), (), None)
    files, manifest_path = discover_files(root, diagnostics)
    if not files:
        diagnostics.report(
            catalogue.REGISTRY_EMPTY,
            "the registry folder holds no .yaml or .yml file",
            SourceLocation(display_path(root)),
        )
    builder = _SpecBuilder(diagnostics)
    manifest = _load_manifest(manifest_path, diagnostics) if manifest_path else None
    for path in files:
        shown = display_path(path)
        data = _read(path, shown, diagnostics)
        if data is None:
            continue
        if not isinstance(data, LocatedDict):
            diagnostics.report(
                catalogue.FILE_NOT_MAPPING,
                "a registry file must be a YAML mapping",
                SourceLocation(shown, 1, 1),
                "start the file with `groups:` or `file_format: definition/2`",
            )
            continue
        if "file_format" in data:
            v2 = _validate(raw.RawV2File, data, shown, diagnostics)
            if v2 is not None:
                builder.add_v2_file(v2)
        elif "groups" in data or "imports" in data:
            v1 = _validate(raw.RawV1File, data, shown, diagnostics)
            if v1 is not None:
                builder.add_v1_file(v1)
        else:
            diagnostics.report(
                catalogue.FILE_UNKNOWN_FORMAT,
                "not a semantic-convention file",
                SourceLocation(shown, 1, 1),
                "a registry file starts with `groups:` (v1) or `file_format: definition/2` (v2)",
            )
    return RegistrySource(
        str(root),
        tuple(builder.attributes),
        tuple(builder.groups),
        manifest,
        imports=tuple(builder.imports),
    )


def _read(path: Path, shown: str, diagnostics: Diagnostics) -> Any:
    try:
        data = load_yaml(str(path), shown, diagnostics)
    except Problem as problem:
        diagnostics.add(problem.diagnostic)
        return None
    if data is None:
        diagnostics.report(
            catalogue.FILE_EMPTY,
            "the file is empty",
            SourceLocation(shown),
            "delete it or add definitions",
        )
    return data


def _load_manifest(path: Path, diagnostics: Diagnostics) -> Manifest | None:
    shown = display_path(path)
    data = _read(path, shown, diagnostics)
    if data is None:
        return None
    if not isinstance(data, LocatedDict):
        diagnostics.report(
            catalogue.FILE_NOT_MAPPING,
            "the manifest must be a YAML mapping",
            SourceLocation(shown, 1, 1),
        )
        return None
    parsed = _validate(raw.RawManifest, data, shown, diagnostics)
    if parsed is None:
        return None
    url = (
        parsed.schema_url.url
        if isinstance(parsed.schema_url, raw.RawSchemaUrl)
        else parsed.schema_url
    )
    dependencies = tuple(
        Dependency(
            schema_url=d.schema_url.url
            if isinstance(d.schema_url, raw.RawSchemaUrl)
            else d.schema_url or d.name,
            registry_path=d.registry_path,
            location=d.location,
        )
        for d in parsed.dependencies or ()
    )
    return Manifest(url, parsed.description, parsed.location, dependencies)


def _validate(
    model: type[_M], data: LocatedDict, shown: str, diagnostics: Diagnostics
) -> _M | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        _report_validation(exc, data, shown, diagnostics)
        return None


# Error types that only say "this node has the wrong shape for this branch of the union".
_SHAPE_ERRORS = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_from_float": "an integer",
    "float_type": "a number",
    "bool_type": "a boolean",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "literal_error": "",  # the message lists the allowed values
}


def _report_validation(
    exc: ValidationError, data: LocatedDict, shown: str, diagnostics: Diagnostics
) -> None:
    """Turn pydantic's errors into one diagnostic per YAML node, located at that node.

    A value that matches no branch of a union (`deprecated: <text or mapping>`) gets an error
    from every branch; only the branch the value's shape fits is reported (the errors that go
    deeper than the value, or a validator's own message), and when the shape fits no branch,
    one diagnostic lists what would.
    """
    located = []
    for error in exc.errors(include_url=False):
        location, path = _locate(data, error["loc"], shown, error["type"] == "missing")
        located.append((error, location, path))

    def explained_elsewhere(error: Any, path: list[Any]) -> bool:
        """A shape error of a node that another branch's error explains better."""
        return any(
            other is not error
            and other_path[: len(path)] == path
            and (len(other_path) > len(path) or other["type"] not in _SHAPE_ERRORS)
            for other, _, other_path in located
        )

    shapes: dict[tuple[SourceLocation, str], list[str]] = {}
    order: list[tuple[Any, SourceLocation, list[Any]]] = []
    for error, location, path in located:
        kind = error["type"]
        if kind in _SHAPE_ERRORS:
            if explained_elsewhere(error, path):
                continue
            where = ".".join(str(p) for p in path) or "file"
            expected = _SHAPE_ERRORS[kind] or str(error["msg"]).removeprefix("Input should be ")
            slot = (location, where)
            if slot not in shapes:
                shapes[slot] = []
                order.append((error, location, path))
            if expected not in shapes[slot]:
                shapes[slot].append(expected)
            continue
        order.append((error, location, path))

    reported: set[tuple[SourceLocation, str]] = set()
    for error, location, path in order:
        where = ".".join(str(p) for p in path) or "file"
        kind = error["type"]
        hint = None
        if kind == "extra_forbidden":
            key = str(path[-1]) if path else "?"
            message = f"unknown key `{key}`"
            code = catalogue.SCHEMA_UNKNOWN_KEY
            close = difflib.get_close_matches(key, sorted(_KNOWN_KEYS), n=1)
            hint = f"did you mean `{close[0]}`?" if close else None
        elif kind == "missing":
            message = f"missing required key `{path[-1] if path else '?'}`"
            code = catalogue.SCHEMA_MISSING_KEY
            hint = f"add `{path[-1]}:` to the mapping that starts here" if path else None
        elif kind in _SHAPE_ERRORS:
            wanted = shapes[(location, where)]
            if len(wanted) == 1 and not _SHAPE_ERRORS[kind]:
                message = f"`{where}`: {error['msg']}"
            else:
                options = ", ".join(wanted[:-1]) + (" or " if len(wanted) > 1 else "")
                message = f"`{where}`: expected {options}{wanted[-1]}"
            code = catalogue.SCHEMA_INVALID_VALUE
        else:
            message = f"`{where}`: {str(error['msg']).removeprefix('Value error, ')}"
            code = catalogue.SCHEMA_INVALID_VALUE
        identity = (location, code.name if kind != "extra_forbidden" else message)
        if identity in reported:
            continue
        reported.add(identity)
        diagnostics.report(code, message, location, hint)


def _locate(
    data: Any, loc: Sequence[int | str], shown: str, missing: bool = False
) -> tuple[SourceLocation, list[Any]]:
    """Follow pydantic's error path through the YAML data; returns where the error is and the
    path of keys and indexes that leads there.

    pydantic's path also holds labels of union branches and validators (`str`, `RawEnumType`,
    `function-wrap[...]`); they are skipped: a name that is not a key of the mapping at hand is a
    label, unless it ends the path of a `missing` error (the missing key).
    """
    location = data.location if isinstance(data, LocatedDict) else SourceLocation(shown)
    current = data
    path: list[Any] = []
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if isinstance(current, LocatedDict) and isinstance(part, str):
            if part in current:
                path.append(part)
                location = current.key_location(part)
                current = current[part]
                if isinstance(current, LocatedDict):
                    location = current.location
            elif last and missing:
                path.append(part)  # a missing key: located at the mapping that lacks it
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
            if isinstance(current, LocatedDict):
                location = current.location
    return location, path


class _SpecBuilder:
    """Turns validated raw files of either format into attribute definitions and group specs."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        self.diagnostics = diagnostics
        self.attributes: list[Attribute] = []
        self.groups: list[GroupSpec] = []
        self.imports: list[ImportSpec] = []

    # -- shared pieces -------------------------------------------------------------------------

    def deprecation(self, value: raw.RawDeprecation | None) -> Deprecation | None:
        if value is None:
            return None
        if isinstance(value, str):
            return Deprecation("uncategorized", value.strip())
        note = (value.note or "").strip()
        if value.reason == "renamed" and not note:
            note = f"Replaced by `{value.renamed_to}`."
        return Deprecation(value.reason, note, value.renamed_to)

    @staticmethod
    def requirement(value: raw.RawRequirementLevel | None) -> RequirementLevel | None:
        if value is None:
            return None
        if isinstance(value, str):
            return RequirementLevel(value)
        if value.conditionally_required is not None:
            return RequirementLevel("conditionally_required", value.conditionally_required.strip())
        if value.recommended is not None:
            return RequirementLevel("recommended", value.recommended.strip())
        return RequirementLevel("opt_in", (value.opt_in or "").strip())

    @staticmethod
    def examples(value: Any) -> tuple[Any, ...] | None:
        if value is None:
            return None
        return tuple(value) if isinstance(value, list) else (value,)

    @staticmethod
    def text(value: str | None) -> str:
        return (value or "").strip()

    def attribute_type(
        self, value: raw.RawType, key: str, location: SourceLocation, stability_default: Stability
    ) -> AttributeType | None:
        if isinstance(value, raw.RawEnumType):
            return self.enum_type(value, key, location, stability_default)
        is_template = value.startswith("template[") and value.endswith("]")
        name = value[len("template[") : -1] if is_template else value
        try:
            primitive = PrimitiveType(name)
        except ValueError:
            close = difflib.get_close_matches(name, _TYPE_NAMES, n=1)
            self.diagnostics.report(
                catalogue.ATTRIBUTE_UNKNOWN_TYPE,
                f"attribute `{key}` has unknown type `{value}`",
                location.at("type"),
                f"did you mean `{close[0]}`?"
                if close
                else f"use one of {', '.join(_TYPE_NAMES)}, template[...] or an enum",
            )
            return None
        return AttributeType(primitive, is_template=is_template)

    def enum_type(
        self,
        value: raw.RawEnumType,
        key: str,
        location: SourceLocation,
        stability_default: Stability,
    ) -> AttributeType | None:
        if not value.members:
            self.diagnostics.report(
                catalogue.ENUM_NO_MEMBERS,
                f"enum attribute `{key}` has no members",
                location.at("type", "members"),
            )
            return None
        members = tuple(
            EnumMember(
                id=m.id,
                value=m.value,
                brief=self.text(m.brief),
                note=self.text(m.note),
                stability=Stability.parse(m.stability) if m.stability else stability_default,
                deprecation=self.deprecation(m.deprecated),
                location=m.location,
                code_generation_excluded=excluded_from_code_generation(m.annotations),
            )
            for m in value.members
        )
        kinds = {_value_type(m.value) for m in members}
        if len(kinds) != 1:
            self.diagnostics.report(
                catalogue.ENUM_MIXED_VALUES,
                f"enum attribute `{key}` mixes value types "
                f"({', '.join(sorted(k.value for k in kinds))})",
                location.at("type"),
                "give every member a value of the same type",
            )
            return None
        return AttributeType(
            kinds.pop(), members=members, closed=value.allow_custom_values is False
        )

    def define(
        self,
        key: str,
        type_: raw.RawType,
        brief: str | None,
        note: str | None,
        examples: Any,
        stability: str | None,
        deprecated: raw.RawDeprecation | None,
        annotations: dict[str, Any] | None,
        location: SourceLocation,
    ) -> None:
        level = Stability.parse(stability)
        attr_type = self.attribute_type(type_, key, location, level)
        if attr_type is None:
            return
        deprecation = self.deprecation(deprecated)
        if deprecation is None and stability == "deprecated":
            deprecation = Deprecation("unspecified")
        self.attributes.append(
            Attribute(
                key=key,
                type=attr_type,
                brief=self.text(brief),
                note=self.text(note),
                examples=self.examples(examples),
                stability=level,
                deprecation=deprecation,
                annotations=dict(annotations or {}),
                location=location,
            )
        )

    def ref(
        self, entry: raw.RawV1Attribute | raw.RawAttributeRef, key: str, role: str | None = None
    ) -> AttributeRefSpec:
        return AttributeRefSpec(
            key=key,
            location=entry.location,
            brief=entry.brief.strip() if entry.brief is not None else None,
            note=entry.note.strip() if entry.note is not None else None,
            examples=self.examples(entry.examples),
            stability=Stability.parse(entry.stability) if entry.stability else None,
            deprecation=self.deprecation(entry.deprecated),
            annotations=dict(entry.annotations) if entry.annotations is not None else None,
            requirement_level=self.requirement(entry.requirement_level),
            sampling_relevant=entry.sampling_relevant,
            role=role,
        )

    def v2_members(
        self, entries: Iterable[raw.RawAttributeRef] | None, role: str | None = None
    ) -> tuple[MemberSpec, ...]:
        members: list[MemberSpec] = []
        for entry in entries or ():
            if entry.ref_group is not None:
                members.append(GroupRefSpec(entry.ref_group, entry.location))
            elif entry.ref is not None:
                members.append(self.ref(entry, entry.ref, role))
        return tuple(members)

    # -- v1 --------------------------------------------------------------------------------------

    def add_imports(self, imports: raw.RawImports | None) -> None:
        if imports is None:
            return
        for kind, patterns in (
            (GroupKind.METRIC, imports.metrics),
            (GroupKind.EVENT, imports.events),
            (GroupKind.ENTITY, imports.entities),
            (GroupKind.SPAN, imports.spans),
            (GroupKind.ATTRIBUTE_GROUP, imports.attribute_groups),
        ):
            for pattern in patterns or ():
                self.imports.append(ImportSpec(kind, pattern, imports.location))

    def add_v1_file(self, file: raw.RawV1File) -> None:
        self.add_imports(file.imports)
        for group in file.groups or ():
            self.add_v1_group(group)

    def add_v1_group(self, group: raw.RawV1Group) -> None:
        members: list[MemberSpec] = []
        for entry in group.attributes or ():
            if entry.id is not None and entry.type is not None:
                key = f"{group.prefix}.{entry.id}" if group.prefix else entry.id
                self.define(
                    key,
                    entry.type,
                    entry.brief,
                    entry.note,
                    entry.examples,
                    entry.stability,
                    entry.deprecated,
                    entry.annotations,
                    entry.location,
                )
                members.append(
                    AttributeRefSpec(
                        key=key,
                        location=entry.location,
                        requirement_level=self.requirement(entry.requirement_level),
                        sampling_relevant=entry.sampling_relevant,
                        role=entry.role,
                    )
                )
            elif entry.ref is not None:
                members.append(self.ref(entry, entry.ref, entry.role))
        kind = _V1_KINDS[group.type]
        signal_name = group.metric_name if kind is GroupKind.METRIC else group.name
        if kind is GroupKind.SPAN:
            signal_name = group.id.removeprefix("span.")
        self.groups.append(
            GroupSpec(
                id=group.id,
                kind=kind,
                location=group.location,
                brief=self.text(group.brief),
                note=self.text(group.note),
                stability=Stability.parse(group.stability),
                deprecation=self.deprecation(group.deprecated),
                annotations=dict(group.annotations or {}),
                extends=group.extends,
                members=tuple(members),
                signal_name=signal_name,
                span_kind=SpanKind(group.span_kind) if group.span_kind else None,
                instrument=Instrument(group.instrument) if group.instrument else None,
                unit=group.unit,
                display_name=group.display_name,
            )
        )

    # -- v2 --------------------------------------------------------------------------------------

    def add_v2_file(self, file: raw.RawV2File) -> None:
        self.add_imports(file.imports)
        for attr in file.attributes or ():
            self.define(
                attr.key,
                attr.type,
                attr.brief,
                attr.note,
                attr.examples,
                attr.stability,
                attr.deprecated,
                attr.annotations,
                attr.location,
            )
        for group in file.attribute_groups or ():
            self.groups.append(
                self.v2_group(
                    group, group.id, GroupKind.ATTRIBUTE_GROUP, visibility=group.visibility
                )
            )
        for span in file.spans or ():
            self.groups.append(
                self.v2_group(
                    span,
                    f"span.{span.type}",
                    GroupKind.SPAN,
                    signal_name=span.type,
                    span_kind=SpanKind(span.kind),
                    span_name_note=span.name.note.strip(),
                )
            )
        for metric in file.metrics or ():
            self.groups.append(
                self.v2_group(
                    metric,
                    f"metric.{metric.name}",
                    GroupKind.METRIC,
                    signal_name=metric.name,
                    instrument=Instrument(metric.instrument),
                    unit=metric.unit,
                )
            )
        for event in file.events or ():
            self.groups.append(
                self.v2_group(event, f"event.{event.name}", GroupKind.EVENT, signal_name=event.name)
            )
        for entity in file.entities or ():
            members = self.v2_members(entity.identity, "identifying") + self.v2_members(
                entity.description, "descriptive"
            )
            self.groups.append(
                self.v2_group(
                    entity,
                    f"entity.{entity.type}",
                    GroupKind.ENTITY,
                    signal_name=entity.type,
                    members=members,
                )
            )
        refinements: Sequence[tuple[GroupKind, Sequence[Any]]] = (
            (GroupKind.SPAN, file.span_refinements or ()),
            (GroupKind.METRIC, file.metric_refinements or ()),
            (GroupKind.EVENT, file.event_refinements or ()),
        )
        for kind, items in refinements:
            for item in items:
                name = getattr(item, "name", None)
                self.groups.append(
                    self.v2_group(
                        item,
                        item.id,
                        kind,
                        refines=item.ref,
                        span_name_note=name.note.strip() if name is not None else None,
                    )
                )
        for entity_ref in file.entity_refinements or ():
            members = self.v2_members(entity_ref.identity, "identifying") + self.v2_members(
                entity_ref.description, "descriptive"
            )
            self.groups.append(
                self.v2_group(
                    entity_ref,
                    entity_ref.id,
                    GroupKind.ENTITY,
                    refines=entity_ref.ref,
                    members=members,
                )
            )

    def v2_group(
        self,
        item: Any,
        group_id: str,
        kind: GroupKind,
        *,
        members: tuple[MemberSpec, ...] | None = None,
        **extra: Any,
    ) -> GroupSpec:
        if members is None:
            members = self.v2_members(getattr(item, "attributes", None))
        return GroupSpec(
            id=group_id,
            kind=kind,
            location=item.location,
            brief=self.text(item.brief),
            note=self.text(item.note),
            stability=Stability.parse(item.stability),
            deprecation=self.deprecation(item.deprecated),
            annotations=dict(item.annotations or {}),
            members=members,
            **extra,
        )


def _value_type(value: object) -> PrimitiveType:
    if isinstance(value, bool):
        return PrimitiveType.BOOLEAN
    if isinstance(value, int):
        return PrimitiveType.INT
    if isinstance(value, float):
        return PrimitiveType.DOUBLE
    return PrimitiveType.STRING
