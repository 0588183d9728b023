"""The LP existence check and the rank check (SparseMSE's checkident)."""

from __future__ import annotations

import numpy as np
import pytest

from inbeeld.estimation.existence import (
    NO_MLE,
    NOT_IDENTIFIABLE,
    OK,
    ExistenceChecker,
    check_model,
    existence_lp_optimum,
)
from inbeeld.estimation.model import cell_design


def counts(n_lists, table):
    design = cell_design(n_lists)
    codes = [int("".join(reversed(p)), 2) for p in table]  # "110" = on A and B
    return design, design.cell_counts(tuple(codes), tuple(table.values()))


def test_two_lists_that_overlap_have_an_mle():
    design, y = counts(2, {"10": 40, "01": 30, "11": 10})
    assert check_model(design, (), (), y) == OK


def test_two_lists_without_overlap_have_no_mle():
    design, y = counts(2, {"10": 40, "01": 30})
    assert check_model(design, (), (), y) == NO_MLE
    # The optimum is exactly the largest common lower bound of a positive table: 0 here.
    matrix = design.matrix((), design.kept_cells(()))
    assert existence_lp_optimum(matrix, y) == pytest.approx(0.0, abs=1e-12)


def test_lp_optimum_by_hand():
    # Main effects on 2 lists are saturated: the margins fix x = n, so s = min(n) = 4.
    design, y = counts(2, {"10": 12, "01": 30, "11": 4})
    matrix = design.matrix((), design.kept_cells(()))
    assert existence_lp_optimum(matrix, y) == pytest.approx(4.0)
    # Main effects on 3 lists with a complete table: the margins (N, n_A, n_B, n_C) leave
    # room to even the cells out; by symmetry the optimum is the table with all cells
    # equal to N/7 when the margins are those of an all-equal table.
    design3 = cell_design(3)
    equal = np.full(7, 2.0)
    matrix3 = design3.matrix((), design3.kept_cells(()))
    assert existence_lp_optimum(matrix3, equal) == pytest.approx(2.0)


def test_three_disjoint_lists_have_no_mle():
    design, y = counts(3, {"100": 40, "010": 30, "001": 20})
    assert check_model(design, (), (), y) == NO_MLE


def test_artificial_main_effects_exist_but_pairs_with_no_overlap_are_vetoed():
    design, y = counts(3, {"100": 40, "010": 30, "001": 20, "110": 6})
    assert check_model(design, (), (), y) == OK
    # A:C at −∞ leaves A:B's overlap as the only overlap: still fine.
    assert check_model(design, (), (1,), y) == OK
    # A:B as a finite term with only the 110 cell positive among overlaps: no MLE.
    assert check_model(design, (0,), (), y) == NO_MLE


def test_deleting_too_many_cells_makes_the_model_unidentifiable():
    design, y = counts(2, {"10": 40, "01": 30})
    # A:B at −∞ leaves 2 cells for 3 parameters.
    assert check_model(design, (), (0,), y) & NOT_IDENTIFIABLE


def test_saturated_three_list_model_needs_every_cell_positive():
    full = {"100": 5, "010": 4, "001": 3, "110": 2, "101": 2, "011": 2, "111": 1}
    design, y = counts(3, full)
    assert check_model(design, (0, 1, 2), (), y) == OK
    design, y = counts(3, full | {"111": 0})
    assert check_model(design, (0, 1, 2), (), y) == NO_MLE


def test_memory_answers_like_a_fresh_lp():
    # Every support of 4-list tables, checked twice through one memory, agrees with a
    # fresh check each time (the memory relies on monotonicity in the support).
    design = cell_design(4)
    rng = np.random.default_rng(7)
    checker = ExistenceChecker(design)
    models = [((), ()), ((0,), ()), ((0, 5), ()), ((1, 2), ())]
    for _ in range(60):
        present = rng.integers(0, 2, design.n_cells)
        y = (rng.poisson(1.0, design.n_cells) * present).astype(np.float64)
        y[[0, 1, 3, 7]] += 1  # every list non-empty
        for finite, infinite in models:
            assert checker.check(finite, infinite, y) == check_model(design, finite, infinite, y)
    assert checker.lp_avoided > 0


@pytest.mark.parametrize("n_lists", [2, 3, 4, 5])
def test_complete_tables_always_pass_main_effects(n_lists):
    design = cell_design(n_lists)
    y = np.ones(design.n_cells)
    assert check_model(design, (), (), y) == OK
    all_pairs = tuple(range(design.n_pairs))
    n_parameters = 1 + n_lists + len(all_pairs)
    expected = OK if n_parameters <= design.n_cells else NOT_IDENTIFIABLE
    assert check_model(design, all_pairs, (), y) == expected


def test_pattern_strings_map_to_cells():
    # "110" means on A and B: code 3 (bits 0 and 1), cell index 2.
    _design, y = counts(3, {"110": 1, "001": 1})
    assert [int(v) for v in y] == [0, 0, 1, 1, 0, 0, 0]
