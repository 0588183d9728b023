"""The exports' selection and audit (registration/exports.py) on factory-built cases: the
CoMensha file of a region and year byte for byte, only versions with a valid legal basis;
HTCDS records pseudonymised unless identifiers are asked for; the open-data release over all
regions; restricted cases in none; every export audited."""

from __future__ import annotations

import io
import json
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from inbeeld.audit.models import Action, AuditEntry, AuditRecordRef
from inbeeld.cases.models import Case, CaseEvent, CasePerson, EventKind
from inbeeld.privacy.consent import consent_withdraw, consents_for
from inbeeld.referrals.models import ServiceDelivered
from inbeeld.regions.models import Municipality
from inbeeld.registration.exports import (
    ExportArgumentError,
    case_pseudonym,
    comensha_registrations,
    export_comensha,
    export_htcds,
    export_open_data,
    legal_basis_checked,
    region_by_code,
)
from inbeeld.registration.models import Registration
from inbeeld.registration.services import registration_download
from inbeeld.registration.tests.helpers import coordinator, draft
from inbeeld.testing.factories import region
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db
GOLDEN = Path(__file__).parent / "golden"
ACTOR = "export test (CLI, tester)"
YEAR = timezone.localdate().year - 1


def _case(world: World, letter: str, reference: str, **fields: object) -> Case:
    organisation = world.organisation(letter)
    return Case.objects.create(
        region=region(world.region_code(letter)),
        reference=reference,
        owner_organisation=organisation,
        owner=coordinator(world, letter),
        **fields,
    )


def _sent(world: World, case: Case, lineage: str, **changes: Any) -> Registration:
    registration = draft(world, case, **changes)
    registration_download(by=coordinator(world), registration=registration)
    Registration.objects.filter(pk=registration.pk).update(
        lineage=uuid.UUID(lineage),
        registration_date=date(YEAR, 3, 4),
        nationalities=["RO"],
        gender="female",
        sectors=["prostitution"],
        control_methods=["debt_bondage"],
        recruitment_methods=[],
        police_unit="zeeland_west_brabant",
    )
    registration.refresh_from_db()
    return registration


def test_the_comensha_file_holds_the_sent_versions_with_a_valid_basis(world: World) -> None:
    consent = _case(world, "A", "DS-TEST-0001")
    _sent(world, consent, "00000000-0000-4000-8000-000000000001", consent_date=date(YEAR, 3, 1))
    obliged = _case(world, "A", "DS-TEST-0002")
    _sent(
        world,
        obliged,
        "00000000-0000-4000-8000-000000000002",
        reporter_type="police",
        legal_basis="obligation",
        consent_signed_by="",
        consent_date=None,
    )
    withdrawn = _case(world, "A", "DS-TEST-0003")
    _sent(world, withdrawn, "00000000-0000-4000-8000-000000000003")
    consent_withdraw(
        by=coordinator(world),
        consent=consents_for(withdrawn).get(),
        withdrawn_on=timezone.localdate(),
    )
    draft(world, _case(world, "A", "DS-TEST-0004"))  # a draft was never sent
    restricted = _case(world, "A", "DS-TEST-0005")
    _sent(world, restricted, "00000000-0000-4000-8000-000000000005")
    Case.objects.filter(pk=restricted.pk).update(restricted=True)
    other_year = _case(world, "A", "DS-TEST-0006")
    _sent(world, other_year, "00000000-0000-4000-8000-000000000006")
    Registration.objects.filter(case=other_year).update(registration_date=date(YEAR - 1, 1, 1))

    handle = io.StringIO(newline="")
    report = export_comensha(
        region=region_by_code("vr19"), year=YEAR, handle=handle, actor_name=ACTOR
    )

    # The golden file is bytes (BOM, CRLF); only the year is filled in (dates up to today).
    golden = (GOLDEN / "comensha.csv").read_bytes().decode("utf-8").replace("{YEAR}", str(YEAR))
    assert handle.getvalue() == golden
    assert report.written == 2
    assert report.skipped == {"consent_withdrawn": 1}
    entry = AuditEntry.objects.get(action=Action.EXPORT, actor=ACTOR)
    assert entry.region == "VR19"
    assert entry.detail["export"] == "comensha"
    assert len(entry.detail["records"]) == 2


def test_a_correction_replaces_the_version_it_corrects(world: World) -> None:
    case = _case(world, "A", "DS-TEST-0010")
    _sent(world, case, "00000000-0000-4000-8000-000000000010")
    _sent(world, case, "00000000-0000-4000-8000-000000000010", age=25)
    chosen, _report = comensha_registrations(region_by_code("VR19"), YEAR)
    assert [(r.case_id, r.version) for r in chosen] == [(case.pk, 2)]


def test_an_unknown_region_or_legal_basis_is_refused_naming_the_argument() -> None:
    with pytest.raises(ExportArgumentError) as caught:
        region_by_code("VR99")
    assert caught.value.argument == "--region"
    with pytest.raises(ExportArgumentError) as caught:
        legal_basis_checked("because")
    assert caught.value.argument == "--basis"


