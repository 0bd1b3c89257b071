"""Writing the generated package: ownership, removals, user files, conflicts, symlinks and
recovery from killed runs. Uses `writing.plan` / `writing.write` directly and, end to end, the
command line on the tiny registry in `tests/fixtures/small`."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from typed_semconv.diagnostics.core import Diagnostics, InputError
from typed_semconv.output import writing

from conftest import CliResult, run_cli

SMALL = Path(__file__).resolve().parent / "fixtures" / "small"
PACKAGE = "pottery"
RECORD = writing.OWNERSHIP_FILE

FILES: dict[str, bytes] = {
    "__init__.py": b'"""Package."""\n',
    "py.typed": b"",
    "attributes/__init__.py": b"",
    "attributes/kiln_attributes.py": b'KILN_CONE = "kiln.cone"\n',
    "attributes/glaze_attributes.py": b'GLAZE_NAME = "glaze.name"\n',
    "metrics/__init__.py": b"",
    "metrics/glaze_metrics.py": b'GLAZE_BATCHES = "glaze.batches"\n',
}

Entry = tuple[str, int, int, bytes | str]


# --- helpers -------------------------------------------------------------------------------


def snapshot(root: Path) -> dict[str, Entry]:
    """Everything below `root` (hidden entries too, symlinks not followed): kind, inode,
    mtime and content (or link target)."""
    state: dict[str, Entry] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            info = path.lstat()
            relative = path.relative_to(root).as_posix()
            if path.is_symlink():
                state[relative] = ("link", info.st_ino, info.st_mtime_ns, os.readlink(path))
            elif path.is_dir():
                state[relative] = ("dir", info.st_ino, 0, "")
            else:
                state[relative] = ("file", info.st_ino, info.st_mtime_ns, path.read_bytes())
    return state


def file_state(path: Path) -> tuple[int, int, bytes]:
    info = path.lstat()
    return info.st_ino, info.st_mtime_ns, path.read_bytes()


def plan(
    target: Path, files: Mapping[str, bytes], inputs: str = ""
) -> tuple[writing.WritePlan, Diagnostics]:
    diagnostics = Diagnostics()
    return writing.plan(target, files, diagnostics, inputs), diagnostics


def write(target: Path, files: Mapping[str, bytes], inputs: str = "") -> writing.WritePlan:
    """Plan and write, as `typed-semconv generate` does; the plan must be conflict-free."""
    write_plan, diagnostics = plan(target, files, inputs)
    assert not diagnostics.has_errors, list(diagnostics)
    writing.write(write_plan, diagnostics)
    assert not diagnostics.has_errors, list(diagnostics)
    return write_plan


def codes(diagnostics: Diagnostics) -> list[str]:
    return [d.code.name for d in diagnostics]


def on_disk(target: Path) -> dict[str, bytes]:
    return {
        p.relative_to(target).as_posix(): p.read_bytes()
        for p in target.rglob("*")
        if p.is_file() and not p.is_symlink() and p.name != RECORD
    }


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".typed-semconv-" in p.name)


@pytest.fixture
def target(tmp_path: Path) -> Path:
    return tmp_path / "out" / PACKAGE


# --- first generation and no-op regeneration -----------------------------------------------


def test_first_write_creates_the_package_and_its_ownership_record(target: Path) -> None:
    write_plan, diagnostics = plan(target, FILES)
    assert not diagnostics.has_errors
    assert write_plan.added == tuple(sorted(FILES))
    assert not target.exists()  # planning writes nothing

    writing.write(write_plan, Diagnostics())

    assert on_disk(target) == FILES
    record = json.loads((target / RECORD).read_text())
    assert record["generator"] == "typed-semconv"
    assert record["files"] == {r: hashlib.sha256(d).hexdigest() for r, d in FILES.items()}
    assert leftovers(target.parent) == []


def test_regenerating_identical_output_rewrites_nothing(target: Path) -> None:
    write(target, FILES)
    before = snapshot(target.parent)

    write_plan = write(target, FILES)

    assert write_plan.is_current
    assert write_plan.unchanged == tuple(sorted(FILES))
    assert snapshot(target.parent) == before


def test_changing_one_file_leaves_the_other_files_untouched(target: Path) -> None:
    write(target, FILES)
    before = {r: file_state(target / r) for r in FILES}
    changed = {**FILES, "attributes/kiln_attributes.py": b'KILN_CONE = "kiln.cone"  # new\n'}

    write_plan = write(target, changed)

    assert write_plan.changed == ("attributes/kiln_attributes.py",)
    assert on_disk(target) == changed
    for relative in FILES:
        if relative != "attributes/kiln_attributes.py":
            assert file_state(target / relative) == before[relative], relative


# --- removals and the user's own files -----------------------------------------------------


def test_files_no_longer_generated_are_removed(target: Path) -> None:
    write(target, FILES)
    fewer = {r: d for r, d in FILES.items() if "glaze" not in r and not r.startswith("metrics/")}

    write_plan = write(target, fewer)

    assert write_plan.removed == (
        "attributes/glaze_attributes.py",
        "metrics/__init__.py",
        "metrics/glaze_metrics.py",
    )
    assert on_disk(target) == fewer
    assert not (target / "metrics").exists()  # an emptied generated folder goes too
    assert set(json.loads((target / RECORD).read_text())["files"]) == set(fewer)


def test_user_files_and_folders_survive_every_regeneration(target: Path) -> None:
    write(target, FILES)
    user_files = {
        "custom.py": b"def helper() -> int:\n    return 1\n",
        "attributes/extra.py": b"EXTRA = 'mine'\n",
        "notes/deep/data.txt": b"keep me\n",
    }
    for relative, data in user_files.items():
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        (target / relative).write_bytes(data)
    (target / "scratch" / "empty").mkdir(parents=True)
    os.chmod(target / "custom.py", 0o640)
    before = {r: file_state(target / r) for r in user_files}
    mode = (target / "custom.py").stat().st_mode

    generations = [
        {**FILES, "attributes/kiln_attributes.py": b"KILN = 2\n"},  # a change
        {r: d for r, d in FILES.items() if "glaze" not in r},  # removals
        {**FILES, "attributes/wheel_attributes.py": b"WHEEL = 1\n"},  # an addition
        {**FILES, "attributes/wheel_attributes.py": b"WHEEL = 1\n"},  # nothing new
    ]
    for files in generations:
        write(target, files)
        for relative in user_files:
            assert file_state(target / relative) == before[relative], relative
        assert (target / "scratch" / "empty").is_dir()
        assert (target / "custom.py").stat().st_mode == mode
        assert on_disk(target) == {**files, **user_files}
        owned = json.loads((target / RECORD).read_text())["files"]
        assert not set(owned) & set(user_files)


def test_the_users_folders_keep_their_mode(target: Path) -> None:
    write(target, FILES)
    (target / "private" / "inner").mkdir(parents=True)
    (target / "private" / "inner" / "notes.txt").write_text("mine\n")
    (target / "private" / "inner").chmod(0o700)
    (target / "private").chmod(0o750)

    write(target, {**FILES, "py.typed": b"changed\n"})

    assert (target / "private").stat().st_mode & 0o777 == 0o750
    assert (target / "private" / "inner").stat().st_mode & 0o777 == 0o700
    assert (target / "private" / "inner" / "notes.txt").read_text() == "mine\n"


def test_a_user_file_where_a_file_would_be_generated_is_a_conflict(target: Path) -> None:
    write(target, FILES)
    (target / "attributes" / "wheel_attributes.py").write_text("# my own wheel module\n")
    before = snapshot(target.parent)

    write_plan, diagnostics = plan(target, {**FILES, "attributes/wheel_attributes.py": b"W = 1\n"})

    assert codes(diagnostics) == ["output-conflict"]
    (problem,) = diagnostics
    assert "wheel_attributes.py" in problem.message
    assert "not generated by typed-semconv" in problem.message
    assert snapshot(target.parent) == before
    assert "attributes/wheel_attributes.py" not in write_plan.added + write_plan.changed


def test_existing_folder_without_a_record_is_never_overwritten(target: Path) -> None:
    target.mkdir(parents=True)
    (target / "__init__.py").write_text("# someone else's package\n")
    _, diagnostics = plan(target, FILES)
    assert codes(diagnostics) == ["output-conflict"]
    assert (target / "__init__.py").read_text() == "# someone else's package\n"


def test_an_unreadable_record_is_reported_once(target: Path) -> None:
    write(target, FILES)
    (target / RECORD).write_text("{ not json")
    _, diagnostics = plan(target, FILES)
    assert codes(diagnostics) == ["output-record-invalid"]
    (problem,) = diagnostics
    assert "not valid JSON" in problem.message
    assert problem.location is not None and problem.location.path == str(target / RECORD)


def test_a_tampered_record_cannot_remove_files_outside_the_package(target: Path) -> None:
    write(target, FILES)
    outside = target.parent / "precious.txt"
    outside.write_text("do not delete\n")
    record = json.loads((target / RECORD).read_text())
    record["files"]["../precious.txt"] = "0" * 64
    record["files"]["/etc/hostname"] = "0" * 64
    (target / RECORD).write_text(json.dumps(record))

    write_plan, diagnostics = plan(target, FILES)
    assert not diagnostics.has_errors
    assert write_plan.removed == ()
    writing.write(write_plan, Diagnostics())

    assert outside.read_text() == "do not delete\n"
    assert on_disk(target) == FILES


@pytest.mark.parametrize(
    "relative", ["../escape.py", "/tmp/absolute.py", "a/../../b.py", "a\\b.py", "a/\x00.py", ""]
)
def test_unsafe_generated_paths_are_rejected(target: Path, relative: str) -> None:
    with pytest.raises(ValueError, match="unsafe output path"):
        plan(target, {**FILES, relative: b"x = 1\n"})
    assert not target.parent.exists()


# --- symbolic links ------------------------------------------------------------------------


def test_a_symlink_at_a_generated_file_is_never_written_through(
    target: Path, tmp_path: Path
) -> None:
    write(target, FILES)
    outside = tmp_path / "outside.py"
    outside.write_text("# outside the package\n")
    (target / "attributes" / "kiln_attributes.py").unlink()
    (target / "attributes" / "kiln_attributes.py").symlink_to(outside)
    before = snapshot(tmp_path)

    changed = {**FILES, "attributes/kiln_attributes.py": b"NEW = 1\n"}
    write_plan, diagnostics = plan(target, changed)

    assert codes(diagnostics) == ["output-conflict"]
    assert snapshot(tmp_path) == before
    # even a caller that ignores the diagnostics does not write into `outside.py`
    write_plan, _ = plan(target, {**changed, "__init__.py": b"# changed\n"})
    with contextlib.suppress(OSError, InputError):
        writing.write(write_plan, Diagnostics())
    assert outside.read_text() == "# outside the package\n"


def test_a_symlinked_generated_folder_is_never_written_through(
    target: Path, tmp_path: Path
) -> None:
    write(target, FILES)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "mine.txt").write_text("mine\n")
    shutil.rmtree(target / "metrics")
    (target / "metrics").symlink_to(outside, target_is_directory=True)
    before = snapshot(tmp_path)

    write_plan, diagnostics = plan(target, FILES)

    assert codes(diagnostics) == ["output-conflict"]  # one diagnostic for the folder
    assert "metrics" in next(iter(diagnostics)).message
    assert snapshot(tmp_path) == before
    # even a caller that ignores the diagnostics does not write into `elsewhere`
    changed = {**FILES, "__init__.py": b"# changed\n"}
    write_plan, _ = plan(target, changed)
    with contextlib.suppress(OSError, InputError):
        writing.write(write_plan, Diagnostics())
    assert (
        snapshot(tmp_path / "elsewhere")
        == snapshot(outside)
        == {k[len("elsewhere/") :]: v for k, v in before.items() if k.startswith("elsewhere/")}
    )


def test_a_symlinked_package_folder_is_refused(target: Path, tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    target.parent.mkdir(parents=True)
    target.symlink_to(real, target_is_directory=True)

    _, diagnostics = plan(target, FILES)

    assert codes(diagnostics) == ["output-conflict"]
    assert target.is_symlink()
    assert list(real.iterdir()) == []


def test_a_file_in_place_of_the_package_folder_is_refused(target: Path) -> None:
    target.parent.mkdir(parents=True)
    target.write_text("not a folder\n")
    _, diagnostics = plan(target, FILES)
    assert codes(diagnostics) == ["output-conflict"]
    assert target.read_text() == "not a folder\n"


def test_the_users_symlinks_are_kept_as_links_and_not_followed(
    target: Path, tmp_path: Path
) -> None:
    outside_dir = tmp_path / "shared"
    outside_dir.mkdir()
    (outside_dir / "kiln_attributes.py").write_text("# not ours\n")
    (outside_dir / "__init__.py").write_text("# not ours either\n")
    outside_file = tmp_path / "settings.py"
    outside_file.write_text("SETTING = 1\n")
    write(target, FILES)
    (target / "shared").symlink_to(outside_dir, target_is_directory=True)
    (target / "attributes" / "settings.py").symlink_to(outside_file)
    (target / "dangling.py").symlink_to(tmp_path / "nowhere.py")
    outside_before = snapshot(outside_dir), file_state(outside_file)

    write(target, {**FILES, "attributes/kiln_attributes.py": b"KILN = 3\n"})
    write(target, {r: d for r, d in FILES.items() if "glaze" not in r})

    assert (snapshot(outside_dir), file_state(outside_file)) == outside_before
    assert os.readlink(target / "shared") == str(outside_dir)
    assert os.readlink(target / "attributes" / "settings.py") == str(outside_file)
    assert os.readlink(target / "dangling.py") == str(tmp_path / "nowhere.py")


# --- leftovers of a killed run -------------------------------------------------------------


def _staging(target: Path, pid: int = 99999) -> Path:
    return target.parent / f".{target.name}{writing.STAGING_MARK}{pid}"


def _backup(target: Path, pid: int = 99999) -> Path:
    return target.parent / f".{target.name}{writing.BACKUP_MARK}{pid}"


def test_a_leftover_staging_folder_is_cleaned_up(target: Path) -> None:
    write(target, FILES)
    staging = _staging(target)
    (staging / "attributes").mkdir(parents=True)
    (staging / "attributes" / "kiln_attributes.py").write_text("half writ")

    write_plan, _ = plan(target, FILES)
    assert staging.exists()  # planning alone touches nothing
    writing.write(write_plan, Diagnostics())

    assert leftovers(target.parent) == []
    assert on_disk(target) == FILES


def test_a_leftover_backup_is_dropped_when_the_swap_completed(target: Path) -> None:
    write(target, FILES)
    backup = _backup(target)
    shutil.copytree(target, backup)
    (backup / "__init__.py").write_text("# old\n")

    write(target, {**FILES, "__init__.py": b"# newer\n"})

    assert leftovers(target.parent) == []
    assert (target / "__init__.py").read_text() == "# newer\n"


def test_a_run_killed_between_the_two_renames_is_recovered(target: Path) -> None:
    """Without renameat2 the swap is rename(target -> backup), rename(staging -> target);
    a kill in between leaves no package at all, only the backup (with the user's files)."""
    write(target, FILES)
    (target / "custom.py").write_text("MINE = 1\n")
    custom = file_state(target / "custom.py")
    staging = _staging(target)
    shutil.copytree(target, staging)
    target.rename(_backup(target))

    write_plan, diagnostics = plan(target, FILES)
    assert not diagnostics.has_errors
    assert not write_plan.is_current  # the package is missing: `--check` must fail
    assert not target.exists()  # planning restores nothing by itself

    writing.write(write_plan, Diagnostics())

    assert leftovers(target.parent) == []
    assert on_disk(target) == {**FILES, "custom.py": b"MINE = 1\n"}
    assert file_state(target / "custom.py") == custom


def test_a_leftover_symlink_named_like_staging_is_removed_not_followed(
    target: Path, tmp_path: Path
) -> None:
    write(target, FILES)
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("keep\n")
    _staging(target).symlink_to(precious, target_is_directory=True)

    write(target, {**FILES, "py.typed": b"partial\n"})

    assert leftovers(target.parent) == []
    assert (precious / "keep.txt").read_text() == "keep\n"


def test_the_swap_works_without_renameat2(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writing, "_exchange", lambda first, second: False)
    write(target, FILES)
    (target / "custom.py").write_text("MINE = 1\n")

    write(target, {**FILES, "__init__.py": b"# v2\n"})

    assert on_disk(target) == {**FILES, "__init__.py": b"# v2\n", "custom.py": b"MINE = 1\n"}
    assert leftovers(target.parent) == []


# --- end to end through the command line ---------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(SMALL, tmp_path / "registry")
    (tmp_path / "pyproject.toml").write_text(
        "[tool.typed-semconv]\nregistry = ['registry']\noutput = 'out'\npackage = 'pottery'\n"
    )
    return tmp_path


def generate(project: Path, *extra: str) -> CliResult:
    result = run_cli("generate", *extra, cwd=project)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_cli_first_run_records_exactly_the_generated_files(project: Path) -> None:
    assert generate(project).returncode == 0
    package = project / "out" / PACKAGE
    owned = json.loads((package / RECORD).read_text())["files"]
    assert set(owned) == set(on_disk(package))
    for relative, digest in owned.items():
        assert hashlib.sha256((package / relative).read_bytes()).hexdigest() == digest

    before = snapshot(project / "out")
    result = generate(project)
    assert result.returncode == 0
    assert "up to date" in result.stdout
    assert snapshot(project / "out") == before


def test_cli_removed_namespace_goes_and_user_files_stay(project: Path) -> None:
    assert generate(project, "-q").returncode == 0
    package = project / "out" / PACKAGE
    (package / "custom.py").write_text("MINE = 1\n")
    (package / "helpers").mkdir()
    (package / "helpers" / "__init__.py").write_text("")
    (package / "helpers" / "tools.py").write_text("TOOL = 1\n")
    user = {r: file_state(package / r) for r in ("custom.py", "helpers/tools.py")}
    shutil.rmtree(project / "registry" / "glaze")

    result = generate(project)

    assert result.returncode == 0, result.stderr
    assert "2 removed" in result.stdout
    assert not (package / "attributes" / "glaze_attributes.py").exists()
    assert not (package / "metrics" / "glaze_metrics.py").exists()
    assert (package / "attributes" / "kiln_attributes.py").is_file()
    assert {r: file_state(package / r) for r in user} == user
    assert (package / "helpers" / "__init__.py").is_file()


def test_cli_conflict_exits_1_and_changes_nothing(project: Path) -> None:
    assert generate(project, "-q").returncode == 0
    package = project / "out" / PACKAGE
    (package / "attributes" / "wheel_attributes.py").write_text("# hand written\n")
    (project / "registry" / "wheel.yaml").write_text(
        "file_format: definition/2\n"
        "attributes:\n"
        "  - key: wheel.speed\n"
        "    type: int\n"
        "    stability: development\n"
        "    brief: Revolutions per minute.\n"
    )
    before = snapshot(project / "out")

    result = generate(project)

    assert result.returncode == 1
    assert "wheel_attributes.py" in result.stderr
    assert "[output-conflict]" in result.stderr
    assert snapshot(project / "out") == before


def test_cli_failing_run_leaves_the_previous_output_byte_identical(project: Path) -> None:
    assert generate(project, "-q").returncode == 0
    before = snapshot(project / "out")
    kiln = project / "registry" / "kiln" / "registry.yaml"
    kiln.write_text(kiln.read_text() + "  - id: [unclosed\n")

    result = generate(project)

    assert result.returncode == 1
    assert "[yaml-syntax]" in result.stderr
    assert snapshot(project / "out") == before


def test_cli_recovers_leftovers_of_a_killed_run(project: Path) -> None:
    assert generate(project, "-q").returncode == 0
    out = project / "out"
    (out / f".{PACKAGE}{writing.STAGING_MARK}31337" / "attributes").mkdir(parents=True)
    shutil.copytree(out / PACKAGE, out / f".{PACKAGE}{writing.BACKUP_MARK}31337")
    (out / PACKAGE).rename(out / f".{PACKAGE}{writing.BACKUP_MARK}31336")

    assert generate(project, "--check").returncode == 1  # package missing: stale
    assert len(leftovers(out)) == 3  # and --check left everything as it was
    result = generate(project)

    assert result.returncode == 0, result.stderr
    assert leftovers(out) == []
    assert generate(project, "--check").returncode == 0


# --- a hostile output folder ---------------------------------------------------------------


def finishes(call: Callable[[], object], *fifos: Path) -> object:
    """Run `call` in a thread and require it to finish; a call stuck opening one of `fifos` is
    released (by opening its other end) so the test fails instead of hanging."""
    outcome: list[object] = []

    def target() -> None:
        try:
            outcome.append(call())
        except BaseException as exc:  # handed to the test below
            outcome.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(20)
    stuck = thread.is_alive()
    for fifo in fifos:
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    thread.join(20)
    assert not stuck, "blocked on a named pipe"
    return outcome[0]


def test_a_symlink_at_the_staging_name_is_never_followed(target: Path, tmp_path: Path) -> None:
    write(target, FILES)
    outside = tmp_path / "outside.txt"
    outside.write_text("outside\n")
    _staging(target, os.getpid()).symlink_to(outside)

    write(target, {**FILES, "py.typed": b"changed\n"})

    assert outside.read_text() == "outside\n"
    assert leftovers(target.parent) == []
    assert on_disk(target) == {**FILES, "py.typed": b"changed\n"}


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_a_symlink_at_the_backup_name_is_never_followed(
    target: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    monkeypatch.setattr(writing, "_exchange", lambda first, second: False)  # swap via backup
    write(target, FILES)
    outside = tmp_path / "outside"
    if kind == "folder":
        outside.mkdir()
        (outside / "keep.txt").write_text("keep\n")
    else:
        outside.write_text("keep\n")
    _backup(target, os.getpid()).symlink_to(outside)

    write(target, {**FILES, "py.typed": b"changed\n"})

    assert (outside / "keep.txt" if kind == "folder" else outside).read_text() == "keep\n"
    assert leftovers(target.parent) == []
    assert on_disk(target) == {**FILES, "py.typed": b"changed\n"}


@pytest.mark.parametrize("update", ["files", "record only"])
def test_a_symlink_at_the_temporary_record_name_is_never_followed(
    target: Path, tmp_path: Path, update: str
) -> None:
    """The record is written beside its final name first: a user's link (or a planted one)
    at that name must neither be written through nor break the run."""
    write(target, FILES)
    outside = tmp_path / "outside.txt"
    outside.write_text("outside\n")
    (target / f"{RECORD}.{os.getpid()}.tmp").symlink_to(outside)
    files = {**FILES, "py.typed": b"changed\n"} if update == "files" else FILES

    diagnostics = Diagnostics()
    write_plan = writing.plan(target, files, diagnostics, inputs="new inputs")
    assert update == "files" or (write_plan.is_current and not write_plan.record_current)
    writing.write(write_plan, diagnostics)

    assert outside.read_text() == "outside\n"
    assert on_disk(target) == files
    assert json.loads((target / RECORD).read_text())["inputs"] == "new inputs"


def test_a_symlinked_record_is_refused_and_its_target_untouched(
    target: Path, tmp_path: Path
) -> None:
    write(target, FILES)
    outside = tmp_path / "outside.json"
    outside.write_bytes((target / RECORD).read_bytes())  # even a valid record is not trusted
    (target / RECORD).unlink()
    (target / RECORD).symlink_to(outside)
    before = outside.read_bytes()

    write_plan, diagnostics = plan(target, {**FILES, "py.typed": b"changed\n"})

    assert codes(diagnostics) == ["output-record-invalid"]
    (problem,) = diagnostics
    assert problem.location is not None and problem.location.path == str(target / RECORD)
    assert "symbolic link" in problem.message
    with contextlib.suppress(OSError, InputError):
        writing.write(write_plan, Diagnostics())
    assert outside.read_bytes() == before
    assert (target / RECORD).is_symlink()


def test_a_fifo_at_the_record_is_not_waited_on(target: Path) -> None:
    write(target, FILES)
    (target / RECORD).unlink()
    os.mkfifo(target / RECORD)

    outcome = finishes(lambda: plan(target, FILES), target / RECORD)

    assert isinstance(outcome, tuple), outcome
    _, diagnostics = outcome
    assert codes(diagnostics) == ["output-record-invalid"]
    assert "not a regular file" in next(iter(diagnostics)).message
    unchanged = finishes(lambda: writing.unchanged_since(target, "inputs"), target / RECORD)
    assert unchanged is None


def test_a_huge_record_is_refused_unread(target: Path) -> None:
    write(target, FILES)
    with (target / RECORD).open("r+b") as handle:
        handle.truncate(200 * 2**20)  # sparse: 200 MiB of NUL bytes

    _, diagnostics = plan(target, FILES)

    assert codes(diagnostics) == ["output-record-invalid"]
    assert "larger than" in next(iter(diagnostics)).message


def test_a_fifo_at_a_generated_file_is_not_waited_on(target: Path) -> None:
    write(target, FILES, inputs="inputs")
    fifo = target / "attributes" / "kiln_attributes.py"
    fifo.unlink()
    os.mkfifo(fifo)

    assert finishes(lambda: writing.unchanged_since(target, "inputs"), fifo) is None
    outcome = finishes(lambda: plan(target, FILES), fifo)
    assert isinstance(outcome, tuple), outcome
    assert codes(outcome[1]) == ["output-conflict"]


def _refuse_listing(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make `folder` unreadable for this process, as `chmod 000` does for a user other than
    root (which reads every folder whatever its mode)."""
    real_scandir = os.scandir
    real_listdir = os.listdir

    def refused(path: object) -> bool:
        return isinstance(path, (str, os.PathLike)) and os.path.abspath(path) == str(folder)

    def scandir(path: Any = ".") -> Any:
        if refused(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    def listdir(path: Any = ".") -> Any:
        if refused(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_listdir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "listdir", listdir)


def test_an_unreadable_user_folder_is_never_moved_or_deleted(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(target, FILES)
    private = target / "private"
    private.mkdir()
    (private / "secret.txt").write_text("mine\n")
    before = snapshot(target.parent)
    _refuse_listing(monkeypatch, private)

    write_plan, diagnostics = plan(target, {**FILES, "py.typed": b"changed\n"})
    assert not diagnostics.has_errors
    with pytest.raises(InputError):
        writing.write(write_plan, diagnostics)

    monkeypatch.undo()
    assert codes(diagnostics) == ["output-unreadable"]
    (problem,) = diagnostics
    assert problem.location is not None and problem.location.path == str(private)
    assert snapshot(target.parent) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists a folder whatever its mode")
def test_cli_an_unreadable_user_folder_is_never_moved_or_deleted(project: Path) -> None:
    assert generate(project, "-q").returncode == 0
    private = project / "out" / PACKAGE / "private"
    private.mkdir()
    (private / "secret.txt").write_text("mine\n")
    private.chmod(0)
    kiln = project / "registry" / "kiln" / "registry.yaml"
    kiln.write_text(kiln.read_text().replace("kiln.cone", "kiln.cone_rating"))
    try:
        result = generate(project)
    finally:
        private.chmod(0o755)
    assert result.returncode == 1
    assert "[output-unreadable]" in result.stderr
    assert (private / "secret.txt").read_text() == "mine\n"
    assert leftovers(project / "out") == []


def test_two_runs_planned_together_end_with_one_package_and_its_record(target: Path) -> None:
    """Two runs plan against the same package, then write one after the other (runs take
    turns on the folder): the second must not mix the first's files into its own."""
    write(target, FILES)
    first_files = {**FILES, "attributes/kiln_attributes.py": b"KILN = 'first'\n"}
    second_files = {**FILES, "attributes/glaze_attributes.py": b"GLAZE = 'second'\n"}
    first, _ = plan(target, first_files)
    second, _ = plan(target, second_files)

    writing.write(first, Diagnostics())
    writing.write(second, Diagnostics())

    assert on_disk(target) == second_files
    record = json.loads((target / RECORD).read_text())
    assert record["files"] == {r: hashlib.sha256(d).hexdigest() for r, d in second_files.items()}


def test_a_platform_without_file_locks_stops_with_a_clear_message(target: Path) -> None:
    """Windows has no `fcntl`: planning works, writing says what to do instead."""
    script = (
        "import sys; sys.modules['fcntl'] = None\n"  # `import fcntl` now fails, as on Windows
        "from pathlib import Path\n"
        "from typed_semconv.diagnostics.core import Diagnostics, InputError\n"
        "from typed_semconv.output import writing\n"
        "diagnostics = Diagnostics()\n"
        "plan = writing.plan(Path(sys.argv[1]), {'py.typed': b''}, diagnostics)\n"
        "try:\n"
        "    writing.write(plan, diagnostics)\n"
        "except InputError:\n"
        "    print(*(f'{d.code.name}: {d.message}' for d in diagnostics))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(target)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("output-platform-unsupported: "), result.stdout
    assert "Linux and macOS" in result.stdout
    assert not target.exists()
