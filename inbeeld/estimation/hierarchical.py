"""Hierarchical log-linear models of any order, fitted many at a time.

MultipleSystemsEstimation's "bic" method fits every hierarchical model of a catalogue
(6,212 for five lists) and, in its bootstrap, the top 100 models on every replicate. This
module has the catalogue, the models' canonical names, and one stacked IRLS that fits any
mix of models and count vectors at once.

Parametrisation (the package's "master design"): cell c (a non-empty capture pattern,
list i = bit i) has a 1 in the column of every subset S ⊆ c, the empty set included. A
model is the set of its parameters: the intercept ∅, every main effect, and its
interaction terms, closed under taking subsets.

Why the stacked fit is cheap: in this 0/1 coding the product of the columns of S and T is
the column of S ∪ T, so XᵀWX[S, T] = Σ_{c ⊇ S∪T} w_c — one "upward margin" of the weights,
read at S ∪ T. A fit then costs two small matrix products per iteration for every model
and count vector together, plus a p × p solve each, whatever the number of cells.

A parameter S with N*_S = 0 (nobody on all lists of S) has the extended-MLE value −∞: its
column is dropped and so is every cell containing S (fitted value 0). Existence of the
(extended) MLE is the Fienberg–Rinaldo LP of ``existence.py``; as in the stepwise search it
is first proved, where possible, by the fit itself (a positive fixed point with the
observed margins).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

import numpy as np
import numpy.typing as npt

from inbeeld.estimation.existence import (
    LP_ZERO_TOLERANCE,
    _Memory,
    existence_lp_optimum,
)
from inbeeld.estimation.model import (
    DEVIANCE_TOLERANCE,
    MAX_ITERATIONS,
    BoolArray,
    FloatArray,
)
from inbeeld.estimation.special import lgamma

IntArray = npt.NDArray[np.int64]

# Jobs per stacked fit, sorted by size: bounds the (jobs × p × p) arrays to a few
# megabytes and keeps the padding of small models with big ones low.
STACK_ROWS = 1024


def popcount(value: int) -> int:
    return bin(value).count("1")


@lru_cache(maxsize=8)
def master_design(n_lists: int) -> FloatArray:
    """(2^t − 1) × 2^t: row = cell (code 1 … 2^t − 1), column = subset S, 1 when S ⊆ cell."""
    codes = np.arange(1, 2**n_lists)[:, None]
    subsets = np.arange(2**n_lists)[None, :]
    design: FloatArray = ((codes & subsets) == subsets).astype(np.float64)
    design.setflags(write=False)
    return design


@dataclass(frozen=True)
class HierarchicalModel:
    """A hierarchical model: all main effects plus ``terms`` (subsets of ≥ 2 lists)."""

    n_lists: int
    terms: tuple[int, ...]

    @property
    def parameters(self) -> tuple[int, ...]:
        """Intercept (0), main effects, then the terms."""
        return (0, *(1 << i for i in range(self.n_lists)), *self.terms)

    @property
    def order(self) -> int:
        return max((popcount(term) for term in self.terms), default=1)

    def generators(self) -> list[int]:
        """The maximal sets of the model, by decreasing size, lower list numbers first."""
        sets = [*(1 << i for i in range(self.n_lists)), *self.terms]
        maximal = [s for s in sets if not any(s != o and s & o == s for o in sets)]
        return sorted(maximal, key=lambda s: (-popcount(s), _members(s)))

    def label(self) -> str:
        """MultipleSystemsEstimation's string, e.g. ``[123,25,34]`` (1-based list numbers)."""
        parts = ("".join(str(i + 1) for i in _members(s)) for s in self.generators())
        return "[" + ",".join(parts) + "]"

    def named_terms(self, lists: Sequence[str]) -> tuple[str, ...]:
        """The generators of two lists or more, as ``A:B:C`` names."""
        return tuple(
            ":".join(lists[i] for i in _members(s)) for s in self.generators() if popcount(s) > 1
        )


