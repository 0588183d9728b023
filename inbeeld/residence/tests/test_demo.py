"""The demo shows the residence track in every state: a reflection period ending soon with
its reminder due this week, a B8/3 permit due for renewal, and the rest in the histories."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from inbeeld.accounts.demo import demo_create
from inbeeld.accounts.models import User
from inbeeld.residence.models import ResidenceState, ResidenceStatus
from inbeeld.residence.services import DEADLINE_TASK, residence_current
from inbeeld.tasks.access import tasks_of
from inbeeld.tasks.models import Task, TaskStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_residence_state_and_reminders_due_this_week() -> None:
    demo_create()
    assert set(ResidenceState.objects.values_list("status", flat=True)) == set(
        ResidenceStatus.values
    )
    currents = {
        residence_current(state.case).status  # type: ignore[union-attr]
        for state in ResidenceState.objects.select_related("case")
    }
    assert {ResidenceStatus.REFLECTION, ResidenceStatus.PERMIT} <= currents
    today = timezone.localdate()
    week = today + timedelta(days=6)
    open_tasks = Task.objects.filter(source=DEADLINE_TASK, status=TaskStatus.OPEN)
    titles_this_week = {t.title for t in open_tasks if today <= t.due <= week}
    assert "Bedenktijd eindigt over 2 weken" in titles_this_week
    assert "B8/3-vergunning: verlenging over 2 weken" in titles_this_week
    coordinator = User.objects.get(username="zorgcoordinator.zeeland")
    assert all(t.owner == coordinator for t in open_tasks)
    assert set(open_tasks) <= set(tasks_of(coordinator))  # on "Mijn taken"
