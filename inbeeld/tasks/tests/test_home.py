"""The home page shows the tasks due within a week, overdue first and marked."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from inbeeld.accounts.models import Role
from inbeeld.audit.models import Action, AuditEntry, Purpose
from inbeeld.tasks.tests.helpers import a_task, days
from inbeeld.testing.clients import verified_client

pytestmark = pytest.mark.django_db


def block_of(page: str) -> str:
    return page.split('data-testid="tasks-due"', 1)[1].split("</section>", 1)[0]


def test_the_home_page_lists_my_tasks_due_this_week_overdue_first(world: Any) -> None:
    me = world.user(Role.ZORGCOORDINATOR)
    signal = world.signal()
    a_task(signal, owner=me, title="Binnen de week", due=days(5))
    late = a_task(signal, owner=me, title="Te laat", due=days(-2))
    a_task(signal, owner=me, title="Volgende maand", due=days(30))
    other = world.user(Role.ZORGCOORDINATOR, "B")
    a_task(world.signal("B"), owner=other, title="Van een ander", due=days(1))
    block = block_of(verified_client(me).get(reverse("web:home")).content.decode())
    assert block.index("Te laat") < block.index("Binnen de week")
    assert "verlopen" in block.split("Te laat")[0]  # the overdue one is marked
    assert "Volgende maand" not in block and "Van een ander" not in block
    read = AuditEntry.objects.filter(action=Action.READ, purpose=Purpose.TASKS).last()
    assert read is not None and str(late.pk) in read.detail["records"]


def test_nothing_due_says_so(world: Any) -> None:
    page = verified_client(world.user(Role.KETENPARTNER)).get(reverse("web:home"))
    assert "Niets dat deze week afloopt." in block_of(page.content.decode())
