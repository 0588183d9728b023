"""Who may do what with shelter places (django-rules). Read with accounts/predicates.py.

- A shelter's own staff (SHELTER_STAFF_ROLES in an active organisation of type shelter) keep
  the figures of their own locations current, on the page and through the API; they see
  only their own organisation's locations.
- The region's zorgcoördinators and ketenregisseurs (OVERVIEW_ROLES) see the capacity of
  every location in their region, never another region's.
- The region's functioneel beheerder creates and changes locations and their kinds of
  places with the contracted capacity (MANAGER_ROLES): which places a region has is agreed
  with the municipalities, not decided by the shelter alone. The shelter's staff then keep
  the occupancy (and a changed capacity) current.

A role counts only in its own organisation, and so in that organisation's region. Anyone
else gets 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rules.predicates import Predicate

from inbeeld.accounts.models import Membership, OrganisationType, Role, User
from inbeeld.accounts.predicates import holds_role, holds_role_in_region, permission

# A shelter's own people: its chain partners (there is no separate shelter role).
SHELTER_STAFF_ROLES = (Role.KETENPARTNER,)
OVERVIEW_ROLES = (Role.ZORGCOORDINATOR, Role.KETENREGISSEUR)
MANAGER_ROLES = (Role.BEHEERDER,)


def _staff(user: Any) -> User | None:
    return user if isinstance(user, User) and user.is_active else None


def _shelter_memberships(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(
        user=user,
        role__in=SHELTER_STAFF_ROLES,
        organisation__type=OrganisationType.SHELTER,
        organisation__active=True,
    )


def _works_at_a_shelter(user: Any) -> bool:
    staff = _staff(user)
    return staff is not None and _shelter_memberships(staff).exists()


def _works_at_the_shelter(user: Any, record: Any) -> bool:
    """The user is staff of the shelter the record (a location or its places) belongs to."""
    staff = _staff(user)
    organisation_id = getattr(record, "organisation_id", None)
    if staff is None or not isinstance(organisation_id, int):
        return False
    return _shelter_memberships(staff).filter(organisation_id=organisation_id).exists()


works_at_a_shelter = Predicate(_works_at_a_shelter, name="works_at_a_shelter")
works_at_the_shelter = Predicate(_works_at_the_shelter, name="works_at_the_shelter")

# "Opvangplekken": the region's capacity overview (page and GET /api/v1/shelter-capacity/).
permission("shelter.view_overview", holds_role(*OVERVIEW_ROLES))
permission("shelter.view_region_places", holds_role_in_region(*OVERVIEW_ROLES))
# "Mijn opvangplekken": the shelter's own locations, and the PUT of the API.
permission("shelter.keep_own_places", works_at_a_shelter)
permission("shelter.update_places", works_at_the_shelter)
# GET /api/v1/shelter-capacity/, like the API's other lists: anyone with a role; each sees
# only what access.places_listed_for gives (the coordinators their regions', a shelter its own).
permission("shelter.list_places", holds_role(*Role.values))
# "Opvanglocaties": creating and changing locations and their kinds of places.
permission("shelter.manage_locations", holds_role(*MANAGER_ROLES))
permission("shelter.manage_location", holds_role_in_region(*MANAGER_ROLES))
