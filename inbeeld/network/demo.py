"""Demo activities: a year of Zeeland's network, after the agenda of the Zeeland newsletter
(shared seed 003): the awareness session at Veilig Thuis, the lesson in the HZ's Social Work
course, the training for the municipal contact persons (aandachtsfunctionarissen), the
third Zeeland key-figures meeting, the working group's meetings, the training for managers
of staff with citizen contact given by the Fairwork Academy, and a public awareness
evening with the exhibition "Open je Ogen" in Vlissingen. One training lies more than two
years back, so the refresher list has people on it. IJsselland gets one public activity.

Dates are relative to the day the demo is made (the seed's order kept). Every name of a
participant is invented; none is taken from the seeds. Made through the services by the
region's ketenregisseur, in the demo's transaction (accounts/demo.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from itertools import cycle

from django.utils import timezone

from inbeeld.accounts.models import Organisation, User
from inbeeld.network.models import Activity, ActivityKind, TargetGroup, Topic
from inbeeld.network.services import (
    ActivityInput,
    ParticipantInput,
    activity_create,
    attendance_record,
    participant_register,
)
from inbeeld.regions.models import Municipality

ZEELAND_KEEPER = "ketenregisseur.zeeland"
IJSSELLAND_KEEPER = "ketenregisseur.ijsselland"
PROGRAMME = "Programma aanpak mensenhandel Zeeland"

# Invented names, combined in turn: no person of the seeds.
FIRST_NAMES = (
    "Anouk", "Bas", "Carlijn", "Daan", "Esmee", "Floor", "Gert", "Hanneke", "Iris", "Joost",
    "Kim", "Lotte", "Maarten", "Nadia", "Okke", "Pien", "Rik", "Sanne", "Tom", "Vera",
)  # fmt: skip
LAST_NAMES = (
    "de Wit", "Verhage", "Koster", "Dekker", "van Dijke", "Minderhoud", "Boogaard", "Sturm",
    "Lievense", "Goedhart", "Kodde", "Wisse", "Hamelink", "Roelse", "Jobse",
)  # fmt: skip


@dataclass(frozen=True)
class DemoActivity:
    days: int  # from today; negative: in the past
    start: time
    hours: int
    kind: str
    title: str
    municipality: str
    place: str
    organiser: str
    groups: tuple[str, ...]
    topics: tuple[str, ...]
    capacity: int | None = None
    public: bool = False
    certificate: bool = False
    description: str = ""
    materials: str = ""
    # (organisation, professional group, how many registered, how many of them came)
    participants: tuple[tuple[str, str, int, int], ...] = ()
    public_attendees: int = 0


S, L, C = Topic.SEXUAL, Topic.LABOUR, Topic.CRIMINAL
SIG, REP, COOP = Topic.SIGNALS, Topic.REPORTING, Topic.COOPERATION
MUNICIPAL, POLICE, CARE = (
    TargetGroup.MUNICIPAL_STAFF,
    TargetGroup.POLICE,
    TargetGroup.CARE_WORKERS,
)

ZEELAND: tuple[DemoActivity, ...] = (
    DemoActivity(
        -790,
        time(13, 30),
        3,
        ActivityKind.TRAINING,
        "Eerste Zeeuwse training aandachtsfunctionarissen mensenhandel",
        "GM0687",
        "Abdij, Middelburg",
        PROGRAMME,
        (MUNICIPAL,),
        (SIG, REP),
        20,
        certificate=True,
        participants=(
            ("Gemeente Middelburg", MUNICIPAL, 3, 3),
            ("Gemeente Hulst", MUNICIPAL, 2, 2),
        ),
    ),
    DemoActivity(
        -300,
        time(19, 0),
        2,
        ActivityKind.AWARENESS,
        "Tentoonstelling Open je Ogen: avond over mensenhandel",
        "GM0718",
        "Bibliotheek, Vlissingen",
        "Gemeente Vlissingen",
        (TargetGroup.GENERAL_PUBLIC,),
        (S, L, C, SIG, REP),
        80,
        public=True,
        description="Rondleiding langs de tentoonstelling Open je Ogen en een gesprek over "
        "signalen van mensenhandel in Zeeland.",
        public_attendees=54,
    ),
    DemoActivity(
        -240,
        time(10, 0),
        2,
        ActivityKind.WORKING_GROUP,
        "Werkgroep mensenhandel Zeeland",
        "GM0664",
        "Stadskantoor, Goes",
        PROGRAMME,
        (MUNICIPAL, CARE, POLICE),
        (COOP,),
        participants=(
            ("Gemeente Goes", MUNICIPAL, 2, 2),
            ("Veilig Thuis Zeeland", CARE, 2, 2),
            ("GGD Zeeland", CARE, 1, 1),
            ("Gemeente Vlissingen", MUNICIPAL, 1, 1),
        ),
    ),
    DemoActivity(
        -120,
        time(10, 0),
        2,
        ActivityKind.WORKING_GROUP,
        "Werkgroep mensenhandel Zeeland",
        "GM0664",
        "Stadskantoor, Goes",
        PROGRAMME,
        (MUNICIPAL, CARE, POLICE),
        (COOP,),
        participants=(
            ("Gemeente Goes", MUNICIPAL, 2, 2),
            ("Veilig Thuis Zeeland", CARE, 2, 1),
            ("GGD Zeeland", CARE, 1, 1),
        ),
    ),
    DemoActivity(
        -65,
        time(9, 30),
        3,
        ActivityKind.AWARENESS,
        "Bewustwordingssessie mensenhandel bij Veilig Thuis Zeeland",
        "GM0687",
        "Veilig Thuis Zeeland, Middelburg",
        "Zorgcoördinatie mensenhandel Zeeland",
        (CARE,),
        (S, L, C, SIG, REP),
        25,
        description="Met CoMensha en de zorgcoördinator mensenhandel: signalen herkennen en "
        "de korte lijnen met de ketenpartners.",
        participants=(("Veilig Thuis Zeeland", CARE, 14, 12), ("CoMensha", CARE, 1, 1)),
    ),
    DemoActivity(
        -40,
        time(11, 0),
        2,
        ActivityKind.SCHOOL_LESSON,
        "Gastles mensenhandel, opleiding Social Work (HZ)",
        "GM0718",
        "HZ University of Applied Sciences, Vlissingen",
        "Zorgcoördinatie mensenhandel Zeeland",
        (TargetGroup.SCHOOLS,),
        (S, C, SIG),
        40,
        description="In het onderdeel geweld en afhankelijkheidsrelaties.",
        public_attendees=36,
    ),
    DemoActivity(
        -34,
        time(13, 30),
        3,
        ActivityKind.TRAINING,
        "Zeeuwse training voor gemeentelijke aandachtsfunctionarissen mensenhandel",
        "GM0664",
        "Stadskantoor, Goes",
        PROGRAMME,
        (MUNICIPAL,),
        (S, L, C, SIG, REP),
        20,
        certificate=True,
        materials="Signalenkaart per vorm van uitbuiting; stroomschema meldroute Zeeland.",
        participants=(
            ("Gemeente Goes", MUNICIPAL, 2, 2),
            ("Gemeente Vlissingen", MUNICIPAL, 2, 2),
            ("Gemeente Middelburg", MUNICIPAL, 2, 1),
            ("Gemeente Terneuzen", MUNICIPAL, 2, 2),
            ("Gemeente Reimerswaal", MUNICIPAL, 1, 1),
            ("Gemeente Kapelle", MUNICIPAL, 1, 1),
            ("Gemeente Schouwen-Duiveland", MUNICIPAL, 2, 2),
            ("Gemeente Hulst", MUNICIPAL, 1, 0),
            ("Gemeente Noord-Beveland", MUNICIPAL, 1, 1),
        ),
    ),
    DemoActivity(
        -31,
        time(15, 0),
        2,
        ActivityKind.KEY_FIGURES,
        "3e Zeeuwse sleutelfigurenbijeenkomst",
        "GM0715",
        "Het Zeeuwse Huis, Terneuzen",
        PROGRAMME,
        (TargetGroup.KEY_FIGURES,),
        (L, S, SIG, REP),
        30,
        description="Sleutelfiguren uit gemeenschappen van arbeidsmigranten en nieuwkomers.",
        participants=(("Scharlaken Koord", CARE, 2, 2), ("MEE Zeeland", CARE, 2, 2)),
        public_attendees=29,  # above the capacity: the page flags it
    ),
    DemoActivity(
        21,
        time(10, 0),
        2,
        ActivityKind.WORKING_GROUP,
        "Werkgroep mensenhandel Zeeland",
        "GM0664",
        "Stadskantoor, Goes",
        PROGRAMME,
        (MUNICIPAL, CARE, POLICE),
        (COOP,),
        participants=(("Gemeente Goes", MUNICIPAL, 2, 0), ("Veilig Thuis Zeeland", CARE, 2, 0)),
    ),
    DemoActivity(
        45,
        time(19, 30),
        2,
        ActivityKind.AWARENESS,
        "Informatieavond arbeidsuitbuiting voor werkgevers",
        "GM0703",
        "Dorpshuis, Kruiningen",
        "Gemeente Reimerswaal",
        (TargetGroup.EMPLOYERS, TargetGroup.GENERAL_PUBLIC),
        (L, SIG, REP),
        60,
        public=True,
        description="Hoe herkent u arbeidsuitbuiting bij uitzendkrachten en seizoenswerk, en "
        "waar meldt u het?",
    ),
    DemoActivity(
        70,
        time(9, 0),
        6,
        ActivityKind.TRAINING,
        "Zeeuwse training voor leidinggevenden van ambtenaren met burgercontact",
        "GM0687",
        "Provinciehuis, Middelburg",
        PROGRAMME,
        (MUNICIPAL,),
        (S, L, C, SIG, REP),
        24,
        certificate=True,
        description="Voor leidinggevenden van onder meer baliemedewerkers en toezichthouders. "
        "De training wordt verzorgd door de Fairwork Academy.",
        participants=(
            ("Gemeente Goes", MUNICIPAL, 3, 0),
            ("Gemeente Terneuzen", MUNICIPAL, 2, 0),
            ("Gemeente Vlissingen", MUNICIPAL, 2, 0),
        ),
    ),
)

IJSSELLAND: tuple[DemoActivity, ...] = (
    DemoActivity(
        30,
        time(19, 30),
        2,
        ActivityKind.AWARENESS,
        "Voorlichtingsavond mensenhandel Zwolle",
        "GM0193",
        "Stadhuis, Zwolle",
        "Gemeente Zwolle",
        (TargetGroup.GENERAL_PUBLIC,),
        (S, L, C, SIG),
        100,
        public=True,
    ),
)


def _names() -> cycle[str]:
    return cycle(f"{first} {last}" for last in LAST_NAMES for first in FIRST_NAMES)


def _make(
    item: DemoActivity,
    keeper: User,
    organisations: dict[str, Organisation],
    names: cycle[str],
) -> Activity:
    day = timezone.localdate() + timedelta(days=item.days)
    starts = timezone.make_aware(datetime.combine(day, item.start))
    activity = activity_create(
        by=keeper,
        data=ActivityInput(
            kind=item.kind,
            title=item.title,
            starts_at=starts,
            ends_at=starts + timedelta(hours=item.hours),
            place=item.place,
            municipality=Municipality.objects.get(code=item.municipality),
            organiser=organisations[item.organiser],
            target_groups=item.groups,
            topics=item.topics,
            description=item.description,
            materials=item.materials,
            capacity=item.capacity,
            public=item.public,
            grants_certificate=item.certificate,
        ),
    )
    present: dict[int, bool] = {}
    for organisation, group, registered, came in item.participants:
        for number in range(registered):
            participant = participant_register(
                by=keeper,
                activity=activity,
                data=ParticipantInput(
                    organisation=organisations[organisation],
                    name=next(names),
                    target_group=group,
                    function="Aandachtsfunctionaris" if group == MUNICIPAL else "",
                ),
            )
            present[participant.pk] = number < came
    if item.days < 0:
        attendance_record(
            by=keeper, activity=activity, present=present, public_attendees=item.public_attendees
        )
    return activity


def demo_network_activities_create() -> list[Activity]:
    made = []
    for keeper_name, items in ((ZEELAND_KEEPER, ZEELAND), (IJSSELLAND_KEEPER, IJSSELLAND)):
        keeper = User.objects.get(username=keeper_name)
        region = keeper.memberships.get().organisation.region
        organisations = {o.name: o for o in Organisation.objects.filter(region=region)}
        names = _names()
        made += [_make(item, keeper, organisations, names) for item in items]
    return made
