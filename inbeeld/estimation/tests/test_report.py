"""The text report (nl/en) and the picture."""

from __future__ import annotations

import pytest

from inbeeld.estimation import estimate
from inbeeld.estimation.plot import save_plot
from inbeeld.estimation.report import format_number, render
from inbeeld.estimation.warning import CODES, TEXTS, EstimationWarning

SPARSE = {"000": 5, "100": 40, "010": 30, "001": 20, "110": 6}


def test_numbers_are_written_the_dutch_or_english_way():
    assert format_number(11417.99, "nl") == "11.418"
    assert format_number(11417.99, "en") == "11,418"
    assert format_number(0.5, "nl", 2) == "0,50"


def test_dutch_report_translates_figures_and_warnings():
    result = estimate(SPARSE, bootstrap=0)
    text = render(result, "nl", source="lijsten.csv")
    assert "Geschat totaal" in text and "539" in text
    assert "lijsten.csv" in text
    assert "weinig overlap" in text
    assert "niet waarneembaar" in text
    english = render(result, "en")
    assert "very few overlaps" in english and "Estimated total" in english


# One warning of every code, with the parameters the engine gives it.
EVERY_WARNING = [
    EstimationWarning("all_zero_ignored", {"count": 5}),
    EstimationWarning("no_overlap", {"first": "A", "second": "B"}),
    EstimationWarning("not_converged"),
    EstimationWarning("few_overlaps", {"count": 6}),
    EstimationWarning("bootstrap_skipped", {"skipped": 3, "total": 1000}),
    EstimationWarning("bootstrap_skipped_many", {"skipped": 80, "total": 1000}),
    EstimationWarning("jackknife_skipped", {"skipped": 2}),
    EstimationWarning("bca_undefined"),
    EstimationWarning("grid_truncated", {"percent": 12, "maximum": 27440}),
    EstimationWarning("cap_reached", {"percent": 7, "cap": 57624}),
    EstimationWarning("slow_mixing"),
]


def test_every_warning_of_the_engine_has_a_dutch_and_an_english_wording():
    assert {warning.code for warning in EVERY_WARNING} == CODES
    assert set(TEXTS["nl"]) == set(TEXTS["en"]) == CODES
    for warning in EVERY_WARNING:
        dutch, english = warning.text("nl"), warning.text("en")
        assert dutch != english
        assert english == str(warning)
        assert "{" not in dutch and "{" not in english  # every parameter filled in
        for value in warning.params.values():
            assert str(value) in dutch and str(value) in english


def test_the_english_wording_is_the_sentence_the_json_has_always_carried():
    assert str(EVERY_WARNING[4]) == (
        "3 of 1000 bootstrap replicates had no estimate (a small list or overlap was "
        "empty in the resample) and were left out"
    )
    assert str(EVERY_WARNING[1]) == (
        "lists A and B have nobody in common; their interaction is taken as −∞ "
        "(no overlap expected)"
    )


def test_an_unknown_code_is_refused():
    with pytest.raises(ValueError, match="unknown warning code"):
        EstimationWarning("something_else")


def test_json_keeps_the_english_warnings_and_adds_their_codes():
    data = estimate(SPARSE, bootstrap=0).to_dict()
    assert "only 6 people are on more than one list" in " ".join(data["warnings"])
    assert {"code": "few_overlaps", "params": {"count": 6}} in data["warning_codes"]
    assert len(data["warning_codes"]) == len(data["warnings"])


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_plot_files(tmp_path, lang):
    result = estimate(SPARSE, bootstrap=30, workers=1)
    save_plot(result, tmp_path / "a.png", lang)
    save_plot(result, tmp_path / "a.svg", lang)
    assert (tmp_path / "a.png").read_bytes().startswith(b"\x89PNG")
    assert b"<svg" in (tmp_path / "a.svg").read_bytes()[:500]
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        save_plot(result, tmp_path / "a.jpg", lang)
