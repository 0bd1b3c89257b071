"""Load a registry folder: find its files, parse them safely, check them against the schemas and
turn both file formats into one set of definitions (`RegistrySource`)."""

from __future__ import annotations

from pathlib import Path

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics, SourceLocation
from typed_semconv.load import schema as raw
from typed_semconv.load.definitions import Definitions
from typed_semconv.load.discovery import discover_files
from typed_semconv.load.discovery import display_path as display_path  # imported from here too
from typed_semconv.load.documents import read_document, validate
from typed_semconv.load.manifest import load_manifest
from typed_semconv.load.v1 import add_v1_file
from typed_semconv.load.v2 import add_v2_file
from typed_semconv.load.yaml_reader import LocatedDict
from typed_semconv.model import RegistrySource

# `file_format` of a v1 file that says what it is (weaver reads it beside v2 files).
_V1_FORMAT = "definition/1"


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
    found = discover_files(root, diagnostics)
    if not found.complete:  # a tree this large is not a registry: read none of it
        return RegistrySource(str(root), (), (), None)
    if not found.files:
        diagnostics.report(
            catalogue.REGISTRY_EMPTY,
            "the registry folder holds no .yaml or .yml file",
            SourceLocation(display_path(root)),
        )
    defs = Definitions(diagnostics)
    manifest = (
        load_manifest(found.manifest.path, display_path(found.manifest.path), diagnostics)
        if found.manifest
        else None
    )
    for file in found.files:
        _add_file(defs, file.path, display_path(file.path))
    return RegistrySource(
        str(root),
        tuple(defs.attributes),
        tuple(defs.groups),
        manifest,
        imports=tuple(defs.imports),
    )


def _add_file(defs: Definitions, path: Path, shown: str) -> None:
    """Read one registry file of either format into `defs`."""
    diagnostics = defs.diagnostics
    data = read_document(path, shown, diagnostics)
    if data is None:
        return
    if not isinstance(data, LocatedDict):
        diagnostics.report(
            catalogue.FILE_NOT_MAPPING,
            "a registry file must be a YAML mapping",
            SourceLocation(shown, 1, 1),
            "start the file with `groups:` or `file_format: definition/2`",
        )
        return
    if "file_format" in data and data["file_format"] != _V1_FORMAT:
        v2 = validate(raw.RawV2File, data, shown, diagnostics)
        if v2 is not None:
            add_v2_file(defs, v2)
    elif "file_format" in data or "groups" in data or "imports" in data:
        v1 = validate(raw.RawV1File, data, shown, diagnostics)
        if v1 is not None:
            add_v1_file(defs, v1)
    else:
        diagnostics.report(
            catalogue.FILE_UNKNOWN_FORMAT,
            "not a semantic-convention file",
            SourceLocation(shown, 1, 1),
            "a registry file starts with `groups:` (v1) or `file_format: definition/2` (v2)",
        )
