"""`estimate()`: the whole SparseMSE procedure on one capture-history table (population size)."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from inbeeld.estimation.bic import AUTO_BIC_MAX_LISTS, BIC_ALPHAS, estimate_bic
from inbeeld.estimation.bootstrap import (
    DEFAULT_ALPHAS,
    REPLICATE_POLICIES,
    Procedure,
    acceleration,
    bca_limits,
    bootstrap_counts,
    bootstrap_warnings,
    interval_alphas,
    jackknife_counts,
    refit_all,
)
from inbeeld.estimation.limits import check_lists
from inbeeld.estimation.model import cell_design, poisson_log_likelihood
from inbeeld.estimation.result import EstimationResult
from inbeeld.estimation.selection import (
    DEFAULT_P_THRESHOLD,
    FittedModel,
    ModelSearch,
    NoEstimateError,
)
from inbeeld.estimation.special import ndtri
from inbeeld.estimation.table import CaptureTable, as_table
from inbeeld.estimation.warning import (
    NO_OVERLAP,
    NOT_CONVERGED,
    EstimationWarning,
)

METHODS = ("stepwise", "fixed", "main", "bic", "auto", "dga", "lcmcr")
DEFAULT_BOOTSTRAP = 1000
DEFAULT_SEED = 1234  # SparseMSE's iseed default


class ModelSpecError(ValueError):
    """A fixed model names lists that are not in the table, or is malformed."""


def estimate(
    data: Any,
    *,
    method: str = "stepwise",
    model: Sequence[str] | Sequence[tuple[str, str]] | None = None,
    bootstrap: int = DEFAULT_BOOTSTRAP,
    seed: int | None = DEFAULT_SEED,
    p_threshold: float = DEFAULT_P_THRESHOLD,
    level: float = 0.95,
    alphas: Sequence[float] | None = None,
    workers: int | None = None,
    lists: Sequence[str] | None = None,
    replicates: str = "skip",
    max_order: int | None = None,
    top_models: int | None = None,
    delta: float | None = None,
    missing_max: int | None = None,
    latent_classes: int | None = None,
    alpha_prior: tuple[float, float] | None = None,
    burnin: int | None = None,
    samples: int | None = None,
    thinning: int | None = None,
) -> EstimationResult:
    """Estimate the total population from overlapping lists (Multiple Systems Estimation).

    ``data``: a :class:`CaptureTable`, a CSV path, a pandas DataFrame (0/1 list columns and
    ``count``) or a mapping pattern → count (``{"110": 6, (1, 0, 1): 3}``).
    ``method``: "stepwise" (SparseMSE's default), "fixed" (``model`` gives the two-list
    interactions, e.g. ``["A:B", "C:D"]``), "main" (main effects only), "bic" (the best
    BIC over all hierarchical models, MultipleSystemsEstimation; ``max_order`` and
    ``top_models`` as its ``maxorder`` and ``ntopmodels``), "auto" (bic up to 5 lists,
    stepwise above) or "dga" (Bayesian average over decomposable graphs, dga's
    ``bma.cr``; ``delta`` the hyper-Dirichlet parameter, default 2^-lists, and
    ``missing_max`` the top of the grid of unseen numbers, default 10 × observed) or
    "lcmcr" (latent classes, LCMCR; ``latent_classes`` K, ``alpha_prior`` (a, b),
    ``burnin``, ``samples``, ``thinning``; ``seed`` seeds the sampler). The Bayesian
    methods (dga, lcmcr) ignore ``bootstrap``: their interval is a posterior one.
    ``bootstrap``: number of bootstrap replicates (0 = none; then the interval is the
    model-conditional one). ``replicates``: "skip" (default) leaves out a bootstrap
    replicate on which no estimate exists; "sparsemse" keeps R's unconverged fit there, as
    SparseMSE does (stepwise, fixed, main). ``alphas``: the BCa levels reported (default:
    the method's package's). Raises :class:`NoEstimateError` when no estimate exists.
    """
    # The engine does many small matrix products: BLAS threads only add synchronisation
    # (they doubled the CPU time of bic), and parallel work is the process pool's job.
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return _estimate(
            data,
            method=method,
            model=model,
            bootstrap=bootstrap,
            seed=seed,
            p_threshold=p_threshold,
            level=level,
            alphas=alphas,
            workers=workers,
            lists=lists,
            replicates=replicates,
            max_order=max_order,
            top_models=top_models,
            delta=delta,
            missing_max=missing_max,
            lcmcr_options={
                "latent_classes": latent_classes,
                "alpha_prior": alpha_prior,
                "burnin": burnin,
                "samples": samples,
                "thinning": thinning,
            },
        )


def _estimate(
    data: Any,
    *,
    method: str,
    model: Sequence[str] | Sequence[tuple[str, str]] | None,
    bootstrap: int,
    seed: int | None,
    p_threshold: float,
    level: float,
    alphas: Sequence[float] | None,
    workers: int | None,
    lists: Sequence[str] | None,
    replicates: str,
    max_order: int | None,
    top_models: int | None,
    delta: float | None,
    missing_max: int | None,
    lcmcr_options: dict[str, Any],
) -> EstimationResult:
    started = time.perf_counter()
    table = as_table(data, lists)
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    check_lists(table.n_lists, method)
    if bootstrap < 0:
        raise ValueError("bootstrap must be >= 0")
    if seed is not None and seed < 0:
        raise ValueError("seed must be >= 0")
    if replicates not in REPLICATE_POLICIES:
        raise ValueError(f"replicates must be one of {', '.join(REPLICATE_POLICIES)}")
    if method != "dga" and (delta is not None or missing_max is not None):
        raise ValueError("delta and missing_max apply to method dga only")
    if method == "dga":
        from inbeeld.estimation.dga import estimate_dga

        return estimate_dga(table, level=level, delta=delta, missing_max=missing_max)
    given = [name for name, value in lcmcr_options.items() if value is not None]
    if method != "lcmcr" and given:
        raise ValueError(f"{', '.join(given)} apply to method lcmcr only")
    if method == "lcmcr":
        from inbeeld.estimation.lcmcr import estimate_lcmcr

        return estimate_lcmcr(table, level=level, seed=seed, **lcmcr_options)
    uses_bic = method == "bic" or (method == "auto" and table.n_lists <= AUTO_BIC_MAX_LISTS)
    if not uses_bic and (max_order is not None or top_models is not None):
        raise ValueError(
            "max_order and top_models apply to bic only (auto is stepwise above 5 lists)"
        )
    if uses_bic:
        if replicates != "skip":
            raise ValueError("replicates='sparsemse' applies to the SparseMSE methods only")
        return estimate_bic(
            table,
            bootstrap=bootstrap,
            seed=seed,
            level=level,
            alphas=BIC_ALPHAS if alphas is None else alphas,
            max_order=max_order,
            top_models=top_models,
            requested=method,
        )
    result = _sparsemse(
        table,
        method="stepwise" if method == "auto" else method,
        model=model,
        bootstrap=bootstrap,
        seed=seed,
        p_threshold=p_threshold,
        level=level,
        alphas=DEFAULT_ALPHAS if alphas is None else alphas,
        workers=workers,
        replicates=replicates,
    )
    parameters = {"requested_method": method} if method == "auto" else {}
    return _replace(result, parameters=parameters, seconds=time.perf_counter() - started)


def _sparsemse(
    table: CaptureTable,
    *,
    method: str,
    model: Sequence[str] | Sequence[tuple[str, str]] | None,
    bootstrap: int,
    seed: int | None,
    p_threshold: float,
    level: float,
    alphas: Sequence[float],
    workers: int | None,
    replicates: str,
) -> EstimationResult:
    """SparseMSE's stepwise, fixed or main-effects estimate, with its bootstrap."""
    design = cell_design(table.n_lists)
    search = ModelSearch(design)
    fixed_pairs = _pairs_of(model, table) if method == "fixed" else ()
    if method == "main" and model:
        raise ModelSpecError("method 'main' takes no model; use method 'fixed'")
    procedure = Procedure(
        n_lists=table.n_lists,
        method="stepwise" if method == "stepwise" else "fixed",
        pairs=fixed_pairs,
        p_threshold=p_threshold,
        replicates=replicates,
    )
    counts = design.cell_counts(table.codes, table.counts)
    if procedure.method == "stepwise":
        fitted = search.stepwise(counts, p_threshold)
    else:
        fitted = search.fixed(fixed_pairs, counts)
    result = _point_result(table, fitted, method, p_threshold, level)
    warnings = list(table.warnings) + _model_warnings(table, fitted)
    if bootstrap > 0:
        result, boot_warnings = _with_bootstrap(
            result, table, procedure, search, bootstrap, seed, alphas, level, workers
        )
        warnings += boot_warnings
    return _replace(result, warnings=tuple(warnings))


