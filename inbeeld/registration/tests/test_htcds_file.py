"""The HTCDS v2 file: its exact bytes for known cases (golden files), every InBeeld code
mapped to an HTCDS value, and nothing identifying unless it was handed over."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.db.models import TextChoices

from inbeeld.cases.codes import (
    ControlMethod,
    OnlineChannel,
    RecruitmentMethod,
    Relationship,
    Sector,
)
from inbeeld.cases.models import CaseStatus, DecidedBy, EventKind, TraffickingStatus
from inbeeld.referrals.models import ServiceType
from inbeeld.registration import htcds_file
from inbeeld.registration.htcds_file import HtcdsCase, HtcdsEvent, HtcdsSupport
from inbeeld.signals.models import ExploitationForm, Gender

GOLDEN = Path(__file__).parent / "golden"

CASES = [
    HtcdsCase(
        key="3f9c0d1e2a4b5c6d7e8f901234567890",
        status="open",
        owner_organisation="Zorgcoördinatie Testregio",
        gender="female",
        nationalities=["RO", "MD"],
        trafficking_status="presumed",
        decided_by="police",
        relationship="intimate_partner",
        age_at_exploitation=17,
        channels=["instagram", "whatsapp"],
        recruitment_methods=["social_networks"],
        control_methods=["debt_bondage", "withholds_documents", "restricts_movement"],
        exploitation_forms=["sexual", "criminal"],
        sectors=["prostitution", "illicit_activities"],
        events=[
            HtcdsEvent("recruitment", country="RO", start=date(2025, 3, 1)),
            HtcdsEvent("exploitation", city="Goes", country="NL", start=date(2025, 6, 15)),
        ],
        services=[
            HtcdsSupport("shelter", end=date(2025, 12, 31)),
            HtcdsSupport("exit_programme"),
        ],
    ),
    HtcdsCase(
        key="=HYPERLINK(1)",  # a formula-like value is neutralised in CSV
        status="closed_referred",
        gender="",
        trafficking_status="not_victim",
        exploitation_forms=["labour"],
        sectors=["agriculture", "aquafarming", "cleaning"],
        services=[HtcdsSupport("exit_programme", end=date(2026, 1, 2))],
    ),
]


def _csv() -> str:
    handle = io.StringIO(newline="")
    assert htcds_file.write_csv(CASES, handle) == 2
    return handle.getvalue()


def _json() -> str:
    handle = io.StringIO()
    meta = {"region": "VR19", "from": "2025-01-01", "to": None, "pseudonymised": True}
    assert htcds_file.write_json(CASES, handle, meta=meta) == 2
    return handle.getvalue()


def test_the_csv_file_is_byte_for_byte_the_golden_file() -> None:
    assert _csv().encode("utf-8") == (GOLDEN / "htcds.csv").read_bytes()


def test_the_json_file_is_byte_for_byte_the_golden_file() -> None:
    assert _json().encode("utf-8") == (GOLDEN / "htcds.json").read_bytes()


def test_the_json_file_is_json_with_one_record_per_case() -> None:
    document = json.loads(_json())
    assert document["format"] == htcds_file.FORMAT_VERSION
    assert [r["cas_Id"] for r in document["records"]] == [c.key for c in CASES]
    first = document["records"][0]
    assert first["vic_TypeOfExploitation"] == ["Sexual exploitation", "Other"]
    assert first["hte"][1] == {
        "hte_Type": "Exploitation",
        "hte_City": "Goes",
        "hte_Country": "NL",
        "hte_Date": "2025-06-15",
    }
    assert [s["spl_Type"] for s in first["spl"]] == [
        "Social Care",
        "Sexual Exploitation Rehabilitation",
    ]


def test_an_empty_export_is_still_a_whole_file() -> None:
    handle = io.StringIO()
    htcds_file.write_json([], handle, meta={})
    assert json.loads(handle.getvalue())["records"] == []
    handle = io.StringIO(newline="")
    htcds_file.write_csv([], handle)
    assert handle.getvalue().count("\r\n") == 1


def test_no_identifier_unless_handed_over() -> None:
    record = htcds_file.as_record(CASES[0])
    assert record["prs_FirstName"] == record["prs_SecondName"] == record["prs_Birthdate"] == ""


@pytest.mark.parametrize(
    ("table", "choices"),
    [
        (htcds_file.CASE_STATUS, CaseStatus),
        (htcds_file.GENDER, Gender),
        (htcds_file.TRAFFICKING_STATUS, TraffickingStatus),
        (htcds_file.DECIDED_BY, DecidedBy),
        (htcds_file.RELATIONSHIP, Relationship),
        (htcds_file.CHANNEL, OnlineChannel),
        (htcds_file.RECRUITMENT, RecruitmentMethod),
        (htcds_file.CONTROL, ControlMethod),
        (htcds_file.EXPLOITATION, ExploitationForm),
        (htcds_file.EVENT_TYPE, EventKind),
    ],
)
def test_every_inbeeld_code_has_its_htcds_value(
    table: dict[str, str], choices: type[TextChoices]
) -> None:
    assert set(table) == set(choices.values)


def test_every_sector_is_an_industry_or_a_kind_of_sexual_exploitation() -> None:
    mapped = set(htcds_file.LABOUR_INDUSTRY) | set(htcds_file.SEX_EXPLOITATION)
    assert mapped == set(Sector.values)
    assert not set(htcds_file.LABOUR_INDUSTRY) & set(htcds_file.SEX_EXPLOITATION)


def test_every_service_has_its_support_type() -> None:
    assert set(htcds_file.SUPPORT_TYPE) | {"exit_programme"} == set(ServiceType.values)
