"""The indicator catalogue: the packaged file, its validation, and the risk score's promises.

Framework-free: runs with ``-p no:django`` as well as under pytest-django.
"""

from __future__ import annotations

import copy
import json
import math
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inbeeld.signals.indicators import (
    DEFAULT_PATH,
    FORMS,
    MAX_WEIGHT,
    Catalogue,
    CatalogueError,
    Contribution,
    Indicator,
    Method,
    risk_score,
    risk_score_known,
)
from inbeeld.signals.indicators import load_catalogue as load

CATALOGUE = load()
ENTRIES: tuple[Indicator | Method, ...] = (*CATALOGUE.indicators, *CATALOGUE.methods)
INDICATOR_CODES = [i.code for i in CATALOGUE.indicators]
METHOD_CODES = [m.code for m in CATALOGUE.methods]

indicator_sets = st.lists(st.sampled_from(INDICATOR_CODES), max_size=20)
method_sets = st.lists(st.sampled_from(METHOD_CODES), max_size=8)


# --- the packaged catalogue -----------------------------------------------------------------


def test_packaged_catalogue_loads_once() -> None:
    assert load() is CATALOGUE
    assert CATALOGUE.version
    assert load(DEFAULT_PATH) == CATALOGUE  # an explicit path parses afresh, same content


def test_all_five_forms_are_declared_and_have_indicators() -> None:
    assert tuple(f.code for f in CATALOGUE.forms) == FORMS
    for form in FORMS:
        assert CATALOGUE.indicators_for(form), form


def test_general_indicators_apply_to_every_form() -> None:
    general = [i for i in CATALOGUE.indicators if i.code.startswith("GEN-")]
    assert len(general) >= 8
    for indicator in general:
        assert set(indicator.forms) == set(FORMS), indicator.code


def test_every_entry_cites_an_existing_source_with_a_citation() -> None:
    for item in ENTRIES:
        assert item.source in CATALOGUE.sources, item.code
    for source in CATALOGUE.sources.values():
        assert source.title and source.publisher
    cited = {i.source for i in CATALOGUE.indicators} | {m.source for m in CATALOGUE.methods}
    assert cited == set(CATALOGUE.sources), "every listed source is used"


def test_codes_are_unique_and_weights_in_range() -> None:
    codes = INDICATOR_CODES + METHOD_CODES
    assert len(codes) == len(set(codes))
    for item in ENTRIES:
        assert 0 < item.weight <= MAX_WEIGHT, item.code


def test_size_and_public_questions() -> None:
    assert 40 <= len(CATALOGUE.indicators) <= 70
    assert len(CATALOGUE.methods) >= 10
    questions = CATALOGUE.public_questions()
    assert 12 <= len(questions) <= 20
    for indicator in questions:
        assert indicator.public_question is not None
        assert indicator.public_question.nl.endswith("?"), indicator.code
        assert indicator.public_question.en.endswith("?"), indicator.code


def test_required_methods_are_present() -> None:
    for code in (
        "MET-LOVERBOY",
        "MET-DEBT-BONDAGE",
        "MET-VIOLENCE",
        "MET-THREATS",
        "MET-DOCUMENTS",
        "MET-JUJU",
        "MET-ISOLATION",
    ):
        assert CATALOGUE.method(code).weight > 0


def test_lookup_errors_name_the_code() -> None:
    with pytest.raises(KeyError, match="NOPE"):
        CATALOGUE.indicator("NOPE")
    with pytest.raises(KeyError, match="NOPE"):
        CATALOGUE.method("NOPE")
    with pytest.raises(KeyError, match="piracy"):
        CATALOGUE.indicators_for("piracy")


def test_the_file_is_pretty_printed_utf8() -> None:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"


# --- validation -----------------------------------------------------------------------------


