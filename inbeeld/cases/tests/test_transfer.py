"""Moving a case to another region (proposed, accepted or rejected) and linking a signal to
an open case; need-to-know around both."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from inbeeld.accounts.models import Role
from inbeeld.cases.models import Case, CaseSignal, CaseTransfer, TransferStatus
from inbeeld.cases.services import (
    case_invite,
    case_link_signal,
    case_transfer_accept,
    case_transfer_propose,
    case_transfer_reject,
)
from inbeeld.cases.tests.helpers import world_case
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.regions.models import Municipality, Region
from inbeeld.signals.models import Signal
from inbeeld.signals.services import SignalInput, signal_create_partner
from inbeeld.testing.clients import verified_client
from inbeeld.testing.world import MUNICIPALITY_CODES, World

pytestmark = pytest.mark.django_db
CANARY = "Kanarie Overdracht"


def _proposed(world: World) -> CaseTransfer:
    case = world_case(world, "A")
    case.person.name = CANARY
    case.person.save()
    return case_transfer_propose(
        by=world.user(Role.ZORGCOORDINATOR, "A"),
        case=case,
        to_region=Region.objects.get(code="VR04"),
        message="Verhuisd naar Zwolle.",
    )


def test_until_accepted_nothing_changes_and_the_other_region_sees_only_the_proposal(
    world: World,
) -> None:
    transfer = _proposed(world)
    case = Case.objects.get(pk=transfer.case_id)
    assert case.region.code == "VR19"
    other = verified_client(world.user(Role.ZORGCOORDINATOR, "B"))
    assert other.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    listing = other.get(reverse("cases:transfers")).content.decode()
    assert case.reference in listing
    page = other.get(reverse("cases:transfer", args=[transfer.pk])).content.decode()
    assert "Verhuisd naar Zwolle." in page and CANARY not in page
    sender_page = verified_client(world.user(Role.ZORGCOORDINATOR, "A")).get(
        reverse("cases:detail", args=[case.pk])
    )
    assert b'data-testid="transfer-pending"' in sender_page.content


@pytest.mark.parametrize("who", ["sender", "two regions", "partner B", "ketenpartner B"])
def test_only_the_receiving_coordinator_reaches_the_proposal(world: World, who: str) -> None:
    transfer = _proposed(world)
    user = {
        "sender": world.user(Role.ZORGCOORDINATOR, "A"),
        "two regions": world.two_regions,  # coordinator in A, chain partner in B
        "partner B": world.reporter("B"),
        "ketenpartner B": world.user(Role.KETENPARTNER, "B"),
    }[who]
    client = verified_client(user)
    assert client.get(reverse("cases:transfer", args=[transfer.pk])).status_code == 404
    assert client.post(reverse("cases:transfer_accept", args=[transfer.pk])).status_code == 404
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PROPOSED


def test_accepting_moves_the_case_and_its_owner(world: World) -> None:
    transfer = _proposed(world)
    case = Case.objects.get(pk=transfer.case_id)
    case_invite(
        by=world.user(Role.ZORGCOORDINATOR, "A"),
        case=case,
        organisation=world.partner("A"),
        legal_basis=LegalBasis.PUBLIC_TASK,
        purpose="Onderzoek",
    )
    receiver = world.user(Role.ZORGCOORDINATOR, "B")
    response = verified_client(receiver).post(reverse("cases:transfer_accept", args=[transfer.pk]))
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    case.refresh_from_db()
    assert (case.region.code, case.owner, case.owner_organisation) == (
        "VR04",
        receiver,
        world.organisation("B"),
    )
    # The old region's coordinator and invited partner no longer see it.
    for user in (world.user(Role.ZORGCOORDINATOR, "A"), world.reporter("A")):
        assert not user.has_perm("cases.view_case", case)
    page = verified_client(receiver).get(reverse("cases:detail", args=[case.pk])).content
    assert "Dossier overgenomen door" in page.decode()


def test_rejecting_needs_a_reason_and_changes_nothing(world: World) -> None:
    transfer = _proposed(world)
    receiver = world.user(Role.ZORGCOORDINATOR, "B")
    with pytest.raises(ValidationError):
        case_transfer_reject(by=receiver, transfer=transfer, reason="")
    case_transfer_reject(by=receiver, transfer=transfer, reason="Geen plek.")
    case = Case.objects.get(pk=transfer.case_id)
    assert case.region.code == "VR19"
    with pytest.raises(ValidationError):
        case_transfer_accept(by=receiver, transfer=transfer)
    case.refresh_from_db()
    assert case.region.code == "VR19"


def test_a_second_proposal_or_the_own_region_is_refused(world: World) -> None:
    transfer = _proposed(world)
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    for region_code in ("VR04", "VR19"):
        with pytest.raises(ValidationError) as refused:
            case_transfer_propose(
                by=coordinator,
                case=transfer.case,
                to_region=Region.objects.get(code=region_code),
                message="Nog eens.",
            )
        assert "to_region" in refused.value.message_dict
    assert CaseTransfer.objects.count() == 1


def _second_signal(world: World, letter: str = "A") -> Signal:
    signal, _new = signal_create_partner(
        data=SignalInput(
            municipality=Municipality.objects.get(code=MUNICIPALITY_CODES[letter]),
            description="Tweede.",
        ),
        by=world.reporter(letter),
        organisation=world.partner(letter),
    )
    return signal


def test_the_coordinator_links_a_signal_to_an_open_case(world: World) -> None:
    case = world_case(world, "A")
    signal = _second_signal(world)
    status_before = signal.status
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    page = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert reverse("cases:link_signal", args=[signal.pk]) in page
    response = client.post(reverse("cases:link_signal", args=[signal.pk]), {"case": case.pk})
    assert response.status_code == 302
    assert CaseSignal.objects.filter(case=case, signal=signal).exists()
    signal.refresh_from_db()
    assert signal.status == status_before  # the signal keeps its own history
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert signal.receipt_code in detail


def test_a_case_of_another_region_cannot_take_the_signal(world: World) -> None:
    case_b = world_case(world, "B")
    signal = _second_signal(world, "A")
    with pytest.raises(ValidationError):
        case_link_signal(by=world.two_regions, case=case_b, signal=signal)
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    response = client.post(reverse("cases:link_signal", args=[signal.pk]), {"case": case_b.pk})
    assert response.status_code == 200 and response.context["form"].errors["case"]
    assert not CaseSignal.objects.filter(case=case_b, signal=signal).exists()
    other = verified_client(world.user(Role.ZORGCOORDINATOR, "B"))
    assert other.get(reverse("cases:link_signal", args=[signal.pk])).status_code == 404
