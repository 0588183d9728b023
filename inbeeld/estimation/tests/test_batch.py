"""The lockstep batch search and the fitted-witness shortcut agree with the plain path."""

from __future__ import annotations

import math

import numpy as np
import pytest

from inbeeld.estimation.batch import BatchSearch
from inbeeld.estimation.bootstrap import Procedure, bootstrap_counts, dark_figure_or_none
from inbeeld.estimation.existence import (
    ExistenceChecker,
    check_model,
    existence_lp_optimum,
    positive_witness,
)
from inbeeld.estimation.model import cell_design
from inbeeld.estimation.selection import ModelSearch


@pytest.mark.parametrize(("name", "method"), [("UKdat_5", "stepwise"), ("Artificial_3", "fixed")])
def test_batch_search_gives_the_dark_figures_of_one_at_a_time(request, name, method):
    table = request.getfixturevalue({"UKdat_5": "uk5", "Artificial_3": "artificial"}[name])
    design = cell_design(table.n_lists)
    counts = bootstrap_counts(table.codes, table.counts, design.n_cells, 40, seed=11)
    procedure = Procedure(table.n_lists, method, (0,) if method == "fixed" else (), 0.02)
    batch = BatchSearch(design)
    stepwise = method == "stepwise"
    together = batch.stepwise(counts, 0.02) if stepwise else batch.fixed(counts, (0,))
    alone = np.array([dark_figure_or_none(ModelSearch(design), procedure, y) for y in counts])
    assert np.array_equal(np.isnan(together), np.isnan(alone))
    ok = ~np.isnan(alone)
    assert np.allclose(together[ok], alone[ok], rtol=1e-9)


def test_witness_never_claims_existence_the_lp_denies():
    rng = np.random.default_rng(5)
    agree = 0
    for _ in range(150):
        n_lists = int(rng.integers(3, 6))
        design = cell_design(n_lists)
        present = rng.random(design.n_cells) < rng.random()
        y = (rng.poisson(3.0, design.n_cells) * present).astype(np.float64)
        for i in range(n_lists):
            y[(1 << i) - 1] += 1 + rng.integers(0, 10)
        k = int(rng.integers(0, design.n_pairs + 1))
        finite = tuple(sorted(int(p) for p in rng.choice(design.n_pairs, k, replace=False)))
        finite = tuple(p for p in finite if design.overlaps(y)[p] > 0)
        kept = design.kept_cells(())
        matrix = design.matrix(finite, kept)
        if np.linalg.matrix_rank(matrix) < matrix.shape[1]:
            continue
        exists = existence_lp_optimum(matrix, y) > 1e-9
        witnessed = positive_witness(matrix, y)
        assert not (witnessed and not exists)
        agree += witnessed == exists
    assert agree > 100  # and it finds the witness in (nearly) every case that exists


def test_skipped_rows_are_nan_in_the_batch():
    design = cell_design(3)
    counts = np.array(
        [
            design.cell_counts((1, 2, 4, 3), (40, 30, 20, 6)),
            design.cell_counts((1, 2, 4), (40, 30, 20)),  # lists never overlap
        ]
    )
    values = BatchSearch(design).stepwise(counts, 0.02)
    assert math.isfinite(values[0]) and math.isnan(values[1])


def test_prefetched_witnesses_give_the_answers_of_a_fresh_check(uk):
    design = cell_design(uk.n_lists)
    counts = bootstrap_counts(uk.codes, uk.counts, design.n_cells, 30, seed=3)
    checker = ExistenceChecker(design)
    model = ((0, 5, 6), ())  # LA:NG, NG:PF, NG:GO — all overlap in UKdat
    checker.prefetch(*model, counts)
    assert checker.witnessed > 0
    for y in counts:
        assert checker.check(*model, y) == check_model(design, *model, y)
