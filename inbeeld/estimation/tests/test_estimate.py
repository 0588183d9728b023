"""The public estimate(): Lincoln-Petersen, model specs, intervals, results."""

from __future__ import annotations

import json
import math

import pytest
from scipy.stats import norm

from inbeeld.estimation import ModelSpecError, estimate, from_mapping
from inbeeld.estimation.warning import EstimationWarning


@pytest.mark.parametrize(("n10", "n01", "n11"), [(40, 30, 10), (7, 3, 1), (500, 20, 4)])
def test_two_lists_main_effects_is_lincoln_petersen(n10, n01, n11):
    n1, n2 = n10 + n11, n01 + n11
    result = estimate({"10": n10, "01": n01, "11": n11}, method="main", bootstrap=0)
    assert result.estimate == pytest.approx(n1 * n2 / n11, rel=1e-9)
    assert result.observed == n10 + n01 + n11
    assert result.dark_figure == pytest.approx(n10 * n01 / n11, rel=1e-9)


def test_two_lists_stepwise_cannot_add_the_only_pair():
    # With two lists A:B would make the model unidentifiable, so stepwise = main effects.
    result = estimate({"10": 40, "01": 30, "11": 10}, bootstrap=0)
    assert result.model == ()
    assert result.estimate == pytest.approx(200.0)


def test_conditional_interval_is_wald_on_the_log_dark_figure():
    n10, n01, n11 = 40, 30, 10
    result = estimate({"10": n10, "01": n01, "11": n11}, method="main", bootstrap=0)
    se = math.sqrt(1 / n10 + 1 / n01 + 1 / n11)
    z = norm.ppf(0.975)
    dark = n10 * n01 / n11
    assert result.intercept_se == pytest.approx(se, rel=1e-7)
    assert result.conditional_interval is not None
    assert result.conditional_interval[0] == pytest.approx(80 + dark * math.exp(-z * se))
    assert result.conditional_interval[1] == pytest.approx(80 + dark * math.exp(z * se))
    assert result.interval == result.conditional_interval
    assert result.interval_kind == "model-conditional"


def test_model_terms_may_be_given_as_pairs_in_either_order(uk5):
    by_string = estimate(uk5, method="fixed", model=["NG:LA", "GP:GO"], bootstrap=0)
    by_tuple = estimate(uk5, method="fixed", model=[("LA", "NG"), ("GO", "GP")], bootstrap=0)
    assert by_string.model == ("LA:NG", "GO:GP")
    assert by_string.estimate == by_tuple.estimate


@pytest.mark.parametrize(
    ("model", "message"),
    [
        (["LA:XX"], "unknown list 'XX'"),
        (["LA"], "two-list interaction"),
        (["LA:NG:GP"], "two-list interaction"),
        (["LA:LA"], "with itself"),
        (["LA:NG", "NG:LA"], "twice"),
    ],
)
def test_bad_model_specs(uk5, model, message):
    with pytest.raises(ModelSpecError, match=message):
        estimate(uk5, method="fixed", model=model, bootstrap=0)


def test_bad_arguments(uk5):
    with pytest.raises(ValueError, match="unknown method"):
        estimate(uk5, method="aic", bootstrap=0)
    with pytest.raises(ValueError, match="bootstrap"):
        estimate(uk5, bootstrap=-1)
    with pytest.raises(ValueError, match="seed"):
        estimate(uk5, bootstrap=10, seed=-5)


def test_result_is_json_ready(artificial):
    result = estimate(artificial, bootstrap=20, workers=1)
    data = json.loads(json.dumps(result.to_dict()))
    for key in ("estimate", "observed", "ci_low", "ci_high", "model", "method", "bootstrap"):
        assert key in data
    assert data["interval"] == "bca"
    assert data["bootstrap"] == 20
    assert len(data["replicates"]) + data["skipped_replicates"] == 20


def test_few_overlaps_are_warned_about():
    result = estimate(from_mapping({"10": 40, "01": 30, "11": 3}), bootstrap=0)
    assert EstimationWarning("few_overlaps", {"count": 3}) in result.warnings
