"""The file CoMensha receives: its exact text for a known registration (a golden file
written out here), formula injection neutralised, and the API's document with the same keys."""

from __future__ import annotations

from datetime import date

from inbeeld.registration.comensha_file import (
    COLUMNS,
    ComenshaRecord,
    as_document,
    write_csv,
)

RECORD = ComenshaRecord(
    registration_id="6f1c2a9e-0000-4000-8000-000000000001",
    version=2,
    corrects_version=1,
    registration_date=date(2026, 11, 30),
    reporter_type="care_coordination",
    police_unit="zeeland_west_brabant",
    region="VR19",
    dossier_type="registration_shelter",
    legal_basis="consent",
    exploitation_forms=["sexual", "criminal"],
    sectors=["prostitution"],
    nationalities=["RO", "MD"],
    age=16,
    minor="minor",
    gender="female",
    place_municipality="GM0664",
    recruitment_methods=["social_networks"],
    control_methods=["debt_bondage", "withholds_documents"],
    consent_signed_by="person",
    consent_date=date(2026, 11, 28),
)

GOLDEN = (
    "\ufeff"
    "format;registration_id;version;corrects_version;registration_date;reporter_type;"
    "police_unit;region;dossier_type;exploitation_forms;sectors;nationalities;age;minor;"
    "gender;plaats_delict;plaats_delict_type;recruitment_methods;control_methods;"
    "legal_basis;consent_signed_by;consent_date\r\n"
    "inbeeld-comensha-1;6f1c2a9e-0000-4000-8000-000000000001;2;1;2026-11-30;"
    "care_coordination;zeeland_west_brabant;VR19;registration_shelter;sexual|criminal;"
    "prostitution;RO|MD;16;minor;female;GM0664;municipality;social_networks;"
    "debt_bondage|withholds_documents;consent;person;2026-11-28\r\n"
)


def test_the_file_is_exactly_the_documented_format() -> None:
    assert write_csv([RECORD]) == GOLDEN


def test_a_country_abroad_and_empty_values() -> None:
    record = ComenshaRecord(
        registration_id="x",
        version=1,
        registration_date=date(2026, 1, 2),
        reporter_type="police",
        police_unit="landelijk",
        region="VR04",
        dossier_type="registration",
        legal_basis="obligation",
        place_country="BE",
    )
    document = as_document(record)
    assert document["plaats_delict"] == "BE" and document["plaats_delict_type"] == "country"
    assert document["corrects_version"] is None and document["age"] is None
    assert list(document) == list(COLUMNS)
    row = write_csv([record]).splitlines()[1].split(";")
    assert row[COLUMNS.index("age")] == "" and row[COLUMNS.index("consent_date")] == ""


def test_a_cell_that_looks_like_a_formula_is_neutralised() -> None:
    record = ComenshaRecord(
        registration_id="=HYPERLINK(1)",
        version=1,
        registration_date=date(2026, 1, 2),
        reporter_type="police",
        police_unit="",
        region="VR19",
        dossier_type="registration",
        legal_basis="obligation",
    )
    assert ";'=HYPERLINK(1);" in write_csv([record])
