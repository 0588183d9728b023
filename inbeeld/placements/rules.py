"""Who may do what with placement requests and placements (django-rules). Read with
cases/rules.py and shelter/rules.py.

- The requester's side is the case's: whoever changes the case (its region's
  zorgcoördinator) asks for a place, withdraws the request and asks another region.
- A shelter's own staff (shelter/rules.py SHELTER_STAFF_ROLES, in that shelter) see the
  offers made to their own organisation's locations, pseudonymised until they accept, and
  answer them; they record intake, transfer and outflow at their own locations.
- The region's zorgcoördinators and ketenregisseurs see the region's waiting list and its
  in-, door- en uitstroom, and consent (or not) when another region asks them for a place.

A role counts only in its own organisation, and so in that organisation's region. A
restricted case's requests and placements are seen by no one but the FG. Anyone else: 404.
"""

from __future__ import annotations

from typing import Any

from rules.predicates import Predicate

from inbeeld.accounts.models import Role
from inbeeld.accounts.predicates import holds_role, holds_role_in_region, permission
from inbeeld.shelter.rules import OVERVIEW_ROLES, works_at_a_shelter, works_at_the_shelter

# The coordinators who see a region's waiting list and answer another region's ask.
REGION_ROLES = OVERVIEW_ROLES


def _case_not_restricted(user: Any, record: Any) -> bool:
    case = getattr(record, "case", None)
    if case is None:
        request = getattr(record, "request", None)
        case = getattr(request, "case", None)
    return case is not None and not case.restricted


def _changes_the_case(user: Any, record: Any) -> bool:
    case = getattr(record, "case", None)
    return case is not None and bool(user.has_perm("cases.change_case", case))


case_not_restricted = Predicate(_case_not_restricted, name="case_not_restricted")
changes_the_case = Predicate(_changes_the_case, name="changes_the_case")

# The requester's side (the case page's section and its forms; the page gate is the case's).
permission("placements.request_place", changes_the_case)
# "Opvangaanvragen": the offers made to the user's own shelter, and "Plaatsingen".
permission("placements.view_offers", works_at_a_shelter)
permission("placements.answer_offer", works_at_the_shelter & case_not_restricted)
permission("placements.change_placement", works_at_the_shelter & case_not_restricted)
# Taking someone in at a location (its organisation's staff only).
permission("placements.place_at", works_at_the_shelter)
# "Wachtlijst opvang" and "In-, door- en uitstroom": the region's coordinators.
permission("placements.view_waiting_list", holds_role(*REGION_ROLES))
permission("placements.view_region", holds_role_in_region(*REGION_ROLES))
permission("placements.answer_region_ask", holds_role_in_region(*REGION_ROLES))
# GET /api/v1/placement-waiting-list/: anyone with a role; each sees their regions' only.
permission("placements.list_waiting", holds_role(*Role.values))
