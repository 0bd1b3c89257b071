"""Regeneration with unchanged inputs trusts the ownership record only when nothing on disk
contradicts it: a changed input, a tampered output file or an earlier warning means a full run."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from typed_semconv import pipeline
from typed_semconv.diagnostics.core import Diagnostics
from typed_semconv.options import FilterOptions, GenerateOptions, RegistrySpec
from typed_semconv.output import fingerprint, writing

from conftest import REPO, run_cli

SMALL = REPO / "tests" / "fixtures" / "small"


def generate(registry: Path, output: Path, *extra: str) -> tuple[int, str, str]:
    result = run_cli(
        "generate", "--registry", registry, "--output", output, "--package", "kiln", *extra
    )
    return result.returncode, result.stdout, result.stderr


def test_unchanged_inputs_are_recorded_and_recognised(tmp_path: Path) -> None:
    assert generate(SMALL, tmp_path)[0] == 0
    record = json.loads((tmp_path / "kiln" / ".typed-semconv.json").read_text(encoding="utf-8"))
    assert len(record["inputs"]) == 64 and record["clean"] is True
    code, out, _ = generate(SMALL, tmp_path)
    assert code == 0 and "up to date" in out
    assert generate(SMALL, tmp_path, "--check")[0] == 0


def test_a_tampered_output_file_is_found_and_restored(tmp_path: Path) -> None:
    assert generate(SMALL, tmp_path)[0] == 0
    module = next((tmp_path / "kiln" / "attributes").glob("kiln_*.py"))
    original = module.read_bytes()
    module.write_bytes(original + b"# edited by hand\n")
    code = generate(SMALL, tmp_path, "--check")[0]
    assert code == 1
    assert generate(SMALL, tmp_path)[0] == 0
    assert module.read_bytes() == original


def test_a_changed_registry_or_template_is_regenerated(tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    shutil.copytree(SMALL, registry)
    output = tmp_path / "out"
    assert generate(registry, output)[0] == 0
    kiln = registry / "kiln" / "registry.yaml"
    kiln.write_text(
        kiln.read_text(encoding="utf-8").replace("kiln.cone", "kiln.cone_rating"), encoding="utf-8"
    )
    assert generate(registry, output, "--check")[0] == 1
    assert generate(registry, output)[0] == 0
    assert "KILN_CONE_RATING" in (output / "kiln" / "attributes" / "kiln_attributes.py").read_text(
        encoding="utf-8"
    )
    templates = tmp_path / "templates"
    templates.mkdir()
    init = (REPO / "templates" / "python" / "__init__.py.j2").read_text(encoding="utf-8")
    (templates / "__init__.py.j2").write_text(init + "# ours\n", encoding="utf-8")
    assert generate(registry, output, "--templates", str(templates), "--check")[0] == 1


def test_warnings_are_shown_again_on_every_run(tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    shutil.copytree(SMALL, registry)
    (registry / "kiln" / "empty.yaml").write_text("", encoding="utf-8")
    for _ in range(2):
        code, _, err = generate(registry, tmp_path / "out")
        assert code == 0
        assert "[file-empty]" in err


# -- the unchanged-input check and a full run agree -------------------------------------------


def _plans(options: GenerateOptions) -> tuple[bool, bool]:
    """Whether the record alone says the output is current, and whether a full run (load,
    render, compare with the disk) finds it current."""
    from_record = pipeline.plan_generation(options, Diagnostics())
    trusted = not from_record.files and from_record.is_current
    diagnostics = Diagnostics()
    folders = pipeline.fetch(options.registries, options.sources, diagnostics)
    files = pipeline.render(options, folders, diagnostics)
    target = options.output / options.package
    full = writing.plan(target, files, diagnostics, from_record.inputs)
    return trusted, full.is_current


def test_the_record_is_trusted_only_when_a_full_run_would_write_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = GenerateOptions((RegistrySpec(str(SMALL)),), tmp_path, "kiln")
    writing.write(pipeline.plan_generation(options, Diagnostics()), Diagnostics())
    assert _plans(options) == (True, True)
    for changed in (
        replace(options, format=False),
        replace(options, closed_enums=True),
        replace(options, filters=FilterOptions(exclude_namespaces=("kiln",))),
        replace(options, package="kiln2"),
    ):
        trusted, current = _plans(changed)
        assert not trusted or current, changed
    # Another black may lay the same code out differently: its version is part of the inputs.
    monkeypatch.setattr(fingerprint, "formatter_version", lambda: "0.0.0-another")
    trusted, current = _plans(options)
    assert not trusted and current  # the full run finds the same bytes: nothing is rewritten
    monkeypatch.undo()
    # Another Jinja renders the templates: its version is part of the inputs too.
    monkeypatch.setattr(fingerprint.jinja2, "__version__", "0.0.0-another")
    trusted, current = _plans(options)
    assert not trusted and current


def test_black_counts_only_when_the_output_is_formatted(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = GenerateOptions((RegistrySpec(str(SMALL)),), Path("out"), "kiln", format=False)
    formatted = replace(plain, format=True)
    digests = {}
    for version in ("24.1.0", "26.10.1"):
        monkeypatch.setattr(fingerprint, "formatter_version", lambda v=version: v)
        digests[version] = (
            fingerprint.input_digest(formatted, [SMALL], []),
            fingerprint.input_digest(plain, [SMALL], []),
        )
    assert digests["24.1.0"][0] != digests["26.10.1"][0]
    assert digests["24.1.0"][1] == digests["26.10.1"][1]
