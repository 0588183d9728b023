"""The placement pages as people use them, and need-to-know attacked from every side: the
shelter sees an offer pseudonymised until it accepts, only its own offers and placements;
another shelter, another region's coordinator, an account with roles in two regions, a
partner and an anonymous visitor see nothing of it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import Role, User
from inbeeld.placements.models import OfferStatus, Placement, RequestStatus
from inbeeld.placements.tests.helpers import CANARY_NAME, NOTE, ask, shelter_user, women_place
from inbeeld.shelter.models import PlaceKind
from inbeeld.testing.clients import verified_client
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def _page(user: User, name: str, *args: Any) -> Any:
    return verified_client(user).get(reverse(name, args=args))


def test_the_coordinator_asks_for_a_place_from_the_case_page(world: World) -> None:
    place = women_place()
    request = ask(world)  # makes the case
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    page = _page(coordinator, "cases:detail", request.case_id).content.decode()
    assert 'data-testid="placements"' in page
    assert request.reference in page
    client = verified_client(coordinator)
    response = client.post(
        reverse("placements:request_create", args=[request.case_id]),
        {"kind": PlaceKind.CRISIS, "urgency": "crisis", "legal_basis": "avg_6_1_e"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("placements:request_create", args=[request.case_id]),
        {"kind": PlaceKind.WOMEN, "urgency": "crisis", "legal_basis": "avg_6_1_e"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"kind"}
    assert place.location.placement_offers.count() == 1


def test_the_shelter_sees_the_offer_pseudonymised_until_it_accepts(world: World) -> None:
    place = women_place()
    request = ask(world)
    staff = shelter_user(place, "een")
    offer = request.offers.get()
    for page in (
        _page(staff, "placements:offers").content.decode(),
        _page(staff, "placements:offer_detail", offer.pk).content.decode(),
    ):
        assert request.reference in page
        assert CANARY_NAME not in page
        assert request.case.reference not in page
        assert "Kanarienotitie" not in page
    client = verified_client(staff)
    client.post(reverse("placements:offer_accept", args=[offer.pk]))
    page = client.get(reverse("placements:offer_detail", args=[offer.pk])).content.decode()
    assert CANARY_NAME in page  # the requester shared the name on acceptance
    assert request.case.reference in page
    assert "Kanarienotitie" not in page  # the note was not shared


def test_the_note_is_shown_only_when_the_requester_shared_it(world: World) -> None:
    place = women_place()
    request = ask(world, note_shared=True)
    page = _page(shelter_user(place), "placements:offer_detail", request.offers.get().pk)
    assert NOTE in page.content.decode()


def test_a_refusal_without_a_reason_is_refused_on_its_field(world: World) -> None:
    place = women_place()
    offer = ask(world).offers.get()
    client = verified_client(shelter_user(place))
    response = client.post(reverse("placements:offer_refuse", args=[offer.pk]), {})
    assert response.status_code == 200
    assert "reason_code" in response.context["refuse_form"].errors
    offer.refresh_from_db()
    assert offer.status == OfferStatus.OFFERED


def test_a_second_shelter_accepting_late_gets_a_clear_message(world: World) -> None:
    first = women_place("A", "Opvang Een", "Huis Een")
    second = women_place("A", "Opvang Twee", "Huis Twee")
    request = ask(world)
    verified_client(shelter_user(first, "een")).post(
        reverse("placements:offer_accept", args=[request.offers.get(location=first.location).pk])
    )
    late = request.offers.get(location=second.location)
    response = verified_client(shelter_user(second, "twee")).post(
        reverse("placements:offer_accept", args=[late.pk]), follow=True
    )
    assert response.status_code == 200
    assert "niet meer open" in response.content.decode()


def test_intake_and_outflow_through_the_pages(world: World) -> None:
    place = women_place(capacity=2, occupied=1)
    request = ask(world)
    staff = shelter_user(place)
    client = verified_client(staff)
    offer = request.offers.get()
    client.post(reverse("placements:offer_accept", args=[offer.pk]))
    form = client.get(reverse("placements:intake") + f"?offer={offer.pk}").context["form"]
    assert form.initial["case"] == request.case_id
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("placements:intake"),
        {
            "case": request.case_id,
            "location": place.location_id,
            "kind": PlaceKind.WOMEN,
            "intake": today,
            "request": request.pk,
        },
    )
    assert response.status_code == 302
    placement = Placement.objects.get()
    place.refresh_from_db()
    assert place.occupied == 2
    response = client.post(
        reverse("placements:placement_outflow", args=[placement.pk]),
        {"outflow": "2000-01-01", "destination": "own_housing"},
    )
    assert response.context["outflow_form"].errors.keys() == {"outflow"}
    response = client.post(
        reverse("placements:placement_outflow", args=[placement.pk]),
        {"outflow": today, "destination": "own_housing"},
    )
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.occupied == 1
    case_page = _page(world.user(Role.ZORGCOORDINATOR, "A"), "cases:detail", request.case_id)
    assert (
        "Eigen woonruimte" in case_page.content.decode()
        or "own housing" in case_page.content.decode().lower()
    )


def test_the_waiting_list_and_the_overview_count_the_waiting_requests(world: World) -> None:
    women_place(capacity=3, occupied=3)
    request = ask(world)
    coordinator = world.user(Role.KETENREGISSEUR, "A")
    page = _page(coordinator, "placements:waiting").content.decode()
    assert request.reference in page
    assert CANARY_NAME not in page and request.case.reference not in page
    response = _page(coordinator, "shelter:overview")
    (region,) = response.context["regions"]
    assert region.total.waiting == 1
    assert _page(coordinator, "placements:flow").status_code == 200


def _outsiders(world: World) -> list[User]:
    other_shelter = shelter_user(women_place("A", "Opvang Twee", "Huis Twee"), "twee")
    return [
        other_shelter,
        world.user(Role.ZORGCOORDINATOR, "B"),
        world.user(Role.KETENREGISSEUR, "B"),
        world.two_regions,  # coordinator in A (sees the waiting list), shelter worker nowhere
        world.reporter("A"),
    ]


def test_nobody_else_sees_the_offer_or_the_placement(world: World) -> None:
    place = women_place()
    request = ask(world)
    offer = request.offers.get(location=place.location)
    staff = shelter_user(place, "een")
    verified_client(staff).post(reverse("placements:offer_accept", args=[offer.pk]))
    from inbeeld.placements import services

    placement = services.placement_intake(
        by=staff,
        data=services.IntakeInput(
            case=request.case,
            location=place.location,
            kind=PlaceKind.WOMEN,
            intake=timezone.localdate(),
            request=request,
        ),
    )
    for user in _outsiders(world):
        client = verified_client(user)
        for name, arg in (
            ("placements:offer_detail", offer.pk),
            ("placements:placement_detail", placement.pk),
        ):
            assert client.get(reverse(name, args=[arg])).status_code == 404, (user, name)
        assert client.post(reverse("placements:offer_accept", args=[offer.pk])).status_code == 404
        response = client.post(
            reverse("placements:placement_outflow", args=[placement.pk]),
            {"outflow": timezone.localdate().isoformat(), "destination": "unknown"},
        )
        assert response.status_code == 404
        offers = client.get(reverse("placements:offers"))
        assert offers.status_code == 404 or request.reference not in offers.content.decode()
    placement.refresh_from_db()
    assert placement.outflow is None
    anonymous = Client()
    assert anonymous.get(reverse("placements:offers")).status_code == 302
    assert anonymous.get(reverse("placements:waiting")).status_code == 302


def test_another_regions_coordinator_does_not_see_the_waiting_list(world: World) -> None:
    women_place()
    request = ask(world)
    for user in (world.user(Role.ZORGCOORDINATOR, "B"), world.user(Role.KETENREGISSEUR, "B")):
        page = _page(user, "placements:waiting").content.decode()
        assert request.reference not in page
    assert _page(world.reporter("A"), "placements:waiting").status_code == 404
    # Only the case's coordinator asks and withdraws.
    response = verified_client(world.user(Role.ZORGCOORDINATOR, "B")).post(
        reverse("placements:request_withdraw", args=[request.case_id, request.pk])
    )
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN


def test_the_other_region_consents_on_its_waiting_list_page(world: World) -> None:
    women_place("A", capacity=2, occupied=2)
    other = women_place("B", "Opvang IJssel", "Huis IJssel")
    request = ask(world)
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    from inbeeld.regions.models import Region

    region_b = Region.objects.get(code=world.region_code("B"))
    response = client.post(
        reverse("placements:region_ask", args=[request.case_id, request.pk]),
        {"region": region_b.pk},
    )
    assert response.status_code == 302
    ask_made = request.region_asks.get()
    # Region A's coordinator cannot consent for B.
    assert client.post(reverse("placements:ask_answer", args=[ask_made.pk])).status_code == 404
    b_staff = shelter_user(other, "ijssel")
    assert request.reference not in _page(b_staff, "placements:offers").content.decode()
    b = verified_client(world.user(Role.ZORGCOORDINATOR, "B"))
    assert request.reference in b.get(reverse("placements:waiting")).content.decode()
    b.post(reverse("placements:ask_answer", args=[ask_made.pk]), {"answer": "consent"})
    assert request.reference in _page(b_staff, "placements:offers").content.decode()
