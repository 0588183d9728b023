"""Notes, assignments and anonymised tips: each share has a legal basis, a purpose, an audit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inbeeld.accounts.models import OrganisationType, Role, User
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.privacy.models import Share, ShareKind
from inbeeld.regions.models import Municipality
from inbeeld.signals.models import NoteKind, Signal, SignalNote
from inbeeld.signals.services import SignalInput, signal_create_partner
from inbeeld.signals.tests.helpers import version_of
from inbeeld.signals.triage import tip_draft
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import (
    OrganisationFactory,
    covenant_signed_by,
    region,
    staff_user,
)

pytestmark = pytest.mark.django_db

CONTACT = "buurvrouw 06-98765432"


def shelter_signal(code: str = "GM0664") -> Signal:
    municipality = Municipality.objects.get(code=code)
    organisation = OrganisationFactory.create(
        type=OrganisationType.SHELTER, region=municipality.region
    )
    reporter = staff_user(role=Role.KETENPARTNER, organisation=organisation)
    signal, _new = signal_create_partner(
        data=SignalInput(
            municipality=municipality,
            description="Twee vrouwen werken zonder loon in een nagelsalon.",
            indicators=["GEN-DEBT"],
            reporter_contact=CONTACT,
            victim_name="Testpersoon Een",
        ),
        by=reporter,
        organisation=organisation,
    )
    return signal


def coordinator() -> User:
    return staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")


def police_officer(code: str = "VR19") -> User:
    police = OrganisationFactory.create(type=OrganisationType.POLICE, region=region(code))
    covenant_signed_by(police)  # assignments here are shares on the covenant basis
    return staff_user(role=Role.KETENPARTNER, organisation=police)


def detail(signal: Signal) -> str:
    return reverse("signals:detail", kwargs={"signal_id": signal.pk})


def test_a_note_and_an_enrichment_appear_on_the_signal_page() -> None:
    signal, client = shelter_signal(), verified_client(coordinator())
    url = reverse("signals:note_add", kwargs={"signal_id": signal.pk})
    client.post(url, {"kind": NoteKind.NOTE, "text": "Gebeld met de opvang."})
    client.post(url, {"kind": NoteKind.ENRICHMENT, "text": "Bekend bij de NLA.", "source": "NLA"})
    page = client.get(detail(signal)).content.decode()
    assert "Gebeld met de opvang." in page
    assert "Bekend bij de NLA." in page and "NLA" in page


def test_enrichment_without_a_source_names_the_field_and_writes_nothing() -> None:
    signal, client = shelter_signal(), verified_client(coordinator())
    response = client.post(
        reverse("signals:note_add", kwargs={"signal_id": signal.pk}),
        {"kind": NoteKind.ENRICHMENT, "text": "Bekend bij de NLA."},
    )
    assert response.status_code == 200
    assert "source" in response.context["form"].errors
    assert "Bekend bij de NLA." in response.content.decode()  # what was typed is kept
    assert not SignalNote.objects.exists()


def test_notes_are_encrypted_at_rest() -> None:
    from django.db import connection

    signal = shelter_signal()
    verified_client(coordinator()).post(
        reverse("signals:note_add", kwargs={"signal_id": signal.pk}),
        {"kind": NoteKind.NOTE, "text": "Geheime aantekening"},
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM signals_signalnote")
        (raw,) = cursor.fetchone()
    assert "Geheime" not in raw


def test_assigning_gives_need_to_know_with_a_recorded_legal_basis() -> None:
    signal, boss = shelter_signal(), coordinator()
    officer = police_officer()
    client = verified_client(officer)
    assert client.get(detail(signal)).status_code == 404
    response = verified_client(boss).post(
        reverse("signals:assign", kwargs={"signal_id": signal.pk}),
        {
            "to_user": officer.pk,
            "legal_basis": LegalBasis.POLICE_DATA,
            "purpose": "onderzoek",
            "version": version_of(signal),
        },
    )
    assert response.status_code == 302
    assert client.get(detail(signal)).status_code == 200
    share = Share.objects.get(kind=ShareKind.ASSIGNMENT)
    assert (share.to_user, share.legal_basis, share.purpose) == (
        officer,
        LegalBasis.POLICE_DATA,
        "onderzoek",
    )
    audit = AuditEntry.objects.get(action=Action.SHARE, object_id=str(signal.pk))
    assert audit.detail["legal_basis"] == LegalBasis.POLICE_DATA


def test_assigning_without_a_legal_basis_names_the_field_and_shares_nothing() -> None:
    signal, officer = shelter_signal(), police_officer()
    response = verified_client(coordinator()).post(
        reverse("signals:assign", kwargs={"signal_id": signal.pk}),
        {
            "to_user": officer.pk,
            "legal_basis": "",
            "purpose": "onderzoek",
            "version": version_of(signal),
        },
    )
    assert "legal_basis" in response.context["form"].errors
    assert not Share.objects.exists()
    assert not signal.assigned_to.exists()


def test_consent_as_the_ground_needs_a_consent_in_force() -> None:
    signal, officer = shelter_signal(), police_officer()
    response = verified_client(coordinator()).post(
        reverse("signals:assign", kwargs={"signal_id": signal.pk}),
        {
            "to_user": officer.pk,
            "legal_basis": LegalBasis.CONSENT,
            "purpose": "zorg",
            "version": version_of(signal),
        },
    )
    assert "legal_basis" in response.context["form"].errors
    assert not Share.objects.exists()


def test_people_of_another_region_cannot_be_assigned() -> None:
    signal, outsider = shelter_signal(), police_officer("VR04")
    response = verified_client(coordinator()).post(
        reverse("signals:assign", kwargs={"signal_id": signal.pk}),
        {
            "to_user": outsider.pk,
            "legal_basis": LegalBasis.COVENANT,
            "purpose": "zorg",
            "version": version_of(signal),
        },
    )
    assert "to_user" in response.context["form"].errors
    assert not signal.assigned_to.exists()


def test_ending_an_assignment_ends_access_and_keeps_the_record() -> None:
    signal, boss, officer = shelter_signal(), coordinator(), police_officer()
    client = verified_client(boss)
    client.post(
        reverse("signals:assign", kwargs={"signal_id": signal.pk}),
        {
            "to_user": officer.pk,
            "legal_basis": LegalBasis.COVENANT,
            "purpose": "zorg",
            "version": version_of(signal),
        },
    )
    share = Share.objects.get()
    client.post(
        reverse("signals:unassign", kwargs={"signal_id": signal.pk, "share_id": share.pk}),
        {"version": version_of(signal)},
    )
    share.refresh_from_db()
    assert share.ended_at is not None and share.ended_by == boss
    assert verified_client(officer).get(detail(signal)).status_code == 404


def test_the_tip_draft_leaves_out_the_reporter() -> None:
    signal = shelter_signal()
    draft = tip_draft(signal)
    assert "nagelsalon" in draft
    assert CONTACT not in draft
    assert str(signal.source_organisation) not in draft
    assert signal.receipt_code not in draft
    assert "Testpersoon" not in draft  # the victim's name is not in the tip either


def test_a_tip_reaches_the_police_without_the_signal_itself() -> None:
    signal, officer = shelter_signal(), police_officer()
    police = officer.memberships.get().organisation
    client = verified_client(coordinator())
    form_page = client.get(reverse("signals:tip", kwargs={"signal_id": signal.pk}))
    assert CONTACT not in form_page.content.decode()
    response = client.post(
        reverse("signals:tip", kwargs={"signal_id": signal.pk}),
        {
            "to_organisation": police.pk,
            "text": "Nagelsalon aan de Markt, twee vrouwen zonder loon.",
            "legal_basis": LegalBasis.CRIMINAL_DATA,
            "purpose": "opsporing",
        },
    )
    assert response.status_code == 302
    share = Share.objects.get(kind=ShareKind.TIP)
    assert (share.to_organisation, share.legal_basis) == (police, LegalBasis.CRIMINAL_DATA)
    officer_client = verified_client(officer)
    tips = officer_client.get(reverse("signals:tips_received")).content.decode()
    assert "Nagelsalon aan de Markt" in tips
    assert officer_client.get(detail(signal)).status_code == 404  # the tip, not the signal
    assert AuditEntry.objects.filter(
        action=Action.READ, refs__object_type="privacy.share", refs__object_id=str(share.pk)
    ).exists()


def test_a_tip_that_still_holds_the_reporters_contact_is_refused() -> None:
    signal, officer = shelter_signal(), police_officer()
    response = verified_client(coordinator()).post(
        reverse("signals:tip", kwargs={"signal_id": signal.pk}),
        {
            "to_organisation": officer.memberships.get().organisation.pk,
            "text": f"Gemeld door {CONTACT}.",
            "legal_basis": LegalBasis.CRIMINAL_DATA,
            "purpose": "opsporing",
        },
    )
    assert "text" in response.context["form"].errors
    assert not Share.objects.exists()


def test_tips_go_only_to_police_or_labour_inspectorate() -> None:
    signal = shelter_signal()
    shelter = signal.source_organisation
    assert shelter is not None
    response = verified_client(coordinator()).post(
        reverse("signals:tip", kwargs={"signal_id": signal.pk}),
        {
            "to_organisation": shelter.pk,
            "text": "Tip",
            "legal_basis": LegalBasis.COVENANT,
            "purpose": "opsporing",
        },
    )
    assert "to_organisation" in response.context["form"].errors
    assert not Share.objects.exists()


def test_other_police_forces_do_not_see_the_tip() -> None:
    signal, officer = shelter_signal(), police_officer()
    verified_client(coordinator()).post(
        reverse("signals:tip", kwargs={"signal_id": signal.pk}),
        {
            "to_organisation": officer.memberships.get().organisation.pk,
            "text": "Nagelsalon aan de Markt.",
            "legal_basis": LegalBasis.CRIMINAL_DATA,
            "purpose": "opsporing",
        },
    )
    elsewhere = verified_client(police_officer("VR04"))
    assert "Nagelsalon" not in elsewhere.get(reverse("signals:tips_received")).content.decode()


def test_the_signal_page_says_what_is_missing() -> None:
    signal = shelter_signal()
    page = verified_client(coordinator()).get(detail(signal))
    completeness = page.context["completeness"]
    assert (completeness.filled, completeness.total) == (2, 8)  # municipality, indicator
    shown = page.content.decode()
    assert "2/8" in shown
    assert all(label in shown for label in completeness.missing)


def test_consent_in_force_for_care_partners_allows_consent_as_the_ground() -> None:
    from django.utils import timezone

    from inbeeld.privacy.consent import consent_record
    from inbeeld.privacy.models import ConsentScope

    signal, boss, officer = shelter_signal(), coordinator(), police_officer()
    consent_record(
        by=boss,
        target=signal,
        scope=ConsentScope.CARE_PARTNERS,
        given_on=timezone.localdate(),
        how="ondertekend formulier",
    )
    response = verified_client(boss).post(
        reverse("signals:assign", kwargs={"signal_id": signal.pk}),
        {
            "to_user": officer.pk,
            "legal_basis": LegalBasis.CONSENT,
            "purpose": "zorg",
            "version": version_of(signal),
        },
    )
    assert response.status_code == 302
    assert Share.objects.get().legal_basis == LegalBasis.CONSENT