def _valid() -> dict[str, Any]:
    forms = {code: {"nl": f"nl {code}", "en": f"en {code}"} for code in FORMS}
    return {
        "version": "test.1",
        "sources": {"src": {"title": "T", "publisher": "P", "year": 2012, "url": None}},
        "forms": forms,
        "indicators": [
            {
                "code": "GEN-A",
                "forms": list(FORMS),
                "nl": "a",
                "en": "a",
                "weight": 1,
                "source": "src",
                "public_question": {"nl": "A?", "en": "A?"},
            },
        ],
        "methods": [{"code": "MET-A", "nl": "m", "en": "m", "weight": 2, "source": "src"}],
    }


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_minimal_valid_file_loads(tmp_path: Path) -> None:
    catalogue = load(_write(tmp_path, _valid()))
    assert catalogue.version == "test.1"
    assert [i.code for i in catalogue.public_questions()] == ["GEN-A"]


def _broken(change: str) -> dict[str, Any]:
    data = copy.deepcopy(_valid())
    indicator, method = data["indicators"][0], data["methods"][0]
    if change == "unknown form":
        indicator["forms"] = ["sexual", "piracy"]
    elif change == "weight zero":
        indicator["weight"] = 0
    elif change == "weight too high":
        method["weight"] = 3.5
    elif change == "unknown source":
        indicator["source"] = "made-up"
    elif change == "duplicate code":
        data["indicators"].append(dict(indicator))
    elif change == "missing nl":
        del indicator["nl"]
    elif change == "empty en":
        method["en"] = "  "
    return data


@pytest.mark.parametrize(
    ("change", "code", "problem"),
    [
        ("unknown form", "GEN-A", "unknown form 'piracy'"),
        ("weight zero", "GEN-A", "out of range"),
        ("weight too high", "MET-A", "out of range"),
        ("unknown source", "GEN-A", "unknown source id 'made-up'"),
        ("duplicate code", "GEN-A", "duplicate code"),
        ("missing nl", "GEN-A", "'nl'"),
        ("empty en", "MET-A", "'en'"),
    ],
)
def test_validation_names_the_entry_and_the_problem(
    tmp_path: Path, change: str, code: str, problem: str
) -> None:
    with pytest.raises(CatalogueError) as raised:
        load(_write(tmp_path, _broken(change)))
    assert code in str(raised.value)
    assert problem in str(raised.value)


def test_a_form_missing_from_the_file_is_refused(tmp_path: Path) -> None:
    data = _valid()
    del data["forms"]["organ_removal"]
    with pytest.raises(CatalogueError, match="organ_removal"):
        load(_write(tmp_path, data))


def test_a_form_without_indicators_is_refused(tmp_path: Path) -> None:
    data = _valid()
    data["indicators"][0]["forms"] = ["sexual"]
    with pytest.raises(CatalogueError, match="no indicator"):
        load(_write(tmp_path, data))


def test_unreadable_json_is_a_catalogue_error(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogueError, match="cannot read"):
        load(path)


# --- the risk score: examples ---------------------------------------------------------------


def test_score_examples() -> None:
    assert risk_score(CATALOGUE, []).total == 0
    score = risk_score(CATALOGUE, ["LAB-LIVES-AT-WORK", "GEN-DOCS"], ["MET-DEBT-BONDAGE"])
    assert score.total == 3 + 2 + 3
    assert [c.code for c in score.contributions] == [
        "GEN-DOCS",
        "MET-DEBT-BONDAGE",
        "LAB-LIVES-AT-WORK",
    ]
    first = score.contributions[0]
    assert first == Contribution(
        code="GEN-DOCS",
        label_nl=CATALOGUE.indicator("GEN-DOCS").nl,
        label_en=CATALOGUE.indicator("GEN-DOCS").en,
        weight=3.0,
        kind="indicator",
    )


def test_unknown_codes_are_refused_by_name() -> None:
    with pytest.raises(ValueError, match="XX-MADE-UP"):
        risk_score(CATALOGUE, ["GEN-DOCS", "XX-MADE-UP"])
    with pytest.raises(ValueError, match="GEN-DOCS"):
        risk_score(CATALOGUE, [], ["GEN-DOCS"])  # an indicator is not a method