def _members(subset: int) -> tuple[int, ...]:
    return tuple(i for i in range(subset.bit_length()) if subset >> i & 1)


def default_max_order(n_lists: int) -> int:
    """MultipleSystemsEstimation's default highest interaction order."""
    return {2: 1, 3: 2, 4: 3, 5: 3}.get(n_lists, 2)


@lru_cache(maxsize=16)
def catalogue(n_lists: int, max_order: int) -> tuple[HierarchicalModel, ...]:
    """Every hierarchical model with all main effects and terms of at most ``max_order``
    lists, the saturated model excepted (its dark figure is not identifiable).

    Sizes as the package's catalogue: 3 lists → 8, 4 → 113, 5 (order 3) → 6,212, 6 (order
    2) → 32,768. Ordered by number of terms, then by the terms: a fixed order, which only
    breaks exact ties of BIC.
    """
    max_order = min(max_order, n_lists - 1)
    levels = [
        [sum(1 << i for i in chosen) for chosen in combinations(range(n_lists), size)]
        for size in range(2, max_order + 1)
    ]
    families = sorted(_down_closed(levels, 0, ()), key=lambda terms: (len(terms), terms))
    return tuple(HierarchicalModel(n_lists, terms) for terms in families)


def _down_closed(
    levels: list[list[int]], level: int, chosen: tuple[int, ...]
) -> Iterator[tuple[int, ...]]:
    """Every way to add terms of this level and above whose every subset is present.

    Terms come level by level (pairs, then triples, …), each level in the order of
    ``itertools.combinations``.
    """
    if level == len(levels):
        yield chosen
        return
    present = set(chosen)
    eligible = [
        s for s in levels[level] if level == 0 or all(s & ~(1 << i) in present for i in _members(s))
    ]
    for mask in range(1 << len(eligible)):
        picked = tuple(s for k, s in enumerate(eligible) if mask >> k & 1)
        yield from _down_closed(levels, level + 1, chosen + picked)


@dataclass
class StackFit:
    """Fits of a stack of (model, count vector) jobs; NaN where a job has no estimate.

    ``coefficients`` are indexed by subset (column S is the parameter of S; 0 where the
    model has no such parameter or it is −∞): a warm start for refits of the same model.
    """

    dark_figure: FloatArray  # exp(intercept)
    log_likelihood: FloatArray  # full Poisson log-likelihood over the kept cells
    valid: BoolArray
    coefficients: FloatArray


@dataclass
class _Known:
    """What one fitter has learnt: rank per design, existence per design and support.

    ``monotone`` holds, per set of −∞ parameters (that is, per set of kept cells), what
    the LP decided: fewer parameters or more positive cells can only help (existence.py),
    so one answer settles every query it implies.
    """

    rank_deficient: dict[bytes, bool] = field(default_factory=dict)
    answers: dict[bytes, bool] = field(default_factory=dict)
    monotone: dict[bytes, _Memory] = field(default_factory=dict)


# The table a full Newton step builds (StackFitter._irls_loop) proves existence when each
# kept cell is at least this. Its margins are exact to rounding, which is ~1e-13 of the
# counts, and so is the error of a cell where IRLS is ill-conditioned (fitted values far
# apart): a floor far above rounding and far below one person keeps the proof sound.
WITNESS_FLOOR = 1e-6
# Smallest eigenvalue of XᵀX, relative to the largest, below which a design is rank
# deficient (a squared singular value: R's QR tolerance is 1e-11 on X itself).
RANK_TOLERANCE = 1e-12


