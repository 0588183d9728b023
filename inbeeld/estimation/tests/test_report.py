"""The text report (nl/en) and the picture."""

from __future__ import annotations

import pytest

from inbeeld.estimation import estimate
from inbeeld.estimation.plot import save_plot
from inbeeld.estimation.report import format_number, render, translate_warning

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


def test_every_warning_of_the_engine_has_a_dutch_translation():
    warnings = [
        "the all-zero pattern (count 5) is not observable and was ignored",
        "lists A and B have nobody in common; their interaction is taken as −∞ "
        "(no overlap expected)",
        "the model fit did not converge; treat the estimate with caution",
        "only 6 people are on more than one list; the estimate rests on very few overlaps "
        "and is unreliable",
        "3 of 1000 bootstrap replicates had no estimate (a small list or overlap was "
        "empty in the resample) and were left out",
        "80 of 1000 bootstrap replicates had no estimate (a small list or overlap was "
        "empty in the resample) and were left out — many, so the interval is doubtful",
        "2 jackknife refits had no estimate and were left out of the acceleration",
        "the BCa interval is undefined (all bootstrap estimates on one side of the point "
        "estimate); the model-conditional interval is shown instead",
    ]
    for warning in warnings:
        assert translate_warning(warning, "nl") != warning
        assert translate_warning(warning, "en") == warning


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_plot_files(tmp_path, lang):
    result = estimate(SPARSE, bootstrap=30, workers=1)
    save_plot(result, tmp_path / "a.png", lang)
    save_plot(result, tmp_path / "a.svg", lang)
    assert (tmp_path / "a.png").read_bytes().startswith(b"\x89PNG")
    assert b"<svg" in (tmp_path / "a.svg").read_bytes()[:500]
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        save_plot(result, tmp_path / "a.jpg", lang)
