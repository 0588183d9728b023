"""The run page's words for the engine's warnings, and the overlap picture's layout."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.utils import translation

from inbeeld.estimation.warning import CODES, EstimationWarning
from inbeeld.insight.charts import upset_figure
from inbeeld.insight.explain import PROBLEMS, WARNINGS, warning_text
from inbeeld.insight.models import LinkageRun

EXAMPLES: dict[str, dict[str, Any]] = {
    "all_zero_ignored": {"count": 5},
    "no_overlap": {"first": "politie", "second": "opvang"},
    "not_converged": {},
    "few_overlaps": {"count": 6},
    "bootstrap_skipped": {"skipped": 3, "total": 1000},
    "bootstrap_skipped_many": {"skipped": 80, "total": 1000},
    "jackknife_skipped": {"skipped": 2},
    "bca_undefined": {},
    "grid_truncated": {"percent": 12, "maximum": 27440},
    "cap_reached": {"percent": 7, "cap": 57624},
    "slow_mixing": {},
}


def run_with_lists() -> LinkageRun:
    return LinkageRun(sources=["politie", "opvang"], labels=["Politie", "Opvang Zeeland"])


def test_every_warning_code_of_the_engine_has_words_on_the_page() -> None:
    assert set(EXAMPLES) == set(WARNINGS) == CODES
    assert set(PROBLEMS) == set(LinkageRun.Problem.values)


@pytest.mark.parametrize("code", sorted(CODES))
def test_a_warning_reads_in_dutch_and_in_english(code: str) -> None:
    stored = EstimationWarning(code, EXAMPLES[code]).to_dict()
    run = run_with_lists()
    with translation.override("nl"):
        dutch = warning_text(stored, run)
    with translation.override("en"):
        english = warning_text(stored, run)
    assert dutch != english
    assert "%(" not in dutch and "%(" not in english
    for value in EXAMPLES[code].values():
        shown = run.label_of(value) if isinstance(value, str) else str(value)
        assert shown in dutch and shown in english


def test_a_sentence_stored_before_codes_is_shown_as_it_is() -> None:
    assert warning_text("an old sentence", run_with_lists()) == "an old sentence"


def _migration() -> Any:
    return importlib.import_module("inbeeld.insight.migrations.0004_runs_before_background_work")


def test_the_migration_turns_stored_english_warnings_into_codes_and_back() -> None:
    migration = _migration()
    # Codes added after the migration (dga's, LCMCR's) were never stored as sentences.
    for code, params in EXAMPLES.items():
        if code not in migration.ENGLISH:
            continue
        sentence = str(EstimationWarning(code, params))
        stored = migration._as_code(sentence)
        assert stored == {"code": code, "params": params}
        assert migration._as_sentence(stored) == sentence
    assert migration._as_code("not a warning of the engine") == "not a warning of the engine"


TITLE = "Personen per combinatie van lijsten"


def _inside(outer: Any, inner: Any) -> bool:
    return bool(
        outer.x0 <= inner.x0
        and inner.x1 <= outer.x1
        and outer.y0 <= inner.y0 <= inner.y1 <= outer.y1
    )


@pytest.mark.parametrize(
    "labels",
    [
        ["Politie Zeeland-West-Brabant", "Veilig Thuis Zeeland"],
        ["A", "B", "C"],
        ["Stichting voor de opvang van slachtoffers van mensenhandel in Zeeland", "Politie"],
    ],
)
def test_the_title_and_the_list_names_fit_inside_the_picture(labels: list[str]) -> None:
    patterns = [tuple(int(i == j) for j in range(len(labels))) for i in range(len(labels))]
    histories = [(pattern, 10 + index) for index, pattern in enumerate(patterns)]
    histories.append((tuple(1 for _ in labels), 3))
    figure = upset_figure(labels, histories, title=TITLE)
    title = next(text for text in figure.texts if text.get_text() == TITLE)
    assert _inside(figure.bbox, title.get_window_extent())
    names = figure.axes[1].get_yticklabels()
    assert [name.get_text().replace("\n", " ") for name in names] == labels
    for name in names:
        assert _inside(figure.bbox, name.get_window_extent())
