"""Model choice: SparseMSE's stepwise forward selection, a fixed model, main effects only.

Stepwise (``stepwisefit``) starts from main effects and, in each cycle, looks at every
two-list interaction not yet in the model. For pair (i, j) it compares the observed overlap
N*_ij with the fitted overlap λ* of the current model (sum of fitted means over the cells
on both lists) by the smaller one-sided Poisson tail, min(P(X ≤ N*), P(X ≥ N*)), X ~
Poisson(λ*), not doubled. Candidates whose model fails the existence/identifiability check
get p = 1. The smallest p is added when it is strictly below the threshold (ties: first
pair in the order (1,2), (1,3), …, (2,3), …).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from inbeeld.estimation.existence import OK, ExistenceChecker
from inbeeld.estimation.model import CellDesign, FloatArray, PoissonFit, fit_poisson
from inbeeld.estimation.special import poisson_tails

DEFAULT_P_THRESHOLD = 0.02


class NoEstimateError(ValueError):
    """No (identifiable) maximum-likelihood estimate exists for the model on these data."""


@dataclass(frozen=True)
class Step:
    """One cycle of the stepwise search: the pair added and its p-value."""

    pair: int
    p_value: float


@dataclass(frozen=True)
class FittedModel:
    """A model with its fit on one set of cell counts.

    ``pairs`` are the two-list interactions in the order they were added (or given);
    ``infinite`` is the subset whose lists do not overlap (parameter −∞, cells deleted).
    """

    pairs: tuple[int, ...]
    infinite: tuple[int, ...]
    fit: PoissonFit
    kept: np.ndarray
    steps: tuple[Step, ...] = ()

    @property
    def finite(self) -> tuple[int, ...]:
        return tuple(p for p in self.pairs if p not in self.infinite)

    @property
    def dark_figure(self) -> float:
        return float(np.exp(self.fit.intercept))


class ModelSearch:
    """Fits and selects models on cell-count vectors of one number of lists.

    One instance is reused across bootstrap replicates so that design matrices and
    existence checks are shared.
    """

    def __init__(self, design: CellDesign, checker: ExistenceChecker | None = None) -> None:
        self.design = design
        self.checker = checker if checker is not None else ExistenceChecker(design)
        self._matrices: dict[tuple[tuple[int, ...], tuple[int, ...]], np.ndarray] = {}

    def split(self, pairs: tuple[int, ...], counts: FloatArray) -> tuple[int, ...]:
        """The pairs of a model that do not overlap in these data (−∞ parameters)."""
        overlap = self.design.overlaps(counts)
        return tuple(p for p in pairs if overlap[p] == 0)

    def check(self, pairs: tuple[int, ...], counts: FloatArray) -> int:
        infinite = self.split(pairs, counts)
        finite = tuple(p for p in pairs if p not in infinite)
        return self.checker.check(finite, infinite, counts)

    def fit(
        self,
        pairs: tuple[int, ...],
        counts: FloatArray,
        steps: tuple[Step, ...] = (),
        *,
        r_glm: bool = False,
    ) -> FittedModel:
        infinite = self.split(pairs, counts)
        finite = tuple(p for p in pairs if p not in infinite)
        key = (tuple(sorted(finite)), tuple(sorted(infinite)))
        kept = self.design.kept_cells(key[1])
        matrix = self._matrices.get(key)
        if matrix is None:
            matrix = self.design.matrix(key[0], kept)
            self._matrices[key] = matrix
        try:
            fit = fit_poisson(matrix, counts[kept], r_glm=r_glm)
        except np.linalg.LinAlgError:
            raise NoEstimateError("the model fit failed numerically (singular system)") from None
        return FittedModel(pairs=pairs, infinite=infinite, fit=fit, kept=kept, steps=steps)

    def fixed(
        self, pairs: tuple[int, ...], counts: FloatArray, *, unchecked: bool = False
    ) -> FittedModel:
        """Fit a given model after the existence/identifiability check.

        ``unchecked=True``: where the check fails, return R's unconverged fit instead of
        raising (what SparseMSE keeps for a bootstrap replicate, see ``fit_poisson_batch``).
        """
        code = self.check(pairs, counts)
        if code != OK:
            if unchecked and not code & 2:
                return self.fit(pairs, counts, r_glm=True)
            raise NoEstimateError(_explain(code))
        return self.fit(pairs, counts)

    def stepwise(
        self,
        counts: FloatArray,
        p_threshold: float = DEFAULT_P_THRESHOLD,
        *,
        unchecked: bool = False,
    ) -> FittedModel:
        """SparseMSE's stepwise forward selection (see module docstring).

        ``unchecked=True`` starts, as SparseMSE does, from main effects without a check:
        where they have no MLE the start is R's unconverged fit (see :meth:`fixed`).
        """
        # SparseMSE fits main effects without a check; we check it anyway, because on data
        # where even main effects have no MLE (an empty list, lists that never overlap)
        # glm "converges" to a meaningless dark figure. Everything added later is checked.
        main_code = self.check((), counts)
        if main_code != OK and not unchecked:
            raise NoEstimateError(_explain(main_code))
        if p_threshold >= 1 and self.check(tuple(range(self.design.n_pairs)), counts) == OK:
            return self.fit(tuple(range(self.design.n_pairs)), counts)
        model = self.fixed((), counts, unchecked=unchecked)
        if p_threshold <= 0:
            return model
        overlaps = self.design.overlaps(counts)
        for _ in range(self.design.n_pairs):
            chosen = self._next_pair(model, counts, overlaps, p_threshold)
            if chosen is None:
                break
            pairs = (*model.pairs, chosen.pair)
            model = self.fit(pairs, counts, steps=(*model.steps, chosen))
        return model

    def _next_pair(
        self,
        model: FittedModel,
        counts: FloatArray,
        overlaps: FloatArray,
        p_threshold: float,
    ) -> Step | None:
        candidates = np.array(
            [p for p in range(self.design.n_pairs) if p not in model.pairs], dtype=np.int64
        )
        if candidates.size == 0:
            return None
        columns = self.design.pair_columns[model.kept][:, candidates]
        expected = model.fit.fitted @ columns
        p_values = poisson_tail_p(overlaps[candidates], expected)
        # Checking candidates in order of (p, index) and stopping at the first that passes
        # gives the same pair as setting p = 1 for every failing candidate and taking the
        # first minimum, with far fewer linear programmes.
        for position in np.lexsort((candidates, p_values)):
            if not p_values[position] < p_threshold:
                return None
            pair = int(candidates[position])
            if self.check((*model.pairs, pair), counts) == OK:
                return Step(pair=pair, p_value=float(p_values[position]))
        return None


def poisson_tail_p(observed: FloatArray, expected: FloatArray) -> FloatArray:
    """min(P(X ≤ observed), P(X ≥ observed)) for X ~ Poisson(expected), elementwise.

    Without scipy (``special.poisson_tails``): the point estimate is one search, and
    importing scipy.special would cost more than the search itself.
    """
    lower, upper = poisson_tails(observed, expected)
    result: FloatArray = np.minimum(lower, upper)
    return result


def poisson_tail_p_many(observed: FloatArray, expected: FloatArray) -> FloatArray:
    """:func:`poisson_tail_p` with scipy's compiled tails, for the bootstrap's thousands.

    The two agree to 1e-10 relative (tests/test_special.py); a replicate is only ever
    computed this way, so results stay reproducible.
    """
    from scipy.special import pdtr, pdtrc

    lower = pdtr(observed, expected)
    upper = np.where(observed > 0, pdtrc(observed - 1, expected), 1.0)
    result: FloatArray = np.minimum(lower, upper)
    return result


def _explain(code: int) -> str:
    reasons = []
    if code & 1:
        reasons.append(
            "no maximum-likelihood estimate exists (the lists overlap too little for this "
            "model: some cells are forced to be empty)"
        )
    if code & 2:
        reasons.append("the model parameters are not identifiable")
    return "; ".join(reasons)
