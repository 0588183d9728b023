"""Recording a residence state on a case, and its reminders as tasks.

One transaction per action; bad input raises ValidationError naming the field before
anything is written. A new state replaces the reminders of the previous one: their open
tasks are cancelled (each cancellation audited by tasks/), and the new state's reminders
(deadlines.py: four and two weeks ahead) become tasks of the case owner (organisation and
person), with titles that name no one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.models import User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.cases.models import Case
from inbeeld.residence import deadlines
from inbeeld.residence.models import (
    TRANSITIONS,
    EndReason,
    ResidenceState,
    ResidenceStatus,
)
from inbeeld.tasks.models import Task, TaskStatus
from inbeeld.tasks.services import task_cancel, task_create, tasks_for_subject
from inbeeld.web.templatetags.humanize_nl import short_date

# The task engine's kind for these reminders (tasks/models.py: SOURCE_LABELS).
DEADLINE_TASK = "permit.deadline"
NOTE_MAX = 2000


@dataclass(frozen=True)
class StateInput:
    status: str
    start: date | None
    end_reason: str = ""
    note: str = ""


def residence_states_of(case: Case) -> list[ResidenceState]:
    """The case's track, oldest first (the history); the last is the current state."""
    return list(
        ResidenceState.objects.filter(case=case)
        .select_related("recorded_by")
        .order_by("start", "pk")
    )


def residence_current(case: Case) -> ResidenceState | None:
    return ResidenceState.objects.filter(case=case).order_by("-start", "-pk").first()


def next_states(current: ResidenceState | None) -> list[str]:
    """The states that may follow ``current`` (the TRANSITIONS table), in the list's order."""
    allowed = TRANSITIONS[current.status if current else ""]
    return [value for value in ResidenceStatus.values if value in allowed]


def _label(status: str) -> str:
    return str(ResidenceStatus(status).label)


def _errors(case: Case, current: ResidenceState | None, data: StateInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not case.is_open:
        errors["case"] = [_("The case is closed: reopen it before recording a residence state.")]
    if data.status not in ResidenceStatus.values:
        errors["status"] = [_("Choose the residence state from the list.")]
    elif data.status not in TRANSITIONS[current.status if current else ""]:
        if current is None:
            errors["status"] = [
                _("A residence track cannot begin with “%(state)s”.")
                % {"state": _label(data.status)}
            ]
        else:
            errors["status"] = [
                _("“%(state)s” cannot follow the current state “%(current)s”.")
                % {"state": _label(data.status), "current": _label(current.status)}
            ]
    today = timezone.localdate()
    if data.start is None:
        errors["start"] = [_("Give the date this state began.")]
    elif data.start > today:
        errors["start"] = [_("This date lies in the future. Give a date up to today.")]
    elif current is not None and data.start < current.start:
        errors["start"] = [
            _("This date lies before the start of the current state (%(date)s).")
            % {"date": short_date(current.start)}
        ]
    if data.status == ResidenceStatus.ENDED:
        if data.end_reason not in EndReason.values:
            errors["end_reason"] = [_("Choose how it ended.")]
    elif data.end_reason:
        errors["end_reason"] = [_("Only an ended track has a reason for its end.")]
    if len(data.note.strip()) > NOTE_MAX:
        errors["note"] = [_("Write at most %(limit)d characters.") % {"limit": NOTE_MAX}]
    return errors


def alert_title(alert: deadlines.Alert) -> str:
    """A reminder's task title: the kind of deadline and when, never a name."""
    reflection = alert.deadline.kind == "reflection_end"
    if alert.weeks is not None:
        weeks = {"weeks": alert.weeks}
        if reflection:
            return _("Reflection period ends in %(weeks)d weeks") % weeks
        return _("B8/3 permit: renewal due in %(weeks)d weeks") % weeks
    day = {"date": short_date(alert.deadline.day)}
    if reflection:
        return _("Reflection period ends on %(date)s") % day
    return _("B8/3 permit: renewal due on %(date)s") % day


def _open_reminders(case: Case) -> list[Task]:
    tasks: list[Task] = []
    for state in ResidenceState.objects.filter(case=case):
        tasks.extend(tasks_for_subject(state).filter(source=DEADLINE_TASK, status=TaskStatus.OPEN))
    return tasks


def _reminders_create(*, by: User | None, case: Case, state: ResidenceState) -> int:
    alerts = deadlines.alerts_due(state.status, state.start, timezone.localdate())
    for alert in alerts:
        task_create(
            subject=state,
            source=DEADLINE_TASK,
            title=alert_title(alert),
            due=alert.due,
            owner=case.owner,
            owner_organisation=case.owner_organisation,
            by=by,
        )
    return len(alerts)


def residence_reminders_follow_case(case: Case, by: User | None = None) -> None:
    """A closed case's open reminders are cancelled; reopened, its current state gets the
    reminders it still needs (from that day on, deadlines.alerts_due)."""
    with transaction.atomic():
        if not case.is_open:
            for task in _open_reminders(case):
                task_cancel(task=task, by=by)
            return
        current = residence_current(case)
        if current is not None and not _open_reminders(case):
            _reminders_create(by=by, case=case, state=current)


@transaction.atomic
def residence_state_record(*, by: User, case: Case, data: StateInput) -> ResidenceState:
    """Record the case's next residence state; its reminders replace the previous ones."""
    # The case locked first: two states recorded at once are checked one after the other.
    Case.objects.select_for_update().only("pk").get(pk=case.pk)
    current = residence_current(case)
    errors = _errors(case, current, data)
    if errors or data.start is None:
        raise ValidationError(errors)
    cancelled = 0
    for task in _open_reminders(case):
        task_cancel(task=task, by=by)
        cancelled += 1
    state = ResidenceState.objects.create(
        case=case,
        region_id=case.region_id,
        status=data.status,
        start=data.start,
        end_reason=data.end_reason,
        note=data.note.strip(),
        recorded_by=by,
    )
    reminders = _reminders_create(by=by, case=case, state=state)
    audit_record(
        actor=by,
        action=Action.CREATE,
        target=state,
        purpose=Purpose.CASE_WORK,
        detail={
            "case": case.pk,
            "status": data.status,
            "previous": current.status if current else "",
            "reminders": reminders,
            "reminders_cancelled": cancelled,
        },
    )
    return state
