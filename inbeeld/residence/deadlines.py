"""The residence track's dates, computed: no Django, no database (an import-linter contract).

InBeeld reminds; the IND decides. These functions say when a reflection period (bedenktijd)
ends, when a B8/3 temporary permit expires and when its renewal is due, and on which days
the case owner is reminded. Every date is a calendar date (a ``datetime.date``).

Month arithmetic is the one rule of inbeeld/lib/months.py (add_months): ``n`` months after a
day is the same day of the month ``n`` months later; when that month is shorter, its last
day (29 February + 1 year is 28 February). The law says "up to three months" (art. 8 Vw
2000) and "one year" without this detail; this is the usual civil reading.

Decision (the spec is silent on a filing term for the extension): the renewal of a B8/3
permit is due ``RENEWAL_BEFORE_EXPIRY`` (four weeks) before the permit expires, so that the
application is with the IND well before the permit ends. A region that agrees otherwise
changes that one number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from inbeeld.lib.months import add_months

REFLECTION_MONTHS = 3
PERMIT_MONTHS = 12
RENEWAL_BEFORE_EXPIRY = timedelta(weeks=4)
# The reminders before each deadline: four and two weeks ahead.
ALERT_WEEKS: tuple[int, ...] = (4, 2)

# The states that have a deadline (models.ResidenceStatus values).
REFLECTION = "reflection"
PERMIT = "permit"


def reflection_end(start: date) -> date:
    """The last day of a reflection period that started on ``start``: three months on."""
    return add_months(start, REFLECTION_MONTHS)


def permit_expiry(start: date) -> date:
    """The day a B8/3 permit valid from ``start`` expires: one year on (29 February → 28
    February of the next year)."""
    return add_months(start, PERMIT_MONTHS)


def renewal_due(start: date) -> date:
    """The day the renewal of a permit valid from ``start`` must be filed by."""
    return permit_expiry(start) - RENEWAL_BEFORE_EXPIRY


@dataclass(frozen=True)
class Deadline:
    kind: str  # "reflection_end" | "renewal_due"
    day: date
    # Until when a reminder still helps: the reflection period's end; for a renewal, the
    # permit's expiry (a renewal filed late is still worth a reminder while the permit runs).
    last_day: date


@dataclass(frozen=True)
class Alert:
    # How many weeks ahead of the deadline it comes; None for the one reminder that stands
    # for those whose day had passed when the state was recorded (due that day).
    weeks: int | None
    due: date  # the day the reminder is due (the task's due date)
    deadline: Deadline


def deadline_of(state: str, start: date) -> Deadline | None:
    """The deadline a state started on ``start`` sets, or None when it sets none (waiting
    for the IND, Dublin, EU/EEA, ended, humanitarian residence: no term in the spec)."""
    if state == REFLECTION:
        end = reflection_end(start)
        return Deadline("reflection_end", end, end)
    if state == PERMIT:
        return Deadline("renewal_due", renewal_due(start), permit_expiry(start))
    return None


def alert_dates(deadline: date) -> list[tuple[int, date]]:
    """(weeks, day) of each reminder: four and two weeks before ``deadline``."""
    return [(weeks, deadline - timedelta(weeks=weeks)) for weeks in ALERT_WEEKS]


def alerts_due(state: str, start: date, today: date) -> list[Alert]:
    """The reminders a state recorded ``today`` still needs, each with its due date.

    A reminder whose day is today or later is due on that day. Reminders whose day has
    already passed (the state was recorded late) are folded into one reminder due today
    (``weeks`` None), unless another reminder is due today anyway. None at all once the
    deadline's ``last_day`` has passed (nothing left to remind of): a renewal due date that
    passed while the permit still runs still gets its one reminder, due today.
    """
    deadline = deadline_of(state, start)
    if deadline is None or deadline.last_day < today:
        return []
    planned = alert_dates(deadline.day)
    alerts = [Alert(weeks, day, deadline) for weeks, day in planned if day >= today]
    passed = any(day < today for _weeks, day in planned)
    if passed and not any(alert.due == today for alert in alerts):
        alerts.append(Alert(None, today, deadline))
    return sorted(alerts, key=lambda alert: alert.due)
