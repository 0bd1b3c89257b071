"""Shared helpers of the robustness tests: a project holding a copy of the small registry and a
package generated from it, a byte-level picture of that package, and a parser of diagnostics.

Every robustness test follows one script: generate a valid package, break the registry, run
`typed-semconv generate` again, then check the exit code, the diagnostic (code, file, line,
column, hint) and that the previous package is byte for byte what it was.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

from conftest import run_cli

REPO = Path(__file__).resolve().parents[2]
SMALL = REPO / "tests" / "fixtures" / "small"
PACKAGE = "pottery"
# A marker comment at the end of a line of a broken file: the diagnostic must point at that line.
HERE = "#<-"

_DIAGNOSTIC = re.compile(
    r"^(?P<path>[^\n]*?):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning): "
    r"(?P<message>.*) \[(?P<code>[a-z0-9-]+)\]$"
)
_UNLOCATED = re.compile(
    r"^(?:(?P<path>[^\n:]+): )?(?P<severity>error|warning): (?P<message>.*) "
    r"\[(?P<code>[a-z0-9-]+)\]$"
)


@dataclass(frozen=True)
class Diag:
    path: str | None
    line: int | None
    column: int | None
    severity: str
    message: str
    code: str
    hint: str | None


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def diagnostics(self) -> list[Diag]:
        return parse_diagnostics(self.stderr)

    def only(self, code: str) -> list[Diag]:
        return [d for d in self.diagnostics if d.code == code]


@dataclass(frozen=True)
class MeasuredRun(Run):
    """A run in a process of its own, with the wall time and peak memory of that process."""

    seconds: float
    max_rss_kib: int


def parse_diagnostics(stderr: str) -> list[Diag]:
    """The text diagnostics of a run, each with the hint printed on the line below it."""
    found: list[Diag] = []
    lines = stderr.splitlines()
    for index, text in enumerate(lines):
        hint = None
        if index + 1 < len(lines) and lines[index + 1].startswith("  hint: "):
            hint = lines[index + 1].removeprefix("  hint: ")
        match = _DIAGNOSTIC.match(text)
        if match:
            found.append(
                Diag(
                    match["path"],
                    int(match["line"]),
                    int(match["column"]),
                    match["severity"],
                    match["message"],
                    match["code"],
                    hint,
                )
            )
            continue
        match = _UNLOCATED.match(text)
        if match:
            found.append(
                Diag(
                    match["path"],
                    None,
                    None,
                    match["severity"],
                    match["message"],
                    match["code"],
                    hint,
                )
            )
    return found


def run_measured(*args: str | Path, cwd: Path, timeout: float = 60) -> MeasuredRun:
    """Run `python -m typed_semconv` in a process of its own; measures its time and peak memory.

    Output goes to files (no pipe can fill up) and the child is reaped with `wait4`, which gives
    the peak resident memory of that child alone.
    """
    out_path = cwd / ".run-stdout"
    err_path = cwd / ".run-stderr"
    start = time.perf_counter()
    with out_path.open("wb") as out, err_path.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "typed_semconv", *map(str, args)],
            cwd=cwd,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
        )
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                os.wait4(process.pid, 0)
                raise AssertionError(f"typed-semconv {args} ran longer than {timeout} s")
            time.sleep(0.005)
    process.returncode = os.waitstatus_to_exitcode(status)  # keeps Popen from reaping again
    seconds = time.perf_counter() - start
    stdout = out_path.read_text(encoding="utf-8", errors="replace")
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    out_path.unlink()
    err_path.unlink()
    return MeasuredRun(process.returncode, stdout, stderr, seconds, usage.ru_maxrss)


def tree_bytes(root: Path) -> dict[str, bytes | str]:
    """Every entry below `root`, hidden ones too: files by content, folders and links by kind."""
    state: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            relative = path.relative_to(root).as_posix()
            if path.is_symlink():
                state[relative] = f"link -> {os.readlink(path)}"
            elif path.is_dir():
                state[relative] = "folder"
            elif not path.is_file():  # a pipe or device: never read (it may block)
                state[relative] = f"special {stat.S_IFMT(path.lstat().st_mode):o}"
            else:
                state[relative] = path.read_bytes()
    return state


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")


def marked_line(path: Path) -> tuple[int, str]:
    """The 1-based number and text of the one line of `path` that ends with the HERE marker."""
    lines = path.read_text(encoding="utf-8").splitlines()
    marked = [(n, text) for n, text in enumerate(lines, 1) if text.rstrip().endswith(HERE)]
    assert len(marked) == 1, f"{path} must mark exactly one line with {HERE}"
    return marked[0]


class Project:
    """A working folder: `registry/` (a copy of the small registry) and `out/` (a package
    generated from it), with an empty pyproject so no outer configuration is picked up.

    Runs are in this process unless `measured`: then each is a process of its own, stopped
    after its timeout, whose time and memory are measured (for the bounds of hostile input).
    """

    def __init__(self, root: Path, generated: Path, *, measured: bool = False) -> None:
        self.root = root
        self.registry = root / "registry"
        self.out = root / "out"
        self.measured = measured
        shutil.copytree(SMALL, self.registry)
        shutil.copytree(generated, self.out, symlinks=True)
        (root / "pyproject.toml").write_text("[project]\nname = 'robustness'\n")
        self.before = tree_bytes(self.out)
        assert f"{PACKAGE}/.typed-semconv.json" in self.before

    def generate(
        self, *extra: str | Path, registry: str | Path = "registry", timeout: float = 60
    ) -> Run:
        args = ("generate", "--registry", registry, "--output", "out", "--package", PACKAGE, *extra)
        if self.measured:
            return run_measured(*args, cwd=self.root, timeout=timeout)
        result = run_cli(*args, cwd=self.root)
        return Run(result.returncode, result.stdout, result.stderr)

    def assert_output_untouched(self) -> None:
        after = tree_bytes(self.out)
        assert sorted(after) == sorted(self.before), "the listing of the output changed"
        changed = [k for k in after if after[k] != self.before[k]]
        assert not changed, f"files of the previous output changed: {changed}"


def assert_clean_failure(run: Run) -> None:
    """Exit 1 with diagnostics: never a traceback nor an internal error (exit 3)."""
    assert "Traceback" not in run.stderr, run.stderr
    assert "internal error" not in run.stderr, run.stderr
    assert run.returncode == 1, (run.returncode, run.stderr)
    assert run.diagnostics, run.stderr


_GENERATED: dict[str, Path] = {}


def generated_small(base: Path) -> Path:
    """The output folder of one generation of the small registry (made once per session)."""
    if "small" not in _GENERATED:
        root = base / "small-generation"
        root.mkdir()
        shutil.copytree(SMALL, root / "registry")
        (root / "pyproject.toml").write_text("[project]\nname = 'robustness'\n")
        run = run_cli(
            "generate", "--registry", "registry", "--output", "out", "--package", PACKAGE, cwd=root
        )
        assert run.returncode == 0, run.stderr
        _GENERATED["small"] = root / "out"
    return _GENERATED["small"]
