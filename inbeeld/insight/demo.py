"""Several years of invented signals and cases, so that the dashboards are alive on first start.

Every record here is made up and carries no personal data: no name, no date of birth, no
contact, only the codes the figures count (municipality, forms, age band, gender,
nationality, the reporting organisation's type, outcome) and one placeholder description.

**Volumes.** Per region and year: the expected registered victims of the region (the
national CoMensha count of that year, or the latest published before it, × the region's
population share: insight/expected.py, the Almere method) are the cases opened;
``SIGNALS_PER_CASE`` times as many signals come in. Each year varies by up to 15% around
that, and the current year counts only the days so far. So the trend follows the published
national series (the fall after 2019), scaled to the region.

**What a real database would hold.** Retention deletes signals closed as "no human
trafficking" after 6 months and as "other problems" after 2 years, and closed cases after 5
years (signals/privacy.py, cases/privacy.py). The generator gives no record an outcome whose
retention period has already passed, so the next retention run deletes none of them and the
older years keep their volume (their outcomes are then, as in a real database, only the
kept ones).

**Speed.** ``bulk_create`` in a few statements per region (the records are counted, never
read one by one; there is nobody to audit a read for, and no service writes anything but
the row for them: no assignment, no share, no task). The start of ``./scripts/start`` on a
new data folder grows by about a second (docs/performance.md).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from inbeeld.accounts.models import Membership, Organisation, OrganisationType, Role
from inbeeld.cases.codes import Sector
from inbeeld.cases.models import (
    Case,
    CaseEvent,
    CasePerson,
    CaseSignal,
    CaseStatus,
    EventKind,
    TraffickingStatus,
)
from inbeeld.cases.privacy import CLOSED_CASE_DAYS
from inbeeld.insight.expected import expected_for
from inbeeld.lib.codes import readable_code
from inbeeld.regions.models import Municipality, Region
from inbeeld.signals.models import Outcome, Signal, Source, Status

DEMO_REGIONS = ("VR19", "VR04")  # Zeeland and IJsselland, as in accounts/demo.py
YEARS = 7  # this year and the six before it
SIGNALS_PER_CASE = 2.5  # an assumption for the demo: most signals do not become a case
DESCRIPTION = "DEMO, verzonnen: signaal voor de cijfers, geen echt persoon of verhaal."
NO_TRAFFICKING_DAYS, OTHER_PROBLEMS_DAYS = 183, 730  # signals/privacy.py's periods
MARGIN = timedelta(days=45)  # a generated record stays this far from its deletion

# (code, weight): invented proportions, roughly those of the published monitors.
FORMS = (("sexual", 45), ("labour", 35), ("criminal", 15), ("other", 5))
AGE_BANDS = (("minor", 15), ("18-23", 25), ("24-49", 40), ("50+", 5), ("", 15))
GENDERS = (("female", 55), ("male", 35), ("other", 1), ("", 9))
NATIONALITIES = (
    ("NL", 35),
    ("RO", 10),
    ("BG", 8),
    ("PL", 8),
    ("NG", 5),
    ("UA", 5),
    ("HU", 4),
    ("VN", 3),
    ("MA", 3),
    ("", 19),
)
SOURCES = (
    (OrganisationType.POLICE, 30),
    (OrganisationType.MUNICIPALITY, 20),
    (OrganisationType.CARE, 12),
    (OrganisationType.VEILIG_THUIS, 10),
    (OrganisationType.LABOUR_INSPECTORATE, 8),
    (OrganisationType.SHELTER, 5),
    (Source.PUBLIC, 15),
)
SECTORS = {
    "sexual": (Sector.PROSTITUTION,),
    "labour": (Sector.AGRICULTURE, Sector.CONSTRUCTION, Sector.CLEANING, Sector.HOSPITALITY),
    "criminal": (Sector.ILLICIT_ACTIVITIES, Sector.BEGGING),
    "other": (),
}
TRAFFICKING_STATUSES = (
    (TraffickingStatus.POSSIBLE, 20),
    (TraffickingStatus.PRESUMED, 45),
    (TraffickingStatus.ACTUAL, 20),
    (TraffickingStatus.NOT_VICTIM, 15),
)


def _pick(chance: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    codes = [code for code, _weight in weighted]
    return chance.choices(codes, weights=[weight for _code, weight in weighted])[0]


@dataclass(frozen=True)
class _Region:
    region: Region
    municipalities: list[Municipality]
    weights: list[int]  # population
    organisations: dict[str, list[Organisation]]  # by type
    reporters: dict[int, int]  # organisation id -> a member's user id
    coordinator_id: int
    coordination_id: int  # the zorgcoördinatie's organisation


def _region_of(code: str) -> _Region | None:
    region = Region.objects.get(code=code)
    coordinator = (
        Membership.objects.filter(role=Role.ZORGCOORDINATOR, organisation__region=region)
        .order_by("pk")
        .first()
    )
    if coordinator is None:
        return None
    municipalities = list(region.municipalities.order_by("code"))
    organisations: dict[str, list[Organisation]] = {}
    for organisation in Organisation.objects.filter(region=region).order_by("pk"):
        organisations.setdefault(organisation.type, []).append(organisation)
    reporters: dict[int, int] = {}
    for organisation_id, user_id in Membership.objects.filter(
        organisation__region=region
    ).values_list("organisation_id", "user_id"):
        reporters.setdefault(organisation_id, user_id)
    return _Region(
        region=region,
        municipalities=municipalities,
        weights=[m.population for m in municipalities],
        organisations=organisations,
        reporters=reporters,
        coordinator_id=coordinator.user_id,
        coordination_id=coordinator.organisation_id,
    )


def _moment(chance: random.Random, first: datetime, last: datetime) -> datetime:
    return first + timedelta(seconds=chance.uniform(0, (last - first).total_seconds()))


def _year_span(year: int, now: datetime) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    first = datetime.combine(date(year, 1, 1), time.min, tzinfo=zone)
    last = datetime.combine(date(year, 12, 31), time.max, tzinfo=zone)
    return first, min(last, now)


def _volume(chance: random.Random, place: _Region, year: int, now: datetime) -> int:
    """Cases of the year: the region's expected registered victims, ±15%, so far this year."""
    expected = expected_for(place.region, year=year).expected
    first, last = _year_span(year, now)
    part = (last - first) / (timedelta(days=365))
    return max(1, round(expected * chance.uniform(0.85, 1.15) * min(part, 1.0)))


