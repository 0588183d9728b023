"""Shelter places for tests: shelters in the world's regions, their staff, and locations with
places, written directly (the services are tested in test_services.py)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from inbeeld.accounts.models import Organisation, OrganisationType, Role, User
from inbeeld.regions.models import Municipality
from inbeeld.shelter.models import PlaceCapacity, PlaceKind, ShelterLocation
from inbeeld.testing.factories import region, staff_user
from inbeeld.testing.world import MUNICIPALITY_CODES, REGION_CODES, World


def shelter_of(letter: str = "A", name: str = "") -> Organisation:
    organisation, _new = Organisation.objects.get_or_create(
        region=region(REGION_CODES[letter]),
        name=name or f"Opvang {letter}",
        defaults={"type": OrganisationType.SHELTER},
    )
    return organisation


def staff_of(organisation: Organisation, username: str = "") -> User:
    return staff_user(
        role=Role.KETENPARTNER,
        organisation=organisation,
        username=username or f"opvang.{organisation.pk}",
    )


def location_of(organisation: Organisation, name: str = "Locatie Noord") -> ShelterLocation:
    letter = "A" if organisation.region.code == REGION_CODES["A"] else "B"
    location, _new = ShelterLocation.objects.get_or_create(
        organisation=organisation,
        name=name,
        defaults={
            "region": organisation.region,
            "municipality": Municipality.objects.get(code=MUNICIPALITY_CODES[letter]),
        },
    )
    return location


def place_at(
    location: ShelterLocation,
    kind: str = PlaceKind.WOMEN,
    *,
    capacity: int = 10,
    occupied: int = 4,
    confirmed_at: datetime | None = None,
    never_confirmed: bool = False,
) -> PlaceCapacity:
    return PlaceCapacity.objects.create(
        location=location,
        kind=kind,
        capacity=capacity,
        occupied=occupied,
        confirmed_at=None if never_confirmed else (confirmed_at or timezone.now()),
    )


def world_place(world: World, letter: str = "A") -> PlaceCapacity:
    """A kind of place of region ``letter``'s staff organisation, made a shelter for it: its
    chain partner is the shelter's staff (shelter/rules.py)."""
    organisation = world.organisation(letter)
    if organisation.type != OrganisationType.SHELTER:
        organisation.type = OrganisationType.SHELTER
        organisation.save(update_fields=["type"])
    location = location_of(organisation, f"Locatie {letter}")
    existing = location.places.first()
    return existing or place_at(location)
