"""Shared fixtures: where the real registries are, and one generation of each, per session."""

from __future__ import annotations

import contextlib
import fcntl
import io
import locale
import os
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

# `make test-fast` (`--hypothesis-profile=fast`) tries a quarter of the examples of every
# property; `make test` and CI run the full search.
settings.register_profile("fast", max_examples=settings.default.max_examples // 4)

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[1]
# The committed example package, importable as a user's service would import it.
sys.path.insert(0, str(REPO / "generated"))
REAL_VERSIONS = ("v1.26.0", "v1.37.0", "v1.44.0")
FIGURES: list[str] = []


def shared_dir() -> Path:
    """`../shared` beside the checkout, or wherever TYPED_SEMCONV_SHARED points."""
    return Path(os.environ.get("TYPED_SEMCONV_SHARED", REPO.parent / "shared"))


def real_registry(version: str) -> Path:
    path = shared_dir() / "semconv" / version / "model"
    if not path.is_dir():
        pytest.skip(f"real registry {version} not found at {path} (set TYPED_SEMCONV_SHARED)")
    return path


@dataclass(frozen=True)
class CliResult:
    """How a run of the command line ended: what the tests read of a finished process."""

    returncode: int
    stdout: str
    stderr: str


# What click calls the command when Python runs it as `python -m typed_semconv`.
PROG_NAME = "python -m typed_semconv"
# A run that takes longer has hung: the test fails instead of holding up the whole suite.
CLI_TIMEOUT = 120  # seconds


def run_cli(*args: str | Path, cwd: Path | None = None, stdin: str = "") -> CliResult:
    """Run the command line in this process as `python -m typed_semconv` runs in a process of
    its own: the same arguments and working folder; streams that are no terminals, opened as
    Python opens them (stdout strict, stderr escaping with backslashes), `stdin` the input;
    the same exit code, and a traceback with exit 1 for an exception nothing caught; no
    function cache of an earlier run. Starting Python and importing the generator cost more
    than most runs of the small registries. Tests of the command as installed (its entry
    point, signals, kills, hangs, time and memory bounds) use `run_installed_cli`."""
    from typed_semconv.cli.commands import main

    _forget_cached_results()
    encoding = locale.getpreferredencoding(False)
    stdout, stderr = io.BytesIO(), io.BytesIO()
    streams = sys.stdin, sys.stdout, sys.stderr
    folder = os.getcwd()
    sys.stdin = io.TextIOWrapper(
        io.BytesIO(stdin.encode(encoding)), encoding=encoding, newline="\n"
    )
    sys.stdout = io.TextIOWrapper(stdout, encoding=encoding, write_through=True)
    sys.stderr = io.TextIOWrapper(
        stderr, encoding=encoding, errors="backslashreplace", write_through=True
    )
    try:
        if cwd is not None:
            os.chdir(cwd)
        try:
            main.main([str(arg) for arg in args], prog_name=PROG_NAME)
            returncode = 0  # not reached: click's standalone mode always exits
        except SystemExit as ending:
            returncode = _exit_status(ending)
        except Exception:
            traceback.print_exc()
            returncode = 1
        # Read before the wrappers go: closing one closes the buffer below it.
        written = stdout.getvalue(), stderr.getvalue()
    finally:
        os.chdir(folder)
        sys.stdin, sys.stdout, sys.stderr = streams
    return CliResult(returncode, *(_as_text(data, encoding) for data in written))


def _exit_status(ending: SystemExit) -> int:
    """The status Python gives a process that ends with `ending` (a message goes to stderr)."""
    if ending.code is None:
        return 0
    if isinstance(ending.code, int):
        return ending.code
    print(ending.code, file=sys.stderr)
    return 1


def _as_text(data: bytes, encoding: str) -> str:
    """Decoded as `subprocess.run(text=True)` decodes a pipe (universal newlines)."""
    return io.TextIOWrapper(io.BytesIO(data), encoding=encoding).read()


def _forget_cached_results() -> None:
    """Clear the function caches of the generator's modules, as a new process starts without
    them (a cached template environment or display path would outlive the files it read)."""
    for name, module in list(sys.modules.items()):
        if name == "typed_semconv" or name.startswith("typed_semconv."):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def run_installed_cli(*args: str | Path, cwd: Path | None = None) -> CliResult:
    """Run `python -m typed_semconv` in a process of its own, as a user would."""
    result = subprocess.run(
        [sys.executable, "-m", "typed_semconv", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=CLI_TIMEOUT,
    )
    return CliResult(result.returncode, result.stdout, result.stderr)


def _shared(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder of the whole test run, the same for every pytest-xdist worker."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each worker's own
    return base / f"shared-{name}"


@contextlib.contextmanager
def _made_once(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[Path | None]:
    """Yields the shared folder `name` to fill, or None when it was filled already (by this
    or another worker); other workers wait meanwhile."""
    folder = _shared(tmp_path_factory, name)
    with open(f"{folder}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        done = Path(f"{folder}.done")
        if done.exists():
            yield None
            return
        folder.mkdir(exist_ok=True)  # perhaps left half filled by a failed attempt
        yield folder
        done.touch()


@pytest.fixture(scope="session")
def generated_real(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Generate a real registry once per test run (whichever worker asks first); returns the
    output folder (on sys.path)."""

    def generate(version: str) -> Path:
        registry = real_registry(version)
        with _made_once(tmp_path_factory, f"real-{version}") as output:
            if output is not None:
                package = "semconv_" + version.replace(".", "_").lstrip("v")
                result = run_cli(
                    "generate", "--registry", registry, "--output", output,
                    "--package", package, "-q",
                )  # fmt: skip
                assert result.returncode == 0, result.stderr
        return _shared(tmp_path_factory, f"real-{version}")

    return generate


@pytest.fixture(scope="session")
def typed_semconv_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """typed-semconv built as a wheel, once per test run; returns the wheel file."""
    with _made_once(tmp_path_factory, "dist") as dist:
        if dist is not None:
            build = subprocess.run(
                [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
                capture_output=True,
                text=True,
                check=False,
            )
            assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    return next(_shared(tmp_path_factory, "dist").glob("typed_semconv-*.whl"))


def clean_environment() -> dict[str, str]:
    """The environment for a fresh virtual environment: nothing leaks in from the checkout."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def report_figure(line: str) -> None:
    """A measured figure, printed in pytest's closing summary."""
    FIGURES.append(line)


class _WorkerFigures:
    """With pytest-xdist, the figures measured in each worker, gathered for the summary."""

    def pytest_testnodedown(self, node: object, error: object) -> None:
        output = getattr(node, "workeroutput", {})
        FIGURES.extend(output.get("typed_semconv_figures", []))


def pytest_configure(config: pytest.Config) -> None:
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_WorkerFigures(), "typed-semconv-worker-figures")


def pytest_sessionfinish(session: pytest.Session) -> None:
    output = getattr(session.config, "workeroutput", None)
    if output is not None:  # an xdist worker: the controller prints them
        output["typed_semconv_figures"] = list(FIGURES)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if FIGURES:
        terminalreporter.section("typed-semconv figures")
        for line in FIGURES:
            terminalreporter.write_line(line)
