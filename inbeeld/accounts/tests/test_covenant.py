"""The covenant: versions one at a time, signatures and withdrawals, and the rule on shares.

A share on the covenant basis goes only to an organisation that signed the version in force
in the share's region (privacy/sharing.py asks accounts/covenants.py); every other legal
basis is untouched by it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.covenants import (
    CovenantInput,
    SignatureInput,
    covenant_in_force,
    covenant_sign,
    covenant_signature_withdraw,
    covenant_version_add,
)
from inbeeld.accounts.models import (
    Covenant,
    CovenantSignature,
    Organisation,
    OrganisationType,
    Role,
)
from inbeeld.audit.models import Action, AuditEntry, Purpose
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.privacy.models import Share, ShareKind
from inbeeld.privacy.sharing import share_record
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import OrganisationFactory, region, staff_user

pytestmark = pytest.mark.django_db

ZEELAND, IJSSELLAND = "VR19", "VR04"
SIGNER = "Jansen-Ondertekenaar"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def today() -> date:
    return timezone.localdate()


def keeper(code: str = ZEELAND) -> Any:
    return staff_user(role=Role.KETENREGISSEUR, region_code=code)


def version(
    by: Any,
    name: str,
    start: date,
    end: date | None = None,
    *,
    code: str = ZEELAND,
    document: Any = None,
) -> Covenant:
    return covenant_version_add(
        by=by,
        region=region(code),
        data=CovenantInput("Intentieverklaring mensenhandel", name, "De tekst.", start, end),
        document=document,
    )


def sign(by: Any, covenant: Covenant, organisation: Organisation, on: date | None = None) -> Any:
    return covenant_sign(
        by=by,
        covenant=covenant,
        data=SignatureInput(organisation, on or covenant.in_force_from, SIGNER, "Burgemeester"),
    )


def police(code: str = ZEELAND) -> Organisation:
    return OrganisationFactory.create(type=OrganisationType.POLICE, region=region(code))


def share_to(
    organisation: Organisation | None, basis: str = LegalBasis.COVENANT, **extra: Any
) -> Share:
    """A share of some record of the region (the region itself stands in for it here)."""
    by = staff_user(role=Role.ZORGCOORDINATOR, region_code=ZEELAND)
    return share_record(
        by=by,
        target=region(ZEELAND),
        region=region(ZEELAND),
        kind=ShareKind.TIP,
        legal_basis=basis,
        purpose="opsporing",
        consent_scope="police",
        to_organisation=organisation,
        **extra,
    )


def refused(organisation: Organisation | None, **extra: Any) -> str:
    shares_before = Share.objects.count()
    entries_before = AuditEntry.objects.filter(action=Action.SHARE).count()
    with pytest.raises(ValidationError) as refusal:
        share_to(organisation, **extra)
    assert list(refusal.value.message_dict) == ["legal_basis"]
    assert Share.objects.count() == shares_before
    assert AuditEntry.objects.filter(action=Action.SHARE).count() == entries_before
    return refusal.value.message_dict["legal_basis"][0]


# --- the rule on shares -------------------------------------------------------------------


def test_a_share_on_the_covenant_basis_to_a_signatory_is_recorded() -> None:
    by, signatory = keeper(), police()
    sign(by, version(by, "2024-1", date(2024, 1, 1)), signatory)
    share = share_to(signatory)
    assert (share.to_organisation, share.legal_basis) == (signatory, LegalBasis.COVENANT)


def test_a_share_to_a_person_counts_the_organisations_they_work_for_in_the_region() -> None:
    by, signatory = keeper(), police()
    sign(by, version(by, "2024-1", date(2024, 1, 1)), signatory)
    officer = staff_user(role=Role.KETENPARTNER, organisation=signatory)
    assert share_to(None, to_user=officer).to_user == officer
    outsider = staff_user(role=Role.KETENPARTNER, organisation=police())
    assert "niet ondertekend" in refused(None, to_user=outsider)


def test_a_share_to_an_organisation_that_did_not_sign_is_refused_and_says_why() -> None:
    by, signatory, other = keeper(), police(), police()
    sign(by, version(by, "2024-1", date(2024, 1, 1)), signatory)
    message = refused(other)
    assert other.name in message and "2024-1" in message


def test_a_share_to_an_organisation_that_withdrew_is_refused() -> None:
    by, organisation = keeper(), police()
    signature = sign(by, version(by, "2024-1", date(2024, 1, 1)), organisation)
    covenant_signature_withdraw(by=by, signature=signature, withdrawn_on=today())
    assert "uit het convenant teruggetrokken" in refused(organisation)


def test_after_a_new_version_the_old_signature_no_longer_counts() -> None:
    by, organisation = keeper(), police()
    sign(by, version(by, "2020-1", date(2020, 1, 1)), organisation)
    assert share_to(organisation).legal_basis == LegalBasis.COVENANT
    version(by, "2025-1", today())  # in force from today, nobody signed it yet
    assert "2025-1" in refused(organisation)


def test_without_a_covenant_in_force_nothing_goes_on_that_basis() -> None:
    by, organisation = keeper(), police()
    sign(by, version(by, "2020-1", date(2020, 1, 1), date(2020, 12, 31)), organisation)
    assert "geen convenant van kracht" in refused(organisation)


def test_a_signature_of_another_regions_covenant_does_not_count() -> None:
    by_b = keeper(IJSSELLAND)
    elsewhere = police(IJSSELLAND)
    sign(by_b, version(by_b, "2024-1", date(2024, 1, 1), code=IJSSELLAND), elsewhere)
    assert refused(elsewhere)


def test_other_legal_bases_do_not_ask_for_the_covenant() -> None:
    outsider = police()  # no covenant in the region at all
    for basis in (LegalBasis.PUBLIC_TASK, LegalBasis.CRIMINAL_DATA, LegalBasis.VITAL_INTEREST):
        assert share_to(outsider, basis).legal_basis == basis


def test_an_assignment_on_the_covenant_basis_is_refused_on_the_signal_page() -> None:
    from inbeeld.signals.tests.helpers import version_of
    from inbeeld.signals.tests.test_triage import partner_signal

    signal = partner_signal()
    officer = staff_user(role=Role.KETENPARTNER, organisation=police())
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code=ZEELAND)
    response = verified_client(coordinator).post(
        reverse("signals:assign", kwargs={"signal_id": signal.pk}),
        {
            "to_user": officer.pk,
            "legal_basis": LegalBasis.COVENANT,
            "purpose": "begeleiding",
            "version": version_of(signal),
        },
    )
    assert "legal_basis" in response.context["form"].errors
    assert "Er is geen convenant van kracht in deze regio" in response.content.decode()
    assert not signal.assigned_to.exists() and not Share.objects.exists()


# --- versions: one in force at a time ---------------------------------------------------------


def test_a_new_version_ends_the_open_ended_version_the_day_before() -> None:
    by = keeper()
    first = version(by, "2020-1", date(2020, 1, 1))
    second = version(by, "2025-1", date(2025, 3, 1))
    first.refresh_from_db()
    assert first.in_force_until == date(2025, 2, 28)
    assert covenant_in_force(region(ZEELAND), on=date(2025, 2, 28)) == first
    assert covenant_in_force(region(ZEELAND), on=date(2025, 3, 1)) == second
    ended = AuditEntry.objects.get(action=Action.UPDATE, object_id=str(first.pk))
    assert ended.purpose == Purpose.NETWORK and ended.detail["superseded_by"] == second.pk


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2019, 6, 1), None),  # starts before the version in force and never ends
        (date(2019, 6, 1), date(2020, 6, 1)),  # runs into it
        (date(2020, 1, 1), date(2020, 3, 1)),  # starts on its first day
    ],
)
def test_a_version_that_overlaps_another_is_refused_naming_the_field(
    start: date, end: date | None
) -> None:
    by = keeper()
    current = version(by, "2020-1", date(2020, 1, 1))
    with pytest.raises(ValidationError) as refusal:
        version(by, "oud", start, end)
    assert list(refusal.value.message_dict) == ["in_force_from"]
    assert "2020-1" in refusal.value.message_dict["in_force_from"][0]
    current.refresh_from_db()
    assert current.in_force_until is None  # nothing half-written
    assert Covenant.objects.count() == 1


def test_a_version_that_overlaps_a_closed_period_is_refused() -> None:
    by = keeper()
    version(by, "2020-1", date(2020, 1, 1), date(2022, 12, 31))
    with pytest.raises(ValidationError) as refusal:
        version(by, "2022-1", date(2022, 6, 1))
    assert list(refusal.value.message_dict) == ["in_force_from"]
    version(by, "2023-1", date(2023, 1, 1))  # right after it: fine


def test_a_version_without_text_or_document_and_a_reused_name_are_refused() -> None:
    by = keeper()
    version(by, "2020-1", date(2020, 1, 1), date(2020, 12, 31))
    with pytest.raises(ValidationError) as refusal:
        covenant_version_add(
            by=by,
            region=region(ZEELAND),
            data=CovenantInput(" ", "2020-1", "", date(2022, 1, 1), date(2021, 1, 1)),
        )
    assert set(refusal.value.message_dict) == {"title", "version", "text", "in_force_until"}


def test_only_a_keeper_of_the_region_records_a_version() -> None:
    partner = staff_user(role=Role.KETENPARTNER, region_code=ZEELAND)
    with pytest.raises(PermissionDenied):
        version(partner, "2020-1", date(2020, 1, 1))
    with pytest.raises(PermissionDenied):
        version(keeper(IJSSELLAND), "2020-1", date(2020, 1, 1))
    assert not Covenant.objects.exists()


# --- the document -----------------------------------------------------------------------------


def test_a_document_is_checked_by_its_content() -> None:
    by = keeper()
    fake = SimpleUploadedFile("convenant.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(ValidationError) as refusal:
        version(by, "2020-1", date(2020, 1, 1), document=fake)
    assert list(refusal.value.message_dict) == ["document"]
    named = SimpleUploadedFile("convenant.exe", PDF, "application/pdf")
    with pytest.raises(ValidationError):
        version(by, "2020-1", date(2020, 1, 1), document=named)
    assert not Covenant.objects.exists()


def test_the_document_is_stored_and_every_colleague_of_the_region_downloads_it() -> None:
    by = keeper()
    covenant = version(
        by, "2020-1", date(2020, 1, 1), document=SimpleUploadedFile("../../getekend.pdf", PDF)
    )
    assert covenant.document_name == "getekend.pdf"
    url = reverse("accounts:covenant_document", kwargs={"covenant_id": covenant.pk})
    colleague = staff_user(role=Role.BESTUURDER, region_code=ZEELAND)
    response = verified_client(colleague).get(url)
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    stranger = staff_user(role=Role.ZORGCOORDINATOR, region_code=IJSSELLAND)
    assert verified_client(stranger).get(url).status_code == 404


def test_the_page_records_a_version_with_its_document() -> None:
    by = keeper()
    response = verified_client(by).post(
        reverse("accounts:covenant_create", kwargs={"code": ZEELAND}),
        {
            "title": "Intentieverklaring",
            "version": "2025-1",
            "in_force_from": "2025-01-01",
            "document": SimpleUploadedFile("getekend.pdf", PDF),
        },
    )
    assert response.status_code == 302
    covenant = Covenant.objects.get()
    assert (covenant.version, covenant.text, covenant.document_size) == ("2025-1", "", len(PDF))


def test_the_page_names_the_overlap_and_keeps_what_was_typed() -> None:
    by = keeper()
    version(by, "2020-1", date(2020, 1, 1))
    response = verified_client(by).post(
        reverse("accounts:covenant_create", kwargs={"code": ZEELAND}),
        {"title": "Oud", "version": "2019-1", "text": "Tekst", "in_force_from": "2019-01-01"},
    )
    assert response.status_code == 200
    assert "in_force_from" in response.context["form"].errors
    assert "één versie tegelijk van kracht" in response.content.decode()
    assert 'value="2019-1"' in response.content.decode()
    assert Covenant.objects.count() == 1


# --- signatures and withdrawals ---------------------------------------------------------------


def test_a_signature_dated_in_the_future_is_refused_naming_the_field() -> None:
    by = keeper()
    covenant = version(by, "2020-1", date(2020, 1, 1))
    with pytest.raises(ValidationError) as refusal:
        sign(by, covenant, police(), today() + timedelta(days=1))
    assert list(refusal.value.message_dict) == ["signed_on"]
    assert not CovenantSignature.objects.exists()


def test_a_signature_of_another_region_or_twice_or_without_organisation_is_refused() -> None:
    by = keeper()
    covenant = version(by, "2020-1", date(2020, 1, 1))
    with pytest.raises(ValidationError) as refusal:
        sign(by, covenant, police(IJSSELLAND))
    assert list(refusal.value.message_dict) == ["organisation"]
    signatory = police()
    sign(by, covenant, signatory)
    with pytest.raises(ValidationError) as refusal:
        sign(by, covenant, signatory)
    assert list(refusal.value.message_dict) == ["organisation"]
    with pytest.raises(ValidationError) as refusal:
        covenant_sign(by=by, covenant=covenant, data=SignatureInput(None, today(), "", ""))
    assert set(refusal.value.message_dict) == {"organisation", "signed_by_name"}
    assert CovenantSignature.objects.count() == 1


def test_a_withdrawal_in_the_future_or_before_the_signature_or_twice_is_refused() -> None:
    by = keeper()
    signature = sign(by, version(by, "2020-1", date(2020, 1, 1)), police(), date(2020, 2, 1))
    for day in (today() + timedelta(days=1), date(2020, 1, 31)):
        with pytest.raises(ValidationError) as refusal:
            covenant_signature_withdraw(by=by, signature=signature, withdrawn_on=day)
        assert list(refusal.value.message_dict) == ["withdrawn_on"]
    covenant_signature_withdraw(by=by, signature=signature, withdrawn_on=date(2024, 5, 1))
    with pytest.raises(ValidationError):
        covenant_signature_withdraw(by=by, signature=signature, withdrawn_on=today())
    signature.refresh_from_db()
    assert signature.withdrawn_on == date(2024, 5, 1)


def test_an_organisation_that_withdrew_may_sign_again() -> None:
    by, organisation = keeper(), police()
    covenant = version(by, "2020-1", date(2020, 1, 1))
    first = sign(by, covenant, organisation, date(2020, 1, 1))
    covenant_signature_withdraw(by=by, signature=first, withdrawn_on=date(2021, 1, 1))
    sign(by, covenant, organisation, date(2022, 1, 1))
    assert share_to(organisation).legal_basis == LegalBasis.COVENANT


def test_the_pages_record_a_signature_and_a_withdrawal() -> None:
    by, organisation = keeper(), police()
    covenant = version(by, "2020-1", date(2020, 1, 1))
    client = verified_client(by)
    response = client.post(
        reverse("accounts:covenant_sign", kwargs={"covenant_id": covenant.pk}),
        {
            "organisation": organisation.pk,
            "signed_on": "2020-01-15",
            "signed_by_name": SIGNER,
            "signed_by_function": "Korpschef",
        },
    )
    assert response.status_code == 302
    signature = CovenantSignature.objects.get()
    page = client.get(reverse("accounts:covenant", kwargs={"code": ZEELAND})).content.decode()
    assert SIGNER in page and "15 januari 2020" in page
    response = client.post(
        reverse("accounts:signature_withdraw", kwargs={"signature_id": signature.pk}),
        {"withdrawn_on": today().isoformat()},
    )
    assert response.status_code == 302
    signature.refresh_from_db()
    assert signature.withdrawn_on == today()


def test_a_signature_dated_in_the_future_is_refused_on_the_page() -> None:
    by, organisation = keeper(), police()
    covenant = version(by, "2020-1", date(2020, 1, 1))
    response = verified_client(by).post(
        reverse("accounts:covenant_sign", kwargs={"covenant_id": covenant.pk}),
        {
            "organisation": organisation.pk,
            "signed_on": (today() + timedelta(days=3)).isoformat(),
            "signed_by_name": SIGNER,
        },
    )
    assert response.status_code == 200
    assert "signed_on" in response.context["form"].errors
    assert not CovenantSignature.objects.exists()


def test_a_partner_cannot_record_a_signature_for_itself() -> None:
    by = keeper()
    covenant = version(by, "2020-1", date(2020, 1, 1))
    officer = staff_user(role=Role.KETENPARTNER, organisation=police())
    response = verified_client(officer).post(
        reverse("accounts:covenant_sign", kwargs={"covenant_id": covenant.pk}),
        {
            "organisation": officer.memberships.get().organisation_id,
            "signed_on": "2020-01-15",
            "signed_by_name": SIGNER,
        },
    )
    assert response.status_code == 404
    assert not CovenantSignature.objects.exists()


# --- personal data of the signatory -----------------------------------------------------------


def test_who_signed_is_encrypted_at_rest_and_never_in_the_audit_trail() -> None:
    by = keeper()
    covenant = version(by, "2020-1", date(2020, 1, 1))
    signature = sign(by, covenant, police())
    covenant_signature_withdraw(by=by, signature=signature, withdrawn_on=today())
    verified_client(by).get(reverse("accounts:covenant", kwargs={"code": ZEELAND}))
    with connection.cursor() as cursor:
        cursor.execute("SELECT signed_by_name, signed_by_function FROM accounts_covenantsignature")
        stored = " ".join(str(value) for value in cursor.fetchone())
    assert SIGNER not in stored and "Burgemeester" not in stored
    entries = AuditEntry.objects.filter(purpose=Purpose.NETWORK)
    assert entries.filter(action=Action.READ, refs__object_id=str(signature.pk)).exists()
    assert all(SIGNER not in str(entry.detail) for entry in entries)


def test_a_region_sees_only_its_own_covenant() -> None:
    by_a, by_b = keeper(), keeper(IJSSELLAND)
    version(by_a, "zeeland-1", date(2020, 1, 1))
    version(by_b, "ijssel-1", date(2020, 1, 1), code=IJSSELLAND)
    colleague = staff_user(role=Role.AANDACHTSFUNCTIONARIS, region_code=ZEELAND)
    client = verified_client(colleague)
    page = client.get(reverse("accounts:covenant", kwargs={"code": ZEELAND})).content.decode()
    assert "zeeland-1" in page and "ijssel-1" not in page
    assert client.get(reverse("accounts:covenant", kwargs={"code": IJSSELLAND})).status_code == 404
