"""Compiled templates, and the default templates' vocabulary, kept between runs: used only when
made from the same text and settings, only from a folder that is the user's alone, and never
needed for a run to succeed."""

from __future__ import annotations

import marshal
import os
from pathlib import Path

import pytest

from typed_semconv.diagnostics.core import Diagnostics
from typed_semconv.output import vocabulary
from typed_semconv.output.rendering import make_environment
from typed_semconv.output.templates import find_templates
from typed_semconv.python.vocabulary import Vocabulary

from conftest import REPO, run_cli

SMALL = REPO / "tests" / "fixtures" / "small"


def _render_all(code_dir: Path) -> dict[str, str]:
    """Every default template compiled afresh (a new environment) and its source code."""
    make_environment.cache_clear()
    templates = find_templates(None, Diagnostics(), code_dir)
    environment = make_environment(templates)
    return {name: environment.get_template(name).name or "" for name, _ in templates.files}


def _generate(tmp_path: Path, cache: Path, name: str) -> dict[str, bytes]:
    output = tmp_path / name
    result = run_cli(
        "generate", "--registry", SMALL, "--output", output, "--package", "shop_semconv",
        "--cache-dir", cache, "-q",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return {
        str(p.relative_to(output)): p.read_bytes()
        for p in sorted(output.rglob("*"))
        if p.is_file() and p.name != ".typed-semconv.json"
    }


def test_a_second_run_loads_the_compiled_templates_and_writes_the_same_bytes(
    tmp_path: Path,
) -> None:
    cache = tmp_path / "cache"
    first = _generate(tmp_path, cache, "first")
    compiled = sorted((cache / "templates").glob("*.code"))
    assert len(compiled) == len(find_templates(None, Diagnostics()).files)
    stamps = {p: p.stat().st_mtime_ns for p in compiled}
    assert _generate(tmp_path, cache, "second") == first
    assert {p: p.stat().st_mtime_ns for p in compiled} == stamps  # read, not written again
    assert all(not p.stat().st_mode & 0o077 for p in compiled)
    assert not (cache / "templates").stat().st_mode & 0o077


def test_code_made_from_other_text_or_settings_is_never_run(tmp_path: Path) -> None:
    code_dir = tmp_path / "templates"
    _render_all(code_dir)
    planted = compile("import os\nos.environ['TYPED_SEMCONV_PLANTED'] = '1'\n", "x", "exec")
    for path in code_dir.glob("*.code"):
        header, _, _ = path.read_bytes().partition(b"\n")
        path.write_bytes(b"0" * len(header) + b"\n" + marshal.dumps(planted))
    _render_all(code_dir)
    assert "TYPED_SEMCONV_PLANTED" not in os.environ
    for path in code_dir.glob("*.code"):  # compiled afresh and put back
        assert not path.read_bytes().startswith(b"0000")


def test_a_damaged_file_is_compiled_afresh(tmp_path: Path) -> None:
    code_dir = tmp_path / "templates"
    _render_all(code_dir)
    for path in code_dir.glob("*.code"):
        header, _, body = path.read_bytes().partition(b"\n")
        path.write_bytes(header + b"\n" + body[: len(body) // 2])
    assert _render_all(code_dir)
    for path in code_dir.glob("*.code"):  # replaced by whole code
        marshal.loads(path.read_bytes().partition(b"\n")[2])


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_a_folder_others_may_write_is_neither_read_nor_written(tmp_path: Path) -> None:
    code_dir = tmp_path / "templates"
    code_dir.mkdir()
    code_dir.chmod(0o777)
    _render_all(code_dir)
    assert not list(code_dir.iterdir())


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_a_file_others_may_write_is_not_read(tmp_path: Path) -> None:
    code_dir = tmp_path / "templates"
    _render_all(code_dir)
    planted = compile("import os\nos.environ['TYPED_SEMCONV_PLANTED'] = '1'\n", "x", "exec")
    for path in code_dir.glob("*.code"):
        header, _, _ = path.read_bytes().partition(b"\n")
        path.write_bytes(header + b"\n" + marshal.dumps(planted))
        path.chmod(0o666)
    _render_all(code_dir)
    assert "TYPED_SEMCONV_PLANTED" not in os.environ


def test_a_cache_that_cannot_be_made_only_means_compiling(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "templates").write_text("a file where the folder should be", encoding="utf-8")
    assert _generate(tmp_path, cache, "out") == _generate(tmp_path, tmp_path / "other", "ref")


# --- the default vocabulary, kept beside the compiled templates ----------------------------


def _default_vocabulary(code_dir: Path) -> Vocabulary:
    vocabulary._default_vocabulary.cache_clear()
    return vocabulary.derive_vocabulary(find_templates(None, Diagnostics(), code_dir))


def _kept_file(code_dir: Path) -> Path:
    (kept,) = code_dir.glob(f"{vocabulary.KEPT_PREFIX}*.json")
    return kept


def _refuse_to_derive(monkeypatch: pytest.MonkeyPatch) -> None:
    def derive(templates: object) -> Vocabulary:
        raise AssertionError("derived again")

    monkeypatch.setattr(vocabulary, "_derive", derive)


def test_the_default_vocabulary_is_kept_and_read_back_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code_dir = tmp_path / "templates"
    derived = _default_vocabulary(code_dir)
    assert derived == vocabulary.derive_vocabulary(None)  # the same as derived unkept
    assert not _kept_file(code_dir).stat().st_mode & 0o077
    _refuse_to_derive(monkeypatch)
    assert _default_vocabulary(code_dir) == derived


def test_a_vocabulary_kept_for_another_tool_or_templates_is_derived_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code_dir = tmp_path / "templates"
    derived = _default_vocabulary(code_dir)
    kept = _kept_file(code_dir)
    header, _, body = kept.read_bytes().partition(b"\n")
    kept.write_bytes(b"0" * len(header) + b"\n" + body.replace(b'"self"', b'"planted"'))
    assert _default_vocabulary(code_dir) == derived
    assert kept.read_bytes().startswith(header)  # put back
    kept.write_bytes(header + b"\n" + body[: len(body) // 2])  # damaged
    assert _default_vocabulary(code_dir) == derived
    assert kept.read_bytes() == header + b"\n" + body
    monkeypatch.setattr(vocabulary, "tool_digest", lambda: "another tool")
    _refuse_to_derive(monkeypatch)
    with pytest.raises(AssertionError, match="derived again"):
        _default_vocabulary(code_dir)


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_a_vocabulary_others_may_write_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code_dir = tmp_path / "templates"
    _default_vocabulary(code_dir)
    _kept_file(code_dir).chmod(0o666)
    _refuse_to_derive(monkeypatch)
    with pytest.raises(AssertionError, match="derived again"):
        _default_vocabulary(code_dir)
