"""Hostile or broken files: each run ends in a located diagnostic and exit 1 (never a traceback,
an internal error, a hang or a blow-up in memory), and the previously generated package stays
byte for byte as it was.

Input that could make a run hang, recurse deeply or blow up in time or memory is run in a
process of its own (the `measured` project: timed, measured, stopped at a timeout); the merely
malformed in the test's process.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from robustness_support import (
    PACKAGE,
    Project,
    Run,
    assert_clean_failure,
    generated_small,
    run_measured,
    tree_bytes,
    write_files,
)

from conftest import report_figure


@pytest.fixture
def project(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Project:
    return Project(tmp_path / "project", generated_small(tmp_path_factory.getbasetemp()))


@pytest.fixture
def measured(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A project whose runs are processes of their own, timed, measured and stopped at a
    timeout: for input that could make a run hang, recurse deeply or blow up in time or
    memory."""
    return Project(
        tmp_path / "project", generated_small(tmp_path_factory.getbasetemp()), measured=True
    )


def single(
    run: Run, code: str, severity: str = "error"
) -> tuple[str | None, int | None, int | None]:
    """The location of the one diagnostic of the run with `code`; no other error may appear."""
    assert_clean_failure(run)
    found = run.only(code)
    assert len(found) == 1, run.stderr
    assert found[0].severity == severity, run.stderr
    errors = {d.code for d in run.diagnostics if d.severity == "error"}
    assert errors <= {code}, run.stderr
    return found[0].path, found[0].line, found[0].column


UNSAFE_TAGS = {
    "python-object-apply": 'groups: !!python/object/apply:os.system ["touch MARKER"]\n',
    "python-object-apply-nested": (
        "groups:\n  - id: x\n    brief: !!python/object/apply:os.system ['touch MARKER']\n"
    ),
    "python-name": "groups:\n  - !!python/name:os.system\n",
    "python-module": "groups: !!python/module:os\n",
    "custom-tag": "groups:\n  - id: !shell touch MARKER\n",
    "binary": "groups:\n  - id: !!binary dG91Y2ggTUFSS0VS\n",
    "set": "groups: !!set {touch, MARKER}\n",
    "tagged-mapping": "groups:\n  - !!python/object:os.PathLike {id: x}\n",
}


@pytest.mark.parametrize("name", sorted(UNSAFE_TAGS))
def test_unsafe_tags_are_refused_and_never_run(project: Project, name: str) -> None:
    text = UNSAFE_TAGS[name]
    write_files(project.registry, {"evil.yaml": text})

    run = project.generate()

    path, line, _ = single(run, "yaml-unsafe-tag")
    assert path == "registry/evil.yaml"
    tag_at = [n for n, t in enumerate(text.splitlines(), 1) if "!" in t]
    assert line == tag_at[0], run.stderr
    assert "hint: use plain YAML values" in run.stderr
    for folder in (project.root, project.registry):
        assert not (folder / "MARKER").exists()
    project.assert_output_untouched()


