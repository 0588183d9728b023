"""Placements for tests: the world's case in a region, shelters with places there, and a
request made through the service like the zorgcoördinator would."""

from __future__ import annotations

from collections.abc import Sequence

from inbeeld.accounts.models import Role, User
from inbeeld.cases.models import Case
from inbeeld.placements.models import PlacementRequest, Urgency
from inbeeld.placements.services import RequestInput, request_create
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.referrals.models import SharedField
from inbeeld.referrals.tests.helpers import CANARY_NAME, named_case
from inbeeld.shelter.models import PlaceCapacity, PlaceKind
from inbeeld.shelter.tests.helpers import location_of, place_at, shelter_of, staff_of
from inbeeld.testing.world import World

NOTE = "Heeft medicatie nodig; Kanarienotitie"
__all__ = ["CANARY_NAME", "NOTE", "ask", "women_place"]


def women_place(
    letter: str = "A",
    shelter: str = "",
    location: str = "Huis Noord",
    *,
    capacity: int = 10,
    occupied: int = 4,
) -> PlaceCapacity:
    return place_at(
        location_of(shelter_of(letter, shelter), location),
        PlaceKind.WOMEN,
        capacity=capacity,
        occupied=occupied,
    )


def shelter_user(place: PlaceCapacity, username: str = "") -> User:
    existing = User.objects.filter(username=username).first() if username else None
    return existing or staff_of(place.location.organisation, username)


def ask(
    world: World,
    letter: str = "A",
    *,
    case: Case | None = None,
    kind: str = PlaceKind.WOMEN,
    urgency: str = Urgency.WEEK,
    note_shared: bool = False,
    shared: Sequence[str] = (SharedField.NAME,),
) -> PlacementRequest:
    return request_create(
        by=world.user(Role.ZORGCOORDINATOR, letter),
        case=case or named_case(world, letter),
        data=RequestInput(
            kind=kind,
            urgency=urgency,
            note=NOTE,
            note_shared=note_shared,
            shared_fields=list(shared),
            legal_basis=LegalBasis.PUBLIC_TASK,
        ),
    )
