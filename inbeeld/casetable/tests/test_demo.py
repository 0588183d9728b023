"""The demo's case table: two past meetings and one to come in Zeeland, one action overdue."""

from __future__ import annotations

import pytest
from django.utils import timezone

from inbeeld.accounts.demo import demo_create
from inbeeld.casetable.models import Decision, Meeting, Outcome
from inbeeld.casetable.services import ACTION_SOURCE
from inbeeld.tasks.models import Task
from inbeeld.tasks.services import overdue_q

pytestmark = pytest.mark.django_db


def test_the_demo_has_three_meetings_with_decisions_and_an_overdue_action() -> None:
    demo_create()
    today = timezone.localdate()
    meetings = Meeting.objects.filter(region__code="VR19")
    assert meetings.filter(date__lt=today).count() == 2
    assert meetings.filter(date__gt=today).count() == 1
    outcomes = set(Decision.objects.values_list("outcome", flat=True))
    assert {Outcome.LEAD_PARTNER, Outcome.NO_FURTHER_ACTION} <= outcomes
    actions = Task.objects.filter(source=ACTION_SOURCE)
    assert actions.filter(overdue_q(today)).count() == 1
    upcoming = meetings.get(date__gt=today)
    assert upcoming.items.filter(follow_up_of__isnull=False).exists()
