"""Need-to-know for placements: the querysets of placements/rules.py and the doors that
answer 404 outside them. Reads of a request, offer or placement are audited.

The requester's side comes through the case's own door (cases/access.py: case_get_for with
need="edit"); the shelter's through ``offer_get_for`` and ``placement_get_for``.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from inbeeld.accounts.access import regions_where
from inbeeld.accounts.models import User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.cases.access import cases_visible_to
from inbeeld.cases.models import Case
from inbeeld.placements.models import (
    AskStatus,
    OfferStatus,
    Placement,
    PlacementOffer,
    PlacementRequest,
    RegionAsk,
    RequestStatus,
)
from inbeeld.placements.rules import REGION_ROLES
from inbeeld.regions.models import Region
from inbeeld.shelter.access import own_organisations_of
from inbeeld.shelter.models import ShelterLocation


def offers_for_shelter(user: User) -> QuerySet[PlacementOffer]:
    """The offers made to the locations of the user's own shelter (rule answer_offer)."""
    return PlacementOffer.objects.filter(
        organisation__in=own_organisations_of(user), request__case__restricted=False
    ).select_related("request", "location", "region")


def offer_get_for(user: User, offer_id: int) -> PlacementOffer:
    offer = offers_for_shelter(user).select_related("request__case").filter(pk=offer_id).first()
    if offer is None or not user.has_perm("placements.answer_offer", offer):
        raise Http404
    audit_record(actor=user, action=Action.READ, target=offer, purpose=Purpose.REFERRAL)
    return offer


def locations_of_shelter(user: User) -> QuerySet[ShelterLocation]:
    return ShelterLocation.objects.filter(
        organisation__in=own_organisations_of(user), active=True
    ).order_by("name", "pk")


def location_get_for(user: User, location_id: int) -> ShelterLocation:
    location = locations_of_shelter(user).filter(pk=location_id).first()
    if location is None or not user.has_perm("placements.place_at", location):
        raise Http404
    return location


def placements_for_shelter(user: User) -> QuerySet[Placement]:
    return Placement.objects.filter(
        organisation__in=own_organisations_of(user), case__restricted=False
    ).select_related("case", "location")


def placement_get_for(user: User, placement_id: int) -> Placement:
    placement = placements_for_shelter(user).filter(pk=placement_id).first()
    if placement is None or not user.has_perm("placements.change_placement", placement):
        raise Http404
    audit_record(actor=user, action=Action.READ, target=placement, purpose=Purpose.CASE_WORK)
    return placement


def cases_for_intake(user: User) -> QuerySet[Case]:
    """The open cases shared with the user's shelter: invited to it (the case's own rule)
    or with a placement request one of its locations accepted."""
    organisations = own_organisations_of(user)
    accepted = PlacementOffer.objects.filter(
        organisation__in=organisations,
        status=OfferStatus.ACCEPTED,
        request__status=RequestStatus.ACCEPTED,
    ).values("request__case")
    invited = cases_visible_to(user).values("pk")
    return Case.objects.filter(
        Q(pk__in=accepted) | Q(pk__in=invited), status="open", restricted=False
    ).order_by("reference")


def case_for_intake_get(user: User, case_id: int) -> Case:
    case = cases_for_intake(user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


def regions_of(user: User) -> QuerySet[Region]:
    """The regions whose waiting list and flow the user sees."""
    return regions_where(user, *REGION_ROLES)


def region_get_for(user: User, code: str) -> Region:
    region = regions_of(user).filter(code=code).first()
    if region is None or not user.has_perm("placements.view_region", region):
        raise Http404
    return region


def waiting_requests_in(user: User) -> QuerySet[PlacementRequest]:
    return PlacementRequest.objects.filter(
        region__in=regions_of(user),
        status=RequestStatus.OPEN,
        case__restricted=False,
        case__status="open",
    )


def asks_to(user: User) -> QuerySet[RegionAsk]:
    """Requests from other regions waiting for the consent of a region the user coordinates."""
    return RegionAsk.objects.filter(
        region__in=regions_of(user), status=AskStatus.ASKED, request__status=RequestStatus.OPEN
    ).select_related("request", "request__region", "region")


def ask_get_for(user: User, ask_id: int) -> RegionAsk:
    ask = asks_to(user).filter(pk=ask_id).first()
    if ask is None or not user.has_perm("placements.answer_region_ask", ask):
        raise Http404
    audit_record(actor=user, action=Action.READ, target=ask, purpose=Purpose.REFERRAL)
    return ask


def request_of_case(case: Case, request_id: int) -> PlacementRequest:
    """A request of a case the caller already got through the case's door; else 404."""
    found = PlacementRequest.objects.filter(case=case, pk=request_id).first()
    if found is None:
        raise Http404
    return found
