"""The demo's case table in Zeeland, made through the services: every story is invented.

Two meetings in the past and one to come. At the first, three signals marked for the table
are discussed: the labour inspectorate takes one on as lead partner with the police in
support (one of its actions done, the police's still open and overdue); one gets no further
action; one goes back to the reporter. At the second, a case is put on the table and Veilig
Thuis takes it on; the overdue action comes back as a follow-up. The meeting to come has the
open actions on its agenda. Called by ``inbeeld demo`` (accounts/demo.py) in its transaction.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from inbeeld.accounts.models import Organisation, User
from inbeeld.cases.models import Case, CaseStatus
from inbeeld.casetable.models import Meeting, Outcome
from inbeeld.casetable.services import (
    ActionInput,
    DecisionInput,
    MeetingInput,
    action_add,
    agenda_build,
    attendance_record,
    decision_record,
    guest_add,
    item_add_case,
    item_notes_save,
    meeting_plan,
    minutes_send,
)
from inbeeld.regions.models import Municipality, Region
from inbeeld.signals.demo import DEMO_PERSON
from inbeeld.signals.identifiers import name_index
from inbeeld.signals.models import Signal, Status
from inbeeld.signals.services import SignalInput, signal_create_partner, signal_status_change
from inbeeld.tasks.services import task_complete

MARK = "DEMO, verzonnen: "
INVITED = (
    "Politie Zeeland-West-Brabant",
    "Nederlandse Arbeidsinspectie",
    "Veilig Thuis Zeeland",
    "Gemeente Goes",
    "Gemeente Vlissingen",
)


def _organisation(region: Region, name: str) -> Organisation:
    return Organisation.objects.get(region=region, name=name)


def _meeting(chair: User, region: Region, day: date) -> Meeting:
    return meeting_plan(
        by=chair,
        region=region,
        data=MeetingInput(
            date=day,
            chair=chair,
            secretary=chair,
            organisations=[_organisation(region, name) for name in INVITED],
        ),
    )


def _signals_for_the_table(region: Region) -> None:
    """Two more invented signals from partners, for the table to discuss."""
    stories = (
        ("veiligthuis.zeeland", "Veilig Thuis Zeeland", "GM0718", ["labour"], "24-49"),
        ("aandachtsfunctionaris.goes", "Gemeente Goes", "GM0664", ["sexual"], "18-23"),
    )
    for username, organisation_name, code, forms, band in stories:
        signal_create_partner(
            data=SignalInput(
                municipality=Municipality.objects.get(code=code),
                description=MARK + "zorgen over werk- en woonsituatie, melder wil overleg.",
                exploitation_forms=forms,
                victim_age_band=band,
                victim_gender="female",
            ),
            by=User.objects.get(username=username),
            organisation=_organisation(region, organisation_name),
        )


def _mark_for_the_table(chair: User, region: Region) -> None:
    # Not the FG's demo data subject: the demo of erasure needs her signals off the table.
    candidates = (
        Signal.objects.filter(
            region=region, restricted=False, status__in=[Status.NEW, Status.IN_PROGRESS]
        )
        .exclude(victim_name_index=name_index(DEMO_PERSON))
        .order_by("created_at")[:3]
    )
    for number, signal in enumerate(candidates):
        # Received weeks before the first demo meeting (42 days ago), as in a real region:
        # the case table's figures count the days from receipt to the table.
        received = timezone.now() - timedelta(days=49 + 5 * number)
        Signal.objects.filter(pk=signal.pk).update(created_at=received)
        signal.refresh_from_db()
        signal_status_change(
            by=chair, signal=signal, status=Status.CASE_TABLE, version=signal.version
        )


def _first_meeting(chair: User, region: Region, today: date) -> None:
    meeting = _meeting(chair, region, today - timedelta(days=42))
    agenda_build(by=chair, meeting=meeting)
    people = list(User.objects.filter(username__in=["politie.zeeland", "arbeidsinspectie.zeeland"]))
    attendance_record(by=chair, meeting=meeting, users=[chair, *people])
    guest_add(
        by=chair, meeting=meeting, name="Tolk (demo)", affiliation="Tolkendienst", accepted=True
    )
    items = list(meeting.items.all())
    inspectorate = _organisation(region, "Nederlandse Arbeidsinspectie")
    police = _organisation(region, "Politie Zeeland-West-Brabant")
    if items:
        item_notes_save(by=chair, item=items[0], notes=MARK + "werkgever bekend, loon ingehouden.")
        decision_record(
            by=chair,
            item=items[0],
            data=DecisionInput(
                outcome=Outcome.LEAD_PARTNER,
                lead=inspectorate,
                supporting=[police],
                shared=MARK + "adres van de werkplek en de contactpersoon van de melder.",
            ),
        )
        done = action_add(
            by=chair,
            item=items[0],
            data=ActionInput(
                title="Controle op de werkplek plannen",
                owner_organisation=inspectorate,
                due=today - timedelta(days=28),
            ),
        )
        task_complete(task=done, by=chair)
        action_add(
            by=chair,
            item=items[0],
            data=ActionInput(
                title="Informatie afstemmen met de recherche",
                owner_organisation=police,
                owner=User.objects.filter(username="politie.zeeland").first(),
                due=today - timedelta(days=10),  # overdue: comes back on the next agendas
            ),
        )
    if len(items) > 1:
        decision_record(
            by=chair,
            item=items[1],
            data=DecisionInput(
                outcome=Outcome.NO_FURTHER_ACTION,
                reason=MARK + "geen aanwijzingen voor uitbuiting na navraag.",
            ),
        )
    if len(items) > 2:
        decision_record(
            by=chair,
            item=items[2],
            data=DecisionInput(
                outcome=Outcome.BACK_TO_REPORTER,
                reason=MARK + "melder vraagt eerst toestemming van de betrokkene.",
            ),
        )
    minutes_send(by=chair, meeting=meeting)


def _second_meeting(chair: User, region: Region, today: date) -> None:
    meeting = _meeting(chair, region, today - timedelta(days=14))
    agenda_build(by=chair, meeting=meeting)  # the overdue action's item, as a follow-up
    case = Case.objects.filter(region=region, status=CaseStatus.OPEN, restricted=False).first()
    if case is None:
        return
    item = item_add_case(by=chair, meeting=meeting, case=case)
    veilig_thuis = _organisation(region, "Veilig Thuis Zeeland")
    decision_record(
        by=chair,
        item=item,
        data=DecisionInput(
            outcome=Outcome.LEAD_PARTNER,
            lead=veilig_thuis,
            shared=MARK + "gezinssituatie en de afspraak met de school.",
        ),
    )
    action_add(
        by=chair,
        item=item,
        data=ActionInput(
            title="Huisbezoek afleggen",
            owner_organisation=veilig_thuis,
            due=today + timedelta(days=7),
        ),
    )
    minutes_send(by=chair, meeting=meeting)


def demo_casetable_create() -> Meeting | None:
    """The demo's three meetings in Zeeland; the one to come is returned."""
    chair = User.objects.get(username="zorgcoordinator.zeeland")
    region = Region.objects.get(code="VR19")
    today = timezone.localdate()
    _signals_for_the_table(region)
    _mark_for_the_table(chair, region)
    _first_meeting(chair, region, today)
    _second_meeting(chair, region, today)
    upcoming = _meeting(chair, region, today + timedelta(days=14))
    agenda_build(by=chair, meeting=upcoming)
    return upcoming
