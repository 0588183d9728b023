"""The stepwise search run on many count vectors in lockstep (bootstrap, jackknife).

Every bootstrap replicate repeats the full model selection: a handful of small GLM fits
and a few existence checks. Done one replicate at a time, Python overhead per IRLS
iteration dominates. Here all replicates advance together: in each cycle the replicates
whose current model has the same design matrix are fitted in one batched IRLS
(:func:`fit_poisson_batch`), p-values are computed for the whole group at once, and only
the choice of the next pair (with its existence checks, answered mostly from the
checker's memory) is done per replicate.

Each replicate follows exactly the path it would follow alone (same start values, its
own convergence test), so the results equal those of
:meth:`ModelSearch.stepwise` up to floating-point rounding. Batches are formed from fixed
blocks of replicates, never from the worker count, so results are reproducible bit for
bit whatever the number of processes.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from inbeeld.estimation.existence import OK, ExistenceChecker
from inbeeld.estimation.model import CellDesign, FloatArray, fit_poisson_batch
from inbeeld.estimation.selection import poisson_tail_p_many

_Key = tuple[tuple[int, ...], tuple[int, ...]]


class BatchSearch:
    """Dark figures of many count vectors under one procedure (stepwise or fixed)."""

    def __init__(self, design: CellDesign, checker: ExistenceChecker | None = None) -> None:
        self.design = design
        self.checker = checker if checker is not None else ExistenceChecker(design)
        self._matrices: dict[_Key, FloatArray] = {}

    def stepwise(self, counts: FloatArray, p_threshold: float) -> FloatArray:
        """Dark figure per row of ``counts`` (NaN where no estimate exists)."""
        n_rows = counts.shape[0]
        dark = np.full(n_rows, np.nan)
        overlaps = counts @ self.design.pair_columns
        everything = tuple(range(self.design.n_pairs))
        pending: dict[int, tuple[int, ...]] = {}
        for row in range(n_rows):
            if self._check(row, (), counts, overlaps) != OK:
                continue  # no estimate even for main effects: skipped
            if p_threshold >= 1 and self._check(row, everything, counts, overlaps) == OK:
                pending[row] = everything
            else:
                pending[row] = ()
        while pending:
            next_pending: dict[int, tuple[int, ...]] = {}
            for key, rows in self._groups(pending, overlaps).items():
                fitted, intercepts, kept = self._fit_group(key, rows, counts)
                if p_threshold <= 0:
                    dark[rows] = np.exp(intercepts)
                    continue
                columns = self.design.pair_columns[kept]
                expected = fitted @ columns
                p_values = poisson_tail_p_many(overlaps[rows], expected)
                self._prefetch(rows, pending, p_values, p_threshold, counts, overlaps)
                for position, row in enumerate(rows):
                    pairs = pending[row]
                    chosen = self._next_pair(
                        row, pairs, p_values[position], p_threshold, counts, overlaps
                    )
                    if chosen is None:
                        dark[row] = np.exp(intercepts[position])
                    else:
                        next_pending[row] = (*pairs, chosen)
            pending = next_pending
        return dark

    def fixed(self, counts: FloatArray, pairs: tuple[int, ...]) -> FloatArray:
        """Dark figure per row under one fixed model (NaN where the check fails)."""
        n_rows = counts.shape[0]
        dark = np.full(n_rows, np.nan)
        overlaps = counts @ self.design.pair_columns
        pending = {
            row: pairs for row in range(n_rows) if self._check(row, pairs, counts, overlaps) == OK
        }
        for key, rows in self._groups(pending, overlaps).items():
            _fitted, intercepts, _kept = self._fit_group(key, rows, counts)
            dark[rows] = np.exp(intercepts)
        return dark

    def _prefetch(
        self,
        rows: list[int],
        pending: dict[int, tuple[int, ...]],
        p_values: FloatArray,
        p_threshold: float,
        counts: FloatArray,
        overlaps: FloatArray,
    ) -> None:
        """Batch the existence witnesses of each row's most likely next model.

        Nearly always the candidate with the smallest p-value passes the check, so we
        look for its witnesses for all rows of the group in one fit per model. The
        sequential choice in :meth:`_next_pair` then finds the answers remembered.
        """
        wanted: dict[_Key, list[int]] = defaultdict(list)
        for position, row in enumerate(rows):
            pairs = pending[row]
            row_p = p_values[position].copy()
            row_p[list(pairs)] = np.inf
            best = int(np.argmin(row_p))  # first index among equal minima, as R
            if not row_p[best] < p_threshold:
                continue
            model = (*pairs, best)
            infinite = tuple(sorted(p for p in model if overlaps[row, p] == 0))
            finite = tuple(sorted(p for p in model if overlaps[row, p] != 0))
            wanted[(finite, infinite)].append(row)
        for (finite, infinite), model_rows in wanted.items():
            if len(model_rows) > 1:  # a single row gains nothing from batching
                self.checker.prefetch(finite, infinite, counts[model_rows])

    def _check(
        self,
        row: int,
        pairs: tuple[int, ...],
        counts: FloatArray,
        overlaps: FloatArray,
    ) -> int:
        infinite = tuple(p for p in pairs if overlaps[row, p] == 0)
        finite = tuple(p for p in pairs if overlaps[row, p] != 0)
        return self.checker.check(finite, infinite, counts[row])

    def _groups(
        self, pending: dict[int, tuple[int, ...]], overlaps: FloatArray
    ) -> dict[_Key, list[int]]:
        groups: dict[_Key, list[int]] = defaultdict(list)
        for row, pairs in pending.items():
            infinite = tuple(sorted(p for p in pairs if overlaps[row, p] == 0))
            finite = tuple(sorted(p for p in pairs if overlaps[row, p] != 0))
            groups[(finite, infinite)].append(row)
        return groups

    def _fit_group(
        self,
        key: _Key,
        rows: list[int],
        counts: FloatArray,
    ) -> tuple[FloatArray, FloatArray, np.ndarray]:
        kept = self.design.kept_cells(key[1])
        matrix = self._matrices.get(key)
        if matrix is None:
            matrix = self.design.matrix(key[0], kept)
            self._matrices[key] = matrix
        fit = fit_poisson_batch(matrix, counts[rows][:, kept])
        return fit.fitted, fit.coefficients[:, 0], kept

    def _next_pair(
        self,
        row: int,
        pairs: tuple[int, ...],
        p_values: FloatArray,
        p_threshold: float,
        counts: FloatArray,
        overlaps: FloatArray,
    ) -> int | None:
        candidates = np.array([p for p in range(self.design.n_pairs) if p not in pairs])
        if candidates.size == 0:
            return None
        candidate_p = p_values[candidates]
        for position in np.lexsort((candidates, candidate_p)):
            if not candidate_p[position] < p_threshold:
                return None
            pair = int(candidates[position])
            if self._check(row, (*pairs, pair), counts, overlaps) == OK:
                return pair
        return None