def _htcds_world(world: World) -> tuple[Case, Case]:
    case = _case(
        world,
        "A",
        "DS-HTCD-0001",
        exploitation_forms=["sexual"],
        sectors=["prostitution"],
        control_methods=["debt_bondage"],
        recruiter_relationship="intimate_partner",
        age_at_exploitation=17,
    )
    CasePerson.objects.create(
        case=case,
        name="Testpersoon van Achteren",
        date_of_birth="2008-02-03",
        gender="female",
        nationalities=["RO"],
    )
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.EXPLOITATION,
        municipality=Municipality.objects.get(code="GM0664"),
        start=date(2025, 6, 1),
    )
    ServiceDelivered.objects.create(
        case=case,
        service="shelter",
        provider=world.organisation("A"),
        start=date(2025, 7, 1),
        created_by=coordinator(world),
    )
    restricted = _case(world, "A", "DS-HTCD-0002", restricted=True)
    _case(world, "B", "DS-HTCD-0003")
    return case, restricted


def _htcds(file_format: str, **options: object) -> str:
    handle = io.StringIO(newline="")
    values: dict[str, object] = {
        "region": region_by_code("VR19"),
        "start": None,
        "end": None,
        "file_format": file_format,
        "identifiers": False,
        "basis": "",
        "handle": handle,
        "actor_name": ACTOR,
        **options,
    }
    export_htcds(**values)  # type: ignore[arg-type]
    return handle.getvalue()


def test_htcds_is_pseudonymised_by_default_and_audited_per_case(world: World) -> None:
    case, _restricted = _htcds_world(world)
    document = json.loads(_htcds("json"))
    assert [r["cas_Id"] for r in document["records"]] == [case_pseudonym(case.pk)]
    record = document["records"][0]
    assert record["prs_FirstName"] == record["prs_Birthdate"] == ""
    assert record["vic_TypeOfSexExploitation"] == ["Prostitution"]
    assert record["hte"] == [
        {"hte_Type": "Exploitation", "hte_City": "Goes", "hte_Country": "NL",
         "hte_Date": "2025-06-01"}
    ]  # fmt: skip
    assert record["spl"][0]["spl_Type"] == "Social Care"
    text = json.dumps(document)
    assert "Testpersoon" not in text and "2008-02-03" not in text and "DS-HTCD" not in text
    entry = AuditEntry.objects.get(action=Action.EXPORT, actor=ACTOR)
    assert entry.detail["records"] == [str(case.pk)]
    assert entry.detail["identifiers"] is False
    assert AuditRecordRef.objects.filter(entry=entry, object_type="cases.case").count() == 1


def test_htcds_identifiers_only_when_asked_with_their_basis(world: World) -> None:
    _htcds_world(world)
    text = _htcds("csv", identifiers=True, basis="avg_6_1_c")
    row = text.splitlines()[1].split(";")
    assert row[:6] == ["DS-HTCD-0001", "Active", "Zorgorganisatie A", "Testpersoon",
                       "van Achteren", "2008-02-03"]  # fmt: skip
    entry = AuditEntry.objects.get(action=Action.EXPORT, actor=ACTOR)
    assert entry.detail["identifiers"] is True
    assert entry.detail["legal_basis"] == "avg_6_1_c"


def test_htcds_period_counts_the_day_the_case_was_opened(world: World) -> None:
    case, _restricted = _htcds_world(world)
    opened = timezone.localtime(case.created_at).date()
    inside = _htcds("csv", start=opened, end=opened)
    after = _htcds("csv", start=opened + timedelta(days=1))
    assert case_pseudonym(case.pk) in inside
    assert after.count("\r\n") == 1  # the header only


def test_open_data_counts_every_region_and_no_restricted_case(world: World) -> None:
    for n in range(6):
        letter = "A" if n % 2 else "B"
        case = _case(world, letter, f"DS-OPEN-{n:04d}", exploitation_forms=["labour"])
        CasePerson.objects.create(case=case, gender="male", date_of_birth="1990-01-01")
    _case(world, "A", "DS-OPEN-0099", restricted=True, exploitation_forms=["sexual"])
    handle = io.StringIO(newline="")
    year = timezone.localdate().year
    export_open_data(year=year, k=3, max_length=1, handle=handle, actor_name=ACTOR)
    lines = handle.getvalue().splitlines()
    assert f"{year};3;1;fine;male;;;;;;;;;;;;;;;;6" in lines
    assert not any(";sexual" in line for line in lines)
    entry = AuditEntry.objects.get(action=Action.EXPORT, actor=ACTOR)
    assert entry.detail["persons"] == 6
    assert entry.region == ""
    assert entry.purpose == "export of aggregate figures"


def test_the_web_download_is_the_region_coordinators_and_audited_as_theirs(
    world: World,
) -> None:
    from django.urls import reverse

    from inbeeld.testing.clients import verified_client

    case = _case(world, "A", "DS-WEB-0001")
    _sent(world, case, "00000000-0000-4000-8000-000000000020")
    user = coordinator(world, "A")
    client = verified_client(user)
    answer = client.get(reverse("registration:export", args=["VR19", YEAR]))
    assert answer.status_code == 200
    assert answer["Content-Disposition"] == f'attachment; filename="comensha-VR19-{YEAR}.csv"'
    assert b"00000000-0000-4000-8000-000000000020" in answer.content
    entry = AuditEntry.objects.get(action=Action.EXPORT, detail__export="comensha")
    assert entry.actor == user.username
    # Another region, a year out of range: 404, as for a record that is not the user's.
    assert client.get(reverse("registration:export", args=["VR04", YEAR])).status_code == 404
    assert client.get(reverse("registration:export", args=["VR19", 1800])).status_code == 404
