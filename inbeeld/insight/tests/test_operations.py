"""Operational figures (/inzicht/werk/): durations from signal to triage, table and case with
their median and 90th percentile against hand-computed values, suppressed like the
dashboards; open and overdue tasks; referral acceptance; caseload of the region's
coordinators only; the page only for the zorgcoördinator and the ketenregisseur."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.cases.models import Case
from inbeeld.cases.services import case_open_from_signals
from inbeeld.casetable.models import AgendaItem, Meeting
from inbeeld.insight.operations import duration, operational_figures, percentile_90
from inbeeld.referrals.services import referral_accept, referral_reject
from inbeeld.referrals.tests.helpers import shelter_staff, world_referral
from inbeeld.signals.models import Signal, Status
from inbeeld.signals.services import signal_status_change
from inbeeld.signals.tests.test_queue import reported
from inbeeld.tasks.services import task_create
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import region
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db

YEAR = 2025
ZONE = timezone.get_current_timezone()


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZONE)


def received(signal: Signal, moment: datetime, triaged_days: float | None = None) -> Signal:
    triaged = moment + timedelta(days=triaged_days) if triaged_days is not None else None
    Signal.objects.filter(pk=signal.pk).update(created_at=moment, triaged_at=triaged)
    signal.refresh_from_db()
    return signal


def test_the_median_and_90th_percentile_are_the_hand_computed_ones() -> None:
    # 1, 2, 3, 4, 10 days: median 3; the 90th percentile lies at rank 0.9 x 4 = 3.6, so
    # between 4 and 10: 4 + 0.6 x 6 = 7.6 (the inclusive method, as numpy and spreadsheets)
    assert percentile_90([1, 2, 3, 4, 10]) == pytest.approx(7.6)
    measured = duration("x", "x", [10, 3, 1, 4, 2])
    assert (measured.count, measured.median) == (5, 3)
    assert measured.p90 == pytest.approx(7.6)


@override_settings(SMALL_CELL_THRESHOLD=5)
def test_fewer_measurements_than_the_threshold_show_nothing() -> None:
    assert duration("x", "x", [1, 2, 3, 4]) == duration("x", "x", [9, 9, 9, 9])
    assert duration("x", "x", [1, 2, 3, 4]).median is None
    assert duration("x", "x", []).count == 0


@override_settings(SMALL_CELL_THRESHOLD=1)
def test_time_to_triage_counts_the_years_signals_as_the_dashboard_does(world: World) -> None:
    for days in (0.5, 1, 2, 4):
        received(reported(world), at(date(YEAR, 3, 1)), days)
    received(reported(world), at(date(YEAR - 1, 12, 31)), 30)  # received the year before
    received(reported(world), at(date(YEAR, 3, 1)))  # not triaged yet
    merged = received(reported(world), at(date(YEAR, 3, 1)), 100)
    Signal.objects.filter(pk=merged.pk).update(merged_into=world.signal())
    hidden = received(reported(world), at(date(YEAR, 3, 1)), 100)
    Signal.objects.filter(pk=hidden.pk).update(restricted=True)
    received(reported(world, "B"), at(date(YEAR, 3, 1)), 100)  # another region
    triage = operational_figures(region("VR19"), year=YEAR).durations[0]
    assert (triage.key, triage.count, triage.median) == ("triage", 4, 1.5)


def test_the_first_triage_step_is_recorded_once(world: World) -> None:
    signal = world.signal()
    assert signal.triaged_at is None
    coordinator = world.user(Role.ZORGCOORDINATOR)
    signal = signal_status_change(
        by=coordinator, signal=signal, status=Status.IN_PROGRESS, version=signal.version
    )
    first = signal.triaged_at
    assert first is not None
    signal = signal_status_change(
        by=coordinator, signal=signal, status=Status.NEW, version=signal.version
    )
    signal = signal_status_change(
        by=coordinator, signal=signal, status=Status.CASE_TABLE, version=signal.version
    )
    assert signal.triaged_at == first


@override_settings(SMALL_CELL_THRESHOLD=1)
def test_time_to_the_table_and_to_a_case(world: World) -> None:
    place = region("VR19")
    coordinator = world.user(Role.ZORGCOORDINATOR)
    signal = received(reported(world), at(date(YEAR, 5, 1)))
    people = {"chair": coordinator, "secretary": coordinator, "created_by": coordinator}
    for day in (date(YEAR, 5, 11), date(YEAR, 6, 11)):  # the first meeting counts
        meeting = Meeting.objects.create(region=place, date=day, **people)
        AgendaItem.objects.create(meeting=meeting, signal=signal, added_by=coordinator)
    case = case_open_from_signals(by=coordinator, signals=[signal])
    Case.objects.filter(pk=case.pk).update(created_at=at(date(YEAR, 5, 21)))
    figures = operational_figures(place, year=YEAR)
    table, to_case = figures.durations[1], figures.durations[2]
    assert (table.count, table.median) == (1, 10)
    assert (to_case.count, to_case.median) == (1, 20)


@override_settings(SMALL_CELL_THRESHOLD=1)
def test_open_and_overdue_tasks_and_referral_acceptance(world: World) -> None:
    today = timezone.localdate()
    coordinator = world.user(Role.ZORGCOORDINATOR)
    signal = world.signal()
    for days in (-3, -1, 0, 4):
        task_create(
            subject=signal,
            source="signal.follow_up",
            title="Terugbellen",
            due=today + timedelta(days=days),
            owner=coordinator,
            by=coordinator,
        )
    tasks = operational_figures(region("VR19"), today=today)
    assert (tasks.open_tasks, tasks.overdue_tasks) == (4, 2)
    staff = shelter_staff()
    accepted = world_referral(world)
    referral_accept(by=staff, referral=accepted)
    other_case = case_open_from_signals(by=coordinator, signals=[reported(world)])
    rejected = world_referral(world, case=other_case)
    referral_reject(by=staff, referral=rejected, reason="Geen plek.")
    world_referral(
        world, case=case_open_from_signals(by=coordinator, signals=[reported(world)])
    )  # not answered: not counted
    figures = operational_figures(region("VR19"), today=today)
    assert (figures.referrals_answered, figures.referrals_accepted) == (2, 1)
    assert figures.acceptance_percent == 50


@override_settings(SMALL_CELL_THRESHOLD=5)
def test_a_rate_over_few_answers_is_not_shown(world: World) -> None:
    referral_accept(by=shelter_staff(), referral=world_referral(world))
    figures = operational_figures(region("VR19"))
    assert figures.referrals_answered is None
    assert figures.acceptance_percent is None


def test_the_caseload_lists_the_regions_coordinators_and_programme_leads_only(
    world: World,
) -> None:
    coordinator = world.user(Role.ZORGCOORDINATOR)
    lead = world.user(Role.KETENREGISSEUR)
    world.user(Role.ZORGCOORDINATOR, "B")  # another region
    world.user(Role.BESTUURDER)  # not a coordinating role
    case_open_from_signals(by=coordinator, signals=[world.signal()])
    closed = case_open_from_signals(by=coordinator, signals=[reported(world)])
    Case.objects.filter(pk=closed.pk).update(status="closed")
    restricted = case_open_from_signals(by=coordinator, signals=[reported(world)])
    Case.objects.filter(pk=restricted.pk).update(restricted=True)
    load = {row.username: row.open_cases for row in operational_figures(region("VR19")).caseload}
    assert load == {coordinator.username: 1, lead.username: 0}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.ZORGCOORDINATOR, 200),
        (Role.KETENREGISSEUR, 200),
        (Role.BESTUURDER, 404),
        (Role.KETENPARTNER, 404),
    ],
)
def test_the_page_is_for_the_coordinator_and_the_programme_lead(
    world: World, role: str, status: int
) -> None:
    client = verified_client(world.user(role))
    response = client.get(reverse("insight:operations"), {"year": YEAR}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Werkcijfers" in page
        assert "Van signaal naar opvolging" in page


def test_another_regions_figures_are_not_found(world: World) -> None:
    client = verified_client(world.user(Role.ZORGCOORDINATOR))
    response = client.get(reverse("insight:operations"), {"region": "VR04"})
    assert response.status_code == 404
