"""LCMCR's Gibbs sampler, compiled by numba (imported only when the method runs).

One chain of LCMCR 0.4.14's ``NPLCM_CR_Basic_Freq`` sampler, step for step (see
``lcmcr.py`` and shared/specs/mse-beyond.md §3). The random numbers come from numba's
own Mersenne Twister, seeded inside the compiled code: a seed gives the same chain on
any machine, but not R's GSL stream.

Compiled on first use and cached next to this file (or in numba's user cache where that
is not writable), so later runs load the machine code instead of compiling again.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

# LCMCR truncates N at 21 n: a draw of n0 above 20 n is redrawn.
CAP_FACTOR = 20
# After this many redraws the truncated negative binomial is drawn by inversion instead
# (only when almost all its mass lies above the cap; R would loop much longer).
MAX_REDRAWS = 1000


@njit(cache=True, error_model="numpy")
def _log_gamma_draw(shape: float) -> float:
    """log of a Gamma(shape, 1) draw, accurate for small shapes.

    For shape < 1, Gamma(a) = Gamma(1 + a) · U^(1/a), so log Gamma(a) = log Gamma(1 + a)
    + log(U)/a: no underflow to log 0 for tiny a (LCMCR's own device).
    """
    if shape <= 0.0:
        return -np.inf
    if shape < 1.0:
        return math.log(np.random.gamma(1.0 + shape)) + math.log(np.random.random()) / shape
    return math.log(np.random.gamma(shape))


@njit(cache=True, error_model="numpy")
def _log_beta_draw(a: float, b: float) -> tuple[float, float]:
    """(log V, log(1 − V)) for V ~ Beta(a, b).

    In general from two log-gamma draws; for a = 1 (an empty class, or a list nobody in
    the class is on) by inversion, 1 − V = U^(1/b): one uniform instead of two gammas.
    """
    if b <= 0.0:  # α = 0 and nobody left: the stick is used up here
        return 0.0, -np.inf
    if a == 1.0:
        log_not_v = math.log(np.random.random()) / b
        return math.log(-math.expm1(log_not_v)), log_not_v
    x = _log_gamma_draw(a)
    y = _log_gamma_draw(b)
    top = max(x, y)
    total = top + math.log(math.exp(x - top) + math.exp(y - top))
    return x - total, y - total


@njit(cache=True, error_model="numpy")
def _class_counts(log_weights: np.ndarray, size: int, out: np.ndarray, work: np.ndarray) -> None:
    """Multinomial(size, ∝ exp(log_weights)) into ``out``; ``work`` is scratch space.

    One person is one categorical draw (a uniform against the cumulative weights, as
    LCMCR); more are drawn class by class with conditional binomials.
    """
    n_classes = log_weights.size
    top = log_weights.max()
    total = 0.0
    for k in range(n_classes):
        work[k] = math.exp(log_weights[k] - top)
        total += work[k]
    out[:] = 0
    if size == 1:
        threshold = np.random.random() * total
        cumulative = 0.0
        for k in range(n_classes):
            cumulative += work[k]
            if threshold < cumulative:
                out[k] = 1
                return
        out[n_classes - 1] = 1
        return
    remaining = size
    left = total
    for k in range(n_classes - 1):
        if remaining == 0:
            return
        share = work[k] / left if left > 0 else 1.0
        drawn = np.random.binomial(remaining, min(1.0, max(0.0, share)))
        out[k] = drawn
        remaining -= drawn
        left -= work[k]
    out[n_classes - 1] += remaining


@njit(cache=True, error_model="numpy")
def _missing_count(observed: int, p_unseen: float) -> int:
    """n0 ~ NegativeBinomial(size n, success 1 − p0) (failures), redrawn above 20 n."""
    cap = CAP_FACTOR * observed
    success = 1.0 - p_unseen
    if success >= 1.0:
        return 0
    for _ in range(MAX_REDRAWS):
        draw = np.random.negative_binomial(observed, success)
        if draw <= cap:
            return draw
    # Inversion of the distribution truncated to 0 … cap.
    log_terms = np.empty(cap + 1)
    for k in range(cap + 1):
        log_terms[k] = (
            math.lgamma(observed + k)
            - math.lgamma(k + 1)
            - math.lgamma(observed)
            + observed * math.log(success)
            + k * math.log(p_unseen)
        )
    top = log_terms.max()
    weights = np.exp(log_terms - top)
    threshold = np.random.random() * weights.sum()
    cumulative = 0.0
    for k in range(cap + 1):
        cumulative += weights[k]
        if threshold < cumulative:
            return k
    return cap


@njit(cache=True, error_model="numpy")
def _sweep(
    patterns: np.ndarray,
    frequencies: np.ndarray,
    observed: int,
    log_lambda: np.ndarray,
    log_not_lambda: np.ndarray,
    log_pi: np.ndarray,
    alpha: float,
    a_alpha: float,
    b_alpha: float,
    unseen_classes: np.ndarray,
    cell_classes: np.ndarray,
    update_alpha: bool,
) -> tuple[float, int]:
    """One Gibbs sweep (LCMCR's steps 1–7; step 7 only when ``update_alpha``)."""
    n_cells, n_lists = patterns.shape
    n_classes = log_pi.size
    log_weights = np.empty(n_classes)
    work = np.empty(n_classes)
    counts = np.zeros(n_classes, dtype=np.int64)
    # 1. Classes of the observed people, cell by cell.
    for cell in range(n_cells):
        for k in range(n_classes):
            value = log_pi[k]
            for j in range(n_lists):
                if patterns[cell, j]:
                    value += log_lambda[j, k]
                else:
                    value += log_not_lambda[j, k]
            log_weights[k] = value
        _class_counts(log_weights, frequencies[cell], counts, work)
        cell_classes[cell, :] = counts
    # 2. λ: on-list and off-list counts per list and class (the unseen are off every list).
    for k in range(n_classes):
        total_k = unseen_classes[k]
        for cell in range(n_cells):
            total_k += cell_classes[cell, k]
        for j in range(n_lists):
            ones = 0
            for cell in range(n_cells):
                if patterns[cell, j]:
                    ones += cell_classes[cell, k]
            log_v, log_not_v = _log_beta_draw(1.0 + ones, 1.0 + total_k - ones)
            log_lambda[j, k] = log_v
            log_not_lambda[j, k] = log_not_v
    # 3. π by stick-breaking; the class totals include last sweep's unseen people.
    unseen = 0
    for k in range(n_classes):
        unseen += unseen_classes[k]
    remaining = float(observed + unseen)
    log_rest = 0.0
    for k in range(n_classes - 1):
        size_k = float(unseen_classes[k])
        for cell in range(n_cells):
            size_k += cell_classes[cell, k]
        remaining -= size_k
        log_v, log_not_v = _log_beta_draw(1.0 + size_k, alpha + max(remaining, 0.0))
        log_pi[k] = log_rest + log_v
        log_rest += log_not_v
    log_pi[n_classes - 1] = log_rest
    # 4. p0: the probability of being on no list.
    for k in range(n_classes):
        value = log_pi[k]
        for j in range(n_lists):
            value += log_not_lambda[j, k]
        log_weights[k] = value
    top = log_weights.max()
    p_unseen = math.exp(top) * np.exp(log_weights - top).sum()
    # 5. The number unseen, and 6. their classes.
    missing = _missing_count(observed, min(p_unseen, 1.0))
    if missing > 0:
        _class_counts(log_weights, missing, unseen_classes, work)
    else:
        unseen_classes[:] = 0
    # 7. α.
    if update_alpha:
        rate = b_alpha - log_pi[n_classes - 1]
        alpha = np.random.gamma(a_alpha + n_classes - 1.0, 1.0 / rate) if rate < np.inf else 0.0
    return alpha, missing


@njit(cache=True, error_model="numpy")
def run_chain(
    patterns: np.ndarray,
    frequencies: np.ndarray,
    n_classes: int,
    a_alpha: float,
    b_alpha: float,
    warmup: int,
    burnin: int,
    samples: int,
    thinning: int,
    seed: int,
) -> np.ndarray:
    """n0 at every ``thinning``-th sweep after the burn-in, ``samples`` of them."""
    np.random.seed(seed)
    n_cells, n_lists = patterns.shape
    observed = 0
    for cell in range(n_cells):
        observed += frequencies[cell]
    # Initial values as LCMCR's Init_Model: α = 0.3/K, π one stick-breaking draw with
    # V ~ Beta(1, 1), λ the observed share of each list in every class, nobody unseen.
    alpha = 0.3 / n_classes
    log_pi = np.empty(n_classes)
    log_rest = 0.0
    for k in range(n_classes - 1):
        log_v, log_not_v = _log_beta_draw(1.0, 1.0)
        log_pi[k] = log_rest + log_v
        log_rest += log_not_v
    log_pi[n_classes - 1] = log_rest
    log_lambda = np.empty((n_lists, n_classes))
    log_not_lambda = np.empty((n_lists, n_classes))
    for j in range(n_lists):
        on_list = 0
        for cell in range(n_cells):
            if patterns[cell, j]:
                on_list += frequencies[cell]
        share = on_list / observed
        for k in range(n_classes):
            log_lambda[j, k] = math.log(share) if share > 0 else -np.inf
            log_not_lambda[j, k] = math.log(1.0 - share) if share < 1 else -np.inf
    unseen_classes = np.zeros(n_classes, dtype=np.int64)
    cell_classes = np.zeros((n_cells, n_classes), dtype=np.int64)
    for _ in range(warmup):  # α stays at its initial value
        alpha, _missing = _sweep(
            patterns, frequencies, observed, log_lambda, log_not_lambda, log_pi, alpha,
            a_alpha, b_alpha, unseen_classes, cell_classes, False,
        )  # fmt: skip
    # Relabel the classes by decreasing weight, as LCMCR does before the burn-in.
    order = np.argsort(-log_pi)
    log_pi[:] = log_pi[order]
    log_lambda[:, :] = log_lambda[:, order]
    log_not_lambda[:, :] = log_not_lambda[:, order]
    unseen_classes[:] = unseen_classes[order]
    for _ in range(burnin):
        alpha, _missing = _sweep(
            patterns, frequencies, observed, log_lambda, log_not_lambda, log_pi, alpha,
            a_alpha, b_alpha, unseen_classes, cell_classes, True,
        )  # fmt: skip
    draws = np.empty(samples, dtype=np.int64)
    for s in range(samples):
        missing = 0
        for _ in range(thinning):
            alpha, missing = _sweep(
                patterns, frequencies, observed, log_lambda, log_not_lambda, log_pi, alpha,
                a_alpha, b_alpha, unseen_classes, cell_classes, True,
            )  # fmt: skip
        draws[s] = missing
    return draws
