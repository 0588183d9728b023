"""What is typed about a person in the placements is encrypted at rest: a canary in the
needs, a refusal's explanation and an override's reason is nowhere in plain text (the audit
trail and the tasks included), and each model gives it back whole."""

from __future__ import annotations

import pytest
from django.utils import timezone

from inbeeld.placements import services
from inbeeld.placements.models import Placement, PlacementOffer, PlacementRequest, RefusalReason
from inbeeld.placements.services import RequestInput, request_create
from inbeeld.placements.tests.helpers import shelter_user, women_place
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.referrals.tests.helpers import named_case
from inbeeld.shelter.models import PlaceKind
from inbeeld.signals.tests.test_free_text_at_rest import rows_holding
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db
CANARY = "KANARIE9P"


def test_the_placements_free_text_is_nowhere_in_plain_text(world: World) -> None:
    full = women_place("A", "Opvang Een", "Huis Een", capacity=1, occupied=1)
    other = women_place("A", "Opvang Twee", "Huis Twee")
    request = request_create(
        by=world.user("zorgcoordinator", "A"),
        case=named_case(world, "A"),
        data=RequestInput(
            kind=PlaceKind.WOMEN,
            urgency="week",
            note=f"{CANARY} needs",
            note_shared=True,
            legal_basis=LegalBasis.PUBLIC_TASK,
        ),
    )
    services.offer_refuse(
        by=shelter_user(other, "twee"),
        offer=request.offers.get(location=other.location),
        reason_code=RefusalReason.OTHER,
        reason_text=f"{CANARY} refusal",
    )
    staff = shelter_user(full, "een")
    services.offer_accept(by=staff, offer=request.offers.get(location=full.location))
    request.refresh_from_db()
    services.placement_intake(
        by=staff,
        data=services.IntakeInput(
            case=request.case,
            location=full.location,
            kind=PlaceKind.WOMEN,
            intake=timezone.localdate(),
            request=request,
            override_reason=f"{CANARY} override",
        ),
    )
    assert rows_holding(CANARY) == []
    assert PlacementRequest.objects.get().note == f"{CANARY} needs"
    assert PlacementOffer.objects.get(reason_code="other").reason_text == f"{CANARY} refusal"
    assert Placement.objects.get().override_reason == f"{CANARY} override"