class StackFitter:
    """Fits hierarchical models of one number of lists to count vectors, many at once.

    One instance keeps what it learnt (rank and existence answers), so the bootstrap and
    the jackknife reuse the answers of the original data and of each other.
    """

    def __init__(self, n_lists: int) -> None:
        self.n_lists = n_lists
        self.master = master_design(n_lists)
        # One extra, all-zero column: padded parameter slots point there.
        self._pad = 2**n_lists
        self._master_padded = np.hstack([self.master, np.zeros((self.master.shape[0], 1))])
        self._known = _Known()
        self.lp_solved = 0

    def fit(
        self,
        models: Sequence[HierarchicalModel],
        counts: FloatArray,
        model_index: IntArray,
        row_index: IntArray,
        start: FloatArray | None = None,
    ) -> StackFit:
        """Fit ``models[model_index[j]]`` to ``counts[row_index[j]]`` for every job j.

        ``start`` (one row of subset-indexed coefficients per model, as
        ``StackFit.coefficients``) starts IRLS there instead of at R's μ = y + 0.1; the
        MLE, where it exists, is the same.
        """
        n_jobs = model_index.size
        member = np.zeros((len(models), self._pad), dtype=bool)
        for k, model in enumerate(models):
            member[k, list(model.parameters)] = True
        margins = counts @ self.master  # N*_S of every count vector
        zero = margins == 0
        widths = (member[model_index] & ~zero[row_index]).sum(axis=1)
        # Jobs of similar size share a chunk, so little padding goes into the solves.
        order = np.argsort(widths, kind="stable")
        out = StackFit(
            dark_figure=np.full(n_jobs, np.nan),
            log_likelihood=np.full(n_jobs, np.nan),
            valid=np.zeros(n_jobs, dtype=bool),
            coefficients=np.zeros((n_jobs, self._pad + 1)),
        )
        for first in range(0, n_jobs, STACK_ROWS):
            jobs = order[first : first + STACK_ROWS]
            y = counts[row_index[jobs]]
            infinite = member[model_index[jobs]] & zero[row_index[jobs]]
            finite = member[model_index[jobs]] & ~infinite
            beta0 = None if start is None else start[model_index[jobs]]
            self._fit_chunk(out, jobs, y, finite, infinite, beta0)
        return out

    def _fit_chunk(
        self,
        out: StackFit,
        jobs: IntArray,
        y: FloatArray,
        finite: BoolArray,
        infinite: BoolArray,
        start: FloatArray | None,
    ) -> None:
        # A cell is dropped when it contains a −∞ parameter.
        kept = (infinite.astype(np.float64) @ self.master.T) == 0
        columns = _columns(finite, self._pad)
        design_keys = np.packbits(np.hstack([finite, infinite]), axis=1)
        usable = ~self._rank_deficient(design_keys, columns, kept)
        if not usable.any():
            return
        rows = np.flatnonzero(usable)
        beta0 = None if start is None else np.take_along_axis(start[rows], columns[rows], axis=1)
        beta, mu, _converged, witnessed = self._irls(y[rows], kept[rows], columns[rows], beta0)
        # The observed table itself is a positive table with its margins where every kept
        # cell has people; elsewhere the witness of the iterations, else the LP, decides.
        exists = witnessed | np.all(~kept[rows] | (y[rows] > 0), axis=1)
        for position in np.flatnonzero(~exists):
            j = rows[position]
            exists[position] = self._exists_lp(y[j], kept[j], columns[j], finite[j], infinite[j])
        exists &= np.all(np.isfinite(beta), axis=1)
        good = rows[exists]
        target = jobs[good]
        out.dark_figure[target] = np.exp(beta[exists, 0])
        y_good, mu_good, kept_good = y[good], mu[exists], kept[good]
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(kept_good, y_good * np.log(mu_good) - mu_good, 0.0)
        out.log_likelihood[target] = np.sum(terms, axis=1) - np.sum(
            np.where(kept_good, _log_factorials(y_good), 0.0), axis=1
        )
        out.valid[target] = np.isfinite(out.dark_figure[target]) & np.isfinite(
            out.log_likelihood[target]
        )
        full = np.zeros((good.size, self._pad + 1))
        np.put_along_axis(full, columns[good], beta[exists], axis=1)
        full[:, self._pad] = 0.0
        out.coefficients[target] = full

    def _rank_deficient(
        self, design_keys: npt.NDArray[np.uint8], columns: IntArray, kept: BoolArray
    ) -> BoolArray:
        """R's rank test of each job's design (kept cells × finite parameters).

        The design is 0/1, so a deficient rank is structural: the Gram matrix XᵀX (the
        same union trick as the fit, with weight 1 on the kept cells) then has an
        eigenvalue that is zero up to rounding, far below any of a full-rank design.
        """
        unique, first, inverse = np.unique(
            design_keys, axis=0, return_index=True, return_inverse=True
        )
        known = self._known.rank_deficient
        keys = [row.tobytes() for row in unique]
        missing = [u for u, key in enumerate(keys) if key not in known]
        if missing:
            jobs = first[missing]
            pairs, padded = self._pairs(columns[jobs])
            width = columns.shape[1]
            upward = kept[jobs].astype(np.float64) @ self._master_padded
            gram = np.take_along_axis(upward, pairs, 1)
            gram[:, :: width + 1] += padded
            eigenvalues = np.linalg.eigvalsh(gram.reshape(len(jobs), width, width))
            deficient = eigenvalues[:, 0] <= RANK_TOLERANCE * eigenvalues[:, -1]
            for u, value in zip(missing, deficient, strict=True):
                known[keys[u]] = bool(value)
        flags = np.array([known[key] for key in keys], dtype=bool)
        result: BoolArray = flags[inverse.ravel()]
        return result

    def _irls(
        self, y: FloatArray, kept: BoolArray, columns: IntArray, beta0: FloatArray | None
    ) -> tuple[FloatArray, FloatArray, BoolArray, BoolArray]:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self._irls_loop(y, kept, columns, beta0)

    def _irls_loop(
        self, y: FloatArray, kept: BoolArray, columns: IntArray, beta0: FloatArray | None
    ) -> tuple[FloatArray, FloatArray, BoolArray, BoolArray]:
        """IRLS for every job at once: β (intercept first), μ, convergence, witness.

        From R's start μ = y + 0.1 (or η = Xβ₀), until the relative change of the deviance
        is below 1e-10; a step that makes a job's deviance non-finite or larger is halved,
        as in ``model.fit_poisson_batch``.

        The witness of existence comes free with the iterations. For a full Newton step δ
        from μ = exp(Xβ) (W = diag μ, XᵀWXδ = Xᵀ(y − μ)), the table x = μ ⊙ (1 + Xδ) has
        exactly the observed margins: Xᵀx = Xᵀμ + XᵀWXδ = Xᵀy. When every cell of x is
        positive (above ``WITNESS_FLOOR``, so that rounding cannot matter) the MLE exists:
        the LP optimum is positive. Where no MLE exists no step can build such a table.
        """
        n_jobs, width = columns.shape
        keptf = kept.astype(np.float64)
        if beta0 is None:
            beta = np.zeros((n_jobs, width))
            eta = np.log(np.where(kept, y + 0.1, 1.0))
            in_column_space = False  # η₀ is not Xβ for any β: step 1 is no witness
        else:
            beta = beta0.copy()
            eta = self._predict(beta, columns)
            in_column_space = True
        mu = np.exp(eta) * keptf
        log_y = np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0)), 0.0)
        constant = np.sum(log_y - y, axis=1)
        deviance_old = self._deviance(y, keptf, constant, eta)
        converged = np.zeros(n_jobs, dtype=bool)
        witnessed = np.zeros(n_jobs, dtype=bool)
        active = np.arange(n_jobs)
        pairs, padded = self._pairs(columns)
        for iteration in range(1, MAX_ITERATIONS + 1):
            y_a, k_a, mu_a, eta_a = y[active], keptf[active], mu[active], eta[active]
            safe_mu = np.where(k_a > 0, mu_a, 1.0)
            working = np.where(k_a > 0, eta_a + (y_a - mu_a) / safe_mu, 0.0)
            beta_a = self._solve(
                mu_a, mu_a * working, columns[active], pairs[active], padded[active]
            )
            eta_new = self._predict(beta_a, columns[active])
            if iteration > 1 or in_column_space:
                table = mu_a * (1.0 + (eta_new - eta_a))
                witnessed[active] |= np.all((k_a == 0) | (table >= WITNESS_FLOOR), axis=1)
            deviance = self._deviance(y_a, k_a, constant[active], eta_new)
            if iteration > 1 or in_column_space:
                self._halve(
                    beta[active], beta_a, eta_new, deviance, deviance_old[active], y_a, k_a,
                    constant[active], columns[active],
                )  # fmt: skip
            beta[active], eta[active] = beta_a, eta_new
            mu[active] = np.exp(eta_new) * k_a
            relative = np.abs(deviance - deviance_old[active]) / (np.abs(deviance) + 0.1)
            done = (relative < DEVIANCE_TOLERANCE) | ~np.isfinite(deviance)
            converged[active[done]] = np.isfinite(deviance[done])
            deviance_old[active] = deviance
            active = active[~done]
            if active.size == 0:
                break
        return beta, mu, converged, witnessed

    def _pairs(self, columns: IntArray) -> tuple[IntArray, BoolArray]:
        """Index of S ∪ T for every pair of parameter slots, and which slots are padding."""
        padded = columns == self._pad
        union = columns[:, :, None] | columns[:, None, :]
        either = padded[:, :, None] | padded[:, None, :]
        union = np.where(either, self._pad, union)
        return union.reshape(columns.shape[0], -1), padded

    def _solve(
        self,
        weights: FloatArray,
        weighted_working: FloatArray,
        columns: IntArray,
        pairs: IntArray,
        padded: BoolArray,
    ) -> FloatArray:
        """β of one weighted least-squares step for every job (padding slots stay 0)."""
        n_jobs, width = columns.shape
        upward = weights @ self._master_padded  # Σ_{c ⊇ S} w_c for every S
        flat: FloatArray = np.take_along_axis(upward, pairs, axis=1)
        flat[:, :: width + 1] += padded  # identity on the padding slots
        information = flat.reshape(n_jobs, width, width)
        score = np.take_along_axis(weighted_working @ self._master_padded, columns, axis=1)
        try:
            solved = np.linalg.solve(information, score[:, :, None])[:, :, 0]
            return np.asarray(solved, dtype=np.float64)
        except np.linalg.LinAlgError:
            return _solve_one_by_one(information, score)

    def _predict(self, beta: FloatArray, columns: IntArray) -> FloatArray:
        """η = Xβ: each cell sums the coefficients of the parameters it contains."""
        full = np.zeros((beta.shape[0], self._pad + 1))
        np.put_along_axis(full, columns, beta, axis=1)
        full[:, self._pad] = 0.0
        eta: FloatArray = full @ self._master_padded.T
        return eta

    @staticmethod
    def _deviance(
        y: FloatArray, keptf: FloatArray, constant: FloatArray, eta: FloatArray
    ) -> FloatArray:
        """Deviance over the kept cells (dropped cells have y = 0 and μ = 0)."""
        value: FloatArray = 2.0 * (
            constant - np.sum(keptf * y * eta, axis=1) + np.sum(keptf * np.exp(eta), axis=1)
        )
        return value

    def _halve(
        self,
        beta_old: FloatArray,
        beta_new: FloatArray,
        eta_new: FloatArray,
        deviance: FloatArray,
        deviance_old: FloatArray,
        y: FloatArray,
        keptf: FloatArray,
        constant: FloatArray,
        columns: IntArray,
    ) -> None:
        """Halve, in place, steps that made the deviance non-finite or larger."""
        for _ in range(30):
            bad = np.flatnonzero(
                ~np.isfinite(deviance) | (deviance > deviance_old * (1 + 1e-9) + 1e-9)
            )
            if bad.size == 0:
                return
            beta_new[bad] = (beta_new[bad] + beta_old[bad]) / 2
            eta_new[bad] = self._predict(beta_new[bad], columns[bad])
            deviance[bad] = self._deviance(y[bad], keptf[bad], constant[bad], eta_new[bad])

    def _exists_lp(
        self,
        y: FloatArray,
        kept: BoolArray,
        columns: IntArray,
        finite: BoolArray,
        infinite: BoolArray,
    ) -> bool:
        """Existence where no witness was found: remembered answers, else the LP."""
        finite_key = np.packbits(finite).tobytes()
        infinite_key = np.packbits(infinite).tobytes()
        support = (y > 0) & kept
        key = finite_key + infinite_key + np.packbits(support).tobytes()
        answer = self._known.answers.get(key)
        if answer is not None:
            return answer
        memory = self._known.monotone.get(infinite_key)
        if memory is None:
            memory = self._known.monotone[infinite_key] = _Memory(kept=kept, kept_bits=0)
        parameters = columns[columns != self._pad]
        terms = sum(1 << int(s) for s in parameters)
        support_bits = sum(1 << int(c) for c in np.flatnonzero(support))
        exists = memory.known(terms, support_bits)
        if exists is None:
            self.lp_solved += 1
            matrix = self.master[kept][:, parameters]
            exists = existence_lp_optimum(matrix, y[kept]) > LP_ZERO_TOLERANCE
            memory.remember(terms, support_bits, exists)
        self._known.answers[key] = exists
        return exists

    def intercept_variance(self, model: HierarchicalModel, counts: FloatArray) -> float:
        """[(XᵀWX)⁻¹]₀₀ at the fit of one model (for the interval given the model)."""
        margins = counts @ self.master
        infinite = [s for s in model.parameters if margins[s] == 0]
        parameters = [s for s in model.parameters if margins[s] > 0]
        kept = self.master[:, infinite].sum(axis=1) == 0
        columns = np.array([parameters], dtype=np.int64)
        _beta, mu, _converged, _witnessed = self._irls(
            counts[None, :], kept[None, :], columns, None
        )
        matrix = self.master[kept][:, parameters]
        information = (matrix.T * mu[0, kept]) @ matrix
        return float(np.linalg.inv(information)[0, 0])


