"""Placement requests, their offers and answers, asks to another region, and placements
(intake, transfer, outflow).

One transaction per action; bad input raises ValidationError naming the field before
anything is written, and a refused step leaves nothing half-written. The rows a step
changes are locked first and checked after (two answers at once: the second sees the
first). Every change is audited; intake and outflow keep the location's
PlaceCapacity.occupied in step, with a CapacityUpdate, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.models import User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.cases.models import Case
from inbeeld.lib.codes import readable_code
from inbeeld.placements.models import (
    OUTFLOW_DESTINATIONS,
    AskStatus,
    Destination,
    OfferStatus,
    Placement,
    PlacementOffer,
    PlacementRequest,
    RefusalReason,
    RegionAsk,
    RequestStatus,
    Urgency,
)
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.privacy.models import ConsentScope, ShareKind
from inbeeld.privacy.sharing import share_end, share_record
from inbeeld.referrals.models import SharedField
from inbeeld.referrals.services import RESPONSE_WORKING_DAYS, working_days_after
from inbeeld.regions.models import Region
from inbeeld.shelter.capacity import shown_free
from inbeeld.shelter.models import CapacityUpdate, PlaceCapacity, PlaceKind, ShelterLocation
from inbeeld.tasks.models import TaskStatus
from inbeeld.tasks.services import task_cancel, task_complete, task_create, tasks_for_subject

NOTE_MAX = 2000
ANSWER_TASK = "placement.answer"
REASON_MAX = 2000


def _refuse(field: str, message: str) -> NoReturn:
    raise ValidationError({field: [message]})


def _text_checked(field: str, text: str, limit: int) -> str:
    text = text.strip()
    if len(text) > limit:
        _refuse(field, _("Write at most %(limit)d characters.") % {"limit": limit})
    return text


# --- requests ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestInput:
    kind: str
    urgency: str
    note: str = ""
    note_shared: bool = False
    shared_fields: Sequence[str] = ()
    legal_basis: str = ""


def matching_locations(region: Region, kind: str) -> list[ShelterLocation]:
    """The active locations of the region that have places of the kind."""
    return list(
        ShelterLocation.objects.filter(region=region, active=True, places__kind=kind)
        .select_related("organisation")
        .order_by("name", "pk")
    )


def answer_due(urgency: str, day: date) -> date:
    """When the shelter should answer: a crisis today, this week's within two working days,
    a regular one within five (like a referral, referrals/services.py)."""
    if urgency == Urgency.CRISIS:
        return day
    return working_days_after(day, 2 if urgency == Urgency.WEEK else RESPONSE_WORKING_DAYS)


def _offer(
    request: PlacementRequest, location: ShelterLocation, now: datetime, by: User
) -> PlacementOffer:
    offer = PlacementOffer.objects.create(
        request=request,
        location=location,
        region_id=location.region_id,
        organisation_id=location.organisation_id,
        created_at=now,
    )
    # The shelter's task to answer; its title names no person (the request's code only).
    task_create(
        subject=offer,
        source=ANSWER_TASK,
        title=_("Answer placement request %(reference)s (%(kind)s)")
        % {"reference": request.reference, "kind": str(PlaceKind(request.kind).label).lower()},
        due=answer_due(request.urgency, timezone.localdate()),
        owner_organisation=location.organisation,
        by=by,
    )
    return offer


def _answer_task_close(offers: Sequence[PlacementOffer], by: User, *, done: bool) -> None:
    for offer in offers:
        for task in tasks_for_subject(offer).filter(source=ANSWER_TASK, status=TaskStatus.OPEN):
            if done:
                task_complete(task=task, by=by)
            else:
                task_cancel(task=task, by=by)


@transaction.atomic
def request_create(*, by: User, case: Case, data: RequestInput) -> PlacementRequest:
    """Ask for a place of a kind for the case's person; offered to the region's matching
    active locations at once (none: the request waits on the region's waiting list)."""
    errors: dict[str, list[str]] = {}
    if not by.has_perm("cases.change_case", case):
        errors["case"] = [_("Only whoever coordinates the case may ask for a place.")]
    elif not case.is_open:
        errors["case"] = [_("The case is closed: reopen it before asking for a place.")]
    if data.kind not in PlaceKind.values:
        errors["kind"] = [_("Choose the kind of place.")]
    elif PlacementRequest.objects.filter(
        case=case, kind=data.kind, status=RequestStatus.OPEN
    ).exists():
        errors["kind"] = [_("This case already waits for a place of this kind.")]
    if data.urgency not in Urgency.values:
        errors["urgency"] = [_("Choose the urgency.")]
    if any(code not in SharedField.values for code in data.shared_fields):
        errors["shared_fields"] = [_("Choose what to share from the list.")]
    if data.legal_basis not in LegalBasis.values:
        errors["legal_basis"] = [_("Choose the legal basis for sharing.")]
    if len(data.note.strip()) > NOTE_MAX:
        errors["note"] = [_("Write at most %(limit)d characters.") % {"limit": NOTE_MAX}]
    if errors:
        raise ValidationError(errors)
    person = getattr(case, "person", None)
    now = timezone.now()
    request = PlacementRequest.objects.create(
        case=case,
        region_id=case.region_id,
        reference=readable_code("OP"),
        kind=data.kind,
        urgency=data.urgency,
        note=data.note.strip(),
        note_shared=bool(data.note_shared and data.note.strip()),
        shared_fields=[code for code in SharedField.values if code in set(data.shared_fields)],
        legal_basis=data.legal_basis,
        age_band=getattr(person, "age_band", "") or "",
        gender=getattr(person, "gender", "") or "",
        created_by=by,
        created_at=now,
    )
    offers = [
        _offer(request, location, now, by)
        for location in matching_locations(case.region, data.kind)
    ]
    audit_record(
        actor=by,
        action=Action.CREATE,
        target=request,
        purpose=Purpose.REFERRAL,
        detail={"case": case.pk, "kind": data.kind, "urgency": data.urgency, "offers": len(offers)},
    )
    return request


def _request_locked(request: PlacementRequest) -> PlacementRequest:
    return PlacementRequest.objects.select_for_update().select_related("case").get(pk=request.pk)


def _close_offers(
    request: PlacementRequest, now: datetime, by: User, *, accepted_too: bool = False
) -> int:
    """Close the request's open offers (and, when it is withdrawn, the accepted one: the
    shelter then no longer sees what the request shared, offers.py)."""
    statuses = (
        [OfferStatus.OFFERED, OfferStatus.ACCEPTED] if accepted_too else [OfferStatus.OFFERED]
    )
    offers = list(PlacementOffer.objects.filter(request=request, status__in=statuses))
    _answer_task_close(offers, by, done=False)
    return PlacementOffer.objects.filter(pk__in=[offer.pk for offer in offers]).update(
        status=OfferStatus.CLOSED, answered_at=now
    )


@transaction.atomic
def request_withdraw(*, by: User, request: PlacementRequest) -> PlacementRequest:
    current = _request_locked(request)
    if not by.has_perm("placements.request_place", current):
        _refuse("status", _("Only whoever coordinates the case may withdraw the request."))
    if current.status == RequestStatus.WITHDRAWN:
        _refuse("status", _("This request was already withdrawn."))
    if current.placements.exists():
        _refuse(
            "status",
            _("The person was already taken in on this request: record the outflow instead."),
        )
    now = timezone.now()
    closed = _close_offers(current, now, by, accepted_too=True)
    current.status, current.ended_by, current.ended_at = RequestStatus.WITHDRAWN, by, now
    current.save(update_fields=["status", "ended_by", "ended_at"])
    if current.share is not None:
        share_end(by=by, share=current.share)
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=current,
        purpose=Purpose.REFERRAL,
        detail={"status": current.status, "offers_closed": closed},
    )
    return current


