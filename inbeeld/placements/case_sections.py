"""Placement requests and stays on the case page and its timeline (cases/sections.py)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.cases.models import Case
from inbeeld.cases.sections import CaseSection, case_section_register, case_timeline_source_register
from inbeeld.cases.timeline import TimelineItem
from inbeeld.placements.models import OfferStatus, Placement, PlacementRequest


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _requests(case: Case) -> list[PlacementRequest]:
    requests = list(
        PlacementRequest.objects.filter(case=case).prefetch_related(
            "region_asks__region", "offers__location"
        )
    )
    for request in requests:
        accepted = [o for o in request.offers.all() if o.status == OfferStatus.ACCEPTED]
        request.accepted_by = accepted[0].location.name if accepted else ""  # type: ignore[attr-defined]
    return requests


def _context(request: Any, user: Any, case: Case, editable: bool) -> dict[str, Any]:
    return {
        "case": case,
        "requests": _requests(case),
        "placements": Placement.objects.filter(case=case)
        .select_related("location")
        .order_by("intake", "pk"),
        "may_edit": editable,
    }


def _timeline(case: Case) -> list[TimelineItem]:
    items: list[TimelineItem] = []
    for request in _requests(case):
        names = {"reference": request.reference, "kind": request.get_kind_display().lower()}
        items.append(
            TimelineItem(
                request.created_at,
                "placement",
                _("Shelter place asked: %(kind)s (%(reference)s)") % names,
            )
        )
        for offer in request.offers.all():
            if offer.status == OfferStatus.ACCEPTED and offer.answered_at is not None:
                items.append(
                    TimelineItem(
                        offer.answered_at,
                        "placement",
                        _("Request %(reference)s accepted by %(location)s")
                        % {**names, "location": offer.location.name},
                    )
                )
        if request.ended_at is not None:
            items.append(
                TimelineItem(
                    request.ended_at, "placement", _("Request %(reference)s withdrawn") % names
                )
            )
    for placement in Placement.objects.filter(case=case).select_related("location"):
        names = {"location": placement.location.name, "kind": placement.get_kind_display().lower()}
        title = (
            _("Transferred to %(location)s (%(kind)s)")
            if placement.previous_id
            else _("Taken in at %(location)s (%(kind)s)")
        )
        items.append(
            TimelineItem(_start_of(placement.intake), "placement", title % names, dated_only=True)
        )
        if placement.outflow is not None and placement.destination != "transfer":
            items.append(
                TimelineItem(
                    _start_of(placement.outflow),
                    "placement",
                    _("Left %(location)s: %(destination)s")
                    % {**names, "destination": placement.get_destination_display().lower()},
                    dated_only=True,
                )
            )
    return items


case_section_register(
    CaseSection(
        name="placements", template="placements/_case_section.html", context=_context, order=55
    )
)
case_timeline_source_register("placements", _timeline)