def _pairs_of(
    model: Sequence[str] | Sequence[tuple[str, str]] | None, table: CaptureTable
) -> tuple[int, ...]:
    """Pair indices of a model given as "A:B" strings or (name, name) tuples, in order."""
    if not model:
        return ()
    design = cell_design(table.n_lists)
    index = {name: i for i, name in enumerate(table.lists)}
    pairs: list[int] = []
    for term in model:
        names = tuple(term.split(":")) if isinstance(term, str) else tuple(term)
        names = tuple(n.strip() for n in names)
        if len(names) != 2:
            raise ModelSpecError(f"term {term!r} is not a two-list interaction like A:B")
        unknown = [n for n in names if n not in index]
        if unknown:
            raise ModelSpecError(
                f"term {term!r}: unknown list {unknown[0]!r}; lists are {', '.join(table.lists)}"
            )
        first, second = sorted(index[n] for n in names)
        if first == second:
            raise ModelSpecError(f"term {term!r} pairs a list with itself")
        pair = design.pairs.index((first, second))
        if pair in pairs:
            raise ModelSpecError(f"term {term!r} appears twice")
        pairs.append(pair)
    return tuple(pairs)


def term_name(table: CaptureTable, pair: int) -> str:
    first, second = cell_design(table.n_lists).pairs[pair]
    return f"{table.lists[first]}:{table.lists[second]}"