def _offer_locked(offer: PlacementOffer) -> tuple[PlacementRequest, PlacementOffer]:
    # The request first, then the offer: every step that changes both locks in this order.
    request = _request_locked(offer.request)
    current = PlacementOffer.objects.select_for_update().select_related("location").get(pk=offer.pk)
    if request.status != RequestStatus.OPEN:
        _refuse(
            "status",
            _("This request is no longer open (%(status)s): nothing to answer.")
            % {"status": str(RequestStatus(request.status).label).lower()},
        )
    if not request.case.is_open:
        _refuse("status", _("The case of this request is closed: nothing to answer."))
    if current.status != OfferStatus.OFFERED:
        _refuse(
            "status",
            _("Your shelter already answered this offer (%(status)s).")
            % {"status": str(OfferStatus(current.status).label).lower()},
        )
    return request, current


@transaction.atomic
def offer_accept(*, by: User, offer: PlacementOffer) -> PlacementOffer:
    """The shelter accepts: the other offers close, the request passes the ticked fields to
    the shelter as a share with its legal basis."""
    if not by.has_perm("placements.answer_offer", offer):
        _refuse("status", _("You do not work for this shelter."))
    request, current = _offer_locked(offer)
    now = timezone.now()
    share = share_record(
        by=by,
        target=request.case,
        region=request.case.region,
        kind=ShareKind.REFERRAL,
        legal_basis=request.legal_basis,
        purpose=_("Shelter place %(reference)s") % {"reference": request.reference},
        consent_scope=ConsentScope.CARE_PARTNERS,
        to_organisation=current.organisation,
        from_organisation=request.case.owner_organisation,
        content=", ".join(str(SharedField(code).label) for code in request.shared_fields),
    )
    current.status, current.answered_by, current.answered_at = OfferStatus.ACCEPTED, by, now
    current.save(update_fields=["status", "answered_by", "answered_at"])
    _answer_task_close([current], by, done=True)
    closed = _close_offers(request, now, by)
    request.status, request.share = RequestStatus.ACCEPTED, share
    request.save(update_fields=["status", "share"])
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=current,
        purpose=Purpose.REFERRAL,
        detail={"status": current.status, "request": request.pk, "offers_closed": closed},
    )
    return current


