"""The placement services: offers to the region's matching locations, answers, withdrawal,
asking another region with its consent, and placements keeping the occupancy in step;
bad input refused naming the field, with nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from inbeeld.accounts.models import Role, User
from inbeeld.placements import services
from inbeeld.placements.models import (
    AskStatus,
    Destination,
    OfferStatus,
    Placement,
    PlacementRequest,
    RefusalReason,
    RequestStatus,
)
from inbeeld.placements.tests.helpers import ask, shelter_user, women_place
from inbeeld.regions.models import Region
from inbeeld.shelter.models import CapacityUpdate, PlaceCapacity, PlaceKind
from inbeeld.shelter.tests.helpers import location_of, place_at, shelter_of
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def _fields(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(error.value.message_dict)


def test_a_request_is_offered_to_the_matching_active_locations_of_the_region(world: World) -> None:
    first = women_place("A", "Opvang Een", "Huis Een")
    second = women_place("A", "Opvang Twee", "Huis Twee")
    place_at(location_of(shelter_of("A", "Opvang Drie"), "Huis Drie"), PlaceKind.MEN)
    closed = women_place("A", "Opvang Vier", "Huis Vier")
    closed.location.active = False
    closed.location.save()
    women_place("B", "Opvang IJssel", "Huis IJssel")
    request = ask(world)
    offered = {offer.location_id for offer in request.offers.all()}
    assert offered == {first.location_id, second.location_id}
    assert request.status == RequestStatus.OPEN


def test_accepting_closes_the_other_offers_and_a_second_accept_is_refused(world: World) -> None:
    first = women_place("A", "Opvang Een", "Huis Een")
    second = women_place("A", "Opvang Twee", "Huis Twee")
    request = ask(world)
    one = request.offers.get(location=first.location)
    two = request.offers.get(location=second.location)
    services.offer_accept(by=shelter_user(first, "een"), offer=one)
    two.refresh_from_db()
    request.refresh_from_db()
    assert (two.status, request.status) == (OfferStatus.CLOSED, RequestStatus.ACCEPTED)
    assert request.share is not None
    assert request.share.to_organisation_id == first.location.organisation_id
    with pytest.raises(ValidationError) as error:
        services.offer_accept(by=shelter_user(second, "twee"), offer=two)
    assert _fields(error) == {"status"}
    assert "niet meer open" in str(error.value) or "no longer open" in str(error.value)


def test_refusing_needs_a_reason_from_the_list_and_an_explanation_for_other(world: World) -> None:
    place = women_place()
    request = ask(world)
    offer = request.offers.get()
    staff = shelter_user(place, "een")
    with pytest.raises(ValidationError) as error:
        services.offer_refuse(by=staff, offer=offer, reason_code="nonsense")
    assert _fields(error) == {"reason_code"}
    with pytest.raises(ValidationError) as error:
        services.offer_refuse(by=staff, offer=offer, reason_code=RefusalReason.OTHER)
    assert _fields(error) == {"reason_text"}
    offer.refresh_from_db()
    assert offer.status == OfferStatus.OFFERED
    services.offer_refuse(by=staff, offer=offer, reason_code=RefusalReason.FULL)
    offer.refresh_from_db()
    request.refresh_from_db()
    assert offer.status == OfferStatus.REFUSED
    assert request.status == RequestStatus.OPEN  # still on the waiting list


def test_withdrawing_closes_the_open_offers(world: World) -> None:
    women_place()
    request = ask(world)
    services.request_withdraw(by=world.user(Role.ZORGCOORDINATOR, "A"), request=request)
    assert request.offers.get().status == OfferStatus.CLOSED
    with pytest.raises(ValidationError) as error:
        services.request_withdraw(by=world.user(Role.ZORGCOORDINATOR, "A"), request=request)
    assert _fields(error) == {"status"}


def test_a_second_open_request_of_the_same_kind_is_refused(world: World) -> None:
    request = ask(world)
    with pytest.raises(ValidationError) as error:
        ask(world, case=request.case)
    assert _fields(error) == {"kind"}


def test_another_region_is_asked_only_when_full_and_sees_it_only_after_consent(
    world: World,
) -> None:
    own = women_place("A", capacity=5, occupied=4)
    other = women_place("B", "Opvang IJssel", "Huis IJssel")
    request = ask(world)
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    region_b = Region.objects.get(code=world.region_code("B"))
    with pytest.raises(ValidationError) as error:
        services.region_ask(by=coordinator, request=request, region=region_b)
    assert _fields(error) == {"region"}
    own.occupied = 5
    own.save()
    made = services.region_ask(by=coordinator, request=request, region=region_b)
    assert not request.offers.filter(location=other.location).exists()
    with pytest.raises(ValidationError):
        services.region_ask_answer(by=coordinator, ask=made, consent=True)
    b_coordinator = world.user(Role.KETENREGISSEUR, "B")
    services.region_ask_answer(by=b_coordinator, ask=made, consent=True)
    made.refresh_from_db()
    assert (made.status, made.answered_by) == (AskStatus.CONSENTED, b_coordinator)
    assert request.offers.filter(location=other.location, status=OfferStatus.OFFERED).exists()


def _accepted(world: World, place: PlaceCapacity) -> tuple[PlacementRequest, User]:
    request = ask(world)
    offer = request.offers.get(location=place.location)
    staff = shelter_user(place, "een")
    services.offer_accept(by=staff, offer=offer)
    request.refresh_from_db()
    return request, staff


def test_intake_and_outflow_keep_the_occupancy_in_step(world: World) -> None:
    place = women_place(capacity=10, occupied=4)
    request, staff = _accepted(world, place)
    today = timezone.localdate()
    placement = services.placement_intake(
        by=staff,
        data=services.IntakeInput(
            case=request.case,
            location=place.location,
            kind=PlaceKind.WOMEN,
            intake=today,
            request=request,
        ),
    )
    place.refresh_from_db()
    assert place.occupied == 5
    assert CapacityUpdate.objects.filter(place=place, occupied=5, by=staff).exists()
    assert place.confirmed_at is not None
    with pytest.raises(ValidationError) as error:
        services.placement_outflow(
            by=staff,
            placement=placement,
            outflow=today - timedelta(days=1),
            destination=Destination.OWN_HOUSING,
        )
    assert _fields(error) == {"outflow"}
    with pytest.raises(ValidationError) as error:
        services.placement_outflow(
            by=staff,
            placement=placement,
            outflow=today,
            destination=Destination.TRANSFER,
        )
    assert _fields(error) == {"destination"}
    place.refresh_from_db()
    assert place.occupied == 5
    services.placement_outflow(
        by=staff,
        placement=placement,
        outflow=today,
        destination=Destination.FAMILY,
    )
    place.refresh_from_db()
    assert place.occupied == 4


def test_a_full_location_takes_in_only_with_the_shelters_override(world: World) -> None:
    place = women_place(capacity=3, occupied=3)
    request, staff = _accepted(world, place)
    data = services.IntakeInput(
        case=request.case,
        location=place.location,
        kind=PlaceKind.WOMEN,
        intake=timezone.localdate(),
        request=request,
    )
    with pytest.raises(ValidationError) as error:
        services.placement_intake(by=staff, data=data)
    assert _fields(error) == {"override_reason"}
    assert not Placement.objects.exists()
    assert not CapacityUpdate.objects.filter(place=place).exists()
    placement = services.placement_intake(
        by=staff,
        data=services.IntakeInput(**{**data.__dict__, "override_reason": "Acuut onveilig."}),
    )
    place.refresh_from_db()
    assert placement.over_capacity and placement.override_by == staff
    assert placement.override_at is not None
    assert placement.override_reason == "Acuut onveilig."
    assert place.occupied == 3


def test_dates_in_the_wrong_order_or_the_future_are_refused(world: World) -> None:
    place = women_place()
    request, staff = _accepted(world, place)
    for day in (
        timezone.localdate() + timedelta(days=1),
        timezone.localdate() - timedelta(days=400),
    ):
        with pytest.raises(ValidationError) as error:
            services.placement_intake(
                by=staff,
                data=services.IntakeInput(
                    case=request.case,
                    location=place.location,
                    kind=PlaceKind.WOMEN,
                    intake=day,
                    request=request,
                ),
            )
        assert _fields(error) == {"intake"}
    assert not Placement.objects.exists()


def test_a_transfer_links_the_new_placement_and_moves_the_occupancy(world: World) -> None:
    place = women_place(capacity=10, occupied=4)
    crisis = place_at(place.location, PlaceKind.CRISIS, capacity=2, occupied=0)
    request, staff = _accepted(world, place)
    today = timezone.localdate()
    first = services.placement_intake(
        by=staff,
        data=services.IntakeInput(
            case=request.case,
            location=place.location,
            kind=PlaceKind.WOMEN,
            intake=today,
            request=request,
        ),
    )
    following = services.placement_transfer(
        by=staff,
        placement=first,
        location=place.location,
        kind=PlaceKind.CRISIS,
        day=today,
    )
    first.refresh_from_db()
    place.refresh_from_db()
    crisis.refresh_from_db()
    assert following.previous == first and following.stay_start == first.intake
    assert first.destination == Destination.TRANSFER
    assert (place.occupied, crisis.occupied) == (4, 1)


def test_another_shelter_cannot_answer_or_take_in(world: World) -> None:
    place = women_place()
    other = women_place("A", "Opvang Twee", "Huis Twee")
    request = ask(world)
    offer = request.offers.get(location=place.location)
    with pytest.raises(ValidationError):
        services.offer_accept(by=shelter_user(other, "twee"), offer=offer)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.OFFERED


def test_the_shelter_gets_a_task_to_answer_closed_by_its_answer_or_another_acceptance(
    world: World,
) -> None:
    from inbeeld.tasks.models import TaskStatus
    from inbeeld.tasks.services import tasks_for_subject

    first = women_place("A", "Opvang Een", "Huis Een")
    second = women_place("A", "Opvang Twee", "Huis Twee")
    request = ask(world, urgency="crisis")
    one = request.offers.get(location=first.location)
    two = request.offers.get(location=second.location)
    (task,) = tasks_for_subject(one)
    assert task.owner_organisation_id == first.location.organisation_id
    assert task.due == timezone.localdate()
    assert request.case.person.name not in task.title
    services.offer_accept(by=shelter_user(first, "een"), offer=one)
    assert tasks_for_subject(one).get().status == TaskStatus.DONE
    assert tasks_for_subject(two).get().status == TaskStatus.CANCELLED


def test_withdrawing_an_accepted_request_takes_the_shared_fields_back(world: World) -> None:
    from inbeeld.placements.offers import offer_view

    place = women_place()
    request = ask(world)
    offer = request.offers.get()
    services.offer_accept(by=shelter_user(place, "een"), offer=offer)
    offer.refresh_from_db()
    assert offer_view(offer).shared
    request.refresh_from_db()
    services.request_withdraw(by=world.user(Role.ZORGCOORDINATOR, "A"), request=request)
    offer.refresh_from_db()
    request.refresh_from_db()
    assert offer.status == OfferStatus.CLOSED
    assert offer_view(offer).shared == []
    assert request.share is not None and request.share.ended_at is not None


def test_erasing_the_case_empties_the_placements_texts(world: World) -> None:
    from inbeeld.placements.privacy import _erase_placements, _erase_requests, _export_requests

    place = women_place(capacity=1, occupied=1)
    other = women_place("A", "Opvang Twee", "Huis Twee")
    request, staff = _accepted(world, place)
    placement = services.placement_intake(
        by=staff,
        data=services.IntakeInput(
            case=request.case,
            location=place.location,
            kind=PlaceKind.WOMEN,
            intake=timezone.localdate(),
            request=request,
            override_reason="Reden met naam",
        ),
    )
    assert _export_requests(request.case)[0]["note"]
    assert other.location_id  # its offer was closed when the first accepted
    assert _erase_requests(request.case) == 1
    assert _erase_placements(request.case) == 1
    request.refresh_from_db()
    placement.refresh_from_db()
    assert (request.note, placement.override_reason) == ("[erased]", "[erased]")
