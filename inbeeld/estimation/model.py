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
DEVIANCE_TOLERANCE = 1e-11
MAX_ITERATIONS = 100


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


def fit_poisson(x: FloatArray, y: FloatArray, start: FloatArray | None = None) -> PoissonFit:
    """Fit log E[y] = x β by iteratively reweighted least squares (R's glm.fit).

    ``start`` are starting fitted values (a warm start from a neighbouring model);
    without it, R's Poisson start μ = y + 0.1 is used.
    """
    mu: FloatArray = (y + 0.1) if start is None else np.maximum(start, 1e-10)
    eta: FloatArray = np.log(mu)
    deviance_old = poisson_deviance(y, mu)
    beta: FloatArray = np.zeros(x.shape[1])
    converged = False
    iteration = 0
    for iteration in range(1, MAX_ITERATIONS + 1):  # noqa: B007 (used after the loop)
        working = eta + (y - mu) / mu
        weighted = x.T * mu
        beta = np.linalg.solve(weighted @ x, weighted @ working).astype(np.float64, copy=False)
        eta = x @ beta
        mu = np.exp(eta)
        deviance = poisson_deviance(y, mu)
        if abs(deviance - deviance_old) / (abs(deviance) + 0.1) < DEVIANCE_TOLERANCE:
            converged = True
            break
        deviance_old = deviance
    information = (x.T * mu) @ x
    variance = float(np.linalg.inv(information)[0, 0])
    return PoissonFit(
        coefficients=beta,
        fitted=mu,
        intercept_variance=variance,
        deviance=poisson_deviance(y, mu),
        iterations=iteration,
        converged=converged,
    )


def poisson_log_likelihood(y: FloatArray, mu: FloatArray) -> float:
    from scipy.special import gammaln

    return float(np.sum(y * np.log(mu) - mu - gammaln(y + 1.0)))