def test_a_billion_laughs_ends_fast_in_bounded_memory(measured: Project) -> None:
    lines = ["lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 10):
        refs = ", ".join([f"*lol{level - 1}"] * 9)
        lines.append(f"lol{level}: &lol{level} [{refs}]")
    write_files(measured.registry, {"bomb.yaml": "groups: []\n" + "\n".join(lines) + "\n"})

    run = measured.generate()

    path, line, _ = single(run, "yaml-alias-bomb")
    # `lol5` (line 7, 9**6 nodes) is the smallest anchor that grows the document by more
    # than the 100,000 nodes aliases may add.
    assert (path, line) == ("registry/bomb.yaml", 7), run.stderr
    assert "beyond 2,000,000 nodes" in run.stderr
    baseline = measured.generate("--registry", "registry/kiln", "--check")
    report_figure(
        f"alias bomb (9**10 nodes once expanded): rejected in {run.seconds:.2f} s, peak memory "
        f"{run.max_rss_kib // 1024} MiB (a tiny run: {baseline.max_rss_kib // 1024} MiB)"
    )
    assert run.max_rss_kib < baseline.max_rss_kib + 50 * 1024
    measured.assert_output_untouched()


def test_aliases_cannot_multiply_definitions(measured: Project) -> None:
    """No bomb, but 200 groups that alias one list of 1,000 attributes would be 199,000
    duplicate definitions (and as many diagnostics): refused as a whole."""
    lines = ["groups:"]
    lines += ["  - id: g0", "    type: attribute_group", "    brief: b", "    attributes: &all"]
    for index in range(1000):
        lines += [f"      - id: many.a{index}", "        type: string", "        brief: b"]
    for group in range(1, 200):
        lines += [f"  - id: g{group}", "    type: attribute_group", "    brief: b"]
        lines += ["    attributes: *all"]
    write_files(measured.registry, {"many.yaml": "\n".join(lines) + "\n"})

    run = measured.generate()

    path, line, _ = single(run, "yaml-alias-bomb")
    assert (path, line) == ("registry/many.yaml", 2)
    assert "by more than 100,000 nodes" in run.stderr
    measured.assert_output_untouched()


def test_a_recursive_alias_is_refused(project: Project) -> None:
    write_files(project.registry, {"loop.yaml": "groups:\n  - &me {id: x, brief: [*me]}\n"})

    run = project.generate()

    assert single(run, "yaml-recursive-alias") == ("registry/loop.yaml", 2, 5)
    project.assert_output_untouched()


@pytest.mark.parametrize("kind", ["list", "mapping"])
def test_a_100k_deep_document_is_refused(measured: Project, kind: str) -> None:
    depth = 100_000
    text = "[" * depth + "]" * depth if kind == "list" else "{a: " * depth + "1" + "}" * depth
    write_files(measured.registry, {"deep.yaml": f"groups: {text}\n"})

    run = measured.generate()

    path, line, _ = single(run, "yaml-too-deep")
    assert (path, line) == ("registry/deep.yaml", 1)
    measured.assert_output_untouched()


def test_aliases_cannot_build_depth_the_text_does_not_show(measured: Project) -> None:
    """Each anchor nests 30 levels, each alias adds them up: 300 levels from 60 lines."""
    lines = ["a0: &a0 " + "[" * 30 + "x" + "]" * 30]
    lines += [f"a{i}: &a{i} " + "[" * 30 + f"*a{i - 1}" + "]" * 30 for i in range(1, 10)]
    write_files(measured.registry, {"deep.yaml": "groups: []\n" + "\n".join(lines) + "\n"})

    run = measured.generate()

    path, _, _ = single(run, "yaml-too-deep")
    assert path == "registry/deep.yaml"
    measured.assert_output_untouched()


def test_a_file_that_is_not_utf8_is_located_at_the_bad_byte(project: Project) -> None:
    write_files(
        project.registry,
        {"latin1.yaml": b"groups:\n  - id: studio.caf\xe9\n    brief: Latin-1.\n"},
    )

    run = project.generate()

    assert single(run, "file-encoding") == ("registry/latin1.yaml", 2, 19)
    assert "hint: save the file as UTF-8" in run.stderr
    project.assert_output_untouched()


def test_a_binary_file_is_refused(project: Project) -> None:
    write_files(project.registry, {"blob.yaml": b"groups:\n  - id: x\x00\x01\x02\xff\n"})

    run = project.generate()

    assert single(run, "file-binary") == ("registry/blob.yaml", 2, 10)
    project.assert_output_untouched()


@pytest.mark.parametrize("content", ["", "---\n", "# only a comment\n", "---\n...\n"])
def test_an_empty_file_is_a_warning(project: Project, content: str) -> None:
    write_files(project.registry, {"empty.yaml": content})

    run = project.generate("--werror")

    assert single(run, "file-empty", "warning")[0] == "registry/empty.yaml"
    assert run.returncode == 1
    project.assert_output_untouched()
    assert project.generate("-q").returncode == 0  # without --werror: a warning only


def test_two_documents_in_one_file_are_a_syntax_error(project: Project) -> None:
    write_files(project.registry, {"two.yaml": "groups: []\n---\ngroups: []\n"})

    run = project.generate()

    assert single(run, "yaml-syntax") == ("registry/two.yaml", 2, 1)
    assert "expected a single document" in run.stderr
    project.assert_output_untouched()


def test_a_folder_loop_through_symlinks_is_read_once(measured: Project) -> None:
    (measured.registry / "kiln" / "up").symlink_to("..", target_is_directory=True)
    (measured.registry / "glaze" / "self").symlink_to(".", target_is_directory=True)

    run = measured.generate("--werror")

    assert_clean_failure(run)
    loops = run.only("registry-symlink-loop")
    assert {d.path for d in loops} == {"registry/kiln/up", "registry/glaze/self"}, run.stderr
    assert {d.hint for d in loops} == {
        "it is the folder registry",
        "it is the folder registry/glaze",
    }
    assert {d.code for d in run.diagnostics} == {"registry-symlink-loop"}, run.stderr
    measured.assert_output_untouched()


def test_a_10_mib_string_is_refused_by_the_size_cap(measured: Project) -> None:
    write_files(
        measured.registry,
        {"huge.yaml": "groups:\n  - id: x\n    brief: " + "a" * (10 * 2**20) + "\n"},
    )

    run = measured.generate()

    path, _, _ = single(run, "file-too-large")
    assert path == "registry/huge.yaml"
    assert "registry/huge.yaml: error: the file is larger than 8 MiB" in run.stderr
    assert "hint: split it into several files" in run.stderr
    measured.assert_output_untouched()


def test_a_registry_path_that_is_a_file(project: Project) -> None:
    run = project.generate(registry="registry/kiln/registry.yaml")

    assert_clean_failure(run)
    (diag,) = run.only("source-not-found")
    assert diag.severity == "error"
    assert "`registry/kiln/registry.yaml` is not a folder" in diag.message
    project.assert_output_untouched()


@pytest.mark.parametrize(
    "content", ["- groups\n- file_format\n", "just some text\n", "42\n", "[]\n", "null_and: [\n"]
)
def test_a_document_that_is_not_a_mapping(project: Project, content: str) -> None:
    write_files(project.registry, {"odd.yaml": content})

    run = project.generate()

    expected = "yaml-syntax" if content.endswith("[\n") else "file-not-mapping"
    assert single(run, expected)[:2] == ("registry/odd.yaml", 1 if expected != "yaml-syntax" else 2)
    project.assert_output_untouched()


def test_a_named_pipe_is_not_waited_on(measured: Project) -> None:
    os.mkfifo(measured.registry / "pipe.yaml")

    run = measured.generate()

    assert single(run, "file-not-regular")[0] == "registry/pipe.yaml"
    measured.assert_output_untouched()


def test_a_huge_number_is_a_diagnostic(project: Project) -> None:
    write_files(
        project.registry,
        {"number.yaml": "groups:\n  - id: x\n    brief: y\n    note: " + "9" * 5000 + "\n"},
    )

    run = project.generate()

    assert single(run, "yaml-invalid-scalar") == ("registry/number.yaml", 4, 11)
    assert "hint: quote it to keep it as text" in run.stderr
    project.assert_output_untouched()


def test_an_unquoted_date_is_text_not_a_refused_tag(project: Project) -> None:
    write_files(
        project.registry,
        {
            "dates.yaml": "file_format: definition/2\n"
            "attributes:\n"
            "  - key: kiln.fired_on\n"
            "    type: string\n"
            "    stability: development\n"
            "    brief: Day of the firing.\n"
            "    examples: [2024-05-01]\n"
        },
    )
    run = project.generate("-q")
    assert run.returncode == 0, run.stderr
    module = project.out / "pottery" / "attributes" / "kiln_attributes.py"
    assert "2024-05-01" in module.read_text()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file(project: Project) -> None:
    write_files(project.registry, {"secret.yaml": "groups: []\n"})
    (project.registry / "secret.yaml").chmod(0)

    run = project.generate()

    assert single(run, "file-unreadable")[0] == "registry/secret.yaml"
    project.assert_output_untouched()


def test_a_registry_without_yaml_files(project: Project) -> None:
    empty = project.root / "nothing"
    (empty / "docs").mkdir(parents=True)
    (empty / "docs" / "README.md").write_text("not a registry\n")

    run = project.generate(registry="nothing")

    assert single(run, "registry-empty")[0] == "nothing"
    project.assert_output_untouched()


def test_no_diagnostic_ever_lacks_its_code(project: Project) -> None:
    """Everything printed on stderr is a diagnostic, a hint or the summary line."""
    write_files(project.registry, {"mixed.yaml": "groups:\n  - id: [\n", "b.yaml": b"\xff\n"})
    run = project.generate()
    assert_clean_failure(run)
    for line in run.stderr.splitlines():
        assert (
            re.match(r"^\S.*: (error|warning): .* \[[a-z0-9-]+\]$", line)
            or line.startswith("  hint: ")
            or re.match(r"^\d+ error\(s\), \d+ warning\(s\)$", line)
        ), line
    project.assert_output_untouched()


@pytest.mark.parametrize(
    "record",
    ["[" * 100_000, '{"files": ' * 50_000, "\xff\xfe garbage", '{"files": {"../x": 1}}'],
    ids=["deep-list", "deep-object", "garbage", "wrong-types"],
)
def test_a_hostile_ownership_record_is_no_crash(measured: Project, record: str) -> None:
    """A tampered `.typed-semconv.json` says nothing about which files are ours: refused with
    one diagnostic at the record, nothing touched."""
    (measured.out / "pottery" / ".typed-semconv.json").write_text(record, encoding="utf-8")
    measured.before = tree_bytes(measured.out)
    write_files(
        measured.registry,
        {"more.yaml": "groups:\n  - id: more\n    type: attribute_group\n    brief: More.\n"},
    )

    run = measured.generate()

    assert single(run, "output-record-invalid")[0] == "out/pottery/.typed-semconv.json"
    measured.assert_output_untouched()


# --- hostile folders: every input is read through one guarded walk --------------------------
#
# Each hostile entry is planted in the registry, in a `--templates` override folder and in a
# dependency's folder, then `generate` runs twice over: on the fast path (the output's record
# says the inputs were unchanged before the entry was planted) and on a full run (no output
# yet). Both must end at once with the diagnostic `check` gives, never hang or read a huge file.

HOSTILE_TIMEOUT = 30  # seconds; each run takes well under one
MANY_FILES = 100_000
DEPENDENCY_MANIFEST = """\
schema_url: https://example.test/schemas/pottery/0.1.0
dependencies:
  - schema_url: https://example.test/schemas/clay/0.1.0
    registry_path: {path}
"""
CLAY = """\
file_format: definition/2
attributes:
  - key: clay.body
    type: string
    stability: development
    brief: The clay body a piece is thrown from.
"""


@pytest.fixture(scope="session")
def many_empty_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """100,000 empty `.yaml` files in 100 folders, made once and linked into each case."""
    root = tmp_path_factory.mktemp("many")
    for folder in range(100):
        (root / f"d{folder}").mkdir()
        for index in range(MANY_FILES // 100):
            os.close(os.open(root / f"d{folder}" / f"f{index}.yaml", os.O_CREAT | os.O_WRONLY))
    return root


@dataclass(frozen=True)
class Hostile:
    """An entry planted in a folder: what `generate` (and `check`) must then report, where."""

    code: str
    entry: str  # the name planted (a registry file, or a template the default set uses)
    template_entry: str


HOSTILE = {
    "fifo": Hostile("file-not-regular", "pipe.yaml", "attributes.py.j2"),
    "device": Hostile("file-not-regular", "zero.yaml", "attributes.py.j2"),
    "symlink-loops": Hostile("registry-symlink-loop", "", ""),
    "sparse-200-mib": Hostile("file-too-large", "huge.yaml", "attributes.py.j2"),
    "100k-files": Hostile("registry-too-many-files", "", ""),
}


def plant(kind: str, folder: Path, name: str, many: Path) -> None:
    if kind == "fifo":
        os.mkfifo(folder / name)
    elif kind == "device":
        (folder / name).symlink_to("/dev/zero")
    elif kind == "symlink-loops":
        # Two links back to the top: a walk that follows links without noticing visits 2**40
        # folders before the kernel's limit on links in a path stops it.
        for branch in ("a", "b"):
            (folder / branch).mkdir()
            (folder / branch / "up").symlink_to("..", target_is_directory=True)
    elif kind == "sparse-200-mib":
        with (folder / name).open("wb") as handle:
            handle.truncate(200 * 2**20)
    else:
        (folder / "many").symlink_to(many, target_is_directory=True)


def prepare(project: Project, where: str) -> tuple[Path, tuple[str, ...]]:
    """The folder a hostile entry goes in, and the extra options that make `generate` read it."""
    if where == "registry":
        return project.registry, ()
    if where == "templates":
        (project.root / "templates").mkdir()
        return project.root / "templates", ("--templates", "templates")
    write_files(project.root / "dependency", {"clay.yaml": CLAY})
    write_files(
        project.registry, {"manifest.yaml": DEPENDENCY_MANIFEST.format(path="../dependency")}
    )
    return project.root / "dependency", ()


def shown_path(where: str, kind: str, hostile: Hostile) -> str:
    folder = {"registry": "registry", "templates": "templates", "dependency": "dependency"}[where]
    if kind == "symlink-loops":
        return f"{folder}/a/up"
    if kind == "100k-files":
        return folder
    return f"{folder}/{hostile.template_entry if where == 'templates' else hostile.entry}"


@pytest.mark.slow  # 30 runs over trees of 100,000 entries, 200 MiB files, loops and devices
@pytest.mark.parametrize("run_kind", ["fast-path", "full-run"])
@pytest.mark.parametrize("where", ["registry", "templates", "dependency"])
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_entry_ends_the_run_at_once(
    measured: Project, many_empty_files: Path, kind: str, where: str, run_kind: str
) -> None:
    hostile = HOSTILE[kind]
    folder, extra = prepare(measured, where)
    extra = (*extra, "--werror")  # a symbolic-link loop is a warning: it must stop the run too
    if run_kind == "fast-path":
        first = measured.generate(*extra, timeout=HOSTILE_TIMEOUT)
        assert first.returncode == 0, first.stderr
        measured.before = tree_bytes(measured.out)
        assert "up to date" in measured.generate(*extra, timeout=HOSTILE_TIMEOUT).stdout
    else:
        shutil.rmtree(measured.out)
        measured.out.mkdir()
        measured.before = {}
    plant(
        kind,
        folder,
        hostile.template_entry if where == "templates" else hostile.entry,
        many_empty_files,
    )

    run = measured.generate(*extra, timeout=HOSTILE_TIMEOUT)

    assert_clean_failure(run)
    found = run.only(hostile.code)
    assert found, run.stderr
    assert found[0].path == shown_path(where, kind, hostile), run.stderr
    assert {d.code for d in run.diagnostics} == {hostile.code}, run.stderr
    measured.assert_output_untouched()
    if where != "templates":  # `check` reads the same inputs and says the same
        checked = run_measured(
            "check",
            "--registry",
            "registry",
            "--werror",
            cwd=measured.root,
            timeout=HOSTILE_TIMEOUT,
        )
        assert {d.code for d in checked.diagnostics} == {hostile.code}, checked.stderr


@pytest.mark.parametrize("run_kind", ["fast-path", "full-run"])
@pytest.mark.parametrize("how", ["--registry /", "registry_path: /"])
def test_the_root_folder_as_a_registry_stops_at_the_file_bound(
    measured: Project, how: str, run_kind: str
) -> None:
    if run_kind == "full-run":
        shutil.rmtree(measured.out)
        measured.out.mkdir()
        measured.before = {}
    if how == "registry_path: /":
        write_files(measured.registry, {"manifest.yaml": DEPENDENCY_MANIFEST.format(path="/")})
        run = measured.generate(timeout=HOSTILE_TIMEOUT)
    else:
        run = measured.generate(registry="/", timeout=HOSTILE_TIMEOUT)

    assert single(run, "registry-too-many-files")[0] == "/"
    assert "more than 20000 files" in run.stderr
    measured.assert_output_untouched()


@pytest.mark.parametrize("run_kind", ["fast-path", "full-run"])
def test_a_dependency_manifest_is_read_with_the_alias_limits(
    measured: Project, run_kind: str
) -> None:
    """The unchanged-input check reads manifests to find dependencies' folders: with the same
    limits as the loader, which then reports the bomb where it is."""
    prepare(measured, "dependency")
    if run_kind == "fast-path":
        assert measured.generate(timeout=HOSTILE_TIMEOUT).returncode == 0
        measured.before = tree_bytes(measured.out)
    else:
        shutil.rmtree(measured.out)
        measured.out.mkdir()
        measured.before = {}
    lines = ["lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"lol{n}: &lol{n} [{', '.join([f'*lol{n - 1}'] * 9)}]" for n in range(1, 10)]
    write_files(
        measured.root / "dependency",
        {
            "manifest.yaml": "schema_url: https://example.test/schemas/clay/0.1.0\n"
            + "\n".join(lines)
            + "\n"
        },
    )

    run = measured.generate(timeout=HOSTILE_TIMEOUT)

    assert single(run, "yaml-alias-bomb")[0] == "dependency/manifest.yaml"
    measured.assert_output_untouched()


def test_a_fifo_in_place_of_a_generated_file_is_not_waited_on(measured: Project) -> None:
    """The fast path hashes the recorded files: a pipe there must not block it."""
    module = measured.out / "pottery" / "attributes" / "kiln_attributes.py"
    module.unlink()
    os.mkfifo(module)
    measured.before = tree_bytes(measured.out)

    run = measured.generate(timeout=HOSTILE_TIMEOUT)

    path, _, _ = single(run, "output-conflict")
    assert path == "out/pottery/attributes/kiln_attributes.py"
    assert tree_bytes(measured.out) == measured.before


@pytest.mark.parametrize("kind", ["symlink", "fifo", "sparse-200-mib"])
def test_a_record_that_is_not_a_small_regular_file(measured: Project, kind: str) -> None:
    """On the fast path (nothing else changed) and on the full run alike: one diagnostic at the
    record, no wait on a pipe, and a file a link points at is never read nor written."""
    record = measured.out / "pottery" / ".typed-semconv.json"
    outside = measured.root / "outside.json"
    outside.write_bytes(record.read_bytes())  # a valid record: still not trusted through a link
    record.unlink()
    if kind == "symlink":
        record.symlink_to(outside)
    elif kind == "fifo":
        os.mkfifo(record)
    else:
        with record.open("wb") as handle:
            handle.truncate(200 * 2**20)
    measured.before = tree_bytes(measured.out) if kind != "sparse-200-mib" else {}
    outside_before = outside.read_bytes()

    for extra in ((), ("--no-format",)):  # the fast path, then a full run (another option)
        run = measured.generate(*extra, timeout=HOSTILE_TIMEOUT)
        assert single(run, "output-record-invalid")[0] == "out/pottery/.typed-semconv.json"
        if kind != "sparse-200-mib":
            measured.assert_output_untouched()
        assert outside.read_bytes() == outside_before


@pytest.mark.slow
def test_concurrent_runs_end_with_one_package_and_its_record(measured: Project) -> None:
    """Two runs with different registries on one output folder, started together, several
    times: the package is always the whole output of one of them, and its record matches."""
    other = measured.root / "other"
    shutil.copytree(measured.registry, other)
    kiln = other / "kiln" / "registry.yaml"
    kiln.write_text(kiln.read_text().replace("kiln.cone", "kiln.cone_rating"))
    glaze = measured.registry / "glaze" / "registry.yaml"
    glaze.write_text(glaze.read_text().replace("glaze.", "glaze.finish_"))
    expected = {}
    for name in ("registry", "other"):
        solo = measured.root / f"solo-{name}"
        assert (
            run_measured(
                "generate",
                "--registry",
                name,
                "--output",
                solo,
                "--package",
                PACKAGE,
                cwd=measured.root,
            ).returncode
            == 0
        )
        expected[name] = tree_bytes(solo / PACKAGE)
    assert expected["registry"] != expected["other"]

    for _ in range(6):
        runs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "typed_semconv",
                    "generate",
                    "--registry",
                    name,
                    "--output",
                    "out",
                    "--package",
                    PACKAGE,
                    "-q",
                ],
                cwd=measured.root,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for name in ("registry", "other")
        ]
        for process in runs:
            _, stderr = process.communicate(timeout=HOSTILE_TIMEOUT)
            assert process.returncode == 0, stderr
        package = tree_bytes(measured.out / PACKAGE)
        assert package in (expected["registry"], expected["other"])
        record = json.loads(package[".typed-semconv.json"])
        assert record["files"] == {
            relative: hashlib.sha256(data).hexdigest()
            for relative, data in package.items()
            if isinstance(data, bytes) and relative != ".typed-semconv.json"
        }
