"""Changing shelter places: locations and their kinds of places (the region's beheerder),
and confirming the figures (the shelter's own staff, on the page or with an API token).

One transaction per action; bad input raises ValidationError naming the field, before
anything is written. Every change is audited with its actor; the figures are not personal
data, so they may stand in the entry's detail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.models import Organisation, OrganisationType, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.regions.models import Municipality
from inbeeld.shelter.models import CapacityUpdate, PlaceCapacity, PlaceKind, ShelterLocation

PURPOSE = Purpose.ORGANISATION_ADMINISTRATION
MAX_PLACES = 10_000


@dataclass(frozen=True)
class LocationInput:
    organisation: Organisation
    name: str
    municipality: Municipality
    admission_criteria: str = ""
    active: bool = True


def _refuse(field: str, message: str) -> NoReturn:
    raise ValidationError({field: [message]})


def _location_checked(by: User, data: LocationInput) -> None:
    organisation = data.organisation
    if organisation.type != OrganisationType.SHELTER or not organisation.active:
        _refuse("organisation", _("Choose an active organisation of type shelter."))
    if not by.has_perm("shelter.manage_location", organisation):
        _refuse("organisation", _("You do not manage this organisation's region."))
    if data.municipality.region_id != organisation.region_id:
        _refuse("municipality", _("Choose a municipality of the organisation's region."))
    if not data.name.strip():
        _refuse("name", _("Give the location a name."))


def _name_taken(data: LocationInput, location: ShelterLocation | None = None) -> bool:
    others = ShelterLocation.objects.filter(
        organisation=data.organisation, name__iexact=data.name.strip()
    )
    if location is not None:
        others = others.exclude(pk=location.pk)
    return others.exists()


@transaction.atomic
def location_create(*, by: User, data: LocationInput) -> ShelterLocation:
    _location_checked(by, data)
    if _name_taken(data):
        _refuse("name", _("This shelter already has a location with this name."))
    location = ShelterLocation.objects.create(
        organisation=data.organisation,
        region_id=data.organisation.region_id,
        name=data.name.strip(),
        municipality=data.municipality,
        admission_criteria=data.admission_criteria.strip(),
        active=data.active,
    )
    audit_record(actor=by, action=Action.CREATE, target=location, purpose=PURPOSE)
    return location


@transaction.atomic
def location_update(*, by: User, location: ShelterLocation, data: LocationInput) -> None:
    if data.organisation.pk != location.organisation_id:
        _refuse("organisation", _("A location stays with its shelter."))
    _location_checked(by, data)
    if _name_taken(data, location):
        _refuse("name", _("This shelter already has a location with this name."))
    location.name = data.name.strip()
    location.municipality = data.municipality
    location.admission_criteria = data.admission_criteria.strip()
    location.active = data.active
    location.save()
    audit_record(actor=by, action=Action.UPDATE, target=location, purpose=PURPOSE)


def _capacity_checked(capacity: object, field: str = "capacity") -> int:
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0:
        _refuse(field, _("Give the capacity as a whole number, 0 or more."))
    if capacity > MAX_PLACES:
        _refuse(
            field, _("A capacity above %(max)d places is not believable.") % {"max": MAX_PLACES}
        )
    return capacity


@transaction.atomic
def place_add(*, by: User, location: ShelterLocation, kind: str, capacity: int) -> PlaceCapacity:
    """A kind of place at the location with its contracted capacity; its occupancy stays
    unknown until the shelter first confirms it."""
    if not by.has_perm("shelter.manage_location", location):
        _refuse("kind", _("You do not manage this location's region."))
    if kind not in PlaceKind.values:
        _refuse("kind", _("Choose a kind of place."))
    _capacity_checked(capacity)
    if location.places.filter(kind=kind).exists():
        _refuse("kind", _("This location already has places of this kind."))
    place = PlaceCapacity.objects.create(location=location, kind=kind, capacity=capacity)
    audit_record(
        actor=by,
        action=Action.CREATE,
        target=place,
        purpose=PURPOSE,
        detail={"kind": kind, "capacity": capacity},
    )
    return place


@transaction.atomic
def places_confirm(
    *,
    by: User,
    place: PlaceCapacity,
    occupied: int,
    capacity: int | None = None,
    token: str = "",
) -> PlaceCapacity:
    """The shelter confirms how many places of this kind are taken (and, when it changed,
    how many there are). ``token`` names the API token when a shelter's own system sends
    it: the confirmation is then the token's, not a person's (``confirmed_by`` empty)."""
    if not by.has_perm("shelter.update_places", place):
        _refuse("occupied", _("You do not work for this shelter."))
    current = PlaceCapacity.objects.select_for_update().get(pk=place.pk)
    new_capacity = current.capacity if capacity is None else _capacity_checked(capacity)
    if isinstance(occupied, bool) or not isinstance(occupied, int) or occupied < 0:
        _refuse("occupied", _("Give the occupied places as a whole number, 0 or more."))
    if occupied > new_capacity:
        _refuse(
            "occupied",
            _("More places occupied (%(occupied)d) than there are (%(capacity)d).")
            % {"occupied": occupied, "capacity": new_capacity},
        )
    now = timezone.now()
    current.capacity, current.occupied, current.confirmed_at = new_capacity, occupied, now
    current.confirmed_by = None if token else by
    current.confirmed_token = token
    current.save(
        update_fields=["capacity", "occupied", "confirmed_at", "confirmed_by", "confirmed_token"]
    )
    CapacityUpdate.objects.create(
        place=current,
        at=now,
        by=None if token else by,
        token=token,
        capacity=new_capacity,
        occupied=occupied,
    )
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=current,
        purpose=PURPOSE,
        detail={
            "capacity": new_capacity,
            "occupied": occupied,
            **({"api_token": token} if token else {}),
        },
    )
    return current


def places_confirm_free(
    *, by: User, place: PlaceCapacity, free: int, capacity: int | None = None
) -> PlaceCapacity:
    """The page's "vrije plekken": the shelter gives the free places (and, when it changed,
    the capacity); occupied is what remains. Refusals name ``free`` or ``capacity``."""
    new_capacity = place.capacity if capacity is None else _capacity_checked(capacity)
    if isinstance(free, bool) or not isinstance(free, int) or free < 0:
        _refuse("free", _("Give the free places as a whole number, 0 or more."))
    if free > new_capacity:
        _refuse(
            "free",
            _("More places free (%(free)d) than there are (%(capacity)d).")
            % {"free": free, "capacity": new_capacity},
        )
    return places_confirm(by=by, place=place, occupied=new_capacity - free, capacity=new_capacity)
