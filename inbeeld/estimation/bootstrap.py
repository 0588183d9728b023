"""Bootstrap, grouped jackknife and the BCa interval (SparseMSE's ``estimatepopulation``).

Each bootstrap replicate redraws N_obs people from the observed rows (multinomial with the
observed proportions, total fixed) and repeats the *whole* procedure, model selection
included. Replicate ``b`` draws from its own generator, spawned from the user's seed with
``numpy.random.SeedSequence``: the replicates are the same whatever the number of worker
processes, and replicate b is the same whether 100 or 1,000 replicates are asked for.

Replicates on which no estimate exists (e.g. a small list, or the only overlap, is empty
in the resample, which makes even main effects non-estimable) are skipped and counted;
so are jackknife rows.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from inbeeld.estimation.batch import BatchSearch
from inbeeld.estimation.existence import ExistenceChecker
from inbeeld.estimation.model import FloatArray, cell_design
from inbeeld.estimation.selection import ModelSearch, NoEstimateError
from inbeeld.estimation.special import ndtr, ndtri
from inbeeld.estimation.warning import (
    BCA_UNDEFINED,
    BOOTSTRAP_SKIPPED,
    BOOTSTRAP_SKIPPED_MANY,
    JACKKNIFE_SKIPPED,
    EstimationWarning,
)

DEFAULT_ALPHAS = (0.025, 0.05, 0.1, 0.16, 0.84, 0.9, 0.95, 0.975)
# Share of skipped replicates above which the BCa interval deserves a louder warning.
SKIPPED_WARNING_SHARE = 0.05
# Below this much remaining work a process pool costs more than it saves.
PARALLEL_SECONDS = 0.4


@dataclass(frozen=True)
class Procedure:
    """What to repeat on every replicate: plain data, so it can travel to a worker."""

    n_lists: int
    method: str  # "stepwise" or "fixed"
    pairs: tuple[int, ...]  # the fixed model's pairs (ignored for stepwise)
    p_threshold: float
    # "skip": a replicate without an estimate is left out; "sparsemse": it keeps R's
    # unconverged fit, as SparseMSE does (see REPLICATE_POLICIES).
    replicates: str = "skip"

    @property
    def unchecked(self) -> bool:
        return self.replicates == "sparsemse"


# What to do with a replicate on which no estimate exists (docs/estimation.md).
REPLICATE_POLICIES = ("skip", "sparsemse")


# Replicates are refitted in fixed blocks: big enough to batch the fits, small enough to
# balance two workers. Fixed (not derived from the worker count) for reproducibility.
BLOCK_SIZE = 50

_worker_search: BatchSearch | None = None
_worker_procedure: Procedure | None = None


def dark_figure_or_none(search: ModelSearch, procedure: Procedure, counts: FloatArray) -> float:
    """Estimated dark figure on one count vector, NaN when no estimate exists."""
    try:
        if procedure.method == "stepwise":
            model = search.stepwise(counts, procedure.p_threshold, unchecked=procedure.unchecked)
        else:
            model = search.fixed(procedure.pairs, counts, unchecked=procedure.unchecked)
    except (NoEstimateError, np.linalg.LinAlgError):
        return math.nan
    value = model.dark_figure
    return value if math.isfinite(value) else math.nan


def dark_figures_block(search: BatchSearch, procedure: Procedure, counts: FloatArray) -> FloatArray:
    """Dark figure per row of one block (NaN where no estimate exists)."""
    try:
        if procedure.method == "stepwise":
            values = search.stepwise(counts, procedure.p_threshold)
        else:
            values = search.fixed(counts, procedure.pairs)
    except np.linalg.LinAlgError:
        # A numerically singular fit in the batch: redo this block one row at a time so
        # that only the offending replicate is lost.
        single = ModelSearch(search.design, search.checker)
        values = np.array([dark_figure_or_none(single, procedure, row) for row in counts])
    values[~np.isfinite(values)] = np.nan
    if procedure.unchecked and np.isnan(values).any():
        # The rare rows without an estimate follow SparseMSE's unchecked path, one by one.
        single = ModelSearch(search.design, search.checker)
        for row in np.flatnonzero(np.isnan(values)):
            values[row] = dark_figure_or_none(single, procedure, counts[row])
    return values


def _init_worker(procedure: Procedure) -> None:
    global _worker_search, _worker_procedure  # one search (and its memory) per process
    if _worker_search is None or _worker_procedure != procedure:  # not inherited by fork
        _worker_search = BatchSearch(cell_design(procedure.n_lists))
        _worker_procedure = procedure


def _run_block(counts: FloatArray) -> FloatArray:
    if _worker_search is None or _worker_procedure is None:
        raise RuntimeError("worker not initialised")
    return dark_figures_block(_worker_search, _worker_procedure, counts)


def refit_all(
    procedure: Procedure,
    count_vectors: FloatArray,
    checker: ExistenceChecker | None = None,
    workers: int | None = None,
) -> FloatArray:
    """Dark figure for each row of ``count_vectors`` (NaN where none exists).

    ``workers=None`` decides by itself: the first block runs here, and the rest goes to a
    process pool over all cores only if it would take longer than ``PARALLEL_SECONDS``
    (a pool costs a fork per core). An explicit ``workers`` > 1 always uses the pool.
    Blocks are the same either way, so the answer never depends on this choice.
    """
    global _worker_search, _worker_procedure  # inherited by forked workers
    n_tasks = count_vectors.shape[0]
    blocks = [count_vectors[i : i + BLOCK_SIZE] for i in range(0, n_tasks, BLOCK_SIZE)]
    if not blocks:
        return np.zeros(0)
    search = BatchSearch(cell_design(procedure.n_lists), checker)
    started = time.perf_counter()
    results = [dark_figures_block(search, procedure, blocks[0])]
    rest = blocks[1:]
    n_workers = default_workers() if workers is None else max(1, workers)
    expected = (time.perf_counter() - started) * len(rest)
    parallel = n_workers > 1 and len(rest) > 1
    if workers is None:
        parallel = parallel and expected > PARALLEL_SECONDS
    if not parallel:
        results += [dark_figures_block(search, procedure, block) for block in rest]
        return np.concatenate(results)
    # Forked workers start with this process's search, whose existence memory is warm.
    _worker_search, _worker_procedure = search, procedure
    fork = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    try:
        with ProcessPoolExecutor(
            max_workers=min(n_workers, len(rest)),
            mp_context=context,
            initializer=_init_worker,
            initargs=(procedure,),
        ) as pool:
            results += list(pool.map(_run_block, rest))
    finally:
        _worker_search, _worker_procedure = None, None
    return np.concatenate(results)


def default_workers() -> int:
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        available = os.cpu_count() or 1
    return max(1, available)


def bootstrap_counts(
    codes: Sequence[int],
    counts: Sequence[int],
    n_cells: int,
    replicates: int,
    seed: int | None,
) -> FloatArray:
    """Cell-count vectors of ``replicates`` multinomial resamples of the observed rows."""
    total = int(sum(counts))
    probabilities = np.asarray(counts, dtype=np.float64) / total
    columns = np.asarray(codes, dtype=np.int64) - 1
    vectors = np.zeros((replicates, n_cells))
    for b, child in enumerate(np.random.SeedSequence(seed).spawn(replicates)):
        vectors[b, columns] = np.random.default_rng(child).multinomial(total, probabilities)
    return vectors


def jackknife_counts(codes: Sequence[int], counts: Sequence[int], n_cells: int) -> FloatArray:
    """One cell-count vector per observed row, with that row's count lowered by one."""
    full = np.zeros(n_cells)
    columns = np.asarray(codes, dtype=np.int64) - 1
    full[columns] = counts
    vectors = np.repeat(full[None, :], len(codes), axis=0)
    vectors[np.arange(len(codes)), columns] -= 1
    return vectors


