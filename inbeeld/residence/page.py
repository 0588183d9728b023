"""What the residence section and the record page show: the current state, its deadlines,
the reminders, the history. Computed from the records and deadlines.py; read-only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from inbeeld.cases.models import Case
from inbeeld.residence import deadlines
from inbeeld.residence.models import ResidenceState, ResidenceStatus
from inbeeld.residence.services import DEADLINE_TASK, next_states, residence_states_of
from inbeeld.tasks.models import Task, TaskStatus
from inbeeld.tasks.services import tasks_for_subject


@dataclass(frozen=True)
class Dates:
    reflection_end: date | None = None
    permit_expiry: date | None = None
    renewal_due: date | None = None
    # Days from today to the deadline that reminders are about (negative when passed).
    days_left: int | None = None


def dates_of(state: ResidenceState | None, today: date) -> Dates:
    if state is None:
        return Dates()
    if state.status == ResidenceStatus.REFLECTION:
        end = deadlines.reflection_end(state.start)
        return Dates(reflection_end=end, days_left=(end - today).days)
    if state.status == ResidenceStatus.PERMIT:
        due = deadlines.renewal_due(state.start)
        return Dates(
            permit_expiry=deadlines.permit_expiry(state.start),
            renewal_due=due,
            days_left=(due - today).days,
        )
    return Dates()


def years_on_permit(states: list[ResidenceState], today: date) -> float:
    """Years since the first B8/3 permit of the track (0 without one): after more than three,
    continued residence on humanitarian grounds is possible (the IND decides)."""
    first = next((s for s in states if s.status == ResidenceStatus.PERMIT), None)
    return 0.0 if first is None else (today - first.start).days / 365.25


def reminders_of(current: ResidenceState | None) -> list[Task]:
    if current is None:
        return []
    return list(tasks_for_subject(current).filter(source=DEADLINE_TASK, status=TaskStatus.OPEN))


def track_context(case: Case, editable: bool) -> dict[str, Any]:
    states = residence_states_of(case)
    current = max(states, key=lambda s: (s.start, s.pk)) if states else None
    today = timezone.localdate()
    return {
        "case": case,
        "states": list(reversed(states)),  # newest first
        "current": current,
        "dates": dates_of(current, today),
        "reminders": reminders_of(current),
        "three_years": years_on_permit(states, today) > 3,
        "may_record": editable and case.is_open and bool(next_states(current)),
        "renewal_weeks": deadlines.RENEWAL_BEFORE_EXPIRY.days // 7,
    }
