"""Property-based tests (Hypothesis) of the point estimate."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from inbeeld.estimation import NoEstimateError, estimate, from_mapping

PROPERTY_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def capture_tables(draw, min_lists=2, max_lists=5):
    """{pattern string: count} with every list non-empty and some overlap."""
    n_lists = draw(st.integers(min_lists, max_lists))
    patterns = [format(code, f"0{n_lists}b") for code in range(1, 2**n_lists)]
    # Many zero cells: sparse tables are where existence checks and −∞ terms matter.
    counts = {p: draw(st.just(0) | st.integers(1, 60)) for p in patterns}
    for i in range(n_lists):  # every list has somebody only on it
        single = "".join("1" if j == i else "0" for j in range(n_lists))
        counts[single] = max(counts[single], 1)
    return counts


def estimate_or_none(table, **options):
    try:
        return estimate(table, bootstrap=0, **options)
    except NoEstimateError:
        return None


@PROPERTY_SETTINGS
@given(capture_tables(), st.sampled_from(["stepwise", "main"]))
def test_estimate_is_never_below_the_observed_count(table, method):
    result = estimate_or_none(table, method=method)
    assume(result is not None)
    assert result.estimate >= result.observed
    assert result.conditional_interval[0] >= result.observed
    assert result.conditional_interval[0] <= result.estimate <= result.conditional_interval[1]


@PROPERTY_SETTINGS
@given(capture_tables(min_lists=2, max_lists=5), st.data())
def test_relabelling_lists_changes_nothing_under_main_effects(table, data):
    n_lists = len(next(iter(table)))
    order = data.draw(st.permutations(range(n_lists)))
    names = [f"L{i}" for i in range(n_lists)]
    permuted = {"".join(p[i] for i in order): c for p, c in table.items()}
    original = estimate_or_none(from_mapping(table, names), method="main")
    shuffled = estimate_or_none(from_mapping(permuted, [names[i] for i in order]), method="main")
    assert (original is None) == (shuffled is None)
    if original is not None and shuffled is not None:
        assert shuffled.estimate == pytest.approx(original.estimate, rel=1e-7)
        assert shuffled.conditional_interval == pytest.approx(
            original.conditional_interval, rel=1e-6
        )


@PROPERTY_SETTINGS
@given(capture_tables(min_lists=3, max_lists=4), st.data())
def test_a_row_with_count_zero_changes_nothing(table, data):
    multi = [p for p in table if p.count("1") > 1]
    zeroed = data.draw(st.sampled_from(multi))
    without_row = {p: c for p, c in table.items() if p != zeroed}
    result_with = estimate_or_none(without_row | {zeroed: 0})
    result_without = estimate_or_none(without_row)
    assert (result_with is None) == (result_without is None)
    if result_with is not None and result_without is not None:
        assert result_with.estimate == result_without.estimate
        assert result_with.model == result_without.model


def test_a_zero_row_changes_nothing_in_the_bootstrap_either():
    table = {"100": 30, "010": 25, "001": 20, "110": 6, "101": 4, "011": 5}
    with_zero = estimate(table | {"111": 0}, bootstrap=30, seed=3, workers=1)
    without = estimate(table, bootstrap=30, seed=3, workers=1)
    assert with_zero.replicates == without.replicates
    assert with_zero.bca_interval == without.bca_interval


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(capture_tables(min_lists=2, max_lists=5), st.integers(0, 2**32 - 1))
def test_bootstrap_on_sparse_tables_accounts_for_every_replicate(table, seed):
    try:
        result = estimate(table, bootstrap=12, seed=seed, workers=1)
    except NoEstimateError:
        return
    assert len(result.replicates) + result.skipped_replicates == 12
    assert all(value >= result.observed for value in result.replicates)
    if result.bca_interval is not None:
        assert result.bca_interval[0] <= result.bca_interval[1]
    if result.skipped_replicates:
        skipped = {"bootstrap_skipped", "bootstrap_skipped_many"}
        assert any(w.code in skipped for w in result.warnings)
