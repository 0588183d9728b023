"""Benchmark: MSE with 1,000 bootstrap replicates + jackknife, against SparseMSE's timings.

Run with one command from the repository root:

    .venv/bin/python bench/mse_bench.py            # table + ratio to R
    .venv/bin/python bench/mse_bench.py --profile  # also a cProfile summary (one core)

It does the same work as SparseMSE's ``estimatepopulation(z, nboot=1000, pthresh=0.02,
iseed=1234)``: the stepwise point estimate, 1,000 multinomial bootstrap replicates with the
full stepwise selection repeated on each, the grouped jackknife for the acceleration, and
the BCa limits. The R seconds are those of the spec's reference table (R 4.2.2, one core
of the same kind of 2-vCPU machine). Each dataset is timed ``--repeats`` times (fresh
process state is not needed: nothing is cached between calls to ``estimate``); the
median is reported.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from inbeeld.estimation import estimate, read_csv  # noqa: E402 (after the path fix)

DATA = REPO / "inbeeld" / "estimation" / "tests" / "data"
R_SECONDS = {"UKdat": 392.5, "UKdat_5": 153.2, "Artificial_3": 9.4}
R_BCA = {"UKdat": (9267, 14307), "UKdat_5": (8785, 14701), "Artificial_3": (280.9, 1484.2)}
TARGET_RATIO = 20


def time_dataset(name: str, replicates: int, repeats: int, workers: int | None) -> dict[str, float]:
    table = read_csv(DATA / f"{name}.csv")
    seconds: list[float] = []
    result = None
    for _ in range(repeats):
        started = time.perf_counter()
        result = estimate(table, bootstrap=replicates, seed=1234, workers=workers)
        seconds.append(time.perf_counter() - started)
    assert result is not None and result.bca_interval is not None
    return {
        "seconds": statistics.median(seconds),
        "estimate": result.estimate,
        "low": result.bca_interval[0],
        "high": result.bca_interval[1],
        "skipped": result.skipped_replicates,
    }


def machine() -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return (
        f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
        f"{platform.platform()} · load average before run {load[0]:.2f}"
    )


def profile(name: str, replicates: int) -> str:
    table = read_csv(DATA / f"{name}.csv")
    profiler = cProfile.Profile()
    profiler.enable()
    estimate(table, bootstrap=replicates, seed=1234, workers=1)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None, help="default: automatic")
    parser.add_argument("--profile", action="store_true", help="cProfile UKdat on one core")
    args = parser.parse_args()

    print(f"machine: {machine()}")
    print(
        f"work: stepwise estimate + {args.replicates} bootstrap replicates (full reselection) "
        f"+ grouped jackknife + BCa; workers={args.workers or 'auto'}; "
        f"median of {args.repeats}"
    )
    header = (
        f"{'data':<13} {'N_hat':>11} {'BCa 95%':>19} {'R BCa 95%':>17} "
        f"{'skipped':>7} {'seconds':>8} {'R sec':>7} {'ratio':>7}"
    )
    print(header)
    print("-" * len(header))
    ratios = []
    for name, r_seconds in R_SECONDS.items():
        row = time_dataset(name, args.replicates, args.repeats, args.workers)
        ratio = r_seconds / row["seconds"]
        ratios.append(ratio)
        bca = f"{row['low']:.0f} – {row['high']:.0f}"
        r_low, r_high = R_BCA[name]
        print(
            f"{name:<13} {row['estimate']:>11.4f} {bca:>19} {f'{r_low:g} – {r_high:g}':>17} "
            f"{row['skipped']:>7.0f} {row['seconds']:>8.2f} {r_seconds:>7.1f} {ratio:>6.0f}x"
        )
    total_ours = sum(R_SECONDS[n] / r for n, r in zip(R_SECONDS, ratios, strict=True))
    total_r = sum(R_SECONDS.values())
    print("-" * len(header))
    print(
        f"total: {total_ours:.2f} s against R's {total_r:.1f} s: {total_r / total_ours:.0f}x "
        f"faster (smallest per-dataset ratio {min(ratios):.0f}x; target {TARGET_RATIO}x)"
    )
    if args.profile:
        print()
        print(profile("UKdat", args.replicates))
    return 0 if min(ratios) >= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