def test_a_partial_score_names_the_codes_the_catalogue_does_not_know() -> None:
    # For an old signal under a newer catalogue: what is known counts, the rest is named.
    partial = risk_score_known(
        CATALOGUE, ["GEN-DOCS", "XX-DROPPED"], ["MET-DEBT-BONDAGE", "GEN-FEAR"]
    )
    assert partial.score == risk_score(CATALOGUE, ["GEN-DOCS"], ["MET-DEBT-BONDAGE"])
    assert partial.unknown == ("XX-DROPPED", "GEN-FEAR")  # GEN-FEAR is no method
    assert [c.kind for c in partial.score.contributions] == ["indicator", "method"]


# --- the risk score: properties -------------------------------------------------------------


@given(indicator_sets, method_sets, st.sampled_from(INDICATOR_CODES))
def test_adding_an_indicator_never_lowers_the_score(
    indicators: list[str], methods: list[str], extra: str
) -> None:
    before = risk_score(CATALOGUE, indicators, methods).total
    after = risk_score(CATALOGUE, [*indicators, extra], methods).total
    assert after >= before


@given(indicator_sets, method_sets, st.sampled_from(METHOD_CODES))
def test_adding_a_method_never_lowers_the_score(
    indicators: list[str], methods: list[str], extra: str
) -> None:
    before = risk_score(CATALOGUE, indicators, methods).total
    after = risk_score(CATALOGUE, indicators, [*methods, extra]).total
    assert after >= before


@given(indicator_sets, method_sets, st.randoms(use_true_random=False))
def test_order_and_duplicates_do_not_change_the_score(
    indicators: list[str], methods: list[str], rnd: random.Random
) -> None:
    score = risk_score(CATALOGUE, indicators, methods)
    shuffled, doubled = list(indicators), list(methods) * 2
    rnd.shuffle(shuffled)
    assert risk_score(CATALOGUE, shuffled + shuffled, doubled) == score


@given(indicator_sets, method_sets)
def test_contributions_sum_to_the_total_and_are_explained(
    indicators: list[str], methods: list[str]
) -> None:
    score = risk_score(CATALOGUE, indicators, methods)
    assert math.isclose(math.fsum(c.weight for c in score.contributions), score.total)
    assert {c.code for c in score.contributions} == set(indicators) | set(methods)
    keys = [(-c.weight, c.code) for c in score.contributions]
    assert keys == sorted(keys)


def _catalogue_with(weights: list[float]) -> Catalogue:
    """A catalogue whose indicators carry arbitrary allowed weights."""
    indicators = tuple(
        Indicator(code=f"X-{n}", forms=FORMS, nl="x", en="x", weight=w, source="ilo_2012")
        for n, w in enumerate(weights)
    )
    return Catalogue(
        version="prop",
        sources=CATALOGUE.sources,
        forms=CATALOGUE.forms,
        indicators=indicators,
        methods=(),
    )


@settings(max_examples=200)
@given(
    st.lists(
        st.floats(min_value=1e-6, max_value=MAX_WEIGHT, allow_nan=False), min_size=1, max_size=30
    ).flatmap(
        lambda ws: st.tuples(
            st.just(ws), st.sets(st.integers(0, len(ws) - 1)), st.integers(0, len(ws) - 1)
        )
    )
)
def test_monotone_for_any_allowed_weights(case: tuple[list[float], set[int], int]) -> None:
    # Floating-point sums can wobble with order; the score must not, whatever the weights.
    weights, chosen, extra = case
    catalogue = _catalogue_with(weights)
    codes = [f"X-{n}" for n in sorted(chosen)]
    before = risk_score(catalogue, codes).total
    after = risk_score(catalogue, [f"X-{extra}", *reversed(codes)]).total
    assert after >= before
