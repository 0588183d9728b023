"""Existence and identifiability of the MLE (SparseMSE's ``checkident``).

For a model matrix A (kept cells × parameters) and observed counts n with sufficient
statistics t = Aᵀn, the (extended) MLE exists iff some strictly positive table x has the
same margins, Aᵀx = t (Fienberg–Rinaldo). SparseMSE decides this with the linear programme

    maximise s  subject to  Aᵀx = t,  x_k − s ≥ 0,  x ≥ 0, s ≥ 0

and "no MLE" when the optimum is 0. Substituting x = y + s·1 gives the equivalent, smaller
programme  maximise s  subject to  Aᵀy + s·Aᵀ1 = t,  y ≥ 0, s ≥ 0, which is what we solve
with HiGHS. The parameters are not identifiable when A has less than full column rank.

The return value follows SparseMSE: 0 = fine, 1 = no MLE, 2 = not identifiable, 3 = both.

Why a cache pays off: whether the optimum is 0 depends only on the model and on *which*
cells are positive (the support), not on the counts — t lies in the relative interior of
the marginal cone iff the cells of the support span it. It is also monotone: more positive
cells can only help, and so can fewer interaction columns (a positive table with the
margins of a bigger model has those of every sub-model). Bootstrap replicates share models
and supports over and over, so we remember what worked and what failed, and answer every
query that follows from it without an LP.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from inbeeld.estimation.model import BoolArray, CellDesign, FloatArray, fit_poisson_batch

# R tests objval == 0 exactly; an interior-point/simplex solver in floating point needs a
# tolerance. The margins are counts (≥ 1 when positive), so a feasible positive table has
# s well above this whenever one exists.
LP_ZERO_TOLERANCE = 1e-9

OK = 0
NO_MLE = 1
NOT_IDENTIFIABLE = 2


def existence_lp_optimum(model_matrix: FloatArray, counts: FloatArray) -> float:
    """The optimum s of the LP above (0 when no strictly positive table has the margins)."""
    # Imported here: most checks are settled by a witness or the memory, and importing
    # scipy.optimize costs more than a whole stepwise fit (see special.py).
    from scipy.optimize import linprog

    margins = model_matrix.T @ counts
    n_cells = model_matrix.shape[0]
    constraints = np.hstack([model_matrix.T, model_matrix.sum(axis=0)[:, None]])
    objective = np.zeros(n_cells + 1)
    objective[-1] = -1.0
    result = linprog(objective, A_eq=constraints, b_eq=margins, bounds=(0, None), method="highs")
    if result.status != 0:
        # Infeasible cannot happen (x = n is feasible with s = 0); any solver failure is
        # treated as "no positive table found", the conservative answer.
        return 0.0
    return float(-result.fun)


def is_rank_deficient(model_matrix: FloatArray) -> bool:
    if model_matrix.shape[0] < model_matrix.shape[1]:
        return True
    return bool(np.linalg.matrix_rank(model_matrix) < model_matrix.shape[1])


@dataclass
class _Memory:
    """What is known for one set of −∞ pairs (i.e. one set of kept cells).

    Entries are (interaction-set bitmask, support bitmask). Fewer interaction columns or
    more positive cells can only help, so a query (F, S) exists if a working entry has
    F ⊆ F' and S ⊇ S', and fails if a failing entry has F ⊇ F' and S ⊆ S'.
    """

    kept: BoolArray
    kept_bits: int
    rank_deficient: dict[int, bool] = field(default_factory=dict)
    # interaction-set bitmask → supports for which existence was shown / refuted
    working: dict[int, list[int]] = field(default_factory=dict)
    failing: dict[int, list[int]] = field(default_factory=dict)
    exact: dict[tuple[int, int], bool] = field(default_factory=dict)
    no_witness: set[tuple[int, int]] = field(default_factory=set)  # go straight to the LP

    def known(self, terms: int, support: int) -> bool | None:
        answer = self.exact.get((terms, support))
        if answer is not None:
            return answer
        for known_terms, supports in self.working.items():
            if terms & known_terms == terms:
                for known_support in supports:
                    if support & known_support == known_support:
                        return True
        for known_terms, supports in self.failing.items():
            if terms & known_terms == known_terms:
                for known_support in supports:
                    if support | known_support == known_support:
                        return False
        return None

    def remember(self, terms: int, support: int, exists: bool) -> None:
        (self.working if exists else self.failing).setdefault(terms, []).append(support)


class ExistenceChecker:
    """``checkident`` with a memory of what is already known (see module docstring)."""

    def __init__(self, design: CellDesign) -> None:
        self.design = design
        self._memory: dict[tuple[int, ...], _Memory] = {}
        self._matrices: dict[tuple[tuple[int, ...], tuple[int, ...]], FloatArray] = {}
        self.lp_solved = 0
        self.lp_avoided = 0
        self.witnessed = 0

    def check(
        self,
        finite_pairs: tuple[int, ...],
        infinite_pairs: tuple[int, ...],
        counts: FloatArray,
    ) -> int:
        """Error code of the model on the full cell counts (0 = estimate exists)."""
        infinite = tuple(sorted(infinite_pairs))
        finite = tuple(sorted(finite_pairs))
        memory = self._memory.get(infinite)
        if memory is None:
            kept = self.design.kept_cells(infinite)
            memory = _Memory(kept=kept, kept_bits=_bits(kept))
            self._memory[infinite] = memory
        kept = memory.kept
        terms = sum(1 << p for p in finite)
        deficient = memory.rank_deficient.get(terms)
        if deficient is None:
            deficient = is_rank_deficient(self._matrix(finite, infinite, kept))
            memory.rank_deficient[terms] = deficient
        code = NOT_IDENTIFIABLE if deficient else OK
        support = _bits(counts > 0) & memory.kept_bits
        exists = memory.known(terms, support)
        if exists is None:
            matrix = self._matrix(finite, infinite, kept)
            try_witness = not deficient and (terms, support) not in memory.no_witness
            exists = self._solve(matrix, counts[kept], try_witness)
            memory.remember(terms, support, exists)
        else:
            self.lp_avoided += 1
        memory.exact[(terms, support)] = exists
        return code if exists else code + NO_MLE

    def prefetch(
        self, finite_pairs: tuple[int, ...], infinite_pairs: tuple[int, ...], counts: FloatArray
    ) -> None:
        """Look for existence witnesses of one model on many count vectors in one fit.

        Only positive answers are remembered (a failed witness proves nothing; the LP
        will decide if :meth:`check` is asked), so :meth:`check` answers exactly as it
        would have without this call, only faster.
        """
        infinite = tuple(sorted(infinite_pairs))
        finite = tuple(sorted(finite_pairs))
        memory = self._memory.get(infinite)
        if memory is None:
            kept = self.design.kept_cells(infinite)
            memory = _Memory(kept=kept, kept_bits=_bits(kept))
            self._memory[infinite] = memory
        terms = sum(1 << p for p in finite)
        matrix = self._matrix(finite, infinite, memory.kept)
        deficient = memory.rank_deficient.get(terms)
        if deficient is None:
            deficient = is_rank_deficient(matrix)
            memory.rank_deficient[terms] = deficient
        if deficient:
            return
        wanted: dict[int, int] = {}  # support → row (one witness per support is enough)
        for row in range(counts.shape[0]):
            support = _bits(counts[row] > 0) & memory.kept_bits
            if support not in wanted and memory.known(terms, support) is None:
                wanted[support] = row
        if not wanted:
            return
        rows = list(wanted.values())
        found = positive_witnesses(matrix, counts[rows][:, memory.kept])
        for support, witnessed in zip(wanted, found, strict=True):
            if witnessed:
                self.witnessed += 1
                memory.remember(terms, support, True)
            else:
                memory.no_witness.add((terms, support))

    def _matrix(
        self, finite: tuple[int, ...], infinite: tuple[int, ...], kept: BoolArray
    ) -> FloatArray:
        matrix = self._matrices.get((finite, infinite))
        if matrix is None:
            matrix = self.design.matrix(finite, kept)
            self._matrices[(finite, infinite)] = matrix
        return matrix

    def _solve(self, matrix: FloatArray, kept_counts: FloatArray, try_witness: bool) -> bool:
        if np.all(kept_counts > 0):
            return True  # the observed table itself is strictly positive
        if try_witness and positive_witness(matrix, kept_counts):
            self.witnessed += 1
            return True
        self.lp_solved += 1
        return existence_lp_optimum(matrix, kept_counts) > LP_ZERO_TOLERANCE


# At a finite MLE a further Newton step moves no linear predictor by more than rounding;
# when no MLE exists, the fitted values of the forced-empty cells keep shrinking by a
# constant factor per step (η falls by about 1), whatever the convergence test said.
WITNESS_STEP_TOLERANCE = 1e-6
WITNESS_ITERATIONS = 40


def positive_witness(model_matrix: FloatArray, counts: FloatArray) -> bool:
    """True when a strictly positive table with the observed margins is found by fitting.

    If the MLE exists, IRLS converges to fitted values μ > 0 with Aᵀμ = Aᵀn (the
    likelihood equations). We check that μ is a fixed point (one more Newton step moves
    nothing), correct μ by the least-norm d with Aᵀd = Aᵀ(n − μ) so that the margins hold
    to rounding, and accept x = μ + d when the correction is small against every cell.
    That proves the LP optimum is > 0, at the cost of one small fit instead of an LP.
    A False answer proves nothing: the caller then solves the LP.
    """
    return bool(positive_witnesses(model_matrix, counts[None, :])[0])


def positive_witnesses(model_matrix: FloatArray, counts: FloatArray) -> BoolArray:
    """:func:`positive_witness` for every row of ``counts`` (one batched fit)."""
    # Without an MLE a fit may overflow or go singular: that just means "no witness".
    with np.errstate(all="ignore"):
        try:
            return _witnesses_found(model_matrix, counts)
        except np.linalg.LinAlgError:
            if counts.shape[0] == 1:
                return np.zeros(1, dtype=bool)
            # One singular row spoils a stacked solve: look at the rows one by one.
            return np.array([positive_witness(model_matrix, row) for row in counts])


def _witnesses_found(model_matrix: FloatArray, counts: FloatArray) -> BoolArray:
    fit = fit_poisson_batch(model_matrix, counts, WITNESS_ITERATIONS)
    mu = fit.fitted
    usable = fit.converged & np.all(np.isfinite(mu) & (mu > 0), axis=1)
    mu = np.where(usable[:, None], mu, 1.0)
    eta = np.log(mu)
    weighted = model_matrix.T[None, :, :] * mu[:, None, :]
    working = eta + (counts - mu) / mu
    beta = np.linalg.solve(weighted @ model_matrix, (weighted @ working[:, :, None]))[:, :, 0]
    eta_next = beta @ model_matrix.T
    fixed_point = np.max(np.abs(eta_next - eta), axis=1) <= WITNESS_STEP_TOLERANCE
    mu = np.exp(eta_next)
    residual = (counts - mu) @ model_matrix  # rows of Aᵀ(n − μ)
    gram = model_matrix.T @ model_matrix
    correction = np.linalg.solve(gram, residual.T).T @ model_matrix.T
    small = np.all(np.abs(correction) <= 0.5 * mu, axis=1)
    result: BoolArray = usable & fixed_point & small
    return result


def _bits(mask: BoolArray) -> int:
    """A boolean vector as an integer bitmask (element k is bit k)."""
    return int.from_bytes(np.packbits(mask, bitorder="little").tobytes(), "little")


def check_model(
    design: CellDesign,
    finite_pairs: tuple[int, ...],
    infinite_pairs: tuple[int, ...],
    counts: FloatArray,
) -> int:
    """One-off ``checkident`` without a memory (for callers outside the search)."""
    return ExistenceChecker(design).check(finite_pairs, infinite_pairs, counts)
