"""Cells, design matrices and the IRLS Poisson fit, against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from inbeeld.estimation import estimate, from_mapping
from inbeeld.estimation.model import cell_design, fit_poisson, fit_poisson_batch, poisson_deviance


def test_cells_enumerate_all_observable_patterns_with_list_zero_as_bit_zero():
    design = cell_design(3)
    assert design.n_cells == 7
    assert design.cells[0].tolist() == [1, 0, 0]  # code 1
    assert design.cells[2].tolist() == [1, 1, 0]  # code 3
    assert design.cells[6].tolist() == [1, 1, 1]  # code 7
    assert design.pairs == ((0, 1), (0, 2), (1, 2))
    assert design.pair_columns[:, 0].tolist() == [0, 0, 1, 0, 0, 0, 1]


def test_model_matrix_has_intercept_main_effects_and_chosen_pairs():
    design = cell_design(3)
    matrix = design.matrix((2,), design.kept_cells(()))
    assert matrix.shape == (7, 5)
    assert matrix[:, 0].tolist() == [1] * 7
    assert matrix[:, 4].tolist() == [0, 0, 0, 0, 0, 1, 1]  # B:C


def test_infinite_pair_deletes_cells_on_both_lists():
    design = cell_design(3)
    kept = design.kept_cells((1,))  # A:C
    assert kept.tolist() == [True, True, True, True, False, True, False]


def test_cell_counts_and_overlaps():
    design = cell_design(3)
    y = design.cell_counts((1, 2, 4, 3), (40, 30, 20, 6))
    assert y.tolist() == [40, 30, 6, 20, 0, 0, 0]
    assert design.overlaps(y).tolist() == [6, 0, 0]


def test_two_list_fit_is_saturated_with_the_lincoln_petersen_intercept():
    n10, n01, n11 = 40.0, 30.0, 10.0
    design = cell_design(2)
    fit = fit_poisson(design.matrix((), design.kept_cells(())), np.array([n10, n01, n11]))
    assert fit.converged
    assert np.allclose(fit.fitted, [n10, n01, n11])
    assert fit.intercept == pytest.approx(math.log(n10 * n01 / n11), rel=1e-10)
    # Saturated Poisson: var(log μ10 + log μ01 − log μ11) = 1/μ10 + 1/μ01 + 1/μ11.
    assert fit.intercept_variance == pytest.approx(1 / n10 + 1 / n01 + 1 / n11, rel=1e-8)
    assert fit.deviance == pytest.approx(0.0, abs=1e-9)


def test_three_list_independence_fit_matches_the_margins():
    # Under main effects the fitted margins equal the observed margins (sufficient stats).
    design = cell_design(3)
    y = design.cell_counts((1, 2, 3, 4, 5, 6, 7), (30, 25, 8, 20, 6, 5, 2))
    matrix = design.matrix((), design.kept_cells(()))
    fit = fit_poisson(matrix, y)
    assert np.allclose(matrix.T @ fit.fitted, matrix.T @ y, rtol=1e-8)


def test_a_batch_fits_every_row_as_if_alone():
    design = cell_design(3)
    matrix = design.matrix((0,), design.kept_cells(()))
    rows = np.array(
        [
            design.cell_counts((1, 2, 3, 4, 5, 6, 7), (30, 25, 8, 20, 6, 5, 2)),
            design.cell_counts((1, 2, 3, 4, 5, 6, 7), (3, 2, 1, 9, 1, 0, 0)),
        ]
    )
    batch = fit_poisson_batch(matrix, rows)
    for i, y in enumerate(rows):
        alone = fit_poisson(matrix, y)
        assert np.allclose(batch.coefficients[i], alone.coefficients, rtol=1e-12)
        assert batch.iterations[i] == alone.iterations


def test_sparse_fit_that_once_overshot_now_converges():
    # Found by Hypothesis: starting A:D from the main-effects fit overshot (μ overflow,
    # singular system). R's start y + 0.1 with step halving converges.
    table = from_mapping({"0001": 1, "0010": 3, "0100": 48, "1000": 1, "1011": 1})
    design = cell_design(4)
    y = design.cell_counts(table.codes, table.counts)
    fit = fit_poisson(design.matrix((2,), design.kept_cells(())), y)
    assert fit.converged
    assert np.all(np.isfinite(fit.coefficients))
    result = estimate(table, bootstrap=0)
    assert result.estimate >= result.observed


def test_deviance_treats_zero_counts_as_zero_log_term():
    assert poisson_deviance(np.array([0.0, 2.0]), np.array([1.0, 2.0])) == pytest.approx(2.0)