@transaction.atomic
def offer_refuse(
    *, by: User, offer: PlacementOffer, reason_code: str, reason_text: str = ""
) -> PlacementOffer:
    if not by.has_perm("placements.answer_offer", offer):
        _refuse("status", _("You do not work for this shelter."))
    if reason_code not in RefusalReason.values:
        _refuse("reason_code", _("Choose the reason for refusing."))
    text = _text_checked("reason_text", reason_text, REASON_MAX)
    if reason_code == RefusalReason.OTHER and not text:
        _refuse("reason_text", _("Explain the reason when you choose “other”."))
    _request, current = _offer_locked(offer)
    current.status, current.answered_by, current.answered_at = (
        OfferStatus.REFUSED,
        by,
        timezone.now(),
    )
    current.reason_code, current.reason_text = reason_code, text
    _answer_task_close([current], by, done=True)
    current.save(
        update_fields=["status", "answered_by", "answered_at", "reason_code", "reason_text"]
    )
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=current,
        purpose=Purpose.REFERRAL,
        detail={"status": current.status, "reason": reason_code},
    )
    return current


def free_places_in(region: Region, kind: str) -> int:
    """The free places of the kind in the region, counting only confirmed figures
    (shelter/capacity.py: stale figures are unknown, not free)."""
    now = timezone.now()
    places = PlaceCapacity.objects.filter(location__region=region, location__active=True, kind=kind)
    return sum(shown_free(place, now) or 0 for place in places)


@transaction.atomic
def region_ask(*, by: User, request: PlacementRequest, region: Region | None) -> RegionAsk:
    """Ask another region for a place when the own region has none free of the kind; that
    region's shelters see it only after its coordinator consents (region_ask_answer)."""
    current = _request_locked(request)
    if not by.has_perm("placements.request_place", current):
        _refuse("region", _("Only whoever coordinates the case may ask another region."))
    if current.status != RequestStatus.OPEN:
        _refuse("status", _("This request is no longer open."))
    if region is None or region.pk == current.region_id:
        _refuse("region", _("Choose another region than the case's own."))
    free = free_places_in(current.region, current.kind)
    if free > 0:
        _refuse(
            "region",
            _(
                "Your own region still has %(free)d free places of this kind: ask another "
                "region only when your own region has none."
            )
            % {"free": free},
        )
    if RegionAsk.objects.filter(request=current, region=region).exists():
        _refuse("region", _("This region was already asked for this request."))
    ask = RegionAsk.objects.create(
        request=current, region=region, asked_by=by, asked_at=timezone.now()
    )
    audit_record(
        actor=by,
        action=Action.CREATE,
        target=ask,
        purpose=Purpose.REFERRAL,
        detail={"request": current.pk, "from_region": current.region.code},
    )
    return ask


@transaction.atomic
def region_ask_answer(*, by: User, ask: RegionAsk, consent: bool) -> RegionAsk:
    """The asked region's coordinator consents (its matching locations get the offer) or
    declines. Who consented, and when, stays on the ask."""
    if not by.has_perm("placements.answer_region_ask", ask):
        _refuse("status", _("You do not coordinate the region that was asked."))
    request = _request_locked(ask.request)
    current = RegionAsk.objects.select_for_update().select_related("region").get(pk=ask.pk)
    if current.status != AskStatus.ASKED:
        _refuse("status", _("This request was already answered."))
    if request.status != RequestStatus.OPEN:
        _refuse("status", _("This request is no longer open."))
    now = timezone.now()
    current.status = AskStatus.CONSENTED if consent else AskStatus.DECLINED
    current.answered_by, current.answered_at = by, now
    current.save(update_fields=["status", "answered_by", "answered_at"])
    offered = 0
    if consent:
        existing = set(request.offers.values_list("location_id", flat=True))
        for location in matching_locations(current.region, request.kind):
            if location.pk not in existing:
                _offer(request, location, now, by)
                offered += 1
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=current,
        purpose=Purpose.REFERRAL,
        detail={"status": current.status, "request": request.pk, "offers": offered},
    )
    return current


