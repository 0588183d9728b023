"""Demo cases for a first look, made by code: every person and story here is invented.

Six cases of the zorgcoördinator of Zeeland, two for each of the forms of exploitation the
region meets most (sexual, labour, criminal): one opened from the demo's acute signal, the
others on their own; with events, a note, an invited partner, and one closed and referred.
Called by ``inbeeld demo`` (accounts/demo.py) after the demo signals, in the same transaction.
"""

from __future__ import annotations

from datetime import date

from inbeeld.accounts.models import Organisation, User
from inbeeld.cases.codes import (
    ControlMethod,
    OnlineChannel,
    RecruitmentMethod,
    Relationship,
    Sector,
)
from inbeeld.cases.models import Case, CaseStatus, DecidedBy, EventKind, TraffickingStatus
from inbeeld.cases.services import (
    CaseInput,
    EventInput,
    PersonInput,
    case_close,
    case_invite,
    case_open,
    case_open_from_signals,
    note_add,
)
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.regions.models import Municipality, Region
from inbeeld.signals.models import Signal

DEMO_MARK = "DEMO, verzonnen: "
COORDINATOR = "zorgcoordinator.zeeland"


def _place(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def _event(kind: str, where: str, day: date) -> EventInput:
    """An event in a Dutch municipality (a CBS code) or abroad (a country code)."""
    if where.startswith("GM"):
        return EventInput(kind=kind, municipality=_place(where), start=day)
    return EventInput(kind=kind, country=where, start=day)


def _inputs() -> list[CaseInput]:
    return [
        CaseInput(
            municipality=_place("GM0718"),
            exploitation_forms=["sexual"],
            trafficking_status=TraffickingStatus.PRESUMED,
            person=PersonInput(
                name="Voorbeeld Vrouw Een",
                date_of_birth=date(2001, 3, 14),
                gender="female",
                nationalities=["BG"],
            ),
            events=[
                _event(EventKind.RECRUITMENT, "BG", date(2024, 9, 1)),
                _event(EventKind.EXPLOITATION, "GM0718", date(2025, 1, 10)),
            ],
            sectors=[Sector.PROSTITUTION],
            recruitment_methods=[RecruitmentMethod.SOCIAL_NETWORKS],
            control_methods=[ControlMethod.FALSE_PROMISES, ControlMethod.TAKES_EARNINGS],
            recruitment_channels=[OnlineChannel.INSTAGRAM, OnlineChannel.WHATSAPP],
            recruiter_relationship=Relationship.INTIMATE_PARTNER,
        ),
        CaseInput(
            municipality=_place("GM0664"),
            exploitation_forms=["labour"],
            trafficking_status=TraffickingStatus.ACTUAL,
            decided_by=DecidedBy.POLICE,
            person=PersonInput(
                name="Voorbeeld Man Twee",
                date_of_birth=date(1988, 7, 2),
                gender="male",
                nationalities=["RO", "MD"],
            ),
            events=[
                _event(EventKind.RECRUITMENT, "RO", date(2024, 4, 1)),
                _event(EventKind.TRANSIT, "DE", date(2024, 4, 20)),
                _event(EventKind.EXPLOITATION, "GM0664", date(2024, 5, 1)),
            ],
            sectors=[Sector.AGRICULTURE],
            recruitment_methods=[RecruitmentMethod.ONLINE_ADVERT],
            control_methods=[
                ControlMethod.DEBT_BONDAGE,
                ControlMethod.WITHHOLDS_DOCUMENTS,
                ControlMethod.EXCESSIVE_WORKING_HOURS,
            ],
            recruitment_channels=[OnlineChannel.FACEBOOK],
            recruiter_relationship=Relationship.UNACQUAINTED,
        ),
        CaseInput(
            municipality=_place("GM0654"),
            exploitation_forms=["labour"],
            trafficking_status=TraffickingStatus.POSSIBLE,
            person=PersonInput(name="Voorbeeld Man Drie", gender="male", age_band="24-49"),
            events=[_event(EventKind.EXPLOITATION, "GM0654", date(2025, 6, 1))],
        ),
        CaseInput(
            municipality=_place("GM0687"),
            exploitation_forms=["criminal"],
            trafficking_status=TraffickingStatus.PRESUMED,
            person=PersonInput(
                name="Voorbeeld Jongere Vier",
                date_of_birth=date(2010, 11, 5),
                gender="male",
                nationalities=["NL"],
            ),
            events=[_event(EventKind.EXPLOITATION, "GM0687", date(2025, 2, 1))],
            sectors=[Sector.ILLICIT_ACTIVITIES],
            recruitment_methods=[RecruitmentMethod.FRIENDS],
            control_methods=[ControlMethod.PHYSICAL_THREATS, ControlMethod.THREATENS_FAMILY],
            recruitment_channels=[OnlineChannel.SNAPCHAT],
            recruiter_relationship=Relationship.ACQUAINTANCE,
        ),
        CaseInput(
            municipality=_place("GM0718"),
            exploitation_forms=["criminal"],
            trafficking_status=TraffickingStatus.POSSIBLE,
            person=PersonInput(name="Voorbeeld Vrouw Vijf", gender="female", age_band="18-23"),
        ),
    ]


def demo_cases_create() -> list[Case]:
    """The six demo cases; run once, inside the demo's transaction."""
    coordinator = User.objects.get(username=COORDINATOR)
    zeeland = Region.objects.get(code="VR19")
    acute = Signal.objects.filter(region=zeeland, acute=True).order_by("pk").first()
    cases = []
    if acute is not None:
        cases.append(case_open_from_signals(by=coordinator, signals=[acute]))
    for data in _inputs():
        cases.append(case_open(by=coordinator, region=zeeland, data=data))
    labour = cases[-4]
    note_add(by=coordinator, case=labour, text=DEMO_MARK + "opvang geregeld, tolk Roemeens.")
    police = Organisation.objects.get(region=zeeland, name="Politie Zeeland-West-Brabant")
    case_invite(
        by=coordinator,
        case=labour,
        organisation=police,
        legal_basis=LegalBasis.COVENANT,
        purpose="Aangifte en onderzoek (demo)",
    )
    referred = cases[-1]
    case_close(
        by=coordinator,
        case=referred,
        version=referred.version,
        reason=CaseStatus.CLOSED_REFERRED,
        outcome=DEMO_MARK + "doorverwezen naar schuldhulp; geen aanwijzingen meer.",
    )
    return cases
