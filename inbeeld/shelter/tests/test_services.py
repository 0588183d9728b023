"""Confirming the figures and managing locations: bad input refused naming the field, nothing
half-written; every change in the history and the audit trail."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from inbeeld.accounts.models import Role
from inbeeld.audit.models import AuditEntry
from inbeeld.regions.models import Municipality
from inbeeld.shelter.models import CapacityUpdate, PlaceCapacity, PlaceKind
from inbeeld.shelter.services import (
    LocationInput,
    location_create,
    place_add,
    places_confirm,
    places_confirm_free,
)
from inbeeld.shelter.tests.helpers import location_of, place_at, shelter_of, staff_of
from inbeeld.testing.factories import OrganisationFactory, region, staff_user

pytestmark = pytest.mark.django_db


def unchanged(place: PlaceCapacity) -> tuple[int, int, object]:
    fresh = PlaceCapacity.objects.get(pk=place.pk)
    return fresh.capacity, fresh.occupied, fresh.confirmed_at


def test_staff_confirm_the_occupied_places_and_it_is_kept_and_audited() -> None:
    shelter = shelter_of("A")
    staff = staff_of(shelter)
    place = place_at(location_of(shelter), capacity=10, occupied=4, never_confirmed=True)
    places_confirm(by=staff, place=place, occupied=7)
    place.refresh_from_db()
    assert (place.occupied, place.free, place.confirmed_by) == (7, 3, staff)
    assert place.confirmed_at is not None
    update = CapacityUpdate.objects.get(place=place)
    assert (update.by, update.token, update.capacity, update.occupied) == (staff, "", 10, 7)
    entry = AuditEntry.objects.filter(object_type="shelter.placecapacity").last()
    assert entry is not None
    assert (entry.actor, entry.region, entry.detail["occupied"]) == (staff.username, "VR19", 7)


def test_a_confirmation_with_a_token_names_the_token_not_a_person() -> None:
    shelter = shelter_of("A")
    staff = staff_of(shelter)
    place = place_at(location_of(shelter))
    places_confirm(by=staff, place=place, occupied=2, capacity=12, token="abc12345")
    place.refresh_from_db()
    assert (place.capacity, place.confirmed_by, place.confirmed_token) == (12, None, "abc12345")
    assert CapacityUpdate.objects.get(place=place).token == "abc12345"


@pytest.mark.parametrize(
    ("occupied", "capacity", "field"),
    [(11, None, "occupied"), (-1, None, "occupied"), (3, -2, "capacity"), (6, 5, "occupied")],
)
def test_bad_figures_are_refused_naming_the_field_and_nothing_is_written(
    occupied: int, capacity: int | None, field: str
) -> None:
    shelter = shelter_of("A")
    place = place_at(location_of(shelter), capacity=10, occupied=4)
    before = unchanged(place)
    with pytest.raises(ValidationError) as refused:
        places_confirm(by=staff_of(shelter), place=place, occupied=occupied, capacity=capacity)
    assert set(refused.value.message_dict) == {field}
    assert unchanged(place) == before
    assert not CapacityUpdate.objects.exists()


def test_free_places_above_capacity_are_refused_naming_free() -> None:
    shelter = shelter_of("A")
    place = place_at(location_of(shelter), capacity=10, occupied=4)
    with pytest.raises(ValidationError) as refused:
        places_confirm_free(by=staff_of(shelter), place=place, free=11)
    assert list(refused.value.message_dict) == ["free"]
    assert "10" in refused.value.message_dict["free"][0]
    places_confirm_free(by=staff_of(shelter, "opvang.twee"), place=place, free=10)
    assert unchanged(place)[:2] == (10, 0)


def test_staff_of_another_shelter_may_not_confirm() -> None:
    place = place_at(location_of(shelter_of("A")))
    other = staff_of(shelter_of("A", "Andere opvang"))
    with pytest.raises(ValidationError):
        places_confirm(by=other, place=place, occupied=1)
    assert not CapacityUpdate.objects.exists()


def test_the_database_refuses_more_occupied_than_capacity() -> None:
    place = place_at(location_of(shelter_of("A")), capacity=3, occupied=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlaceCapacity.objects.filter(pk=place.pk).update(occupied=4)


def test_the_beheerder_creates_a_location_and_its_places() -> None:
    shelter = shelter_of("A")
    beheerder = staff_user(role=Role.BEHEERDER, region_code="VR19")
    location = location_create(
        by=beheerder,
        data=LocationInput(
            organisation=shelter,
            name="Huis aan de Kade",
            municipality=Municipality.objects.get(code="GM0718"),
            admission_criteria="Vrouwen vanaf 18 jaar.",
        ),
    )
    assert location.region.code == "VR19"
    place = place_add(by=beheerder, location=location, kind=PlaceKind.WOMEN, capacity=8)
    assert (place.capacity, place.occupied, place.confirmed_at) == (8, 0, None)
    with pytest.raises(ValidationError) as refused:
        place_add(by=beheerder, location=location, kind=PlaceKind.WOMEN, capacity=4)
    assert list(refused.value.message_dict) == ["kind"]


@pytest.mark.parametrize("case", ["not a shelter", "other region", "municipality elsewhere"])
def test_a_location_outside_the_beheerders_shelters_is_refused(case: str) -> None:
    beheerder = staff_user(role=Role.BEHEERDER, region_code="VR19")
    organisation = {
        "not a shelter": OrganisationFactory.create(region=region("VR19")),
        "other region": shelter_of("B"),
        "municipality elsewhere": shelter_of("A"),
    }[case]
    municipality = "GM0193" if case == "municipality elsewhere" else "GM0664"
    if case == "other region":
        municipality = "GM0193"
    with pytest.raises(ValidationError) as refused:
        location_create(
            by=beheerder,
            data=LocationInput(
                organisation=organisation,
                name="Nergens",
                municipality=Municipality.objects.get(code=municipality),
            ),
        )
    expected = "municipality" if case == "municipality elsewhere" else "organisation"
    assert list(refused.value.message_dict) == [expected]