# --- placements ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IntakeInput:
    case: Case
    location: ShelterLocation
    kind: str
    intake: date | None
    request: PlacementRequest | None = None
    override_reason: str = ""


def _date_checked(field: str, day: date | None, *, not_before: date | None = None) -> date:
    if day is None:
        _refuse(field, _("Give the date."))
    if day > timezone.localdate():
        _refuse(field, _("This date lies in the future. Give a date up to today."))
    if not_before is not None and day < not_before:
        _refuse(
            field,
            _("This date lies before %(earlier)s: the dates are in the wrong order.")
            % {"earlier": not_before.isoformat()},
        )
    return day


def _place_locked(location: ShelterLocation, kind: str, field: str = "kind") -> PlaceCapacity:
    place = PlaceCapacity.objects.select_for_update().filter(location=location, kind=kind).first()
    if place is None:
        _refuse(field, _("This location has no places of this kind."))
    return place


def _confirm(place: PlaceCapacity, by: User, occupied: int) -> None:
    now = timezone.now()
    place.occupied, place.confirmed_at, place.confirmed_by, place.confirmed_token = (
        occupied,
        now,
        by,
        "",
    )
    place.save(update_fields=["occupied", "confirmed_at", "confirmed_by", "confirmed_token"])
    CapacityUpdate.objects.create(
        place=place, at=now, by=by, capacity=place.capacity, occupied=occupied
    )


def _take(place: PlaceCapacity, by: User, override_reason: str) -> bool:
    """One more place taken; True when it is over capacity (the shelter's override)."""
    if place.occupied < place.capacity:
        _confirm(place, by, place.occupied + 1)
        return False
    if not override_reason:
        _refuse(
            "override_reason",
            _(
                "The location is full (%(occupied)d of %(capacity)d places taken). Only your "
                "shelter can take someone in over capacity: give the reason to do so."
            )
            % {"occupied": place.occupied, "capacity": place.capacity},
        )
    # Over capacity: occupied stays at the capacity (the database holds it there), the
    # placement carries the override and shows as over capacity.
    _confirm(place, by, place.occupied)
    return True


def _release(place: PlaceCapacity, by: User, leaving: Placement) -> None:
    """One place freed; a person taken in over capacity at the same place now has it."""
    waiting_over = (
        Placement.objects.select_for_update()
        .filter(
            location_id=place.location_id, kind=place.kind, outflow__isnull=True, over_capacity=True
        )
        .exclude(pk=leaving.pk)
        .order_by("intake", "pk")
        .first()
    )
    if waiting_over is not None:
        waiting_over.over_capacity = False
        waiting_over.save(update_fields=["over_capacity"])
        _confirm(place, by, place.occupied)
    else:
        _confirm(place, by, max(0, place.occupied - 1))


def _present_placement(case: Case) -> Placement | None:
    return (
        Placement.objects.filter(case=case, outflow__isnull=True).select_related("location").first()
    )


def _intake_errors(by: User, data: IntakeInput) -> None:
    if not by.has_perm("placements.place_at", data.location):
        _refuse("location", _("You do not work for this shelter."))
    if not data.location.active:
        _refuse("location", _("This location is not active."))
    if not data.case.is_open:
        _refuse("case", _("The case is closed."))
    present = _present_placement(data.case)
    if present is not None:
        _refuse(
            "case",
            _("The person already stays at %(location)s: record a transfer or the outflow there.")
            % {"location": present.location},
        )
    if data.request is not None:
        # As it is now, not as the caller read it (another shelter may have answered since).
        data.request.refresh_from_db(fields=["status", "case"])
        accepted = data.request.offers.filter(
            status=OfferStatus.ACCEPTED, organisation_id=data.location.organisation_id
        ).exists()
        if (
            data.request.case_id != data.case.pk
            or data.request.status != RequestStatus.ACCEPTED
            or not accepted
        ):
            _refuse("request", _("Choose a request of this case that your shelter accepted."))


