"""Regeneration with unchanged inputs trusts the ownership record only when nothing on disk
contradicts it: a changed input, a tampered output file or an earlier warning means a full run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

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
