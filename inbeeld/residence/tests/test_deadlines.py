"""The residence deadlines, framework-free: month arithmetic at month ends and in leap years,
the permit's year, the renewal, and the reminders four and two weeks ahead."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inbeeld.lib.months import add_months
from inbeeld.residence import deadlines
from inbeeld.residence.deadlines import (
    alert_dates,
    alerts_due,
    permit_expiry,
    reflection_end,
    renewal_due,
)

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 11, 30), date(2026, 2, 28)),  # February of a common year
        (date(2023, 11, 30), date(2024, 2, 29)),  # February of a leap year
        (date(2023, 11, 29), date(2024, 2, 29)),
        (date(2025, 11, 29), date(2026, 2, 28)),
        (date(2025, 8, 31), date(2025, 11, 30)),  # a 30-day month
        (date(2025, 10, 31), date(2026, 1, 31)),  # across the year
        (date(2025, 12, 31), date(2026, 3, 31)),
        (date(2025, 1, 15), date(2025, 4, 15)),
        (date(2099, 11, 30), date(2100, 2, 28)),  # 2100 is no leap year
        (date(1999, 11, 30), date(2000, 2, 29)),  # 2000 is one
    ],
)
def test_the_reflection_period_ends_three_calendar_months_on(start: date, end: date) -> None:
    assert reflection_end(start) == end


@pytest.mark.parametrize(
    ("start", "expiry"),
    [
        (date(2024, 2, 29), date(2025, 2, 28)),  # a leap day: 28 February next year
        (date(2024, 2, 28), date(2025, 2, 28)),
        (date(2023, 3, 1), date(2024, 3, 1)),
        (date(2025, 12, 31), date(2026, 12, 31)),
    ],
)
def test_the_permit_expires_a_year_on_and_a_leap_day_start_on_28_february(
    start: date, expiry: date
) -> None:
    assert permit_expiry(start) == expiry


def test_the_renewal_is_due_four_weeks_before_the_permit_expires() -> None:
    assert renewal_due(date(2024, 2, 29)) == date(2025, 2, 28) - timedelta(weeks=4)
    assert renewal_due(date(2026, 1, 10)) == date(2026, 12, 13)


def test_subtracting_months_clamps_the_same_way() -> None:
    assert add_months(date(2024, 5, 31), -3) == date(2024, 2, 29)
    assert add_months(date(2025, 5, 31), -3) == date(2025, 2, 28)
    assert add_months(date(2025, 1, 31), -1) == date(2024, 12, 31)


@given(days)
def test_the_reflection_period_lasts_between_89_and_92_days(start: date) -> None:
    end = reflection_end(start)
    assert end > start
    assert 89 <= (end - start).days <= 92
    # The same day of the month, or the month's last day when that day does not exist.
    assert end.day == start.day or (end + timedelta(days=1)).day == 1


@given(days)
def test_the_permit_lasts_a_year_and_the_renewal_lies_before_its_expiry(start: date) -> None:
    expiry = permit_expiry(start)
    assert 365 <= (expiry - start).days <= 366
    assert start < renewal_due(start) < expiry
    assert (expiry - renewal_due(start)) == deadlines.RENEWAL_BEFORE_EXPIRY


@given(days, st.integers(min_value=-1200, max_value=1200))
def test_adding_months_keeps_the_day_or_takes_the_months_last(day: date, months: int) -> None:
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == day.day or (moved.day < day.day and (moved + timedelta(days=1)).day == 1)


@given(days)
def test_reminders_come_four_and_two_weeks_before_the_deadline(deadline: date) -> None:
    dates = alert_dates(deadline)
    assert [weeks for weeks, _day in dates] == [4, 2]
    assert all(day < deadline for _weeks, day in dates)
    assert [deadline - day for _weeks, day in dates] == [timedelta(weeks=4), timedelta(weeks=2)]


@given(days, st.integers(min_value=-30, max_value=200), st.sampled_from(["reflection", "permit"]))
def test_reminders_are_never_due_before_today_nor_after_the_deadline(
    start: date, offset: int, state: str
) -> None:
    today = start + timedelta(days=offset)
    alerts = alerts_due(state, start, today)
    assert len(alerts) <= 2
    for alert in alerts:
        assert today <= alert.due <= alert.deadline.last_day
        assert alert.weeks is None or alert.due < alert.deadline.day
    assert len({alert.due for alert in alerts}) == len(alerts)  # never two on one day


def test_recorded_on_its_first_day_a_reflection_period_gets_both_reminders() -> None:
    start = date(2026, 1, 5)
    alerts = alerts_due("reflection", start, start)
    assert [(a.weeks, a.due) for a in alerts] == [(4, date(2026, 3, 8)), (2, date(2026, 3, 22))]
    assert alerts[0].deadline.day == date(2026, 4, 5)


def test_recorded_late_the_passed_reminders_become_one_due_today() -> None:
    start = date(2026, 1, 5)  # ends 5 April; reminders 8 and 22 March
    alerts = alerts_due("reflection", start, date(2026, 3, 15))
    assert [(a.weeks, a.due) for a in alerts] == [(None, date(2026, 3, 15)), (2, date(2026, 3, 22))]
    alerts = alerts_due("reflection", start, date(2026, 3, 30))
    assert [(a.weeks, a.due) for a in alerts] == [(None, date(2026, 3, 30))]
    assert alerts_due("reflection", start, date(2026, 4, 6)) == []  # the deadline has passed


def test_a_missed_renewal_is_reminded_while_the_permit_runs() -> None:
    start = date(2025, 3, 10)  # expires 10 March 2026; renewal due 10 February 2026
    alerts = alerts_due("permit", start, date(2026, 2, 20))
    assert [(a.weeks, a.due, a.deadline.day) for a in alerts] == [
        (None, date(2026, 2, 20), date(2026, 2, 10))
    ]
    assert alerts_due("permit", start, date(2026, 3, 11)) == []


def test_states_without_a_deadline_get_no_reminders() -> None:
    for state in ("no_issue", "applied", "ended", "humanitarian", "dublin", "eu_eea"):
        assert alerts_due(state, date(2026, 1, 5), date(2026, 1, 5)) == []
