"""Estimates per stratum (--strata) and their total."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbeeld.estimation import TableError, estimate, from_mapping
from inbeeld.estimation.strata import estimate_strata, parse_strata_text

TEXT = """Politie;Zorg;Opvang;vorm;count
1;0;0;seksueel;40
0;1;0;seksueel;30
0;0;1;seksueel;20
1;1;0;seksueel;8
1;0;1;seksueel;5
0;1;1;seksueel;4
1;1;1;seksueel;2
1;0;0;arbeid;25
0;1;0;arbeid;15
1;1;0;arbeid;6
"""


def test_rows_are_split_by_stratum_and_a_list_without_people_is_left_out():
    lists, strata = parse_strata_text(TEXT, "vorm")
    assert lists == ("Politie", "Zorg", "Opvang")
    assert [s.name for s in strata] == ["seksueel", "arbeid"]
    assert strata[0].table is not None and strata[0].table.observed == 109
    assert strata[1].dropped == ("Opvang",)
    assert strata[1].table is not None and strata[1].table.lists == ("Politie", "Zorg")


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        (TEXT.replace("vorm", "soort", 1), 1, "no column 'vorm' for --strata"),
        (TEXT.replace("1;1;0;arbeid;6", "1;1;0;;6"), 11, "empty value in the strata column"),
        (TEXT.replace("0;1;0;arbeid;15", "0;2;0;arbeid;15"), 10, "expected 0 or 1"),
    ],
)
def test_bad_strata_files_name_the_line(text, line, problem):
    with pytest.raises(TableError) as caught:
        parse_strata_text(text, "vorm")
    assert caught.value.line == line and problem in caught.value.problem


def test_the_total_is_the_sum_of_the_strata_with_a_bootstrap_interval_of_the_sum():
    lists, strata = parse_strata_text(TEXT, "vorm")
    outcome = estimate_strata(lists, strata, method="stepwise", seed=1, bootstrap=200, workers=1)
    estimates = [item.result.estimate for item in outcome.strata]
    assert outcome.total == pytest.approx(sum(estimates))
    assert outcome.total_interval is not None and outcome.total_interval_kind == (
        "bootstrap-percentile"
    )
    low, high = outcome.total_interval
    assert outcome.total is not None and low < outcome.total < high
    assert outcome.pooled is not None and outcome.pooled.observed == 155
    data = outcome.to_dict()
    assert data["total"]["observed"] == 155 and data["strata"][1]["lists_left_out"] == ["Opvang"]


def test_dga_total_is_the_convolution_of_the_strata_posteriors():
    text = TEXT + "0;0;1;arbeid;3\n1;0;1;arbeid;1\n"
    lists, strata = parse_strata_text(text, "vorm")
    outcome = estimate_strata(lists, strata, method="dga", seed=None)
    medians = [item.result.estimate for item in outcome.strata]
    assert outcome.total_interval_kind == "posterior"
    assert outcome.total_interval is not None
    low, high = outcome.total_interval
    assert low <= sum(medians) <= high
    assert low >= sum(s.table.observed for s in strata if s.table is not None)


def test_a_stratum_without_estimate_leaves_no_total():
    text = "A;B;C;groep;count\n1;0;0;x;40\n0;1;0;x;30\n0;0;1;x;20\n1;0;0;y;5\n"
    lists, strata = parse_strata_text(text, "groep")
    outcome = estimate_strata(lists, strata, method="stepwise", seed=1, bootstrap=0)
    assert outcome.total is None
    assert all(item.result is None for item in outcome.strata)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(["100", "010", "001", "110", "101", "011", "111"]),
        st.integers(1, 40),
        min_size=5,
    )
)
def test_adding_a_list_with_no_people_leaves_stepwise_unchanged(counts):
    # A list nobody is on says nothing: in a stratum it is left out, and the estimate is
    # that of the table without it.
    try:
        plain = estimate(from_mapping(counts, ["A", "B", "C"]), bootstrap=0)
    except (ValueError, TableError):
        return
    rows = ["A;B;C;D;s;count"] + [f"{p[0]};{p[1]};{p[2]};0;x;{c}" for p, c in counts.items()]
    lists, strata = parse_strata_text("\n".join(rows), "s")
    outcome = estimate_strata(lists, strata, method="stepwise", seed=1, bootstrap=0)
    assert strata[0].dropped == ("D",)
    assert outcome.strata[0].result.estimate == plain.estimate
    assert outcome.strata[0].result.model == plain.model
    assert outcome.total is not None and np.isfinite(outcome.total)
