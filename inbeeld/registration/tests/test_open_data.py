"""The open-data release: its exact bytes for known persons (a golden file), and over random
data no released combination that describes fewer than k persons (Hypothesis)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbeeld.cases.codes import ControlMethod, Relationship
from inbeeld.registration import open_data
from inbeeld.registration.open_data import ANY, ATTRIBUTES, Person, Row
from inbeeld.signals.models import ExploitationForm, Gender

GOLDEN = Path(__file__).parent / "golden"


def _persons() -> list[Person]:
    """Fixed, invented data: 12 alike adults, 5 minors of two countries, 2 rare ones."""
    alike = Person(
        gender="female",
        age=25,
        nationalities=["RO"],
        exploitation_country="NL",
        exploitation_forms=["sexual"],
        control_methods=["debt_bondage"],
        recruiter_relationship="intimate_partner",
    )
    minors = [
        Person(gender="female", age=15, nationalities=[country], exploitation_forms=["sexual"])
        for country in ("NL", "NL", "NL", "BG", "BG")
    ]
    rare = [
        Person(gender="male", age=52, nationalities=["VN"], exploitation_forms=["criminal"]),
        Person(gender="other", age=None, exploitation_forms=["labour", "organ_removal"]),
    ]
    return [alike] * 12 + minors + rare


def _release_csv(persons: list[Person], k: int, length: int) -> str:
    handle = io.StringIO(newline="")
    open_data.write_csv(open_data.release(persons, k=k, max_length=length), handle, year=2026, k=k)
    return handle.getvalue()


def test_the_release_is_byte_for_byte_the_golden_file() -> None:
    text = _release_csv(_persons(), k=5, length=2)
    assert text.encode("utf-8") == (GOLDEN / "open-data.csv").read_bytes()


def test_rare_values_are_coarsened_or_suppressed() -> None:
    rows = open_data.release(_persons(), k=5, max_length=1)
    citizenship = ATTRIBUTES.index("citizenship")
    shown = {row.values[citizenship]: (row.level, row.count) for row in rows
             if row.values[citizenship] != ANY}  # fmt: skip
    # RO: 12 persons → 10; NL and BG minors are each under 5 → at the coarse level, the EU
    # (RO and BG: 14 → 10) is released; VN alone is nowhere.
    assert shown["RO"] == ("fine", 10)
    assert shown["EU-EEA"] == ("coarse", 10)
    assert "VN" not in shown and "BG" not in shown and "non-EU-EEA" not in shown


@pytest.mark.parametrize(
    ("age", "band"),
    [(0, "0-8"), (8, "0-8"), (9, "9-17"), (17, "9-17"), (18, "18-20"), (29, "27-29"),
     (30, "30-38"), (47, "39-47"), (48, "48+"), (None, "unknown")],
)  # fmt: skip
def test_ages_in_ctdc_bands(age: int | None, band: str) -> None:
    assert open_data.age_band(age) == band


def _true_count(persons: list[Person], row: Row) -> int:
    """How many persons the released row describes, counted from the raw data again."""
    count = 0
    for person in persons:
        values = open_data.attributes_of(person)
        matched = True
        for name, have, want in zip(ATTRIBUTES, values, row.values, strict=True):
            if want == ANY:
                continue
            have = open_data.coarse(name, have) if row.level == "coarse" else have
            matched = matched and have == want
        count += matched
    return count


_person = st.builds(
    Person,
    gender=st.sampled_from(Gender.values),
    age=st.one_of(st.none(), st.integers(0, 90)),
    nationalities=st.lists(st.sampled_from(["NL", "RO", "BG", "PL", "NG", "VN"]), max_size=2),
    exploitation_country=st.sampled_from(["", "NL", "BE", "DE", "NG"]),
    exploitation_forms=st.lists(st.sampled_from(ExploitationForm.values), max_size=2),
    control_methods=st.lists(st.sampled_from(ControlMethod.values), max_size=4),
    recruiter_relationship=st.sampled_from(Relationship.values),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    persons=st.lists(_person, min_size=0, max_size=120),
    k=st.integers(2, 15),
    length=st.integers(1, 3),
)
def test_no_released_combination_describes_fewer_than_k_persons(
    persons: list[Person], k: int, length: int
) -> None:
    for row in open_data.release(persons, k=k, max_length=length):
        assert row.count >= k and row.count % k == 0
        assert _true_count(persons, row) >= row.count
        assert 1 <= sum(value != ANY for value in row.values) <= length
