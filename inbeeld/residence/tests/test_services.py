"""Recording residence states: the allowed steps (one table), refusals naming the field, and
the reminders as tasks of the case owner that a new state replaces."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.cases.tests.helpers import world_case
from inbeeld.residence.deadlines import reflection_end, renewal_due
from inbeeld.residence.models import TRANSITIONS, ResidenceState, ResidenceStatus
from inbeeld.residence.services import (
    DEADLINE_TASK,
    StateInput,
    next_states,
    residence_current,
    residence_state_record,
)
from inbeeld.residence.tests.helpers import record
from inbeeld.tasks.models import Task, TaskStatus
from inbeeld.testing.world import World
from inbeeld.web.templatetags.humanize_nl import short_date

pytestmark = pytest.mark.django_db


def _refused(world: World, case, data: StateInput) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        residence_state_record(by=world.user(Role.ZORGCOORDINATOR, "A"), case=case, data=data)
    return refused.value.message_dict


def test_a_reflection_period_makes_two_reminders_for_the_case_owner(world: World) -> None:
    case = world_case(world, "A")
    today = timezone.localdate()
    state = record(world, case, ResidenceStatus.REFLECTION, today, note="Via de politie.")
    tasks = list(Task.objects.filter(source=DEADLINE_TASK).order_by("due"))
    end = reflection_end(today)
    assert [(t.due, t.status) for t in tasks] == [
        (end - timedelta(weeks=4), TaskStatus.OPEN),
        (end - timedelta(weeks=2), TaskStatus.OPEN),
    ]
    assert all(t.owner == case.owner for t in tasks)
    assert all(t.owner_organisation == case.owner_organisation for t in tasks)
    assert [t.title for t in tasks] == [
        "Bedenktijd eindigt over 4 weken",
        "Bedenktijd eindigt over 2 weken",
    ]
    assert all(t.subject == state for t in tasks)
    assert residence_current(case) == state
    assert ResidenceState.objects.get().note == "Via de politie."


def test_a_new_state_cancels_the_reminders_of_the_previous_one(world: World) -> None:
    case = world_case(world, "A")
    today = timezone.localdate()
    reflection = record(world, case, ResidenceStatus.REFLECTION, today - timedelta(days=10))
    assert Task.objects.filter(status=TaskStatus.OPEN).count() == 2
    applied = record(world, case, ResidenceStatus.APPLIED, today - timedelta(days=2))
    assert Task.objects.filter(status=TaskStatus.OPEN).count() == 0
    assert Task.objects.filter(status=TaskStatus.CANCELLED).count() == 2
    entry = AuditEntry.objects.filter(
        action=Action.CREATE, object_type="residence.residencestate", object_id=str(applied.pk)
    ).last()
    assert entry is not None and entry.detail["reminders_cancelled"] == 2
    assert entry.detail["previous"] == "reflection"
    permit = record(world, case, ResidenceStatus.PERMIT, today)
    open_tasks = Task.objects.filter(status=TaskStatus.OPEN)
    assert {t.subject_id for t in open_tasks} == {permit.pk}
    assert max(t.due for t in open_tasks) == renewal_due(today) - timedelta(weeks=2)
    assert {t.title for t in open_tasks} == {
        "B8/3-vergunning: verlenging over 4 weken",
        "B8/3-vergunning: verlenging over 2 weken",
    }
    assert reflection.pk != permit.pk


def test_a_renewed_permit_replaces_the_reminders_of_the_year_before(world: World) -> None:
    case = world_case(world, "A")
    today = timezone.localdate()
    record(world, case, ResidenceStatus.APPLIED, today - timedelta(days=400))
    first = record(world, case, ResidenceStatus.PERMIT, today - timedelta(days=320))
    # Recorded late: the passed reminder comes due today, the two-week one on its day.
    due = renewal_due(first.start)
    assert [(t.title, t.due) for t in Task.objects.filter(status=TaskStatus.OPEN)] == [
        (f"B8/3-vergunning: verlenging uiterlijk {short_date(due)}", today),
        ("B8/3-vergunning: verlenging over 2 weken", due - timedelta(weeks=2)),
    ]
    renewed = record(world, case, ResidenceStatus.PERMIT, today)
    assert {t.subject_id for t in Task.objects.filter(status=TaskStatus.OPEN)} == {renewed.pk}


@pytest.mark.parametrize(
    ("current", "next_state"),
    [
        (None, ResidenceStatus.PERMIT),
        (None, ResidenceStatus.ENDED),
        (ResidenceStatus.DUBLIN, ResidenceStatus.REFLECTION),  # no bedenktijd since 2019
        (ResidenceStatus.APPLIED, ResidenceStatus.REFLECTION),
        (ResidenceStatus.ENDED, ResidenceStatus.PERMIT),
    ],
)
def test_a_state_that_cannot_follow_is_refused_naming_the_field(
    world: World, current: str | None, next_state: str
) -> None:
    case = world_case(world, "A")
    day = timezone.localdate() - timedelta(days=5)
    if current == ResidenceStatus.ENDED:
        record(world, case, ResidenceStatus.APPLIED, day)
        record(world, case, current, day, end_reason="dismissed")
    elif current is not None:
        record(world, case, current, day)
    reason = "dismissed" if next_state == ResidenceStatus.ENDED else ""
    errors = _refused(world, case, StateInput(status=next_state, start=day, end_reason=reason))
    assert list(errors) == ["status"]
    assert "kan niet" in errors["status"][0]


def test_humanitarian_residence_is_the_end_of_the_track(world: World) -> None:
    case = world_case(world, "A")
    day = timezone.localdate() - timedelta(days=5)
    for status in (ResidenceStatus.APPLIED, ResidenceStatus.PERMIT):
        record(world, case, status, day)
    record(world, case, ResidenceStatus.ENDED, day, end_reason="convicted")
    state = record(world, case, ResidenceStatus.HUMANITARIAN, day)
    assert next_states(state) == []


def test_every_state_in_the_table_is_a_state_and_everything_can_begin() -> None:
    assert set(TRANSITIONS) == {"", *ResidenceStatus.values}
    assert all(set(allowed) <= set(ResidenceStatus.values) for allowed in TRANSITIONS.values())
    assert ResidenceStatus.HUMANITARIAN not in TRANSITIONS[""]
    assert ResidenceStatus.REFLECTION not in TRANSITIONS[ResidenceStatus.DUBLIN]


def test_dates_in_the_future_or_before_the_current_state_are_refused(world: World) -> None:
    case = world_case(world, "A")
    today = timezone.localdate()
    errors = _refused(
        world,
        case,
        StateInput(status=ResidenceStatus.REFLECTION, start=today + timedelta(days=1)),
    )
    assert list(errors) == ["start"] and "toekomst" in errors["start"][0]
    assert list(_refused(world, case, StateInput(status="reflection", start=None))) == ["start"]
    record(world, case, ResidenceStatus.REFLECTION, today - timedelta(days=3))
    errors = _refused(
        world,
        case,
        StateInput(status=ResidenceStatus.APPLIED, start=today - timedelta(days=4)),
    )
    assert list(errors) == ["start"] and "vóór het begin" in errors["start"][0]


def test_an_end_needs_its_reason_and_only_an_end_has_one(world: World) -> None:
    case = world_case(world, "A")
    day = timezone.localdate()
    record(world, case, ResidenceStatus.APPLIED, day)
    errors = _refused(world, case, StateInput(status=ResidenceStatus.ENDED, start=day))
    assert list(errors) == ["end_reason"]
    errors = _refused(
        world, case, StateInput(status=ResidenceStatus.PERMIT, start=day, end_reason="dismissed")
    )
    assert list(errors) == ["end_reason"]


def test_nothing_is_written_when_refused(world: World) -> None:
    case = world_case(world, "A")
    _refused(world, case, StateInput(status="nonsense", start=date(2030, 1, 1)))
    assert not ResidenceState.objects.exists() and not Task.objects.exists()


def test_a_closed_case_takes_no_new_state(world: World) -> None:
    from inbeeld.cases.models import CaseStatus
    from inbeeld.cases.services import case_close

    case = world_case(world, "A")
    case_close(
        by=world.user(Role.ZORGCOORDINATOR, "A"),
        case=case,
        version=case.version,
        reason=CaseStatus.CLOSED_REFERRED,
        outcome="Doorverwezen.",
    )
    case.refresh_from_db()
    errors = _refused(
        world, case, StateInput(status=ResidenceStatus.NO_ISSUE, start=timezone.localdate())
    )
    assert list(errors) == ["case"]


def test_closing_the_case_cancels_its_reminders_and_reopening_brings_them_back(
    world: World,
) -> None:
    from inbeeld.cases.models import CaseStatus
    from inbeeld.cases.services import case_close, case_reopen

    case = world_case(world, "A")
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    state = record(world, case, ResidenceStatus.REFLECTION, timezone.localdate())
    case = case_close(
        by=coordinator,
        case=case,
        version=case.version,
        reason=CaseStatus.CLOSED,
        outcome="Afgerond.",
    )
    assert not Task.objects.filter(status=TaskStatus.OPEN).exists()
    assert Task.objects.filter(status=TaskStatus.CANCELLED).count() == 2
    case_reopen(by=coordinator, case=case, version=case.version)
    reminders = Task.objects.filter(status=TaskStatus.OPEN)
    assert reminders.count() == 2 and {t.subject_id for t in reminders} == {state.pk}
