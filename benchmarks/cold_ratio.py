"""The cold generation against the YAML floor, measured in pairs: `make bench` takes the two
medians minutes apart, so on a shared machine the ratio moves with whatever else runs; here each
round runs the floor and the generation back to back (and, with `--against`, the generation of
another checkout too), and the medians of the rounds are compared.

    python benchmarks/cold_ratio.py --rounds 9 --against /tmp/main-checkout

`--against` names another source tree of typed-semconv (a `git worktree` or an exported commit):
its `generator` folder is put first on the path of that run, which then uses its own templates.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from run import REPO, installed_environment, yaml_floor


def generation(registry: Path, scratch: Path, source: Path | None) -> Callable[[], object]:
    """A cold generation (new output folder, fresh process, from bytecode) by the tool of
    `source` (None: this checkout's)."""
    env = installed_environment()
    if source is not None:
        env["PYTHONPATH"] = str(source / "generator")
    counter = iter(range(10**6))

    def run() -> None:
        output = scratch / f"cold-{next(counter)}"
        subprocess.run(
            [sys.executable, "-m", "typed_semconv", "generate", "--registry", str(registry),
             "--output", str(output), "--package", "bench_semconv", "-q"],
            check=True, capture_output=True, env=env,
        )  # fmt: skip
        shutil.rmtree(output)

    return run


def main() -> None:
    default = Path(os.environ.get("TYPED_SEMCONV_SHARED", REPO.parent / "shared"))
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--registry", type=Path, default=default / "semconv" / "v1.44.0" / "model")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--against", type=Path, help="another source tree of typed-semconv")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="typed-semconv-ratio-") as temp:
        scratch = Path(temp)
        measures = {
            "floor": yaml_floor(args.registry),
            "this checkout": generation(args.registry, scratch, None),
        }
        if args.against is not None:
            measures[str(args.against)] = generation(args.registry, scratch, args.against)
        samples: dict[str, list[float]] = {name: [] for name in measures}
        for measure in measures.values():  # warm-up: bytecode and compiled templates written
            measure()
        for _ in range(args.rounds):
            for name, measure in measures.items():
                start = time.perf_counter()
                measure()
                samples[name].append(time.perf_counter() - start)
    floor = statistics.median(samples["floor"])
    for name, times in samples.items():
        median = statistics.median(times)
        print(f"{name:<40} {median * 1000:6.0f} ms  {median / floor:5.2f}x the floor")


if __name__ == "__main__":
    main()
