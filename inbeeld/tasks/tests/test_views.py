"""The pages: "Mijn taken", marking done, the signal's task panel and the queue's flag."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inbeeld.accounts.models import Role
from inbeeld.audit.models import Action, AuditEntry, Purpose
from inbeeld.signals.models import Signal
from inbeeld.tasks.models import Task, TaskStatus
from inbeeld.tasks.tests.helpers import a_task, days
from inbeeld.testing.clients import verified_client

pytestmark = pytest.mark.django_db


def test_my_tasks_lists_mine_and_my_organisations_overdue_first(world: Any) -> None:
    me = world.user(Role.ZORGCOORDINATOR)
    later = a_task(world.signal(), owner=me, title="Evaluatie plannen", due=days(5))
    overdue = a_task(world.signal(), owner=me, title="Politie terugbellen", due=days(-1))
    team = world.organisation()
    ours = a_task(world.signal(), owner_organisation=team, title="Team", due=days(1))
    a_task(world.signal(), owner=world.reporter(), title="Van een ander")
    page = verified_client(me).get(reverse("tasks:mine")).content.decode()
    assert page.index("Politie terugbellen") < page.index("Team") < page.index("Evaluatie")
    assert "Van een ander" not in page
    assert page.count('class="overdue"') == 1
    assert world.signal().receipt_code in page  # the record, named by its code
    read = AuditEntry.objects.filter(action=Action.READ, purpose=Purpose.TASKS).get()
    assert set(read.detail["records"]) == {str(t.pk) for t in (later, overdue, ours)}


def test_my_tasks_is_dutch_by_default_and_english_on_request(world: Any) -> None:
    client = verified_client(world.user(Role.ZORGCOORDINATOR))
    assert "Mijn taken" in client.get(reverse("tasks:mine")).content.decode()
    client.cookies["django_language"] = "en"
    assert "My tasks" in client.get(reverse("tasks:mine")).content.decode()


def test_keyset_pages(world: Any) -> None:
    me = world.user(Role.ZORGCOORDINATOR)
    tasks = [a_task(world.signal(), owner=me, title=f"Taak {n}", due=days(n)) for n in range(52)]
    client = verified_client(me)
    first = client.get(reverse("tasks:mine"))
    assert first.context["next"] == f"{tasks[49].due.isoformat()}_{tasks[49].pk}"
    second = client.get(reverse("tasks:mine"), {"na": first.context["next"]})
    assert [row.task for row in second.context["rows"]] == tasks[50:]
    assert second.context["next"] == ""
    nonsense = client.get(reverse("tasks:mine"), {"na": "gisteren_x"})
    assert nonsense.status_code == 200 and nonsense.context["first_page"]


def test_mark_done_with_htmx_swaps_the_row_and_done_filter_shows_it(world: Any) -> None:
    me = world.user(Role.ZORGCOORDINATOR)
    task = a_task(world.signal(), owner=me, title="Afronden")
    client = verified_client(me)
    response = client.post(
        reverse("tasks:status", args=[task.pk]),
        {"status": "done", "next": "/taken/"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    row = response.content.decode()
    assert row.startswith(f'<tr id="task-{task.pk}"')
    assert 'name="next" value="/taken/"' in row  # the swapped row still returns to the page
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.done_by == me
    assert "Afronden" not in client.get(reverse("tasks:mine")).content.decode()
    assert "Afronden" in client.get(reverse("tasks:mine"), {"toon": "afgerond"}).content.decode()


def test_mark_done_without_javascript_returns_to_the_page(world: Any) -> None:
    me = world.user(Role.ZORGCOORDINATOR)
    task = a_task(world.signal(), owner=me)
    response = verified_client(me).post(
        reverse("tasks:status", args=[task.pk]), {"status": "done", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("tasks:mine")


def test_someone_who_may_not_see_a_task_cannot_mark_it(world: Any) -> None:
    task = a_task(world.signal(), owner=world.reporter())
    response = verified_client(world.user(Role.KETENPARTNER)).post(
        reverse("tasks:status", args=[task.pk]), {"status": "done"}
    )
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_the_signal_page_lists_its_tasks_and_the_coordinator_adds_one(world: Any) -> None:
    coordinator = world.user(Role.ZORGCOORDINATOR)
    signal = world.signal()
    a_task(signal, owner=world.reporter(), title="Bestaande taak")
    client = verified_client(coordinator)
    page = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert 'data-testid="subject-tasks"' in page and "Bestaande taak" in page
    assert reverse("tasks:add", args=["signals.signal", signal.pk]) in page
    response = client.post(
        reverse("tasks:add", args=["signals.signal", signal.pk]),
        {"title": "Huisbezoek", "due": days(7).isoformat(), "owner": world.reporter().pk},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("signals:detail", args=[signal.pk])
    added = Task.objects.get(title="Huisbezoek")
    assert added.source == "signal.follow_up" and added.owner == world.reporter()
    assert added.created_by == coordinator and added.region == signal.region


def test_adding_refuses_a_past_date_and_an_owner_of_another_region(world: Any) -> None:
    signal = world.signal()
    client = verified_client(world.user(Role.ZORGCOORDINATOR))
    url = reverse("tasks:add", args=["signals.signal", signal.pk])
    owner = world.reporter().pk
    past = client.post(url, {"title": "X", "due": days(-1).isoformat(), "owner": owner})
    assert past.status_code == 200 and "due" in past.context["form"].errors
    elsewhere = client.post(
        url,
        {"title": "X", "due": days(1).isoformat(), "owner": world.user(Role.FG, "B").pk},
    )
    assert "owner" in elsewhere.context["form"].errors
    assert not Task.objects.exists()


def test_who_only_sees_the_signal_sees_its_tasks_but_cannot_add(world: Any) -> None:
    signal = world.signal()
    a_task(signal, owner=world.user(Role.ZORGCOORDINATOR), title="Zichtbaar")
    page = verified_client(world.reporter()).get(reverse("signals:detail", args=[signal.pk]))
    text = page.content.decode()
    assert "Zichtbaar" in text
    assert reverse("tasks:add", args=["signals.signal", signal.pk]) not in text
    add = verified_client(world.reporter()).get(
        reverse("tasks:add", args=["signals.signal", signal.pk])
    )
    assert add.status_code == 404


def test_an_unknown_kind_of_record_is_404(world: Any) -> None:
    response = verified_client(world.user(Role.ZORGCOORDINATOR)).get(
        reverse("tasks:add", args=["accounts.user", world.reporter().pk])
    )
    assert response.status_code == 404


def _another_signal(world: Any, n: int) -> Signal:
    from inbeeld.regions.models import Municipality
    from inbeeld.signals.services import SignalInput, signal_create_partner

    signal, _new = signal_create_partner(
        data=SignalInput(
            municipality=Municipality.objects.get(code="GM0664"), description=f"Signaal {n}."
        ),
        by=world.reporter(),
        organisation=world.partner(),
    )
    return signal


def test_the_queue_flags_signals_with_an_overdue_task_in_one_query(world: Any) -> None:
    coordinator = world.user(Role.ZORGCOORDINATOR)
    client = verified_client(coordinator)
    late = _another_signal(world, 1)
    a_task(late, owner=coordinator, due=days(-1))
    a_task(world.signal(), owner=coordinator, due=days(0))  # due today: not overdue
    done = a_task(_another_signal(world, 2), owner=coordinator, due=days(-3))
    from inbeeld.tasks.services import task_complete

    task_complete(task=done, by=coordinator)
    page = client.get(reverse("signals:queue")).content.decode()
    assert page.count('data-testid="overdue-task"') == 1
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("signals:queue"))
    for n in range(3, 8):
        a_task(_another_signal(world, n), owner=coordinator, due=days(-2))
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("signals:queue")).content.decode()
    assert page.count('data-testid="overdue-task"') == 6
    task_queries = [q for q in many.captured_queries if '"tasks_task"' in q["sql"]]
    assert len(task_queries) == 1
    assert len(many.captured_queries) == len(few.captured_queries)