def _forms(chance: random.Random) -> list[str]:
    forms = {_pick(chance, FORMS)}
    if chance.random() < 0.08:  # a few signals name two forms
        forms.add(_pick(chance, FORMS))
    return sorted(forms)


def _signal(chance: random.Random, place: _Region, received: datetime, now: datetime) -> Signal:
    source_type = _pick(chance, SOURCES)
    organisation = None
    if source_type != Source.PUBLIC:
        choices = place.organisations.get(source_type) or place.organisations.get(
            OrganisationType.CARE, []
        )
        organisation = chance.choice(choices) if choices else None
    # Every channel asks for the municipality (the forms and the API require it), so every
    # demo signal has one, as real ones do.
    municipality = chance.choices(place.municipalities, weights=place.weights)[0]
    signal = Signal(
        region=place.region,
        municipality=municipality,
        description=DESCRIPTION,
        exploitation_forms=_forms(chance),
        acute=chance.random() < 0.05,
        victim_age_band=_pick(chance, AGE_BANDS),
        victim_gender=_pick(chance, GENDERS),
        victim_nationality=_pick(chance, NATIONALITIES),
        source=Source.PARTNER if organisation else Source.PUBLIC,
        source_organisation=organisation,
        created_by_id=place.reporters.get(organisation.pk) if organisation else None,
        receipt_code=readable_code("MH"),
    )
    signal.created_at = received
    _triage(chance, signal, now)
    return signal


def _triage(chance: random.Random, signal: Signal, now: datetime) -> None:
    """Status, outcome and times: triaged within days, closed within weeks (older signals),
    never with an outcome whose retention period has passed (see the module's text)."""
    received = signal.created_at
    triaged = received + timedelta(hours=chance.lognormvariate(3.0, 1.0))
    if triaged > now:
        return  # still new
    signal.triaged_at = triaged
    closed = triaged + timedelta(days=chance.lognormvariate(3.0, 0.8))
    if closed > now:
        signal.status = chance.choice([Status.IN_PROGRESS, Status.CASE_TABLE])
        return
    age = now - closed
    kept = [Outcome.PRESUMED_VICTIM]
    if age < timedelta(days=OTHER_PROBLEMS_DAYS) - MARGIN:
        kept.append(Outcome.OTHER_PROBLEMS)
    if age < timedelta(days=NO_TRAFFICKING_DAYS) - MARGIN:
        kept.append(Outcome.NO_TRAFFICKING)
    signal.status, signal.outcome, signal.closed_at = Status.CLOSED, chance.choice(kept), closed


