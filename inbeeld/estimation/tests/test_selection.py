"""Stepwise selection, fixed models and the Poisson tail p-value."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import poisson

from inbeeld.estimation import NoEstimateError, estimate, from_mapping
from inbeeld.estimation.model import cell_design
from inbeeld.estimation.selection import ModelSearch, poisson_tail_p
from inbeeld.estimation.warning import EstimationWarning


def test_tail_p_is_the_smaller_one_sided_tail_not_doubled():
    observed = np.array([0.0, 5.0, 1.0, 3.0])
    expected = np.array([2.0, 2.0, 6.0, 3.0])
    p = poisson_tail_p(observed, expected)
    assert p[0] == pytest.approx(math.exp(-2.0))  # non-overlapping pair: exp(−λ*)
    assert p[1] == pytest.approx(poisson.sf(4, 2.0))  # P(X ≥ 5)
    assert p[2] == pytest.approx(poisson.cdf(1, 6.0))  # P(X ≤ 1)
    assert p[3] == pytest.approx(min(poisson.cdf(3, 3.0), poisson.sf(2, 3.0)))


def strong_ab_dependence():
    # A and B overlap far more than independence of the three lists would predict.
    return from_mapping(
        {"100": 60, "010": 50, "001": 40, "110": 90, "101": 12, "011": 10, "111": 8}
    )


def test_first_step_takes_the_smallest_p_value_of_the_main_effects_fit():
    table = strong_ab_dependence()
    design = cell_design(3)
    search = ModelSearch(design)
    y = design.cell_counts(table.codes, table.counts)
    main = search.fit((), y)
    expected_overlap = main.fit.fitted @ design.pair_columns
    p = poisson_tail_p(design.overlaps(y), expected_overlap)
    result = estimate(table, bootstrap=0)
    first = int(np.argmin(p))
    assert p[first] < 0.02
    assert result.model[0] == ["A:B", "A:C", "B:C"][first]
    assert result.p_values[0] == pytest.approx(p[first], rel=1e-9)
    assert len(result.p_values) == len(result.model) == 2
    assert all(value < 0.02 for value in result.p_values)


def test_selection_stops_when_no_p_value_is_strictly_below_the_threshold():
    table = strong_ab_dependence()
    first_p = estimate(table, bootstrap=0).p_values[0]
    assert estimate(table, bootstrap=0, p_threshold=first_p).model == ()
    assert estimate(table, bootstrap=0, p_threshold=first_p * 1.0001).model == ("B:C", "A:C")


def test_threshold_zero_means_main_effects_only():
    stepwise = estimate(strong_ab_dependence(), bootstrap=0, p_threshold=0.0)
    main = estimate(strong_ab_dependence(), bootstrap=0, method="main")
    assert stepwise.model == ()
    assert stepwise.estimate == pytest.approx(main.estimate, rel=1e-12)


def test_stepwise_equals_the_fixed_model_it_selects(uk):
    stepwise = estimate(uk, bootstrap=0)
    fixed = estimate(uk, bootstrap=0, method="fixed", model=list(stepwise.model))
    assert fixed.estimate == pytest.approx(stepwise.estimate, rel=1e-9)
    assert fixed.conditional_interval == pytest.approx(stepwise.conditional_interval, rel=1e-7)


def test_non_overlapping_pair_enters_as_minus_infinity():
    # A and B are large and never overlap: independence expects many on both, so the
    # pair has p = exp(−λ*) ≈ 0 and enters with its cells deleted (parameter −∞).
    table = from_mapping(
        {"100": 100, "010": 100, "001": 50, "101": 20, "011": 20, "110": 0, "111": 0}
    )
    result = estimate(table, bootstrap=0)
    assert result.model == ("A:B",)
    assert result.infinite_terms == ("A:B",)
    assert EstimationWarning("no_overlap", {"first": "A", "second": "B"}) in result.warnings
    design = cell_design(3)
    search = ModelSearch(design)
    y = design.cell_counts(table.codes, table.counts)
    fitted = search.fixed((0,), y)
    assert fitted.kept.tolist() == [True, True, False, True, True, True, False]
    # AIC counts the −∞ parameter: glm AIC over the kept cells + 2.
    log_likelihood = float(np.sum(poisson.logpmf(y[fitted.kept], fitted.fit.fitted)))
    glm_aic = -2 * log_likelihood + 2 * len(fitted.fit.coefficients)
    assert result.aic == pytest.approx(glm_aic + 2)


def test_candidates_failing_the_existence_check_are_never_added(artificial):
    # In Artificial_3 only A:B overlaps; A:C and B:C have p = exp(−λ*) but adding them
    # leaves forced-empty cells or too few cells, so stepwise keeps main effects.
    result = estimate(artificial, bootstrap=0)
    assert result.model == ()


def test_fixed_model_that_fails_the_check_raises():
    table = from_mapping({"100": 40, "010": 30, "001": 20, "110": 6})
    with pytest.raises(NoEstimateError, match="no maximum-likelihood estimate"):
        estimate(table, method="fixed", model=["A:B"], bootstrap=0)


def test_no_overlap_at_all_has_no_estimate():
    with pytest.raises(NoEstimateError):
        estimate({"100": 40, "010": 30, "001": 20}, bootstrap=0)
    with pytest.raises(NoEstimateError):
        estimate({"10": 40, "01": 30}, bootstrap=0, method="main")
