"""Demo shelter places: three shelters in Zeeland and two in IJsselland (accounts/demo.py
makes the organisations and a staff account for each), with realistic, invented figures.

Made through the services, in the demo's transaction: the region's beheerder creates the
locations and their kinds of places, each shelter's demo account confirms its figures. Some
places are full; one kind of place was last confirmed ten days ago, so the coordinators see
it as "onbekend".
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from inbeeld.accounts.models import Organisation, User
from inbeeld.regions.models import Municipality
from inbeeld.shelter.models import CapacityUpdate, PlaceCapacity, PlaceKind
from inbeeld.shelter.services import LocationInput, location_create, place_add, places_confirm

BEHEERDER = "beheerder"
STALE_DAYS = 10

# (region, shelter, its demo account, location, municipality, admission criteria,
#  [(kind, capacity, occupied), ...])
DEMO_LOCATIONS: tuple[
    tuple[str, str, str, str, str, str, tuple[tuple[str, int, int], ...]], ...
] = (
    (
        "VR19",
        "Leger des Heils",
        "opvang.zeeland",
        "Leger des Heils Middelburg",
        "GM0687",
        "Volwassenen uit de regio; ook categorale opvang voor slachtoffers mensenhandel.",
        ((PlaceKind.COSM, 6, 6), (PlaceKind.REGIONAL, 14, 11), (PlaceKind.MEN, 8, 8)),
    ),
    (
        "VR19",
        "Intervence",
        "opvang.intervence",
        "Intervence Vrouwenopvang Goes",
        "GM0664",
        "Vrouwen vanaf 18 jaar, met of zonder kinderen; geheim adres.",
        ((PlaceKind.WOMEN, 10, 7), (PlaceKind.WITH_CHILDREN, 6, 6), (PlaceKind.CRISIS, 3, 1)),
    ),
    (
        "VR19",
        "Intervence",
        "opvang.intervence",
        "Intervence Jongeren Vlissingen",
        "GM0718",
        "Jongeren en minderjarigen van 16 tot 23 jaar.",
        ((PlaceKind.YOUTH, 8, 5),),
    ),
    (
        "VR19",
        "Emergis Beschermd Wonen",
        "opvang.emergis",
        "Emergis Beschermd Wonen Terneuzen",
        "GM0715",
        "Volwassenen met een indicatie beschermd wonen.",
        ((PlaceKind.SUPPORTED_HOUSING, 12, 9),),
    ),
    (
        "VR04",
        "Leger des Heils IJsselland",
        "opvang.ijsselland",
        "Leger des Heils Zwolle",
        "GM0193",
        "Volwassenen uit de regio; ook categorale opvang voor slachtoffers mensenhandel.",
        ((PlaceKind.COSM, 8, 7), (PlaceKind.REGIONAL, 20, 20), (PlaceKind.MEN, 10, 6)),
    ),
    (
        "VR04",
        "Frion",
        "opvang.frion",
        "Frion Vrouwenopvang Deventer",
        "GM0150",
        "Vrouwen vanaf 18 jaar, met of zonder kinderen.",
        ((PlaceKind.WOMEN, 9, 9), (PlaceKind.WITH_CHILDREN, 5, 3), (PlaceKind.CRISIS, 2, 2)),
    ),
)
# The kind of place whose figures the shelter has not confirmed for ten days.
STALE = ("Emergis Beschermd Wonen Terneuzen", PlaceKind.SUPPORTED_HOUSING)


def demo_shelter_create() -> list[PlaceCapacity]:
    beheerder = User.objects.filter(username=BEHEERDER).first()
    if beheerder is None:
        return []
    made: list[PlaceCapacity] = []
    for region, shelter, account, name, municipality, criteria, places in DEMO_LOCATIONS:
        staff = User.objects.get(username=account)
        location = location_create(
            by=beheerder,
            data=LocationInput(
                organisation=Organisation.objects.get(region__code=region, name=shelter),
                name=name,
                municipality=Municipality.objects.get(code=municipality),
                admission_criteria=criteria,
            ),
        )
        for kind, capacity, occupied in places:
            place = place_add(by=beheerder, location=location, kind=kind, capacity=capacity)
            made.append(places_confirm(by=staff, place=place, occupied=occupied))
            if (name, kind) == STALE:
                # Confirmed, and then not again: moved back as if ten days had passed.
                before = timezone.now() - timedelta(days=STALE_DAYS)
                PlaceCapacity.objects.filter(pk=place.pk).update(confirmed_at=before)
                CapacityUpdate.objects.filter(place=place).update(at=before)
    return made
