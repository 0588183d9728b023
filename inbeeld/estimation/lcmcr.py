"""Latent-class capture–recapture, as LCMCR 0.4.14 (Manrique-Vallier 2016).

People differ in how visible they are; LCMCR lets them. Everyone, seen or not, belongs
to one of K latent classes (a Dirichlet-process mixture truncated at K, stick-breaking
weights with concentration α ~ Gamma(a, b)); within a class the lists are independent
Bernoulli(λ_jk) with uniform priors; N has the prior p(N) ∝ 1/N. A Gibbs sampler with
data augmentation draws the classes of the observed people, λ, π, the number unseen
(negative binomial, truncated at 20 n as LCMCR does) and their classes, and α.

The sampler is compiled with numba (``_lcmcr_kernel``), imported only when this method
runs. It reproduces LCMCR's sweep, initialisation, 500 warm-up sweeps and relabelling,
but not GSL's random stream: results agree with R within the seed-to-seed spread.
"""

from __future__ import annotations

import math
import time

import numpy as np

from inbeeld.estimation.result import EstimationResult
from inbeeld.estimation.table import CaptureTable
from inbeeld.estimation.warning import CAP_REACHED, SLOW_MIXING, EstimationWarning

# The package's help examples and the reference runs (its function defaults are K = 5
# and thinning 10, which mix too slowly on real tables).
DEFAULT_CLASSES = 10
DEFAULT_ALPHA_PRIOR = (0.25, 0.25)
DEFAULT_BURNIN = 10_000
DEFAULT_SAMPLES = 1_000
DEFAULT_THINNING = 100
WARMUP_SWEEPS = 500  # LCMCR's, before the relabelling and the user's burn-in
QUANTILES = (0.025, 0.5, 0.975)
# Share of draws within the top tenth below the cap above which the cap is warned about.
CAP_WARNING = 0.01
# Lag-1 autocorrelation of the kept draws above which the chain is said to mix slowly.
MIXING_WARNING = 0.5


def estimate_lcmcr(
    table: CaptureTable,
    *,
    level: float,
    seed: int | None,
    latent_classes: int | None = None,
    alpha_prior: tuple[float, float] | None = None,
    burnin: int | None = None,
    samples: int | None = None,
    thinning: int | None = None,
) -> EstimationResult:
    """Posterior of the total under LCMCR; the headline is the posterior median."""
    started = time.perf_counter()
    classes = DEFAULT_CLASSES if latent_classes is None else latent_classes
    a_alpha, b_alpha = DEFAULT_ALPHA_PRIOR if alpha_prior is None else alpha_prior
    settings = {
        "latent_classes": classes,
        "burnin": DEFAULT_BURNIN if burnin is None else burnin,
        "samples": DEFAULT_SAMPLES if samples is None else samples,
        "thinning": DEFAULT_THINNING if thinning is None else thinning,
    }
    if classes < 2:
        raise ValueError("latent_classes must be 2 or more")
    if not (a_alpha > 0 and b_alpha > 0):
        raise ValueError("the Gamma prior of alpha needs a > 0 and b > 0")
    if settings["burnin"] < 0 or settings["samples"] < 1 or settings["thinning"] < 1:
        raise ValueError("burnin must be >= 0, samples and thinning >= 1")
    from inbeeld.estimation._lcmcr_kernel import CAP_FACTOR, run_chain

    chain_seed = 0 if seed is None else seed
    missing = run_chain(
        np.asarray(table.patterns, dtype=np.int64),
        np.asarray(table.counts, dtype=np.int64),
        classes,
        float(a_alpha),
        float(b_alpha),
        WARMUP_SWEEPS,
        settings["burnin"],
        settings["samples"],
        settings["thinning"],
        chain_seed,
    )
    n = table.observed
    totals = (n + missing).astype(np.float64)
    low_level, high_level = round((1 - level) / 2, 12), round((1 + level) / 2, 12)
    levels = sorted({*QUANTILES, low_level, high_level})
    # R's quantile type 7 is numpy's default (linear).
    quantiles = {q: float(np.quantile(totals, q)) for q in levels}
    median = quantiles[0.5]
    cap = CAP_FACTOR * n
    near_cap = float(np.mean(missing > 0.9 * cap))
    warnings = list(table.warnings) + table.few_overlaps_warnings()
    if near_cap > CAP_WARNING:
        warnings.append(
            EstimationWarning(
                CAP_REACHED, {"percent": max(1, round(100 * near_cap)), "cap": n + cap}
            )
        )
    lag1 = _lag1(totals)
    if lag1 is not None and lag1 > MIXING_WARNING:
        warnings.append(EstimationWarning(SLOW_MIXING))
    return EstimationResult(
        lists=table.lists,
        method="lcmcr",
        observed=n,
        estimate=median,
        dark_figure=median - n,
        intercept=None,
        intercept_se=None,
        conditional_interval=None,
        model=(),
        infinite_terms=(),
        p_values=(),
        p_threshold=None,
        aic=None,
        level=level,
        seed=chain_seed,
        posterior_interval=(quantiles[low_level], quantiles[high_level]),
        posterior_quantiles=quantiles,
        posterior_mean=float(totals.mean()),
        parameters={**settings, "alpha_prior": [a_alpha, b_alpha]},
        diagnostics={
            "posterior_sd": float(totals.std(ddof=1)) if totals.size > 1 else 0.0,
            "share_near_cap": near_cap,
            "cap": n + cap,
            "lag1_autocorrelation": lag1,
        },
        posterior_draws=tuple(float(v) for v in totals),
        warnings=tuple(warnings),
        seconds=time.perf_counter() - started,
    )


def _lag1(draws: np.ndarray) -> float | None:
    """Autocorrelation of successive kept draws: near 1 means the chain mixes slowly."""
    if draws.size < 3 or float(draws.std()) == 0.0:
        return None
    value = float(np.corrcoef(draws[:-1], draws[1:])[0, 1])
    return value if math.isfinite(value) else None
