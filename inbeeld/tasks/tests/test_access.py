"""Who sees a task: its owner, the owner organisation, whoever may see its subject; else 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from inbeeld.accounts.models import Role
from inbeeld.audit.models import Action, AuditEntry, Purpose
from inbeeld.tasks.access import my_tasks_page, task_get_for
from inbeeld.tasks.services import task_complete
from inbeeld.tasks.tests.helpers import a_task, days

pytestmark = pytest.mark.django_db


def test_owner_organisation_and_subject_viewers_see_a_task(world: Any) -> None:
    signal = world.signal()  # reported by the partner of A; its coordinator sees it
    task = a_task(signal, owner=world.reporter())
    assert task_get_for(user=world.reporter(), task_id=task.pk)  # owner
    assert task_get_for(user=world.user(Role.ZORGCOORDINATOR), task_id=task.pk)  # sees signal
    for outsider in (
        world.user(Role.KETENPARTNER),  # same region, other organisation, not assigned
        world.user(Role.FG),
        world.user(Role.ZORGCOORDINATOR, "B"),
    ):
        with pytest.raises(Http404):
            task_get_for(user=outsider, task_id=task.pk)
    signal.assigned_to.add(world.user(Role.KETENPARTNER))
    assert task_get_for(user=world.user(Role.KETENPARTNER), task_id=task.pk)


def test_people_of_the_owner_organisation_see_it(world: Any) -> None:
    task = a_task(world.signal(), owner_organisation=world.organisation())
    assert task_get_for(user=world.user(Role.ONDERZOEKER), task_id=task.pk)
    with pytest.raises(Http404):
        task_get_for(user=world.user(Role.ONDERZOEKER, "B"), task_id=task.pk)


def test_a_restricted_subject_hides_its_tasks_from_who_saw_them_through_it(world: Any) -> None:
    signal = world.signal()
    task = a_task(signal, owner=world.reporter())
    type(signal).objects.filter(pk=signal.pk).update(restricted=True)
    with pytest.raises(Http404):
        task_get_for(user=world.user(Role.ZORGCOORDINATOR), task_id=task.pk)
    assert task_get_for(user=world.reporter(), task_id=task.pk)  # still the owner's work


def test_a_read_is_audited(world: Any) -> None:
    task = a_task(world.signal(), owner=world.reporter())
    task_get_for(user=world.reporter(), task_id=task.pk)
    read = AuditEntry.objects.filter(action=Action.READ, object_type="tasks.task").get()
    assert read.purpose == Purpose.TASKS and read.object_id == str(task.pk)


def test_a_missing_task_is_404(world: Any) -> None:
    with pytest.raises(Http404):
        task_get_for(user=world.reporter(), task_id=123456)


def test_my_tasks_overdue_first_then_by_due_date_and_pages_lose_nothing(world: Any) -> None:
    me = world.user(Role.ZORGCOORDINATOR)
    signal = world.signal()
    mine = [a_task(signal, owner=me, due=days(offset)) for offset in (4, -2, 0, 4, -9, 1)]
    ours = [a_task(signal, owner_organisation=world.organisation(), due=days(o)) for o in (3, -1)]
    a_task(signal, owner=world.user(Role.KETENPARTNER), due=days(-20))  # a colleague's own
    a_task(world.signal("B"), owner=world.user(Role.ZORGCOORDINATOR, "B"), due=days(-20))
    expected = sorted(mine + ours, key=lambda t: (t.due, t.pk))
    seen: list[Any] = []
    after = None
    while True:
        page = my_tasks_page(me, after=after, size=3)
        seen.extend(page[:3])
        if len(page) <= 3:
            break
        after = (page[2].due, page[2].pk)
    assert seen == expected


def test_done_tasks_newest_first(world: Any) -> None:
    me = world.user(Role.ZORGCOORDINATOR)
    first, second = (a_task(world.signal(), owner=me) for _ in range(2))
    task_complete(task=first, by=me)
    task_complete(task=second, by=me)
    assert my_tasks_page(me, show="done") == [second, first]
    assert my_tasks_page(me, show="done", after=(second.done_at, second.pk)) == [first]
    assert my_tasks_page(me) == []
