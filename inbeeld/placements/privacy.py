"""Placement requests and placements with privacy/ (registry.py): they follow their case.

Retention: no period of their own; removed with their case (five years after closing), like
referrals. Offers and asks to another region go with their request (related rows). The
case's access export lists its requests and stays; erasing the case empties the needs note,
the shelters' refusal explanations and the override reasons.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inbeeld.cases.sections import CasePrivacyPart, case_privacy_part_register
from inbeeld.placements.models import Placement, PlacementOffer, PlacementRequest
from inbeeld.privacy.export import when
from inbeeld.privacy.registry import Kept, PersonalDataKind, Related, registry

ERASED = "[erased]"
WITH_CASE = gettext_lazy(
    "Kept as long as their case: removed with it by the case's retention (five years after "
    "closing), and emptied when the case is erased."
)

REQUESTS = registry.register(
    PersonalDataKind(
        model=PlacementRequest,
        label=gettext_lazy("Shelter placement requests"),
        about=gettext_lazy(
            "A request for a shelter place from a case: kind of place, urgency, the needs "
            "(encrypted), the shelters it was offered to and their answers."
        ),
        kept=(Kept(WITH_CASE),),
        related=(
            Related(
                "placements.PlacementOffer",
                gettext_lazy("Offers to shelter locations"),
                gettext_lazy("Removed with their request; a refusal's explanation is emptied."),
            ),
            Related(
                "placements.RegionAsk",
                gettext_lazy("Requests to another region"),
                gettext_lazy("Removed with their request; who consented stays with it."),
            ),
        ),
    )
)
PLACEMENTS = registry.register(
    PersonalDataKind(
        model=Placement,
        label=gettext_lazy("Shelter placements"),
        about=gettext_lazy(
            "A case's person's stays at shelter locations: intake, transfer, outflow with its "
            "destination, and a shelter's reason to take in over capacity (encrypted)."
        ),
        kept=(Kept(WITH_CASE),),
    )
)


def _export_requests(case: Any) -> list[dict[str, Any]]:
    rows = []
    for request in PlacementRequest.objects.filter(case=case).prefetch_related("offers__location"):
        answers = [
            f"{offer.location.name}: {offer.get_status_display()}"
            + (
                f" ({offer.get_reason_code_display()}) {offer.reason_text}"
                if offer.reason_code
                else ""
            )
            for offer in request.offers.all()
        ]
        rows.append(
            {
                "reference": request.reference,
                "kind": request.kind,
                "urgency": request.urgency,
                "status": request.status,
                "note": request.note,
                "requested_at": when(request.created_at),
                "offers": answers,
                "text": _("%(when)s: shelter place asked (%(kind)s, %(status)s). Needs: %(note)s")
                % {
                    "when": when(request.created_at),
                    "kind": request.get_kind_display(),
                    "status": request.get_status_display(),
                    "note": request.note or "—",
                }
                + ("\n" + "\n".join(answers) if answers else ""),
            }
        )
    return rows


def _erase_requests(case: Any) -> int:
    requests = list(PlacementRequest.objects.filter(case=case))
    for request in requests:
        request.note = ERASED if request.note else ""
        request.save(update_fields=["note"])
        # Encrypted texts cannot be searched: the refused offers are those with a reason code.
        for offer in PlacementOffer.objects.filter(request=request).exclude(reason_code=""):
            if offer.reason_text:
                offer.reason_text = ERASED
                offer.save(update_fields=["reason_text"])
    return len(requests)


def _export_placements(case: Any) -> list[dict[str, Any]]:
    return [
        {
            "location": placement.location.name,
            "kind": placement.kind,
            "intake": placement.intake.isoformat(),
            "outflow": placement.outflow.isoformat() if placement.outflow else "",
            "destination": placement.destination,
            "override_reason": placement.override_reason,
            "text": f"{placement.location.name} ({placement.get_kind_display()}): "
            f"{placement.intake.isoformat()} – "
            f"{placement.outflow.isoformat() if placement.outflow else '…'}"
            f"{', ' + str(placement.get_destination_display()) if placement.destination else ''}",
        }
        for placement in Placement.objects.filter(case=case).select_related("location")
    ]


def _erase_placements(case: Any) -> int:
    # Encrypted texts cannot be searched: the overrides are those with a moment.
    placements = list(Placement.objects.filter(case=case, override_at__isnull=False))
    for placement in placements:
        placement.override_reason = ERASED
        placement.save(update_fields=["override_reason"])
    return len(placements)


case_privacy_part_register(
    CasePrivacyPart(
        name="placement_requests",
        label=gettext_lazy("Shelter placement requests"),
        export=_export_requests,
        erase=_erase_requests,
    )
)
case_privacy_part_register(
    CasePrivacyPart(
        name="placements",
        label=gettext_lazy("Shelter placements"),
        export=_export_placements,
        erase=_erase_placements,
    )
)