def acceleration(jackknife_values: FloatArray, row_counts: FloatArray) -> float:
    """Grouped-jackknife acceleration â (rows without an estimate left out).

    â = Σ n_j r_j³ / (6 (Σ n_j r_j²)^{3/2}), r_j = weighted mean of θ_(j) − θ_(j).
    Returns 0 when every θ_(j) is equal (R would give NaN).
    """
    valid = np.isfinite(jackknife_values)
    theta = jackknife_values[valid]
    weights = row_counts[valid]
    if theta.size == 0:
        return 0.0
    spread = float(np.dot(weights, theta) / weights.sum()) - theta
    denominator = 6.0 * float(np.dot(weights, spread**2)) ** 1.5
    if denominator == 0.0:
        return 0.0
    return float(np.dot(weights, spread**3) / denominator)


def interval_alphas(level: float) -> tuple[float, float]:
    """The two tail levels of a central interval, rounded so that 0.95 gives exactly
    0.025 and 0.975 (not 0.025000000000000022, a second key beside 0.025)."""
    return round((1 - level) / 2, 12), round((1 + level) / 2, 12)


@dataclass(frozen=True)
class BcaLimits:
    bias_correction: float  # z0
    acceleration: float  # â
    limits: dict[float, float]  # alpha → limit


def bca_limits(
    replicates: FloatArray,
    point_estimate: float,
    accel: float,
    alphas: Sequence[float] = DEFAULT_ALPHAS,
) -> BcaLimits | None:
    """BCa limits with type-8 quantiles (SparseMSE's ``bcaconfvalues``).

    None when the bias correction is infinite (every replicate on one side of the point
    estimate), where BCa is undefined.
    """
    values = replicates[np.isfinite(replicates)]
    if values.size == 0:
        return None
    below = float(np.mean(values < point_estimate))
    if below in (0.0, 1.0):
        return None
    z0 = float(ndtri(below))
    limits: dict[float, float] = {}
    for alpha in alphas:
        z_alpha = float(ndtri(alpha))
        shifted = z0 + z_alpha
        level = float(ndtr(z0 + shifted / (1.0 - accel * shifted)))
        limits[alpha] = float(np.quantile(values, level, method="median_unbiased"))
    return BcaLimits(bias_correction=z0, acceleration=accel, limits=limits)


def bootstrap_warnings(
    replicates: int, skipped: int, skipped_jack: int, bca_undefined: bool
) -> list[EstimationWarning]:
    """Skipped replicates (louder above 5 %), skipped jackknife refits, undefined BCa."""
    warnings = []
    if skipped:
        many = skipped > SKIPPED_WARNING_SHARE * replicates
        code = BOOTSTRAP_SKIPPED_MANY if many else BOOTSTRAP_SKIPPED
        warnings.append(EstimationWarning(code, {"skipped": skipped, "total": replicates}))
    if skipped_jack:
        warnings.append(EstimationWarning(JACKKNIFE_SKIPPED, {"skipped": skipped_jack}))
    if bca_undefined:
        warnings.append(EstimationWarning(BCA_UNDEFINED))
    return warnings
