"""The shelter pages as people use them: a shelter sees only its own places, the region's
coordinator sees the region's with "onbekend" for stale figures, bad input is refused on its
field and nothing is written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.shelter.models import CapacityUpdate, PlaceCapacity, PlaceKind
from inbeeld.shelter.tests.helpers import location_of, place_at, shelter_of, staff_of
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import MembershipFactory, staff_user

pytestmark = pytest.mark.django_db


def test_a_shelter_sees_and_updates_only_its_own_places() -> None:
    own = place_at(location_of(shelter_of("A"), "Eigen huis"))
    other = place_at(location_of(shelter_of("A", "Andere opvang"), "Ander huis"))
    client = verified_client(staff_of(own.location.organisation))
    page = client.get(reverse("shelter:mine")).content.decode()
    assert "Eigen huis" in page
    assert "Ander huis" not in page
    url = reverse("shelter:place_update", kwargs={"place_id": other.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"free": "1"}).status_code == 404
    assert not CapacityUpdate.objects.exists()


def test_the_one_click_update_confirms_the_free_places() -> None:
    place = place_at(location_of(shelter_of("A")), capacity=10, occupied=4, never_confirmed=True)
    client = verified_client(staff_of(place.location.organisation))
    url = reverse("shelter:place_update", kwargs={"place_id": place.pk})
    response = client.post(url, {"free": "2"}, follow=True)
    place.refresh_from_db()
    assert (place.occupied, place.free) == (8, 2)
    assert "2 vrije plekken bevestigd" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"free": "11"}, "free"),
        ({"free": "-1"}, "free"),
        ({"free": "1", "capacity": "-3"}, "capacity"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_written(
    data: dict[str, str], field: str
) -> None:
    place = place_at(location_of(shelter_of("A")), capacity=10, occupied=4)
    before = PlaceCapacity.objects.values("capacity", "occupied", "confirmed_at").get(pk=place.pk)
    client = verified_client(staff_of(place.location.organisation))
    response = client.post(reverse("shelter:place_update", kwargs={"place_id": place.pk}), data)
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {field}
    assert f'id="id_{field}_error"' in response.content.decode()
    after = PlaceCapacity.objects.values("capacity", "occupied", "confirmed_at").get(pk=place.pk)
    assert after == before
    assert not CapacityUpdate.objects.exists()


def test_the_coordinator_sees_the_region_with_stale_places_unknown_and_totals() -> None:
    location = location_of(shelter_of("A"), "Huis Zee")
    fresh = place_at(location, PlaceKind.WOMEN, capacity=10, occupied=7)
    stale = place_at(
        location,
        PlaceKind.CRISIS,
        capacity=4,
        occupied=1,
        confirmed_at=timezone.now() - timedelta(days=8),
    )
    place_at(location_of(shelter_of("B"), "Huis IJssel"), capacity=5, occupied=0)
    client = verified_client(staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19"))
    response = client.get(reverse("shelter:overview"))
    page = response.content.decode()
    assert "Huis Zee" in page
    assert "Huis IJssel" not in page
    (region,) = response.context["regions"]
    free = {row.place.pk: row.free for row in region.rows}
    assert free == {fresh.pk: 3, stale.pk: None}
    assert "onbekend" in page
    assert (region.total.capacity, region.total.free, region.total.unknown) == (14, 3, 4)


def test_another_regions_coordinator_does_not_see_the_places() -> None:
    place_at(location_of(shelter_of("A"), "Huis Zee"))
    client = verified_client(staff_user(role=Role.ZORGCOORDINATOR, region_code="VR04"))
    assert "Huis Zee" not in client.get(reverse("shelter:overview")).content.decode()


def test_the_beheerder_creates_a_location_with_places_in_the_own_region() -> None:
    shelter = shelter_of("A")
    client = verified_client(staff_user(role=Role.BEHEERDER, region_code="VR19"))
    response = client.post(
        reverse("shelter:location_create"),
        {
            "organisation": shelter.pk,
            "name": "Huis aan de Kade",
            "municipality": "",
            "admission_criteria": "Vrouwen vanaf 18 jaar.",
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors
    from inbeeld.regions.models import Municipality

    goes = Municipality.objects.get(code="GM0664")
    response = client.post(
        reverse("shelter:location_create"),
        {"organisation": shelter.pk, "name": "Huis aan de Kade", "municipality": goes.pk},
    )
    assert response.status_code == 302
    location = shelter.shelter_locations.get()
    response = client.post(
        reverse("shelter:place_add", kwargs={"location_id": location.pk}),
        {"kind": PlaceKind.WOMEN, "capacity": "8"},
    )
    assert response.status_code == 302
    assert location.places.get().capacity == 8


def test_the_home_page_asks_the_shelter_to_confirm_its_stale_places() -> None:
    location = location_of(shelter_of("A"), "Huis Zee")
    place_at(location, PlaceKind.WOMEN)
    place_at(location, PlaceKind.CRISIS, confirmed_at=timezone.now() - timedelta(days=8))
    client = verified_client(staff_of(location.organisation))
    page = client.get(reverse("web:home")).content.decode()
    assert 'data-testid="shelter-places"' in page
    assert "Huis Zee: Crisisopvang" in page
    assert "Huis Zee: Vrouwen" not in page
    coordinator = verified_client(staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19"))
    assert (
        'data-testid="shelter-places"' not in coordinator.get(reverse("web:home")).content.decode()
    )


def test_an_account_with_roles_in_two_regions_sees_each_part_by_its_own_role() -> None:
    # Coordinator in Zeeland, shelter worker in IJsselland: the overview shows Zeeland's places
    # (not IJsselland's, where the account only works for a shelter), "mine" only its shelter's.
    zeeland = place_at(location_of(shelter_of("A"), "Huis Zee"))
    own = place_at(location_of(shelter_of("B"), "Huis IJssel"))
    other = place_at(location_of(shelter_of("B", "Andere opvang B"), "Huis Ander"))
    account = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    MembershipFactory.create(
        user=account, organisation=own.location.organisation, role=Role.KETENPARTNER
    )
    client = verified_client(account)
    overview = client.get(reverse("shelter:overview")).content.decode()
    assert "Huis Zee" in overview and "Huis IJssel" not in overview
    mine = client.get(reverse("shelter:mine")).content.decode()
    assert "Huis IJssel" in mine and "Huis Zee" not in mine and "Huis Ander" not in mine
    for place in (zeeland, other):  # coordinating a region is not keeping its shelters' places
        url = reverse("shelter:place_update", kwargs={"place_id": place.pk})
        assert client.post(url, {"free": "1"}).status_code == 404
        place.refresh_from_db()
        assert place.occupied == 4
