"""`/api/v1/tasks/`: my open tasks, one task, and its status."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from inbeeld.accounts.models import Role
from inbeeld.accounts.tokens import api_token_create
from inbeeld.audit.models import Action, AuditEntry, Purpose
from inbeeld.tasks.models import TaskStatus
from inbeeld.tasks.services import task_complete
from inbeeld.tasks.tests.helpers import a_task, days

pytestmark = pytest.mark.django_db


def _headers(user: Any) -> dict[str, str]:
    return {"Authorization": f"Token {api_token_create(user=user)}"}


def test_the_list_holds_my_open_tasks_by_due_date_and_is_audited(world: Any) -> None:
    me = world.user(Role.ZORGCOORDINATOR)
    later = a_task(world.signal(), owner=me, due=days(4))
    overdue = a_task(world.signal(), owner=me, due=days(-1), details="Geheim")
    done = a_task(world.signal(), owner=me)
    task_complete(task=done, by=me)
    a_task(world.signal(), owner=world.reporter())
    body = Client().get(reverse("v1:tasks"), headers=_headers(me)).json()
    assert [item["id"] for item in body["results"]] == [overdue.pk, later.pk]
    first = body["results"][0]
    assert first["overdue"] is True and first["details"] == "Geheim"
    assert first["subject_type"] == "signals.signal"
    assert first["subject_id"] == world.signal().pk
    read = AuditEntry.objects.filter(action=Action.READ, purpose=Purpose.API_READ).get()
    assert set(read.detail["records"]) == {str(overdue.pk), str(later.pk)}


def test_patch_marks_done_and_refuses_an_unknown_status(world: Any) -> None:
    me = world.user(Role.ZORGCOORDINATOR)
    task = a_task(world.signal(), owner=me)
    url = reverse("v1:task", args=[task.pk])
    client, headers = Client(), _headers(me)
    wrong = client.patch(url, {"status": "later"}, content_type="application/json", headers=headers)
    assert wrong.status_code == 400 and "status" in wrong.json()
    nothing = client.patch(url, {}, content_type="application/json", headers=headers)
    assert nothing.status_code == 200 and nothing.json()["status"] == "open"
    done = client.patch(url, {"status": "done"}, content_type="application/json", headers=headers)
    assert done.status_code == 200 and done.json()["status"] == "done"
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.done_by == me
    assert client.get(url, headers=headers).json()["done_at"] is not None


def test_an_outsider_gets_404_and_changes_nothing(world: Any) -> None:
    task = a_task(world.signal(), owner=world.reporter())
    outsider = world.user(Role.KETENPARTNER)
    url = reverse("v1:task", args=[task.pk])
    assert Client().get(url, headers=_headers(outsider)).status_code == 404
    patch = Client().patch(
        url, {"status": "done"}, content_type="application/json", headers=_headers(outsider)
    )
    assert patch.status_code == 404
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
