"""The task engine: create, complete, reopen, cancel, keep in step, and what is overdue."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from inbeeld.accounts.models import Role
from inbeeld.audit.models import AuditEntry, Purpose
from inbeeld.tasks.models import Task, TaskStatus
from inbeeld.tasks.services import (
    is_overdue,
    overdue_q,
    task_cancel,
    task_complete,
    task_reopen,
    task_sync_for,
    tasks_for_subject,
)
from inbeeld.tasks.tests.helpers import a_task, days

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


@given(
    due=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    status=st.sampled_from(TaskStatus.values),
)
def test_overdue_exactly_when_open_and_due_before_today(due: date, status: str) -> None:
    task = Task(due=due, status=status)
    assert is_overdue(task, TODAY) == (status == TaskStatus.OPEN and due < TODAY)
    # Due today is never overdue; a day later it is, if still open.
    assert not is_overdue(Task(due=TODAY, status=status), TODAY)
    assert is_overdue(task, due + timedelta(days=1)) == (status == TaskStatus.OPEN)


def test_the_database_filter_says_the_same_as_the_rule(world: Any) -> None:
    coordinator = world.user(Role.ZORGCOORDINATOR)
    signal = world.signal()
    for offset in (-3, -1, 0, 1):
        for finish in (None, task_complete, task_cancel):
            task = a_task(signal, owner=coordinator, due=days(offset))
            if finish:
                finish(task=task, by=coordinator)
    today = days(0)
    in_db = set(Task.objects.filter(overdue_q(today)).values_list("pk", flat=True))
    by_rule = {t.pk for t in Task.objects.all() if is_overdue(t, today)}
    assert in_db == by_rule and len(in_db) == 2


def test_a_task_takes_its_region_from_its_subject_and_is_audited(world: Any) -> None:
    coordinator = world.user(Role.ZORGCOORDINATOR)
    task = a_task(world.signal(), owner=coordinator, by=coordinator, details="Bel mevrouw X")
    assert task.region == world.signal().region
    entry = AuditEntry.objects.filter(object_type="tasks.task", object_id=str(task.pk)).get()
    assert entry.purpose == Purpose.TASKS
    assert "Bel mevrouw" not in str(entry.detail) and "Terugbellen" not in str(entry.detail)


def test_details_are_encrypted_at_rest(world: Any) -> None:
    from django.db import connection

    task = a_task(world.signal(), owner=world.user(Role.ZORGCOORDINATOR), details="Bel mevrouw X")
    with connection.cursor() as cursor:
        cursor.execute("SELECT details FROM tasks_task WHERE id = %s", [task.pk])
        stored = cursor.fetchone()[0]
    assert "mevrouw" not in stored
    assert Task.objects.get(pk=task.pk).details == "Bel mevrouw X"


def test_bad_input_names_the_field_and_writes_nothing(world: Any) -> None:
    signal = world.signal()
    with pytest.raises(ValidationError) as no_owner:
        a_task(signal)
    assert "owner" in no_owner.value.message_dict
    with pytest.raises(ValidationError) as elsewhere:
        a_task(signal, owner=world.user(Role.ZORGCOORDINATOR, "B"))
    assert "owner" in elsewhere.value.message_dict
    with pytest.raises(ValidationError) as other_org:
        a_task(signal, owner_organisation=world.organisation("B"))
    assert "owner_organisation" in other_org.value.message_dict
    with pytest.raises(ValidationError) as no_title:
        a_task(signal, owner=world.user(Role.ZORGCOORDINATOR), title="  ")
    assert "title" in no_title.value.message_dict
    assert not Task.objects.exists()


def test_complete_reopen_cancel(world: Any) -> None:
    coordinator = world.user(Role.ZORGCOORDINATOR)
    task = a_task(world.signal(), owner=coordinator)
    task_complete(task=task, by=coordinator)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.done_by == coordinator and task.done_at
    task_reopen(task=task, by=coordinator)
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and task.done_at is None and task.done_by is None
    task_cancel(task=task, by=coordinator)
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED


def test_tasks_for_subject_open_first_by_due_date(world: Any) -> None:
    coordinator = world.user(Role.ZORGCOORDINATOR)
    signal = world.signal()
    later = a_task(signal, owner=coordinator, due=days(5))
    done = a_task(signal, owner=coordinator, due=days(-5))
    task_complete(task=done, by=coordinator)
    sooner = a_task(signal, owner=coordinator, due=days(1))
    a_task(world.signal("B"), owner=world.user(Role.ZORGCOORDINATOR, "B"))
    assert list(tasks_for_subject(signal)) == [sooner, later, done]


def test_sync_is_an_idempotent_upsert(world: Any) -> None:
    coordinator = world.user(Role.ZORGCOORDINATOR)
    colleague = world.user(Role.AANDACHTSFUNCTIONARIS)
    signal = world.signal()
    first = task_sync_for(subject=signal, source="case.review", due=days(10), owner=coordinator)
    assert first.changed and first.task is not None
    again = task_sync_for(subject=signal, source="case.review", due=days(10), owner=coordinator)
    assert not again.changed and again.task == first.task
    moved = task_sync_for(subject=signal, source="case.review", due=days(20), owner=colleague)
    assert moved.changed and moved.task == first.task
    assert moved.task.due == days(20) and moved.task.owner == colleague
    assert Task.objects.filter(source="case.review").count() == 1
    cleared = task_sync_for(subject=signal, source="case.review", due=None)
    assert cleared.task is not None and cleared.task.status == TaskStatus.CANCELLED
    assert not task_sync_for(subject=signal, source="case.review", due=None).changed


def test_sync_after_done_makes_a_new_task(world: Any) -> None:
    coordinator = world.user(Role.ZORGCOORDINATOR)
    signal = world.signal()
    first = task_sync_for(subject=signal, source="case.review", due=days(1), owner=coordinator)
    assert first.task is not None
    task_complete(task=first.task, by=coordinator)
    second = task_sync_for(subject=signal, source="case.review", due=days(30), owner=coordinator)
    assert second.task is not None and second.task != first.task
    first.task.refresh_from_db()
    assert first.task.status == TaskStatus.DONE


def test_tasks_go_with_their_subject(world: Any) -> None:
    from inbeeld.audit.services import audit_deletion_permitted

    signal = world.signal()
    a_task(signal, owner=world.user(Role.ZORGCOORDINATOR))
    other = a_task(world.signal("B"), owner=world.user(Role.ZORGCOORDINATOR, "B"))
    with audit_deletion_permitted():
        type(signal).objects.filter(pk=signal.pk).delete()
    assert list(Task.objects.all()) == [other]


def test_a_model_nobody_registered_cannot_have_tasks(world: Any) -> None:
    with pytest.raises(LookupError):
        a_task(world.organisation(), owner=world.user(Role.ZORGCOORDINATOR))


def test_the_demo_gives_the_coordinator_follow_ups_one_overdue() -> None:
    from inbeeld.accounts.demo import demo_create

    demo_create()
    # The signals' follow-ups (the demo's care plans add their own tasks: careplans/demo.py).
    tasks = Task.objects.filter(
        owner__username="zorgcoordinator.zeeland", source="signal.follow_up"
    )
    assert tasks.count() == 2
    assert tasks.filter(overdue_q(days(0))).count() == 1
