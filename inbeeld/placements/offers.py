"""What a shelter sees of a request offered to it: the one place that decides.

Until the shelter's location accepted: the kind of place, the urgency, the age band, the
gender, since when the request waits, and the needs only when the requester ticked that the
shelters may read them; never a name, a case reference or anything else of the case (a test
searches the page for them). Once accepted: also the case's reference and exactly the
fields the requester ticked (the share recorded on acceptance).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from inbeeld.cases.models import CasePerson
from inbeeld.placements.models import OfferStatus, PlacementOffer, Urgency
from inbeeld.referrals.models import SharedField
from inbeeld.shelter.models import PlaceKind
from inbeeld.signals.models import AgeBand, Gender


@dataclass(frozen=True)
class Shared:
    label: str
    value: str


@dataclass
class OfferView:
    offer: PlacementOffer
    reference: str  # the request's own code: names no case
    kind: str
    urgency: str
    age_band: str
    gender: str
    waiting_since: datetime
    note: str  # "" unless shared
    accepted: bool
    case_reference: str = ""
    shared: list[Shared] = field(default_factory=list)


def _label(choices: type[AgeBand] | type[Gender], value: str) -> str:
    return str(choices(value).label) if value in choices.values else str(choices("").label)


def _value(code: str, person: CasePerson | None, offer: PlacementOffer) -> str:
    case = offer.request.case
    if code == SharedField.EXPLOITATION_FORMS:
        return ", ".join(case.exploitation_form_labels)
    if code == SharedField.MUNICIPALITY:
        return str(case.municipality or "")
    if person is None:
        return ""
    values: dict[str, str] = {
        SharedField.NAME: str(person.name),
        SharedField.DATE_OF_BIRTH: str(person.date_of_birth or ""),
        SharedField.AGE_BAND: str(person.get_age_band_display()) if person.age_band else "",
        SharedField.GENDER: str(person.get_gender_display()) if person.gender else "",
        SharedField.NATIONALITIES: ", ".join(person.nationality_names),
    }
    return values.get(code, "")


def offer_view(offer: PlacementOffer) -> OfferView:
    request = offer.request
    accepted = offer.status == OfferStatus.ACCEPTED
    shown = OfferView(
        offer=offer,
        reference=request.reference,
        kind=str(PlaceKind(request.kind).label),
        urgency=str(Urgency(request.urgency).label),
        age_band=_label(AgeBand, request.age_band),
        gender=_label(Gender, request.gender),
        waiting_since=request.created_at,
        note=request.note if request.note_shared else "",
        accepted=accepted,
    )
    if accepted:
        person = CasePerson.objects.filter(case_id=request.case_id).first()
        shown.case_reference = request.case.reference
        shown.shared = [
            Shared(str(SharedField(code).label), _value(code, person, offer))
            for code in request.shared_fields
            if code in SharedField.values
        ]
    return shown
