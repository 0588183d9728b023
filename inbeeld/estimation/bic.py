"""BIC over all hierarchical models, as MultipleSystemsEstimation 1.2.0's ``method="bic"``.

Every hierarchical model of the catalogue (all main effects, terms of at most
``max_order`` lists) is fitted; models without an (extended) MLE or with a rank-deficient
design are dropped; the estimate is that of the model with the smallest BIC =
P log n − 2 log L (P counts every parameter of the model, the −∞ ones included; n is the
number of people observed). Ties keep catalogue order.

The bootstrap (Silverman, Chan & Vincent 2024) refits the top models on every multinomial
replicate and, for k = 1 … K, takes the estimate of the best-BIC model among the first k
top models in that replicate: the last row (all K top models) is the headline BCa
interval, which allows for choosing among them. The acceleration comes from the grouped
jackknife over the cells with people, refitted the same way.

``method="auto"`` is this method for up to 5 lists and SparseMSE's stepwise above.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from inbeeld.estimation.bootstrap import (
    BcaLimits,
    acceleration,
    bca_limits,
    bootstrap_counts,
    bootstrap_warnings,
    interval_alphas,
    jackknife_counts,
)
from inbeeld.estimation.hierarchical import (
    HierarchicalModel,
    StackFitter,
    bic,
    catalogue,
    default_max_order,
)
from inbeeld.estimation.model import FloatArray, cell_design
from inbeeld.estimation.result import EstimationResult
from inbeeld.estimation.selection import NoEstimateError
from inbeeld.estimation.special import ndtri
from inbeeld.estimation.table import CaptureTable
from inbeeld.estimation.warning import EstimationWarning

BIC_ALPHAS = (0.025, 0.1, 0.9, 0.975)  # the package's default BCa levels
# Largest number of lists for which "auto" means BIC (stepwise above).
AUTO_BIC_MAX_LISTS = 5


def default_top_models(n_lists: int) -> int | None:
    """How many of the best models the bootstrap refits (None: all valid ones)."""
    return {2: None, 3: None, 4: 20}.get(n_lists, 100)


@dataclass(frozen=True)
class Ranking:
    """The valid models of the catalogue in BIC order, with their fits on the data."""

    models: tuple[HierarchicalModel, ...]  # valid models, best first
    bic: FloatArray
    dark_figure: FloatArray
    coefficients: FloatArray  # subset-indexed, one row per model (warm starts)
    fitted: int  # catalogue size


def rank_models(
    table: CaptureTable, fitter: StackFitter, max_order: int
) -> tuple[Ranking, FloatArray]:
    """Fit every catalogue model to the table; the valid ones ranked by BIC."""
    models = catalogue(table.n_lists, max_order)
    counts = cell_design(table.n_lists).cell_counts(table.codes, table.counts)
    fit = fitter.fit(
        models, counts[None, :], np.arange(len(models)), np.zeros(len(models), dtype=np.int64)
    )
    sizes = np.array([len(m.parameters) for m in models])
    scores = bic(fit.log_likelihood, sizes, table.observed)
    valid = np.flatnonzero(fit.valid)
    if valid.size == 0:
        raise NoEstimateError("no hierarchical model of the catalogue has an estimate")
    order = valid[np.argsort(scores[valid], kind="stable")]
    ranking = Ranking(
        models=tuple(models[k] for k in order),
        bic=scores[order],
        dark_figure=fit.dark_figure[order],
        coefficients=fit.coefficients[order],
        fitted=len(models),
    )
    return ranking, counts


def estimate_bic(
    table: CaptureTable,
    *,
    bootstrap: int,
    seed: int | None,
    level: float,
    alphas: Sequence[float] = BIC_ALPHAS,
    max_order: int | None = None,
    top_models: int | None = None,
    requested: str = "bic",
) -> EstimationResult:
    """The whole method on one table (see the module docstring)."""
    started = time.perf_counter()
    order = default_max_order(table.n_lists) if max_order is None else max_order
    if order < 1:
        raise ValueError("max_order must be 1 or more")
    fitter = StackFitter(table.n_lists)
    ranking, counts = rank_models(table, fitter, order)
    best = ranking.models[0]
    dark = float(ranking.dark_figure[0])
    se = math.sqrt(fitter.intercept_variance(best, counts))
    z = ndtri(0.5 + level / 2)
    wanted_top = default_top_models(table.n_lists) if top_models is None else top_models
    n_top = len(ranking.models) if wanted_top is None else min(wanted_top, len(ranking.models))
    margins = counts @ fitter.master
    result = EstimationResult(
        lists=table.lists,
        method="bic",
        observed=table.observed,
        estimate=table.observed + dark,
        dark_figure=dark,
        intercept=math.log(dark),
        intercept_se=se,
        conditional_interval=(
            table.observed + dark * math.exp(-z * se),
            table.observed + dark * math.exp(z * se),
        ),
        model=best.named_terms(table.lists),
        infinite_terms=tuple(
            ":".join(table.lists[i] for i in range(table.n_lists) if s >> i & 1)
            for s in best.terms
            if margins[s] == 0
        ),
        p_values=(),
        p_threshold=None,
        aic=None,
        level=level,
        parameters={"requested_method": requested, "max_order": order, "top_models": n_top},
        diagnostics={
            "model_string": best.label(),
            "models_fitted": ranking.fitted,
            "models_valid": len(ranking.models),
        },
        top_models=tuple(
            _top_entry(ranking, k, table) for k in range(min(n_top, TOP_MODELS_SHOWN))
        ),
    )
    warnings = list(table.warnings) + table.few_overlaps_warnings()
    if bootstrap > 0:
        result, more = _bootstrap(
            result, table, ranking, n_top, fitter, counts, bootstrap, seed, alphas, level
        )
        warnings += more
    return replace(result, warnings=tuple(warnings), seconds=time.perf_counter() - started)


TOP_MODELS_SHOWN = 10


def _top_entry(ranking: Ranking, k: int, table: CaptureTable) -> dict[str, object]:
    model = ranking.models[k]
    return {
        "model": model.label(),
        "terms": list(model.named_terms(table.lists)),
        "bic": float(ranking.bic[k]),
        "estimate": table.observed + float(ranking.dark_figure[k]),
    }


def nested_estimates(bics: FloatArray, totals: FloatArray) -> FloatArray:
    """Row k: per count vector, the total of the best-BIC model among the first k + 1.

    A strictly smaller BIC is needed to replace the current best, so earlier models win
    ties; NaN where none of the first k + 1 models has an estimate. ``bics`` is NaN where
    a model has no estimate.
    """
    n_models, n_rows = bics.shape
    result = np.full((n_models, n_rows), np.nan)
    best = np.full(n_rows, np.inf)
    current = np.full(n_rows, np.nan)
    for k in range(n_models):
        better = np.isfinite(bics[k]) & (bics[k] < best)
        best = np.where(better, bics[k], best)
        current = np.where(better, totals[k], current)
        result[k] = current
    return result


def _bootstrap(
    result: EstimationResult,
    table: CaptureTable,
    ranking: Ranking,
    n_top: int,
    fitter: StackFitter,
    counts: FloatArray,
    replicates: int,
    seed: int | None,
    alphas: Sequence[float],
    level: float,
) -> tuple[EstimationResult, list[EstimationWarning]]:
    n_cells = counts.size
    boot = bootstrap_counts(table.codes, table.counts, n_cells, replicates, seed)
    jack = jackknife_counts(table.codes, table.counts, n_cells)
    rows = np.vstack([boot, jack])
    top = ranking.models[:n_top]
    model_index = np.repeat(np.arange(n_top), rows.shape[0])
    row_index = np.tile(np.arange(rows.shape[0]), n_top)
    start = np.vstack([ranking.coefficients[k] for k in range(n_top)])
    fit = fitter.fit(top, rows, model_index, row_index, start)
    sizes = np.array([len(m.parameters) for m in top])
    scores = bic(fit.log_likelihood, sizes[model_index], table.observed)
    scores = np.where(fit.valid, scores, np.nan).reshape(n_top, rows.shape[0])
    totals = rows.sum(axis=1)[None, :] + fit.dark_figure.reshape(n_top, rows.shape[0])
    nested = nested_estimates(scores, totals)
    weights = np.asarray(table.counts, dtype=np.float64)
    low_alpha, high_alpha = interval_alphas(level)
    wanted = sorted({*alphas, low_alpha, high_alpha})
    per_k = []
    for k in range(n_top):
        accel = acceleration(nested[k, replicates:], weights)
        per_k.append(bca_limits(nested[k, :replicates], result.estimate, accel, wanted))
    headline = per_k[-1]
    boot_last = nested[-1, :replicates]
    valid = boot_last[np.isfinite(boot_last)]
    skipped = replicates - valid.size
    skipped_jack = int(np.sum(~np.isfinite(nested[-1, replicates:])))
    accel = acceleration(nested[-1, replicates:], weights)
    top_models = tuple(
        {**entry, "bca": _limits_json(per_k[k])} for k, entry in enumerate(result.top_models)
    )
    updated = replace(
        result,
        bootstrap=replicates,
        seed=seed,
        replicates=tuple(float(v) for v in valid),
        skipped_replicates=skipped,
        skipped_jackknife=skipped_jack,
        acceleration=accel,
        bias_correction=None if headline is None else headline.bias_correction,
        bca_limits={} if headline is None else headline.limits,
        bca_interval=None
        if headline is None
        else (headline.limits[low_alpha], headline.limits[high_alpha]),
        top_models=top_models,
    )
    return updated, bootstrap_warnings(replicates, skipped, skipped_jack, headline is None)


def _limits_json(limits: BcaLimits | None) -> dict[str, float] | None:
    if limits is None:
        return None
    return {f"{alpha:g}": value for alpha, value in limits.limits.items()}
