"""Demo placement requests and placements among the demo cases (every person invented).

Made through the services, after shelter/demo.py, in the demo's transaction: Zeeland's
zorgcoördinator asks for places for four of the open demo cases. One waits for the women's
shelter (opvang.intervence sees it pseudonymised); one for a COSM place that Leger des Heils
refused because it is full, so IJsselland is asked and waits for its coordinator's consent;
one was accepted, taken in six weeks ago and left for own housing five days ago; one was
taken in at a full men's location by the shelter's recorded override. The dates of the stay
that ended are moved back afterwards, as if the weeks had passed.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from inbeeld.accounts.models import User
from inbeeld.cases.models import Case, CaseStatus
from inbeeld.placements.models import (
    Destination,
    Placement,
    PlacementOffer,
    PlacementRequest,
    RefusalReason,
    Urgency,
)
from inbeeld.placements.services import (
    IntakeInput,
    RequestInput,
    offer_accept,
    offer_refuse,
    placement_intake,
    placement_outflow,
    region_ask,
    request_create,
)
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.referrals.models import SharedField
from inbeeld.regions.models import Region
from inbeeld.shelter.models import PlaceKind

COORDINATOR = "zorgcoordinator.zeeland"
MARK = "DEMO, verzonnen: "


def _ask(coordinator: User, case: Case, kind: str, urgency: str, note: str) -> PlacementRequest:
    return request_create(
        by=coordinator,
        case=case,
        data=RequestInput(
            kind=kind,
            urgency=urgency,
            note=MARK + note,
            note_shared=True,
            shared_fields=[SharedField.NAME, SharedField.NATIONALITIES],
            legal_basis=LegalBasis.VITAL_INTEREST,
        ),
    )


def _offer_at(request: PlacementRequest, location_name: str) -> PlacementOffer:
    return request.offers.select_related("location").get(location__name=location_name)


def demo_placements_create() -> list[PlacementRequest]:
    coordinator = User.objects.filter(username=COORDINATOR).first()
    if coordinator is None:
        return []
    cases = list(
        Case.objects.filter(region__code="VR19", status=CaseStatus.OPEN).order_by("created_at")
    )
    if len(cases) < 4:
        return []
    intervence = User.objects.get(username="opvang.intervence")
    leger = User.objects.get(username="opvang.zeeland")
    waiting = _ask(
        coordinator, cases[0], PlaceKind.WOMEN, Urgency.CRISIS, "Vandaag nog een veilige plek."
    )
    full = _ask(coordinator, cases[1], PlaceKind.COSM, Urgency.WEEK, "Tolk Bulgaars nodig.")
    offer_refuse(
        by=leger,
        offer=_offer_at(full, "Leger des Heils Middelburg"),
        reason_code=RefusalReason.FULL,
    )
    region_ask(by=coordinator, request=full, region=Region.objects.get(code="VR04"))

    ended = _ask(coordinator, cases[2], PlaceKind.WOMEN, Urgency.REGULAR, "Rustige plek.")
    offer = offer_accept(by=intervence, offer=_offer_at(ended, "Intervence Vrouwenopvang Goes"))
    ended.refresh_from_db()
    stay = placement_intake(
        by=intervence,
        data=IntakeInput(
            case=cases[2],
            location=offer.location,
            kind=PlaceKind.WOMEN,
            intake=timezone.localdate(),
            request=ended,
        ),
    )
    placement_outflow(
        by=intervence,
        placement=stay,
        outflow=timezone.localdate(),
        destination=Destination.OWN_HOUSING,
    )
    # As if the stay had begun six weeks ago and ended five days ago.
    today = timezone.localdate()
    Placement.objects.filter(pk=stay.pk).update(
        intake=today - timedelta(days=42),
        stay_start=today - timedelta(days=42),
        outflow=today - timedelta(days=5),
    )
    PlacementRequest.objects.filter(pk=ended.pk).update(
        created_at=timezone.now() - timedelta(days=44)
    )

    over = _ask(coordinator, cases[3], PlaceKind.MEN, Urgency.CRISIS, "Acuut onveilig.")
    men = offer_accept(by=leger, offer=_offer_at(over, "Leger des Heils Middelburg"))
    over.refresh_from_db()
    placement_intake(
        by=leger,
        data=IntakeInput(
            case=cases[3],
            location=men.location,
            kind=PlaceKind.MEN,
            intake=today,
            request=over,
            override_reason=MARK + "Acuut onveilig; tijdelijk extra bed op de gezinskamer.",
        ),
    )
    return [waiting, full, ended, over]
