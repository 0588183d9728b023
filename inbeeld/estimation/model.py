"""The Poisson log-linear model of MSE: cells, design matrices and the IRLS fit.

The model is fitted over all 2^t − 1 observable capture patterns ("cells"), zero cells
included, with an intercept, one 0/1 main effect per list and product columns for the
two-list interactions in the model. The intercept is the log of the expected number of
people on no list (the dark figure), exactly as in SparseMSE.

A two-list interaction whose lists do not overlap in the data (N*_ij = 0) has the
extended-MLE value −∞: it gets no column, and every cell with both lists is deleted from
the fit instead (SparseMSE's ``buildmodel``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

# R's glm.control uses epsilon = 1e-8 on the relative change of the deviance. A tighter
# tolerance puts us closer to the exact MLE, which R's answer is within ~1e-6 of.
DEVIANCE_TOLERANCE = 1e-10
MAX_ITERATIONS = 100
# R's own glm.control defaults, for reproducing what R returns where no MLE exists.
R_DEVIANCE_TOLERANCE = 1e-8
R_MAX_ITERATIONS = 25


@dataclass(frozen=True)
class CellDesign:
    """Everything about the 2^t − 1 cells that does not depend on the data.

    Cell ``k`` has pattern code ``k + 1`` (list ``i`` is bit ``i``).
    """

    n_lists: int
    cells: FloatArray  # (m, t) 0/1 membership of each cell in each list
    pairs: tuple[tuple[int, int], ...]  # all (i, j), i < j, in SparseMSE's order
    pair_columns: FloatArray  # (m, n_pairs) product columns of every pair

    @property
    def n_cells(self) -> int:
        return int(self.cells.shape[0])

    @property
    def n_pairs(self) -> int:
        return len(self.pairs)

    def matrix(self, finite_pairs: tuple[int, ...], kept: BoolArray) -> FloatArray:
        """Model matrix: intercept, main effects, the given interaction columns; kept cells."""
        columns = [np.ones((self.n_cells, 1)), self.cells, self.pair_columns[:, list(finite_pairs)]]
        full = np.hstack(columns)
        return np.ascontiguousarray(full[kept])

    def kept_cells(self, infinite_pairs: tuple[int, ...]) -> BoolArray:
        """Cells left in the fit after deleting those of −∞ (non-overlapping) pairs."""
        if not infinite_pairs:
            return np.ones(self.n_cells, dtype=bool)
        deleted = self.pair_columns[:, list(infinite_pairs)].any(axis=1)
        return np.logical_not(deleted)

    def cell_counts(self, codes: tuple[int, ...], counts: tuple[int, ...]) -> FloatArray:
        """Counts per cell (zero where a pattern was not observed)."""
        y = np.zeros(self.n_cells)
        y[np.asarray(codes, dtype=np.int64) - 1] = counts
        return y

    def overlaps(self, y: FloatArray) -> FloatArray:
        """N*_ij for every pair: people on both lists i and j."""
        result: FloatArray = y @ self.pair_columns
        return result


@lru_cache(maxsize=32)
def cell_design(n_lists: int) -> CellDesign:
    codes = np.arange(1, 2**n_lists, dtype=np.int64)
    cells = ((codes[:, None] >> np.arange(n_lists)) & 1).astype(np.float64)
    pairs = tuple((i, j) for i in range(n_lists) for j in range(i + 1, n_lists))
    if pairs:
        pair_columns = np.column_stack([cells[:, i] * cells[:, j] for i, j in pairs])
    else:
        pair_columns = np.zeros((len(codes), 0))
    cells.setflags(write=False)
    pair_columns.setflags(write=False)
    return CellDesign(n_lists=n_lists, cells=cells, pairs=pairs, pair_columns=pair_columns)


@dataclass(frozen=True)
class PoissonFit:
    """A fitted Poisson GLM with log link (intercept first)."""

    coefficients: FloatArray
    fitted: FloatArray  # μ per kept cell
    intercept_variance: float  # [(XᵀWX)⁻¹]₀₀, R's summary(fit)$cov.unscaled[1, 1]
    deviance: float
    iterations: int
    converged: bool

    @property
    def intercept(self) -> float:
        return float(self.coefficients[0])


def poisson_deviance(y: FloatArray, mu: FloatArray) -> float:
    positive = y > 0
    term = np.zeros_like(y)
    term[positive] = y[positive] * np.log(y[positive] / mu[positive])
    return float(2.0 * np.sum(term - (y - mu)))


@dataclass(frozen=True)
class BatchFit:
    """IRLS fits of one model matrix to several count vectors (one per row)."""

    coefficients: FloatArray  # (G, p)
    fitted: FloatArray  # (G, n)
    iterations: npt.NDArray[np.int64]  # (G,)
    converged: BoolArray  # (G,)


def fit_poisson_batch(
    x: FloatArray,
    y: FloatArray,
    max_iterations: int = MAX_ITERATIONS,
    *,
    r_glm: bool = False,
) -> BatchFit:
    """IRLS (R's glm.fit for the Poisson log link) on every row of ``y`` at once.

    Every row starts from R's μ = y + 0.1, iterates exactly as it would alone and stops on
    its own when the relative change of its deviance is below the tolerance, so a row's
    fit does not depend on the other rows in the batch. As a safety net (R only does this
    for non-finite deviances), a step that makes the deviance non-finite or larger is
    halved towards the previous coefficients, which keeps IRLS from overshooting when a
    cell's fitted value is tiny.

    ``r_glm=True`` runs R's ``glm.fit`` exactly instead: at most 25 iterations, relative
    deviance change below 1e-8, halving only for a non-finite deviance. Where no MLE
    exists that gives R's "large finite value of an unconverged fit", which SparseMSE
    keeps as a bootstrap replicate (``replicates="sparsemse"``).
    """
    if r_glm:
        max_iterations, tolerance = R_MAX_ITERATIONS, R_DEVIANCE_TOLERANCE
    else:
        tolerance = DEVIANCE_TOLERANCE
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return _irls(x, y, max_iterations, tolerance, halve_increases=not r_glm)


def _irls(
    x: FloatArray, y: FloatArray, max_iterations: int, tolerance: float, *, halve_increases: bool
) -> BatchFit:
    n_rows = y.shape[0]
    mu = y + 0.1
    eta = np.log(mu)
    # Deviance = 2 Σ (y log y − y η − y + μ); the y-only part is constant per row.
    constant = np.sum(np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0)), 0.0) - y, axis=1)
    deviance_old = _deviance(y, constant, eta)
    beta = np.zeros((n_rows, x.shape[1]))
    iterations = np.zeros(n_rows, dtype=np.int64)
    converged = np.zeros(n_rows, dtype=bool)
    active = np.arange(n_rows)
    for iteration in range(1, max_iterations + 1):
        mu_a, y_a = mu[active], y[active]
        working = eta[active] + (y_a - mu_a) / mu_a
        weighted = x.T[None, :, :] * mu_a[:, None, :]  # (g, p, n)
        information = weighted @ x
        score = (weighted @ working[:, :, None])[:, :, 0]
        beta_a = np.linalg.solve(information, score[:, :, None])[:, :, 0].astype(np.float64)
        eta_a = beta_a @ x.T
        deviance = _deviance(y_a, constant[active], eta_a)
        old = deviance_old[active] if halve_increases else np.full_like(deviance, np.inf)
        if iteration > 1 and _worse(deviance, old).any():
            # (step 1 has no previous coefficients to go back to)
            _halve_bad_steps(x, y_a, constant[active], beta[active], beta_a, eta_a, deviance, old)
        beta[active], eta[active], mu[active] = beta_a, eta_a, np.exp(eta_a)
        iterations[active] = iteration
        done = np.abs(deviance - deviance_old[active]) / (np.abs(deviance) + 0.1) < tolerance
        converged[active[done]] = True
        deviance_old[active] = deviance
        active = active[~done]
        if active.size == 0:
            break
    return BatchFit(coefficients=beta, fitted=mu, iterations=iterations, converged=converged)


def _deviance(y: FloatArray, constant: FloatArray, eta: FloatArray) -> FloatArray:
    value: FloatArray = 2.0 * (constant - np.sum(y * eta, axis=1) + np.exp(eta).sum(axis=1))
    return value


MAX_HALVINGS = 30


def _worse(deviance: FloatArray, deviance_old: FloatArray) -> BoolArray:
    """Steps that made the deviance non-finite or larger (beyond rounding)."""
    result: BoolArray = ~np.isfinite(deviance) | (deviance > deviance_old * (1 + 1e-9) + 1e-9)
    return result


def _halve_bad_steps(
    x: FloatArray,
    y: FloatArray,
    constant: FloatArray,
    beta_old: FloatArray,
    beta_new: FloatArray,
    eta_new: FloatArray,
    deviance: FloatArray,
    deviance_old: FloatArray,
) -> None:
    """Halve, in place and row by row, steps that made the deviance non-finite or larger."""
    for _ in range(MAX_HALVINGS):
        bad = np.flatnonzero(_worse(deviance, deviance_old))
        if bad.size == 0:
            return
        beta_new[bad] = (beta_new[bad] + beta_old[bad]) / 2
        eta_new[bad] = beta_new[bad] @ x.T
        deviance[bad] = _deviance(y[bad], constant[bad], eta_new[bad])


def intercept_variance(x: FloatArray, mu: FloatArray) -> float:
    """[(XᵀWX)⁻¹]₀₀ with W = diag(μ): R's summary(fit)$cov.unscaled[1, 1]."""
    information = (x.T * mu) @ x
    return float(np.linalg.inv(information)[0, 0])


def fit_poisson(x: FloatArray, y: FloatArray, *, r_glm: bool = False) -> PoissonFit:
    """Fit log E[y] = x β by IRLS for one count vector (see :func:`fit_poisson_batch`)."""
    batch = fit_poisson_batch(x, y[None, :], r_glm=r_glm)
    mu = batch.fitted[0]
    return PoissonFit(
        coefficients=batch.coefficients[0],
        fitted=mu,
        intercept_variance=intercept_variance(x, mu),
        deviance=poisson_deviance(y, mu),
        iterations=int(batch.iterations[0]),
        converged=bool(batch.converged[0]),
    )


def poisson_log_likelihood(y: FloatArray, mu: FloatArray) -> float:
    """Σ y log μ − μ − log y!, the full Poisson log-likelihood (with the factorials)."""
    from inbeeld.estimation.special import lgamma

    return float(np.sum(y * np.log(mu) - mu - lgamma(y + 1.0)))
