"""The referral pages: the coordinator refers from the case, the receiving organisation sees
exactly what is shared and answers; need-to-know attacked from every side."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from inbeeld.accounts.models import Role, User
from inbeeld.audit.models import Action, AuditEntry, Purpose
from inbeeld.cases.models import CasePerson
from inbeeld.cases.services import case_invite
from inbeeld.cases.tests.helpers import world_case
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.referrals.models import Referral, ReferralStatus, SharedField
from inbeeld.referrals.tests.helpers import (
    CANARY_NAME,
    shelter,
    shelter_staff,
    world_referral,
)
from inbeeld.testing.clients import verified_client
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def _get(user: User, name: str, *args: Any) -> Any:
    return verified_client(user).get(reverse(name, args=args))


def test_the_coordinator_refers_from_the_case_page(world: World) -> None:
    case = world_case(world, "A")
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    client = verified_client(coordinator)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("referrals:create", args=[case.pk]) in page
    response = client.post(
        reverse("referrals:create", args=[case.pk]),
        {
            "organisation": shelter("A").pk,
            "service": "shelter",
            "shared_fields": ["age_band"],
            "message": "Opvang graag.",
            "legal_basis": LegalBasis.PUBLIC_TASK,
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert referral.reference in page and 'data-testid="referrals-waiting"' in page


def test_a_posted_organisation_of_another_region_is_refused_naming_the_field(
    world: World,
) -> None:
    case = world_case(world, "A")
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    response = client.post(
        reverse("referrals:create", args=[case.pk]),
        {
            "organisation": shelter("B").pk,
            "service": "shelter",
            "message": "Opvang graag.",
            "legal_basis": LegalBasis.PUBLIC_TASK,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    assert not Referral.objects.exists()


def test_the_receiving_organisation_sees_only_what_is_shared(world: World) -> None:
    referral = world_referral(world, shared=[SharedField.AGE_BAND])
    staff = shelter_staff("A")
    listing = _get(staff, "referrals:incoming").content.decode()
    assert referral.reference in listing
    page = _get(staff, "referrals:detail", referral.pk).content.decode()
    assert "Veilige opvang gevraagd." in page  # the message
    assert CANARY_NAME not in page and CANARY_NAME not in listing
    assert referral.case.reference not in page  # nothing of the case but what is shared
    # The case itself stays closed to them.
    assert _get(staff, "cases:detail", referral.case_id).status_code == 404


def test_a_shared_name_is_shown(world: World) -> None:
    referral = world_referral(world, shared=[SharedField.NAME])
    page = _get(shelter_staff("A"), "referrals:detail", referral.pk).content.decode()
    assert CANARY_NAME in page


def test_the_read_is_audited(world: World) -> None:
    referral = world_referral(world)
    _get(shelter_staff("A"), "referrals:detail", referral.pk)
    assert AuditEntry.objects.filter(
        action=Action.READ,
        object_type="referrals.referral",
        object_id=str(referral.pk),
        purpose=Purpose.REFERRAL,
    ).exists()


def _outsiders(world: World) -> dict[str, User]:
    return {
        "sender": world.user(Role.ZORGCOORDINATOR, "A"),
        "other region": world.user(Role.ZORGCOORDINATOR, "B"),
        "other region's shelter": shelter_staff("B"),
        "two regions": world.two_regions,
        "partner not receiving": world.reporter("A"),
        "ketenregisseur": world.user(Role.KETENREGISSEUR, "A"),
        "fg": world.user(Role.FG, "A"),
    }


@pytest.mark.parametrize(
    "who",
    [
        "sender",
        "other region",
        "other region's shelter",
        "two regions",
        "partner not receiving",
        "ketenregisseur",
        "fg",
    ],
)
def test_nobody_else_reaches_the_referral(world: World, who: str) -> None:
    referral = world_referral(world)
    user = _outsiders(world)[who]
    client = verified_client(user)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    for step in ("referrals:accept", "referrals:complete"):
        assert client.post(reverse(step, args=[referral.pk])).status_code == 404
    response = client.post(reverse("referrals:reject", args=[referral.pk]), {"reason": "x"})
    assert response.status_code == 404
    listing = client.get(reverse("referrals:incoming"))
    assert listing.status_code == 404 or referral.reference not in listing.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REQUESTED


def test_anonymous_is_sent_to_login(world: World) -> None:
    referral = world_referral(world)
    for url in (
        reverse("referrals:incoming"),
        reverse("referrals:detail", args=[referral.pk]),
    ):
        response = Client().get(url)
        assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_a_partner_invited_to_the_case_still_sees_only_the_referral(world: World) -> None:
    referral = world_referral(world)
    case_invite(
        by=world.user(Role.ZORGCOORDINATOR, "A"),
        case=referral.case,
        organisation=world.partner("A"),
        legal_basis=LegalBasis.PUBLIC_TASK,
        purpose="Onderzoek",
    )
    # The police were invited, not referred to: no referral page for them.
    assert _get(world.reporter("A"), "referrals:detail", referral.pk).status_code == 404


def test_a_restricted_case_hides_its_referrals(world: World) -> None:
    referral = world_referral(world)
    referral.case.restricted = True
    referral.case.save()
    assert _get(shelter_staff("A"), "referrals:detail", referral.pk).status_code == 404
    assert referral.reference not in _get(shelter_staff("A"), "referrals:incoming").content.decode()


def test_the_shelter_accepts_and_the_coordinator_sees_it_on_the_timeline(world: World) -> None:
    referral = world_referral(world)
    client = verified_client(shelter_staff("A"))
    response = client.post(reverse("referrals:accept", args=[referral.pk]))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    case_page = _get(world.user(Role.ZORGCOORDINATOR, "A"), "cases:detail", referral.case_id)
    timeline = case_page.content.decode().split('data-testid="timeline"')[1]
    assert "geaccepteerd door Opvang A" in timeline


def test_rejecting_without_a_reason_shows_the_field_error(world: World) -> None:
    referral = world_referral(world)
    client = verified_client(shelter_staff("A"))
    response = client.post(reverse("referrals:reject", args=[referral.pk]), {"reason": ""})
    assert response.status_code == 200
    assert response.context["reject_form"].errors["reason"]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REQUESTED


def test_the_coordinator_revokes_and_records_a_service(world: World) -> None:
    referral = world_referral(world)
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    client.post(reverse("referrals:revoke", args=[referral.case_id, referral.pk]))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REVOKED
    response = client.post(
        reverse("referrals:service_create", args=[referral.case_id]),
        {"service": "legal_aid", "provider": shelter("A").pk, "start": "2025-01-02"},
    )
    assert response.status_code == 302
    page = _get(world.user(Role.ZORGCOORDINATOR, "A"), "cases:detail", referral.case_id)
    assert "Dienst: Rechtshulp door Opvang A" in page.content.decode()


def test_a_partner_who_sees_the_case_cannot_refer_or_revoke(world: World) -> None:
    referral = world_referral(world)
    partner = world.user(Role.KETENPARTNER, "A")  # of the owner organisation: sees the case
    client = verified_client(partner)
    assert client.get(reverse("cases:detail", args=[referral.case_id])).status_code == 200
    assert client.get(reverse("referrals:create", args=[referral.case_id])).status_code == 404
    revoke = reverse("referrals:revoke", args=[referral.case_id, referral.pk])
    assert client.post(revoke).status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REQUESTED


def test_the_case_export_lists_referrals_and_erasure_empties_them(world: World) -> None:
    from inbeeld.cases.privacy import CASES

    referral = world_referral(world)
    rights = CASES.subject
    assert rights is not None
    exported = rights.export(referral.case)
    parts = {part["name"]: part for part in exported["parts"]}
    assert parts["referrals"]["items"][0]["message"] == "Veilige opvang gevraagd."
    referral.case.restricted = True
    referral.case.save()
    rights.erase(referral.case)
    referral.refresh_from_db()
    assert referral.message == "[erased]"
    assert CasePerson.objects.get(case=referral.case).name == ""
