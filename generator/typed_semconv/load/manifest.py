"""The registry's manifest (`manifest.yaml`, or the older `registry_manifest.yaml`)."""

from __future__ import annotations

from pathlib import Path

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Diagnostics, SourceLocation
from typed_semconv.load import schema as raw
from typed_semconv.load.documents import read_document, validate
from typed_semconv.load.yaml_reader import LocatedDict
from typed_semconv.model import Dependency, Manifest


def load_manifest(path: Path, shown: str, diagnostics: Diagnostics) -> Manifest | None:
    """The manifest at `path` (shown as `shown`), or None after reporting why it is unusable."""
    data = read_document(path, shown, diagnostics)
    if data is None:
        return None
    if not isinstance(data, LocatedDict):
        diagnostics.report(
            catalogue.FILE_NOT_MAPPING,
            "the manifest must be a YAML mapping",
            SourceLocation(shown, 1, 1),
        )
        return None
    parsed = validate(raw.RawManifest, data, shown, diagnostics)
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
