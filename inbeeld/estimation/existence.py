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
cells can only help. Bootstrap replicates share models and supports over and over, so we
remember, per model, supports known to work and supports known to fail, and answer any
superset of a working support (or subset of a failing one) without an LP.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog

from inbeeld.estimation.model import BoolArray, CellDesign, FloatArray

# R tests objval == 0 exactly; an interior-point/simplex solver in floating point needs a
# tolerance. The margins are counts (≥ 1 when positive), so a feasible positive table has
# s well above this whenever one exists.
LP_ZERO_TOLERANCE = 1e-9

OK = 0
NO_MLE = 1
NOT_IDENTIFIABLE = 2


def existence_lp_optimum(model_matrix: FloatArray, counts: FloatArray) -> float:
    """The optimum s of the LP above (0 when no strictly positive table has the margins)."""
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
class _ModelMemory:
    rank_deficient: bool
    working: list[int] = field(default_factory=list)
    failing: list[int] = field(default_factory=list)


class ExistenceChecker:
    """``checkident`` with a per-model memory of supports (see module docstring)."""

    def __init__(self, design: CellDesign) -> None:
        self.design = design
        self._memory: dict[tuple[tuple[int, ...], tuple[int, ...]], _ModelMemory] = {}
        self.lp_solved = 0
        self.lp_avoided = 0

    def check(
        self,
        finite_pairs: tuple[int, ...],
        infinite_pairs: tuple[int, ...],
        counts: FloatArray,
    ) -> int:
        """Error code of the model on the full cell counts (0 = estimate exists)."""
        kept = self.design.kept_cells(infinite_pairs)
        key = (tuple(sorted(finite_pairs)), tuple(sorted(infinite_pairs)))
        memory = self._memory.get(key)
        if memory is None:
            matrix = self.design.matrix(key[0], kept)
            memory = _ModelMemory(rank_deficient=is_rank_deficient(matrix))
            self._memory[key] = memory
        code = NOT_IDENTIFIABLE if memory.rank_deficient else OK
        if not self._positive_table_exists(memory, key[0], kept, counts):
            code += NO_MLE
        return code

    def _positive_table_exists(
        self,
        memory: _ModelMemory,
        finite_pairs: tuple[int, ...],
        kept: BoolArray,
        counts: FloatArray,
    ) -> bool:
        support = _support_bits(counts, kept)
        if any(support & known == known for known in memory.working):
            self.lp_avoided += 1
            return True
        if any(support | known == known for known in memory.failing):
            self.lp_avoided += 1
            return False
        kept_counts = counts[kept]
        if np.all(kept_counts > 0):
            exists = True  # the observed table itself is strictly positive
        else:
            self.lp_solved += 1
            matrix = self.design.matrix(finite_pairs, kept)
            exists = existence_lp_optimum(matrix, kept_counts) > LP_ZERO_TOLERANCE
        (memory.working if exists else memory.failing).append(support)
        return exists


def _support_bits(counts: FloatArray, kept: BoolArray) -> int:
    """Bitmask of the kept cells with a positive count."""
    positive = np.flatnonzero((counts > 0) & kept)
    return int(sum(1 << int(k) for k in positive))


def check_model(
    design: CellDesign,
    finite_pairs: tuple[int, ...],
    infinite_pairs: tuple[int, ...],
    counts: FloatArray,
) -> int:
    """One-off ``checkident`` without a memory (for callers outside the search)."""
    return ExistenceChecker(design).check(finite_pairs, infinite_pairs, counts)