@transaction.atomic
def placement_intake(*, by: User, data: IntakeInput) -> Placement:
    """Take the case's person in at a location: from an accepted request, or directly for a
    case shared with the shelter (the view offers only those, access.cases_for_intake)."""
    _intake_errors(by, data)
    earliest = timezone.localtime(data.case.created_at).date()
    if data.request is not None:
        earliest = max(earliest, timezone.localtime(data.request.created_at).date())
    day = _date_checked("intake", data.intake, not_before=earliest)
    reason = _text_checked("override_reason", data.override_reason, REASON_MAX)
    if data.kind not in PlaceKind.values:
        _refuse("kind", _("Choose the kind of place."))
    place = _place_locked(data.location, data.kind)
    over = _take(place, by, reason)
    placement = _placement_create(by, data.case, data.location, data.kind, day, over, reason)
    placement.request = data.request
    placement.save(update_fields=["request"])
    audit_record(
        actor=by,
        action=Action.CREATE,
        target=placement,
        purpose=Purpose.CASE_WORK,
        detail={
            "case": data.case.pk,
            "location": data.location.pk,
            "kind": data.kind,
            "over_capacity": over,
        },
    )
    return placement


def _placement_create(
    by: User,
    case: Case,
    location: ShelterLocation,
    kind: str,
    day: date,
    over: bool,
    reason: str,
    previous: Placement | None = None,
) -> Placement:
    now = timezone.now()
    return Placement.objects.create(
        case=case,
        location=location,
        region_id=location.region_id,
        organisation_id=location.organisation_id,
        kind=kind,
        previous=previous,
        intake=day,
        stay_start=previous.stay_start if previous is not None else day,
        over_capacity=over,
        override_by=by if over else None,
        override_at=now if over else None,
        override_reason=reason if over else "",
        created_by=by,
    )


def _placement_locked(by: User, placement: Placement) -> Placement:
    if not by.has_perm("placements.change_placement", placement):
        _refuse("placement", _("You do not work for this shelter."))
    current = (
        Placement.objects.select_for_update()
        .select_related("location", "case")
        .get(pk=placement.pk)
    )
    if current.outflow is not None:
        _refuse("placement", _("This person has already left this location."))
    return current


@transaction.atomic
def placement_outflow(
    *, by: User, placement: Placement, outflow: date | None, destination: str
) -> Placement:
    current = _placement_locked(by, placement)
    day = _date_checked("outflow", outflow, not_before=current.intake)
    if destination not in OUTFLOW_DESTINATIONS:
        _refuse("destination", _("Choose where the person went."))
    place = _place_locked(current.location, current.kind, "placement")
    current.outflow, current.destination = day, destination
    current.save(update_fields=["outflow", "destination"])
    _release(place, by, current)
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=current,
        purpose=Purpose.CASE_WORK,
        detail={"outflow": day.isoformat(), "destination": destination},
    )
    return current


@transaction.atomic
def placement_transfer(
    *,
    by: User,
    placement: Placement,
    location: ShelterLocation | None,
    kind: str,
    day: date | None,
    override_reason: str = "",
) -> Placement:
    """Move the person to another location (or kind of place) of the same shelter: the
    current placement ends with destination TRANSFER, a new one follows it."""
    current = _placement_locked(by, placement)
    if location is None or not by.has_perm("placements.place_at", location):
        _refuse("location", _("Choose a location of your shelter."))
    if location.organisation_id != current.organisation_id:
        _refuse(
            "location",
            _("A transfer stays within the shelter; for another shelter, ask for a place."),
        )
    if (location.pk, kind) == (current.location_id, current.kind):
        _refuse("location", _("Choose another location or kind of place than the current one."))
    moved = _date_checked("day", day, not_before=current.intake)
    reason = _text_checked("override_reason", override_reason, REASON_MAX)
    if kind not in PlaceKind.values:
        _refuse("kind", _("Choose the kind of place."))
    # Both places locked in the order of their ids: two transfers at once cannot deadlock.
    places = {
        (p.location_id, p.kind): p
        for p in PlaceCapacity.objects.select_for_update()
        .filter(location_id__in=[current.location_id, location.pk], kind__in=[current.kind, kind])
        .order_by("pk")
    }
    old_place, new_place = (
        places.get((current.location_id, current.kind)),
        places.get((location.pk, kind)),
    )
    if new_place is None:
        _refuse("kind", _("This location has no places of this kind."))
    if old_place is None:
        _refuse("placement", _("The current location no longer has this kind of place."))
    over = _take(new_place, by, reason)
    current.outflow, current.destination = moved, Destination.TRANSFER
    current.save(update_fields=["outflow", "destination"])
    _release(old_place, by, current)
    following = _placement_create(
        by, current.case, location, kind, moved, over, reason, previous=current
    )
    following.request = current.request
    following.save(update_fields=["request"])
    audit_record(
        actor=by,
        action=Action.CREATE,
        target=following,
        purpose=Purpose.CASE_WORK,
        detail={"previous": current.pk, "location": location.pk, "over_capacity": over},
    )
    return following