def _point_result(
    table: CaptureTable, fitted: FittedModel, method: str, p_threshold: float, level: float
) -> EstimationResult:
    fit = fitted.fit
    se = math.sqrt(fit.intercept_variance)
    z = float(ndtri(0.5 + level / 2))
    observed = table.observed
    design = cell_design(table.n_lists)
    kept_counts = design.cell_counts(table.codes, table.counts)[fitted.kept]
    aic = -2 * poisson_log_likelihood(kept_counts, fit.fitted) + 2 * len(fit.coefficients)
    return EstimationResult(
        lists=table.lists,
        method=method,
        observed=observed,
        estimate=observed + math.exp(fit.intercept),
        dark_figure=math.exp(fit.intercept),
        intercept=fit.intercept,
        intercept_se=se,
        conditional_interval=(
            observed + math.exp(fit.intercept - z * se),
            observed + math.exp(fit.intercept + z * se),
        ),
        model=tuple(term_name(table, p) for p in fitted.pairs),
        infinite_terms=tuple(term_name(table, p) for p in fitted.infinite),
        p_values=tuple(step.p_value for step in fitted.steps),
        p_threshold=p_threshold,
        aic=aic + 2 * len(fitted.infinite),
        level=level,
    )


def _model_warnings(table: CaptureTable, fitted: FittedModel) -> list[EstimationWarning]:
    warnings = []
    pairs = cell_design(table.n_lists).pairs
    for pair in fitted.infinite:
        first, second = (table.lists[index] for index in pairs[pair])
        warnings.append(EstimationWarning(NO_OVERLAP, {"first": first, "second": second}))
    if not fitted.fit.converged:
        warnings.append(EstimationWarning(NOT_CONVERGED))
    return warnings + table.few_overlaps_warnings()


def _with_bootstrap(
    result: EstimationResult,
    table: CaptureTable,
    procedure: Procedure,
    search: ModelSearch,
    replicates: int,
    seed: int | None,
    alphas: Sequence[float],
    level: float,
    workers: int | None,
) -> tuple[EstimationResult, list[EstimationWarning]]:
    design = cell_design(table.n_lists)
    boot = bootstrap_counts(table.codes, table.counts, design.n_cells, replicates, seed)
    jack = jackknife_counts(table.codes, table.counts, design.n_cells)
    dark = refit_all(procedure, np.vstack([boot, jack]), search.checker, workers)
    boot_estimates = table.observed + dark[:replicates]
    jack_estimates = table.observed - 1 + dark[replicates:]
    accel = acceleration(jack_estimates, np.asarray(table.counts, dtype=np.float64))
    low_alpha, high_alpha = interval_alphas(level)
    wanted = sorted({*alphas, low_alpha, high_alpha})
    bca = bca_limits(boot_estimates, result.estimate, accel, wanted)
    valid = boot_estimates[np.isfinite(boot_estimates)]
    skipped = replicates - valid.size
    skipped_jack = int(np.sum(~np.isfinite(jack_estimates)))
    warnings = bootstrap_warnings(replicates, skipped, skipped_jack, bca is None)
    return (
        _replace(
            result,
            bootstrap=replicates,
            seed=seed,
            replicates=tuple(float(v) for v in valid),
            skipped_replicates=skipped,
            skipped_jackknife=skipped_jack,
            replicate_policy=procedure.replicates,
            acceleration=accel,
            bias_correction=None if bca is None else bca.bias_correction,
            bca_limits={} if bca is None else bca.limits,
            bca_interval=None if bca is None else (bca.limits[low_alpha], bca.limits[high_alpha]),
        ),
        warnings,
    )


def _replace(result: EstimationResult, **changes: Any) -> EstimationResult:
    from dataclasses import replace

    return replace(result, **changes)


__all__ = ["METHODS", "ModelSpecError", "NoEstimateError", "estimate"]
