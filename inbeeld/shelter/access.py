"""Need-to-know for shelter places: the querysets of shelter/rules.py, and the doors that
answer 404 outside them. Capacity figures are not personal data: reading them is not
audited (changing them is, services.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from inbeeld.accounts.access import regions_where
from inbeeld.accounts.models import Membership, Organisation, OrganisationType, User
from inbeeld.shelter.models import PlaceCapacity, ShelterLocation
from inbeeld.shelter.rules import MANAGER_ROLES, OVERVIEW_ROLES, SHELTER_STAFF_ROLES


def places_in_overview_of(user: User) -> QuerySet[PlaceCapacity]:
    """The kinds of places at the active locations of the regions where the user is
    zorgcoördinator or ketenregisseur (the same rule as shelter.view_region_places)."""
    return PlaceCapacity.objects.filter(
        location__region__in=regions_where(user, *OVERVIEW_ROLES), location__active=True
    ).select_related("location__organisation", "location__municipality", "location__region")


def own_organisations_of(user: User) -> QuerySet[Membership, Any]:
    return Membership.objects.filter(
        user=user,
        role__in=SHELTER_STAFF_ROLES,
        organisation__type=OrganisationType.SHELTER,
        organisation__active=True,
    ).values("organisation")


def own_places_of(user: User) -> QuerySet[PlaceCapacity]:
    """The kinds of places of the user's own shelter (the rule shelter.update_places)."""
    return PlaceCapacity.objects.filter(
        location__organisation__in=own_organisations_of(user), location__active=True
    ).select_related("location__organisation", "location__municipality", "location__region")


def places_listed_for(user: User) -> QuerySet[PlaceCapacity]:
    """The API's list: the overview of the user's regions and the user's own shelter's."""
    overview = Q(location__region__in=regions_where(user, *OVERVIEW_ROLES))
    own = Q(location__organisation__in=own_organisations_of(user))
    return PlaceCapacity.objects.filter(overview | own, location__active=True).select_related(
        "location__organisation", "location__municipality", "location__region"
    )


def own_place_get(user: User, place_id: int) -> PlaceCapacity:
    """One kind of place of the user's own shelter; 404 for anyone else's."""
    place = own_places_of(user).filter(pk=place_id).first()
    if place is None or not user.has_perm("shelter.update_places", place):
        raise Http404
    return place


def locations_managed_by(user: User) -> QuerySet[ShelterLocation]:
    """The locations of the regions where the user is functioneel beheerder."""
    return ShelterLocation.objects.filter(
        region__in=regions_where(user, *MANAGER_ROLES)
    ).select_related("organisation", "municipality", "region")


def managed_location_get(user: User, location_id: int) -> ShelterLocation:
    location = locations_managed_by(user).filter(pk=location_id).first()
    if location is None or not user.has_perm("shelter.manage_location", location):
        raise Http404
    return location


def shelters_managed_by(user: User) -> QuerySet[Organisation]:
    """The active shelters of the regions where the user is functioneel beheerder: the
    organisations a new location may belong to."""
    return Organisation.objects.filter(
        region__in=regions_where(user, *MANAGER_ROLES),
        type=OrganisationType.SHELTER,
        active=True,
    ).order_by("name")


def shelter_of_location(location: ShelterLocation) -> QuerySet[Organisation]:
    """The location's own shelter, as the only choice when its location is edited (a location
    does not move to another organisation)."""
    return Organisation.objects.filter(pk=location.organisation_id)
