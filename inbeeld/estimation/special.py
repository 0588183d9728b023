"""The few special functions the engine needs, without importing scipy.

``inbeeld estimate`` is run many times by hand; importing ``scipy.special`` and
``scipy.optimize`` costs more CPU than a whole stepwise fit. The normal distribution comes
from the standard library (``statistics.NormalDist``: exact to rounding), log-gamma from
``math.lgamma``, and the Poisson tails from the regularised incomplete gamma function by
its power series and continued fraction (Numerical Recipes §6.2), vectorised. Tested
against scipy to 1e-12 relative (``tests/test_special.py``).
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

_STANDARD_NORMAL = NormalDist()
_EPSILON = 1e-16
_MAX_TERMS = 100_000
_TINY = 1e-300


def ndtr(value: float) -> float:
    """Standard normal distribution function Φ."""
    if math.isinf(value):
        return 0.0 if value < 0 else 1.0
    return 0.5 * math.erfc(-value / math.sqrt(2.0))


def ndtri(probability: float) -> float:
    """Φ⁻¹, with ±∞ at 0 and 1 (as scipy.special.ndtri)."""
    if probability <= 0.0:
        return -math.inf
    if probability >= 1.0:
        return math.inf
    return _STANDARD_NORMAL.inv_cdf(probability)


def lgamma(values: npt.ArrayLike) -> FloatArray:
    """log Γ elementwise (math.lgamma on each value)."""
    array = np.asarray(values, dtype=np.float64)
    flat = np.fromiter((math.lgamma(v) for v in array.ravel()), np.float64, array.size)
    return flat.reshape(array.shape)


def regularized_gammas(a: FloatArray, x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(P(a, x), Q(a, x)): lower and upper regularised incomplete gamma, a > 0, x ≥ 0.

    Each is computed directly where it is the smaller (series for P when x < a + 1,
    continued fraction for Q otherwise) and as the complement elsewhere, so the small
    tail keeps its relative accuracy.
    """
    a, x = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(x, np.float64))
    lower = np.zeros(a.shape)
    upper = np.ones(a.shape)
    positive = x > 0
    log_front = np.zeros(a.shape)
    log_front[positive] = -x[positive] + a[positive] * np.log(x[positive]) - lgamma(a[positive])
    series = positive & (x < a + 1)
    fraction = positive & ~series
    if series.any():
        p = _series(a[series], x[series]) * np.exp(log_front[series])
        lower[series], upper[series] = p, 1.0 - p
    if fraction.any():
        q = _continued_fraction(a[fraction], x[fraction]) * np.exp(log_front[fraction])
        lower[fraction], upper[fraction] = 1.0 - q, q
    return lower, upper


def _series(a: FloatArray, x: FloatArray) -> FloatArray:
    total = 1.0 / a
    term = total.copy()
    ap = a.copy()
    active = np.arange(a.size)
    for _ in range(_MAX_TERMS):
        ap[active] += 1.0
        term[active] *= x[active] / ap[active]
        total[active] += term[active]
        active = active[np.abs(term[active]) >= np.abs(total[active]) * _EPSILON]
        if active.size == 0:
            break
    result: FloatArray = total
    return result


def _continued_fraction(a: FloatArray, x: FloatArray) -> FloatArray:
    """Modified Lentz evaluation of Q's continued fraction (without the prefactor)."""
    b = x + 1.0 - a
    c = np.full(a.shape, 1.0 / _TINY)
    d = 1.0 / b
    h = d.copy()
    active = np.arange(a.size)
    for i in range(1, _MAX_TERMS):
        an = -i * (i - a[active])
        b[active] += 2.0
        dd = an * d[active] + b[active]
        dd = np.where(np.abs(dd) < _TINY, _TINY, dd)
        cc = b[active] + an / c[active]
        cc = np.where(np.abs(cc) < _TINY, _TINY, cc)
        dd = 1.0 / dd
        delta = dd * cc
        d[active], c[active] = dd, cc
        h[active] *= delta
        active = active[np.abs(delta - 1.0) >= _EPSILON]
        if active.size == 0:
            break
    result: FloatArray = h
    return result


def poisson_tails(observed: FloatArray, expected: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(P(X ≤ k), P(X ≥ k)) for X ~ Poisson(λ), elementwise; k whole, λ ≥ 0."""
    k, lam = np.broadcast_arrays(np.asarray(observed, np.float64), np.asarray(expected, np.float64))
    # P(X ≤ k) = Q(k + 1, λ); P(X ≥ k) = P(k, λ) for k ≥ 1, and 1 for k = 0.
    _lower_unused, at_most = regularized_gammas(k + 1.0, lam)
    at_least = np.ones(k.shape)
    positive = k > 0
    if positive.any():
        at_least[positive] = regularized_gammas(k[positive], lam[positive])[0]
    return at_most, at_least
