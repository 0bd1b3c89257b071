"""SIGKILL `typed-semconv generate` at random moments: the output is always a complete old or a
complete new package, and the next run recovers to the new one.

The old package comes from the small fixture registry, the new one from the real v1.37.0
registry (skipped when ../shared is absent), both under the same package name, so every run has
files to add, change and remove. The run is measured first; then two thirds of the kills land at
uniform random moments of the whole run (interpreter start, loading, rendering, writing) and one
third wait until the staging folder appears and land at a uniform random moment of the write
phase, which is short (tens of milliseconds of a run of about half a second).

`--no-format` keeps each run short (black would add seconds of pure computation that writes
nothing); the write phase is the same with or without it.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from robustness_support import SMALL, tree_bytes

from conftest import real_registry, report_figure

KILLS = int(os.environ.get("TYPED_SEMCONV_KILLS", "36"))
PACKAGE = "sc"
STAGING = f".{PACKAGE}.typed-semconv-staging-"
BACKUP = f".{PACKAGE}.typed-semconv-backup-"


def command(registry: Path, output: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "typed_semconv",
        "generate",
        "--registry",
        str(registry),
        "--output",
        str(output),
        "--package",
        PACKAGE,
        "--no-format",
        "-q",
    ]


def generate(registry: Path, output: Path, cwd: Path) -> None:
    result = subprocess.run(
        command(registry, output), cwd=cwd, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def leftovers(output: Path) -> list[str]:
    return sorted(n for n in os.listdir(output) if n.startswith((STAGING, BACKUP)))


def timed_run(registry: Path, output: Path, cwd: Path) -> tuple[float, float | None]:
    """Run to completion; (total seconds, seconds the staging folder existed)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command(registry, output), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    staging = output / f"{STAGING}{process.pid}"
    staged_at = unstaged_at = None
    while process.poll() is None:
        exists = staging.exists()
        if staged_at is None and exists:
            staged_at = time.perf_counter()
        elif staged_at is not None and unstaged_at is None and not exists:
            unstaged_at = time.perf_counter()
        time.sleep(0.0002)
    end = time.perf_counter()
    assert process.returncode == 0, process.stderr.read() if process.stderr else ""
    if staged_at is None:
        return end - start, None
    return end - start, (unstaged_at or end) - staged_at


@pytest.mark.slow
def test_sigkill_never_leaves_a_half_written_package(tmp_path: Path) -> None:
    new_registry = real_registry("v1.37.0")
    references = tmp_path / "references"
    old_ref = references / "old"
    new_ref = references / "new"
    generate(SMALL, old_ref, tmp_path)
    generate(new_registry, new_ref, tmp_path)
    old_tree = tree_bytes(old_ref / PACKAGE)
    new_tree = tree_bytes(new_ref / PACKAGE)
    assert old_tree != new_tree

    output = tmp_path / "out"
    work = output / PACKAGE

    def reset_to_old() -> None:
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(old_ref / PACKAGE, work, symlinks=True)

    output.mkdir()
    durations: list[float] = []
    write_phases: list[float] = []
    for _ in range(2):  # how long an old -> new run takes, and its write phase
        reset_to_old()
        total, writing = timed_run(new_registry, output, tmp_path)
        assert tree_bytes(work) == new_tree
        durations.append(total)
        if writing is not None:
            write_phases.append(writing)
    duration = max(durations)
    write_phase = max(write_phases, default=0.03)

    rng = random.Random(int(os.environ.get("TYPED_SEMCONV_KILL_SEED", time.time_ns())))
    outcomes = {"old": 0, "new": 0}
    write_outcomes = {"old": 0, "new": 0}
    in_write_phase = 0
    finished_first = 0
    after_swap = 0  # killed after the swap and the clean-up, before the interpreter exited
    moments: list[float] = []
    for index in range(KILLS):
        reset_to_old()  # leftovers of the previous kill stay: this run must clean them up
        targeted = index % 3 == 2
        start = time.perf_counter()
        process = subprocess.Popen(
            command(new_registry, output),
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if targeted:  # wait for the write phase, then kill somewhere inside it
            staging = output / f"{STAGING}{process.pid}"
            while process.poll() is None and not staging.exists():
                time.sleep(0.0002)
            time.sleep(rng.uniform(0, write_phase))
        else:
            time.sleep(rng.uniform(0, duration))
        own = (f"{STAGING}{process.pid}", f"{BACKUP}{process.pid}")
        staging_seen = (output / own[0]).exists()
        process.send_signal(signal.SIGKILL)
        process.wait()
        moments.append((time.perf_counter() - start) / duration)
        during_write = False
        if process.returncode == 0:
            finished_first += 1
        elif staging_seen or any((output / name).exists() for name in own):
            in_write_phase += 1  # this run had begun to stage (or swap) when it died
            during_write = True

        state = tree_bytes(work)
        if state == old_tree:
            outcomes["old"] += 1
            write_outcomes["old"] += during_write and process.returncode != 0
        elif state == new_tree:
            outcomes["new"] += 1
            write_outcomes["new"] += during_write and process.returncode != 0
            after_swap += not during_write and process.returncode != 0
        else:
            missing = sorted(set(new_tree) - set(state))[:5]
            raise AssertionError(
                f"kill {index} at {moments[-1]:.0%} of the run left a package that is neither "
                f"the old nor the new one (leftovers {leftovers(output)}, e.g. missing {missing})"
            )

    total, _ = timed_run(new_registry, output, tmp_path)  # recovers from the last kill
    assert tree_bytes(work) == new_tree
    assert leftovers(output) == []
    assert sorted(os.listdir(output)) == [PACKAGE]

    report_figure(
        f"kill test: {KILLS} SIGKILLs over runs of {duration:.2f} s (write phase "
        f"~{write_phase * 1000:.0f} ms): {in_write_phase} landed in the write phase "
        f"({write_outcomes['old']} left old, {write_outcomes['new']} new), {after_swap} after "
        f"the swap, {finished_first} after the run had finished; left the old package "
        f"{outcomes['old']}x, "
        f"the new one {outcomes['new']}x, never anything else; the next run recovered"
    )
    assert min(moments) < 0.5 and max(moments) > 0.5  # spread over the run
    assert in_write_phase >= 2