def _case(chance: random.Random, place: _Region, signal: Signal, now: datetime) -> Case:
    opened = min(now, signal.created_at + timedelta(days=chance.lognormvariate(2.5, 0.8)))
    status = _pick(chance, TRAFFICKING_STATUSES)
    sectors = SECTORS[signal.exploitation_forms[0]]
    case = Case(
        region=place.region,
        reference=readable_code("DS"),
        owner_organisation_id=place.coordination_id,
        owner_id=place.coordinator_id,
        municipality=signal.municipality,
        trafficking_status=status,
        exploitation_forms=signal.exploitation_forms,
        sectors=[chance.choice(sectors)] if sectors else [],
    )
    case.created_at = opened
    closed = opened + timedelta(days=chance.uniform(30, 365))
    if closed < now - timedelta(days=30):
        # Kept for five years after closing: a case closed earlier would have been deleted.
        case.status = chance.choice([CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED])
        case.closed_at = max(closed, now - timedelta(days=CLOSED_CASE_DAYS) + MARGIN)
    return case


def _events(chance: random.Random, case: Case, signal: Signal) -> list[CaseEvent]:
    events = []
    nationality = str(signal.victim_nationality or "")
    if nationality and nationality != "NL" and chance.random() < 0.6:
        events.append(CaseEvent(case=case, kind=EventKind.RECRUITMENT, country=nationality))
    elif chance.random() < 0.1:
        events.append(CaseEvent(case=case, kind=EventKind.EXPLOITATION, country="BE"))
    if case.municipality is not None:
        events.append(
            CaseEvent(case=case, kind=EventKind.EXPLOITATION, municipality=case.municipality)
        )
    return events


def demo_figures_region(code: str, *, now: datetime | None = None, seed: int = 16) -> int:
    """The region's invented history; returns how many signals were made (0: no coordinator
    in the region, so nothing is made)."""
    place = _region_of(code)
    if place is None:
        return 0
    now = now or timezone.now()
    chance = random.Random(f"{seed}-{code}")  # noqa: S311 - the same invented demo every time
    signals: list[Signal] = []
    becomes_case: list[bool] = []
    for year in range(now.year - YEARS + 1, now.year + 1):
        cases = _volume(chance, place, year, now)
        count = max(cases, round(cases * SIGNALS_PER_CASE * chance.uniform(0.9, 1.1)))
        first, last = _year_span(year, now)
        chosen = set(chance.sample(range(count), cases))
        for index in range(count):
            signals.append(_signal(chance, place, _moment(chance, first, last), now))
            becomes_case.append(index in chosen)
    return _save(chance, place, signals, becomes_case, now)


def _save(
    chance: random.Random,
    place: _Region,
    signals: list[Signal],
    becomes_case: list[bool],
    now: datetime,
) -> int:
    for signal, case_follows in zip(signals, becomes_case, strict=True):
        if case_follows and signal.status == Status.CLOSED:
            signal.outcome = Outcome.PRESUMED_VICTIM  # a case was opened: kept as such
    received = {id(signal): signal.created_at for signal in signals}
    Signal.objects.bulk_create(signals, batch_size=500)
    # auto_now_add set "now" on insert: put the invented moments back.
    for signal in signals:
        signal.created_at = received[id(signal)]
    Signal.objects.bulk_update(signals, ["created_at"], batch_size=500)
    sources = [s for s, follows in zip(signals, becomes_case, strict=True) if follows]
    cases = [_case(chance, place, signal, now) for signal in sources]
    opened = {id(case): case.created_at for case in cases}
    Case.objects.bulk_create(cases, batch_size=500)
    for case in cases:
        case.created_at = opened[id(case)]
    Case.objects.bulk_update(cases, ["created_at"], batch_size=500)
    CasePerson.objects.bulk_create(
        [
            CasePerson(
                case=case,
                gender=signal.victim_gender,
                age_band=signal.victim_age_band,
                nationalities=[str(signal.victim_nationality)] if signal.victim_nationality else [],
            )
            for case, signal in zip(cases, sources, strict=True)
        ],
        batch_size=500,
    )
    CaseSignal.objects.bulk_create(
        [
            CaseSignal(case=case, signal=signal, linked_by_id=place.coordinator_id)
            for case, signal in zip(cases, sources, strict=True)
        ],
        batch_size=500,
    )
    CaseEvent.objects.bulk_create(
        [
            event
            for case, signal in zip(cases, sources, strict=True)
            for event in _events(chance, case, signal)
        ],
        batch_size=500,
    )
    return len(signals)


def demo_figures_create() -> None:
    """Both demo regions' history; run once by ``inbeeld demo``, inside its transaction."""
    for code in DEMO_REGIONS:
        demo_figures_region(code)
