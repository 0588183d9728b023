"""The case table's figures (statistics.py and its page): meetings with known dates give
exactly the expected counts, medians and ranges; each region sees only its own figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.cases.services import CaseInput, PersonInput, case_open
from inbeeld.casetable.models import AgendaItem, Decision, Meeting, Outcome
from inbeeld.casetable.services import (
    ActionInput,
    DecisionInput,
    MeetingInput,
    action_add,
    decision_record,
    meeting_plan,
)
from inbeeld.casetable.statistics import Spread, table_statistics
from inbeeld.casetable.tests.helpers import Table, on_the_table, table
from inbeeld.regions.models import Municipality
from inbeeld.signals.models import Signal
from inbeeld.signals.services import SignalInput, signal_create_partner
from inbeeld.tasks.models import Task
from inbeeld.testing.clients import verified_client
from inbeeld.testing.world import MUNICIPALITY_CODES, World

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = TODAY - timedelta(days=60)  # the first meeting


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def received(world: World, on: date, letter: str = "A") -> Signal:
    signal, _new = signal_create_partner(
        data=SignalInput(
            municipality=Municipality.objects.get(code=MUNICIPALITY_CODES[letter]),
            description="Testsignaal.",
        ),
        by=world.reporter(letter),
        organisation=world.partner(letter),
    )
    Signal.objects.filter(pk=signal.pk).update(created_at=at(on, 9))
    return on_the_table(signal)


def meeting_on(setup: Table, on: date) -> Meeting:
    return meeting_plan(
        by=setup.chair,
        region=setup.meeting.region,
        data=MeetingInput(
            date=on,
            chair=setup.chair,
            secretary=setup.chair,
            organisations=[setup.shelter, setup.inspectorate],
        ),
    )


def item(meeting: Meeting, follows: AgendaItem | None = None, **subject: Any) -> AgendaItem:
    position = meeting.items.count() + 1
    return AgendaItem.objects.create(
        meeting=meeting,
        position=position,
        follow_up_of=follows,
        added_by=meeting.chair,
        **subject,
    )


def decide(setup: Table, on: AgendaItem, day: date, lead: Any = None) -> Decision:
    data = (
        DecisionInput(outcome=Outcome.LEAD_PARTNER, lead=lead, shared="Adres")
        if lead is not None
        else DecisionInput(outcome=Outcome.NO_FURTHER_ACTION, reason="Geen signalen")
    )
    decision = decision_record(by=setup.chair, item=on, data=data)
    Decision.objects.filter(pk=decision.pk).update(decided_at=at(day, 11))
    return decision


def act(setup: Table, on: AgendaItem, day: date, hour: int = 15) -> Task:
    task = action_add(
        by=setup.chair,
        item=on,
        data=ActionInput(
            title="Bellen", owner_organisation=setup.shelter, due=day + timedelta(days=30)
        ),
    )
    Task.objects.filter(pk=task.pk).update(created_at=at(day, hour))
    return task


@dataclass
class History:
    setup: Table
    first: Meeting
    second: Meeting


def history(world: World) -> History:
    """Region A: two meetings held (DAY and DAY + 14) and one planned (next week).

    signal 1, received DAY - 10: first meeting (10 days), lead shelter, actions DAY + 2 and
      DAY + 5 (first: 2 days); back as a follow-up at the second meeting.
    signal 2, received DAY - 3: first meeting (3 days), no further action, an action DAY + 1.
    signal 3, received DAY + 4: second meeting (10 days), lead inspectorate, an action that
      day, recorded just before the decision (0 days).
    a case at the second meeting: lead shelter, no action yet.
    """
    setup = table(world, on=TODAY + timedelta(days=7))  # the planned meeting
    first, second = meeting_on(setup, DAY), meeting_on(setup, DAY + timedelta(days=14))
    one = received(world, DAY - timedelta(days=10))
    two = received(world, DAY - timedelta(days=3))
    three = received(world, DAY + timedelta(days=4))
    one_first, two_first = item(first, signal=one), item(first, signal=two)
    decide(setup, one_first, DAY, lead=setup.shelter)
    act(setup, one_first, DAY + timedelta(days=5))
    act(setup, one_first, DAY + timedelta(days=2))
    decide(setup, two_first, DAY)
    act(setup, two_first, DAY + timedelta(days=1))
    three_second = item(second, signal=three)
    decide(setup, three_second, DAY + timedelta(days=14), lead=setup.inspectorate)
    # Agreed at the table just before the decision was typed in: the same day, 0 days.
    act(setup, three_second, DAY + timedelta(days=14), hour=8)
    item(second, follows=one_first, signal=one)
    case = case_open(
        by=setup.chair, region=setup.meeting.region, data=CaseInput(person=PersonInput(name="X"))
    )
    decide(setup, item(second, case=case), DAY + timedelta(days=14), lead=setup.shelter)
    item(setup.meeting, signal=received(world, TODAY))  # the planned meeting's agenda
    return History(setup, first, second)


def test_the_figures_of_all_meetings_held(world: World) -> None:
    past = history(world)
    with CaptureQueriesContext(connection) as queries:
        figures = table_statistics(region=past.setup.meeting.region)
    assert len(queries) <= 6, "a few aggregate queries, not one per meeting or item"
    rows = [
        (row.date, row.items, row.signals, row.cases, row.follow_ups, row.decisions)
        for row in figures.meetings
    ]
    assert rows == [
        (DAY + timedelta(days=14), 3, 1, 1, 1, 2),
        (DAY, 2, 2, 0, 0, 2),
    ]
    assert figures.totals == {
        "items": 5,
        "signals": 3,
        "cases": 1,
        "follow_ups": 1,
        "decisions": 4,
    }
    assert figures.signal_to_table == Spread(count=3, median=10.0, shortest=3, longest=10)
    assert figures.decision_to_action == Spread(count=3, median=1.0, shortest=0, longest=2)
    assert figures.lead_without_action == 1
    assert [(row.type, row.decisions) for row in figures.lead_partners] == [
        (OrganisationType.SHELTER, 2),
        (OrganisationType.LABOUR_INSPECTORATE, 1),
    ]


def test_a_period_counts_only_its_meetings_and_the_signals_first_tabled_in_it(
    world: World,
) -> None:
    past = history(world)
    figures = table_statistics(
        region=past.setup.meeting.region, start=DAY + timedelta(days=1), end=TODAY
    )
    assert [row.meeting_id for row in figures.meetings] == [past.second.pk]
    # Signal 1 was first on the table before the period: only signal 3 counts.
    assert figures.signal_to_table == Spread(count=1, median=10.0, shortest=10, longest=10)
    assert figures.decision_to_action == Spread(count=1, median=0.0, shortest=0, longest=0)
    assert [(row.type, row.decisions) for row in figures.lead_partners] == [
        (OrganisationType.LABOUR_INSPECTORATE, 1),
        (OrganisationType.SHELTER, 1),
    ]


def test_an_even_number_of_durations_has_the_middle_two_as_median(world: World) -> None:
    past = history(world)
    figures = table_statistics(region=past.setup.meeting.region, end=DAY)
    assert figures.signal_to_table == Spread(count=2, median=6.5, shortest=3, longest=10)
    assert figures.decision_to_action.median == 1.5


def test_a_meeting_entered_afterwards_never_gives_a_negative_time(world: World) -> None:
    setup = table(world)
    later = received(world, TODAY - timedelta(days=3))
    earlier_meeting = meeting_on(setup, TODAY - timedelta(days=20))
    item(earlier_meeting, signal=later)
    figures = table_statistics(region=setup.meeting.region, end=TODAY)
    assert figures.signal_to_table.shortest == 0


def _page(user: Any, query: str = "") -> str:
    response = verified_client(user).get(reverse("casetable:statistics") + query)
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_ketenregisseur_sees_the_figures_of_their_own_region_only(world: World) -> None:
    history(world)
    other = table(world, "B", on=TODAY - timedelta(days=3))
    item(other.meeting, signal=on_the_table(world.signal("B")))
    own = _page(world.user(Role.KETENREGISSEUR, "A"))
    assert "Zeeland" in own
    assert "2 overleggen" in own
    their = _page(world.user(Role.KETENREGISSEUR, "B"))
    assert "IJsselland" in their and "Zeeland" not in their
    assert "1 overleg" in their
    # Asking for the other region's figures gives none of them, with the field named.
    refused = _page(world.user(Role.KETENREGISSEUR, "B"), "?region=VR19")
    assert 'data-testid="error-summary"' in refused
    assert 'data-testid="meeting-figures"' not in refused


def test_a_bad_date_is_refused_naming_the_field(world: World) -> None:
    page = _page(world.user(Role.KETENREGISSEUR, "A"), "?start=31-02-2026&end=")
    assert 'data-testid="error-summary"' in page
    assert "Vanaf: " in page
    backwards = _page(world.user(Role.ZORGCOORDINATOR, "A"), "?start=2026-03-01&end=2026-02-01")
    assert "Tot en met: " in backwards


@pytest.mark.parametrize("role", [Role.KETENPARTNER, Role.AANDACHTSFUNCTIONARIS, Role.FG])
def test_other_roles_get_404(world: World, role: str) -> None:
    response = verified_client(world.user(role, "A")).get(reverse("casetable:statistics"))
    assert response.status_code == 404


def test_the_home_block_links_to_the_figures(world: World) -> None:
    history(world)
    page = verified_client(world.user(Role.KETENREGISSEUR, "A")).get(reverse("web:home"))
    text = page.content.decode()
    assert 'data-testid="case-table-figures"' in text
    assert "2 overleggen gehouden" in text  # both lie within the last 90 days
    assert reverse("casetable:statistics") in text
