"""Normalisation turns the many spellings of one person into one string before hashing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inbeeld.linkage.normalise import (
    NormalisationError,
    fold,
    normalise_date,
    normalise_gender,
    normalise_given_name,
    normalise_house_number,
    normalise_phone,
    normalise_place,
    normalise_postcode,
    normalise_surname,
    soundex,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jansen", "jansen"),
        ("de Vries", "vries"),
        ("DE VRIES", "vries"),
        ("Vries, de", "vries"),
        ("van der Meer", "meer"),
        ("Van den Berg", "berg"),
        ("in 't Veld", "veld"),
        ("van ’t Hof", "hof"),
        ("ter Horst", "horst"),
        ("Jansen-de Vries", "jansen vries"),
        ("Jansen - de Vries", "jansen vries"),
        ("Jansen de Vries", "jansen vries"),
        ("Van", "van"),  # a surname of only a particle stays
        ("Müller", "muller"),
        ("Öztürk", "ozturk"),
        ("Wiśniewski", "wisniewski"),
        ("Groß", "gross"),
        ("Søndergård", "sondergard"),
        ("Иванов", "ivanov"),
        ("Шевченко", "shevchenko"),
        ("Юлия", "iuliia"),
        ("Παπαδόπουλος", "papadopoulos"),
    ],
)
def test_surnames(raw: str, expected: str) -> None:
    assert normalise_surname(raw) == expected


def test_arabic_script_is_kept_not_romanised() -> None:
    assert normalise_surname("محمد") == "محمد"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("J.W.", "j w"), ("Jan-Willem", "jan willem"), ("  Zoë ", "zoe"), ("Renée", "renee")],
)
def test_given_names(raw: str, expected: str) -> None:
    assert normalise_given_name(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["1990-03-07", "07-03-1990", "07/03/1990", "19900307", "7-3-1990", "07.03.1990", "1990/03/07",
     "1990-03-07T00:00:00", "07031990"],
)  # fmt: skip
def test_dates_in_usual_formats(raw: str) -> None:
    assert normalise_date(raw) == "19900307"


def test_impossible_dates_keep_their_digits() -> None:
    assert normalise_date("19450493") == "19450493"


@pytest.mark.parametrize("raw", ["", "  ", "onbekend", "Unknown", "-", "?"])
def test_unknown_dates_are_blank(raw: str) -> None:
    assert normalise_date(raw) == ""


@pytest.mark.parametrize("raw", ["gisteren", "1990-3", "03/1990", "12345"])
def test_non_dates_are_refused(raw: str) -> None:
    with pytest.raises(NormalisationError, match="not a date"):
        normalise_date(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1234 ab", "1234AB"), ("1234AB", "1234AB"), ("1234  Ab", "1234AB"), (" 9711xz ", "9711XZ"),
     ("SW1A 1AA", "SW1A1AA"), ("4223", "4223"), ("", "")],
)  # fmt: skip
def test_postcodes(raw: str, expected: str) -> None:
    assert normalise_postcode(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["06-12345678", "0612345678", "+31612345678", "+31 6 1234 5678", "0031612345678",
     "+31 (0)6 12345678", "06 - 123 456 78"],
)  # fmt: skip
def test_dutch_mobile_numbers(raw: str) -> None:
    assert normalise_phone(raw) == "+31612345678"


def test_landline_and_foreign_numbers() -> None:
    assert normalise_phone("038-4251234") == "+31384251234"
    assert normalise_phone("+44 20 7946 0958") == "+442079460958"
    assert normalise_phone("0049 30 1234567") == "+49301234567"
    assert normalise_phone("") == ""


def test_phone_without_digits_is_refused() -> None:
    with pytest.raises(NormalisationError):
        normalise_phone("geen")


@pytest.mark.parametrize(
    ("raw", "expected"), [("M", "m"), ("man", "m"), ("V", "f"), ("vrouw", "f"), ("F", "f"),
                          ("X", "x"), ("", ""), ("?", "")],
)  # fmt: skip
def test_gender(raw: str, expected: str) -> None:
    assert normalise_gender(raw) == expected


def test_address_parts() -> None:
    assert normalise_house_number("12 A") == "12a"
    assert normalise_house_number("12-a") == "12a"
    assert normalise_place("'s-Hertogenbosch") == "s hertogenbosch"
    assert normalise_place("Den Haag") == "den haag"


def test_fold_removes_punctuation_and_case() -> None:
    assert fold("  Hélène!  O'Brien ") == "helene o'brien"


def test_soundex() -> None:
    assert soundex("robert") == soundex("rupert") == "r163"
    assert soundex("") == ""


@given(
    st.integers(1, 9999), st.integers(0, 99), st.integers(0, 99), st.sampled_from(["-", "/", "."])
)
def test_fast_date_path_agrees_with_the_general_one(
    year: int, month: int, day: int, sep: str
) -> None:
    from inbeeld.linkage.normalise import _DATE_LAYOUTS

    for text in (
        f"{year:04d}{sep}{month:02d}{sep}{day:02d}",
        f"{day:02d}{sep}{month:02d}{sep}{year:04d}",
    ):
        general = ""
        for pattern, order in _DATE_LAYOUTS:
            match = pattern.match(text)
            if match:
                parts = dict(zip(order, match.groups(), strict=True))
                general = f"{parts['y']}{int(parts['m']):02d}{int(parts['d']):02d}"
                break
        assert normalise_date(text) == general