def _columns(finite: BoolArray, pad: int) -> IntArray:
    """Each row's finite parameters as indices, intercept first, padded with ``pad``."""
    width = int(finite.sum(axis=1).max()) if finite.size else 0
    order = np.argsort(~finite, axis=1, kind="stable")[:, :width]
    columns = np.where(np.take_along_axis(finite, order, axis=1), order, pad)
    result: IntArray = columns.astype(np.int64)
    return result


def _log_factorials(counts: FloatArray) -> FloatArray:
    """log(y!) of whole counts, with one lgamma per distinct value."""
    values, inverse = np.unique(counts, return_inverse=True)
    result: FloatArray = lgamma(values + 1.0)[inverse].reshape(counts.shape)
    return result


def _solve_one_by_one(information: FloatArray, score: FloatArray) -> FloatArray:
    """Solve each system alone; a singular one gives NaN (that job then has no estimate)."""
    result = np.full(score.shape, np.nan)
    for j in range(score.shape[0]):
        try:
            result[j] = np.linalg.solve(information[j], score[j])
        except np.linalg.LinAlgError:
            continue
    return result


def bic(log_likelihood: FloatArray, n_parameters: IntArray | int, observed: int) -> FloatArray:
    """P log n − 2 log L, with n the number of people observed (the Rcapture convention)."""
    value: FloatArray = np.asarray(n_parameters) * math.log(observed) - 2.0 * log_likelihood
    return value
