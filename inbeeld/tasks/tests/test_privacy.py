"""Tasks follow their record: the registry, erasure of the details, the access export."""

from __future__ import annotations

from typing import Any

import pytest

from inbeeld.accounts.models import Role, User
from inbeeld.privacy.registry import registry
from inbeeld.signals.privacy import SIGNALS
from inbeeld.signals.privacy_export import signal_export
from inbeeld.tasks.models import Task
from inbeeld.tasks.tests.helpers import a_task

pytestmark = pytest.mark.django_db


def test_tasks_are_a_registered_kind_with_what_happens_to_them() -> None:
    kind = registry.kind("tasks.task")
    assert kind is not None and kind.kept and not kind.retention
    assert "tasks.task" not in registry.unregistered_models()


def test_erasing_a_signal_empties_the_details_of_its_tasks(world: Any) -> None:
    signal = world.signal()
    task = a_task(signal, owner=world.reporter(), details="Anna Jansen, Kerkstraat 1")
    other = a_task(world.signal("B"), owner=world.reporter("B"), details="Blijft staan")
    assert SIGNALS.subject is not None
    removed = SIGNALS.subject.erase(signal)
    assert removed["task_details"] == 1
    assert Task.objects.get(pk=task.pk).details == "[erased]"
    assert Task.objects.get(pk=task.pk).title == task.title
    assert Task.objects.get(pk=other.pk).details == "Blijft staan"


def test_the_signal_export_lists_its_tasks(world: Any) -> None:
    signal = world.signal()
    a_task(signal, owner=world.user(Role.ZORGCOORDINATOR), details="Toelichting")
    (exported,) = signal_export(signal)["tasks"]
    assert exported["kind"] == "signal.follow_up" and exported["details"] == "Toelichting"
    assert exported["due"] and exported["due_text"] and exported["status"] == "open"


def test_the_retention_run_removes_the_tasks_of_a_removed_signal(world: Any) -> None:
    from inbeeld.privacy.retention import retention_run
    from inbeeld.privacy.tests.test_signal_retention import signal as closed_signal

    old = closed_signal(days_ago=10 * 365)
    recent = closed_signal(days_ago=1)
    owner = User.objects.filter(memberships__organisation__region=old.region).first()
    gone = a_task(old, owner=owner)
    kept = a_task(recent, owner=owner)
    retention_run()
    assert not Task.objects.filter(pk=gone.pk).exists()
    assert Task.objects.filter(pk=kept.pk).exists()
