"""Load a registry folder: find its files, parse them safely, check them against the schemas and
turn both file formats into one set of definitions (`RegistrySource`)."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics, SourceLocation
from typed_semconv.load import schema as raw
from typed_semconv.load.definitions import Definitions
from typed_semconv.load.documents import read_document, validate
from typed_semconv.load.manifest import load_manifest
from typed_semconv.load.v1 import add_v1_file
from typed_semconv.load.v2 import add_v2_file
from typed_semconv.load.yaml_reader import LocatedDict
from typed_semconv.model import MANIFEST_NAMES, RegistrySource

REGISTRY_SUFFIXES = (".yaml", ".yml")
MAX_FILES = 20_000
# `file_format` of a v1 file that says what it is (weaver reads it beside v2 files).
_V1_FORMAT = "definition/1"


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
    defs = Definitions(diagnostics)
    manifest = (
        load_manifest(manifest_path, display_path(manifest_path), diagnostics)
        if manifest_path
        else None
    )
    for path in files:
        _add_file(defs, path, display_path(path))
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
