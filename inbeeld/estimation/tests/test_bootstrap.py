"""Bootstrap resampling, grouped jackknife, BCa, skipped replicates, determinism."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import norm

from inbeeld.estimation import estimate
from inbeeld.estimation.bootstrap import (
    Procedure,
    acceleration,
    bca_limits,
    bootstrap_counts,
    dark_figure_or_none,
    jackknife_counts,
)
from inbeeld.estimation.model import cell_design
from inbeeld.estimation.selection import ModelSearch


def test_bootstrap_resamples_observed_rows_with_fixed_total():
    vectors = bootstrap_counts((1, 2, 3), (40, 30, 10), 3, 50, seed=5)
    assert vectors.shape == (50, 3)
    assert np.all(vectors.sum(axis=1) == 80)
    sparse = bootstrap_counts((1, 4), (5, 5), 7, 10, seed=5)
    assert np.all(sparse[:, [1, 2, 4, 5, 6]] == 0)  # unobserved patterns stay empty


def test_replicate_b_does_not_depend_on_how_many_are_drawn():
    few = bootstrap_counts((1, 2, 3), (40, 30, 10), 3, 10, seed=9)
    many = bootstrap_counts((1, 2, 3), (40, 30, 10), 3, 100, seed=9)
    assert np.array_equal(few, many[:10])


def test_jackknife_lowers_each_row_by_one():
    vectors = jackknife_counts((1, 3), (4, 2), 3)
    assert vectors.tolist() == [[3, 0, 2], [4, 0, 1]]


def test_acceleration_by_hand():
    theta = np.array([10.0, 12.0, 17.0])
    weights = np.array([1.0, 2.0, 1.0])
    mean = (10 + 24 + 17) / 4
    r = mean - theta
    expected = np.sum(weights * r**3) / (6 * np.sum(weights * r**2) ** 1.5)
    assert acceleration(theta, weights) == pytest.approx(expected)
    # Rows without an estimate (NaN) are left out.
    assert acceleration(np.append(theta, np.nan), np.append(weights, 5.0)) == pytest.approx(
        expected
    )
    assert acceleration(np.array([3.0, 3.0]), np.array([1.0, 1.0])) == 0.0


def test_bca_without_bias_or_acceleration_is_the_type_8_percentile():
    values = np.arange(1.0, 102.0)  # 101 values, median 51
    limits = bca_limits(values, 51.0 + 1e-9, 0.0, (0.025, 0.975))
    assert limits is not None
    assert limits.bias_correction == pytest.approx(norm.ppf(51 / 101))
    z0 = norm.ppf(51 / 101)
    level = norm.cdf(2 * z0 + norm.ppf(0.025))
    assert limits.limits[0.025] == pytest.approx(
        np.quantile(values, level, method="median_unbiased")
    )


def test_bca_formula_with_acceleration():
    rng = np.random.default_rng(3)
    values = rng.lognormal(5, 0.3, 400)
    point, accel = float(np.median(values)) * 0.97, 0.05
    limits = bca_limits(values, point, accel, (0.05,))
    assert limits is not None
    z0 = norm.ppf(np.mean(values < point))
    z = z0 + norm.ppf(0.05)
    level = norm.cdf(z0 + z / (1 - accel * z))
    assert limits.limits[0.05] == pytest.approx(
        np.quantile(values, level, method="median_unbiased")
    )


def test_bca_is_undefined_when_all_replicates_are_on_one_side():
    assert bca_limits(np.array([5.0, 6.0, 7.0]), 4.0, 0.0) is None


def test_replicate_with_an_empty_list_has_no_estimate():
    design = cell_design(3)
    search = ModelSearch(design)
    procedure = Procedure(n_lists=3, method="stepwise", pairs=(), p_threshold=0.02)
    y = design.cell_counts((1, 2, 3), (40, 30, 6))  # list C empty
    assert math.isnan(dark_figure_or_none(search, procedure, y))


def test_skipped_replicates_are_counted_and_reported():
    # A:B's only overlap is 2 people out of 60: some resamples lose it, and then the
    # three lists never overlap and no estimate exists.
    table = {"100": 30, "010": 20, "001": 8, "110": 2}
    result = estimate(table, bootstrap=60, seed=1, workers=1)
    assert result.skipped_replicates > 0
    assert len(result.replicates) + result.skipped_replicates == 60
    assert any(w.code == "bootstrap_skipped" for w in result.warnings)
    assert any("bootstrap replicates had no estimate" in str(w) for w in result.warnings)


def test_same_seed_same_result_whatever_the_worker_count(uk5):
    serial = estimate(uk5, bootstrap=80, seed=42, workers=1)
    parallel = estimate(uk5, bootstrap=80, seed=42, workers=2)
    assert serial.replicates == parallel.replicates
    assert serial.bca_interval == parallel.bca_interval
    assert serial.acceleration == parallel.acceleration
    other = estimate(uk5, bootstrap=80, seed=43, workers=1)
    assert other.replicates != serial.replicates


def test_bootstrap_estimates_are_never_below_the_observed(uk5):
    result = estimate(uk5, bootstrap=30, seed=2, workers=1)
    assert min(result.replicates) >= result.observed
    assert result.bca_interval is not None
    low, high = result.bca_interval
    assert result.observed <= low <= high


def test_sparsemse_policy_keeps_the_unconverged_fit_where_skip_leaves_it_out(artificial):
    skipped = estimate(artificial, workers=1)
    kept = estimate(artificial, workers=1, replicates="sparsemse")
    assert skipped.skipped_replicates == 3
    assert kept.skipped_replicates == 0 and len(kept.replicates) == 1000
    assert kept.replicate_policy == "sparsemse" and skipped.replicate_policy == "skip"
    extra = sorted(set(kept.replicates) - set(skipped.replicates))
    # R's glm stops after at most 25 iterations with a huge but finite dark figure.
    assert len(extra) == 3 and all(1e9 < value < math.inf for value in extra)
    assert kept.bca_interval != skipped.bca_interval
    assert kept.estimate == skipped.estimate


def test_r_glm_fit_stops_as_r_does_where_no_mle_exists():
    from inbeeld.estimation.model import cell_design, fit_poisson

    design = cell_design(3)
    y = design.cell_counts((1, 2, 4), (40, 30, 20))  # three lists that never overlap
    x = design.matrix((), np.ones(design.n_cells, dtype=bool))
    ours = fit_poisson(x, y)
    r_like = fit_poisson(x, y, r_glm=True)
    assert r_like.iterations <= 25
    assert math.isfinite(r_like.intercept) and r_like.intercept > 20
    assert ours.iterations > r_like.iterations  # the tighter criterion keeps climbing


def test_unknown_replicate_policy_is_refused(artificial):
    with pytest.raises(ValueError, match="replicates must be one of skip, sparsemse"):
        estimate(artificial, bootstrap=10, replicates="keep")
