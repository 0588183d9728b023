"""Benchmark: `inbeeld estimate` process to process, every method, against R's timings.

Run from the repository root:

    .venv/bin/python bench/mse_methods_bench.py              # everything, median of 3
    .venv/bin/python bench/mse_methods_bench.py --only startup,dga --repeats 5

Each row starts a fresh `inbeeld estimate FILE --format json …` process, as a person or
a script does, and records its wall time and its CPU time (user + system of the child,
which a busy machine disturbs much less than the wall time). R's seconds are those the
specifications record (R 4.2.2 on the same kind of 2-vCPU machine, "upper bounds
measured on a busy machine"): SparseMSE from shared/specs/mse-method.md, the others
from shared/specs/mse-beyond.md §5. They time the R call, not R's start-up or loading
the package, so comparing them with whole processes here favours R.

Goals (issue #21): `--bootstrap 0` under 0.5 s; stepwise with 1,000 replicates ≥ 20×
faster than SparseMSE; bic/auto ≥ 20× faster than MultipleSystemsEstimation; dga at
least as fast as R; lcmcr at least as fast as R's C++. The ratio column is R seconds
over our wall seconds; a ratio from CPU seconds is printed beside it.

Measure only when the load average is below 1.5 (other work shares the two cores); the
script prints the load before and after so that a reader can judge the figures.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "inbeeld" / "estimation" / "tests" / "data"
INBEELD = str(Path(sys.executable).with_name("inbeeld"))

# (suite, label, data, arguments, R seconds or None, goal: "time" = under that many
# seconds, "ratio" = at least that many times R's speed)
CASES: list[tuple[str, str, str, list[str], float | None, tuple[str, float]]] = [
    ("startup", "stepwise, no bootstrap", "UKdat", ["--bootstrap", "0"], None, ("time", 0.5)),
    ("startup", "stepwise, no bootstrap", "UKdat_5", ["--bootstrap", "0"], None, ("time", 0.5)),
    ("startup", "stepwise, no bootstrap", "Artificial_3", ["--bootstrap", "0"], None,
     ("time", 0.5)),
    ("stepwise", "stepwise, 1,000 replicates", "UKdat", [], 392.5, ("ratio", 20)),
    ("stepwise", "stepwise, 1,000 replicates", "UKdat_5", [], 153.2, ("ratio", 20)),
    ("stepwise", "stepwise, 1,000 replicates", "Artificial_3", [], 9.4, ("ratio", 20)),
    ("bic", "bic, point estimate", "UKdat_5", ["--method", "bic", "--bootstrap", "0"], 41.1,
     ("ratio", 20)),
    ("bic", "bic, 100 replicates", "UKdat_5", ["--method", "bic", "--bootstrap", "100"], 86.1,
     ("ratio", 20)),
    ("bic", "bic, point estimate", "Artificial_3", ["--method", "bic", "--bootstrap", "0"], 1.3,
     ("ratio", 20)),
    ("bic", "bic, 1,000 replicates", "Artificial_3", ["--method", "bic"], 14.5, ("ratio", 20)),
    ("dga", "dga, δ = 2^-5", "UKdat_5", ["--method", "dga"], 8.9, ("ratio", 1)),
    ("dga", "dga, δ = 1", "UKdat_5", ["--method", "dga", "--delta", "1"], 9.5, ("ratio", 1)),
    ("dga", "dga, δ = 2^-3", "Artificial_3", ["--method", "dga"], 0.01, ("ratio", 1)),
    ("lcmcr", "lcmcr, reference settings", "UKdat", ["--method", "lcmcr", "--seed", "1"], 3.5,
     ("ratio", 1)),
    ("lcmcr", "lcmcr, reference settings", "UKdat_5", ["--method", "lcmcr", "--seed", "1"], 2.6,
     ("ratio", 1)),
    ("lcmcr", "lcmcr, reference settings", "Artificial_3",
     ["--method", "lcmcr", "--seed", "1"], 1.3, ("ratio", 1)),
]  # fmt: skip


def run_once(data: str, arguments: list[str]) -> tuple[float, float, dict[str, object]]:
    """Wall and CPU seconds of one `inbeeld estimate` process, and its JSON."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [INBEELD, "estimate", str(DATA / f"{data}.csv"), "--format", "json", *arguments],
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, json.loads(done.stdout)


def machine() -> str:
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return (
        f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
        f"{platform.platform()} · commit {commit or '?'} · "
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", default="", help="comma-separated suites (default: all)")
    args = parser.parse_args()
    suites = {name for name in args.only.split(",") if name}
    print(f"machine: {machine()}")
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    # Compile LCMCR's kernel once (it is cached afterwards), outside the timings.
    run_once("Artificial_3", ["--method", "lcmcr", "--burnin", "1", "--samples", "1"])
    header = (
        f"{'case':<28} {'data':<13} {'estimate':>9} {'wall s':>7} {'cpu s':>7} {'R s':>6} "
        f"{'ratio':>7} {'cpu ratio':>9}  goal"
    )
    print(header)
    print("-" * len(header))
    failures = 0
    for suite, label, data, arguments, r_seconds, (_kind, target) in CASES:
        if suites and suite not in suites:
            continue
        runs = [run_once(data, arguments) for _ in range(args.repeats)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        estimate = float(runs[0][2]["estimate"])  # type: ignore[arg-type]
        if r_seconds is None:
            ratio = cpu_ratio = "—"
            met = wall < target
            goal = f"< {target:g} s"
        else:
            ratio, cpu_ratio = f"{r_seconds / wall:.1f}x", f"{r_seconds / cpu:.1f}x"
            met = r_seconds / wall >= target
            goal = f">= {target:g}x"
        failures += not met
        r_text = "—" if r_seconds is None else f"{r_seconds:g}"
        print(
            f"{label:<28} {data:<13} {estimate:>9.1f} {wall:>7.2f} {cpu:>7.2f} {r_text:>6} "
            f"{ratio:>7} {cpu_ratio:>9}  {goal} {'met' if met else 'NOT met'}"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
