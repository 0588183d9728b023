"""The demo's care plans: at different stages, one empty, one with an overdue action."""

from __future__ import annotations

import pytest
from django.utils import timezone

from inbeeld.accounts.demo import demo_create
from inbeeld.careplans.models import CarePlan
from inbeeld.cases.models import Case, CaseStatus
from inbeeld.tasks.models import Task
from inbeeld.tasks.services import overdue_q

pytestmark = pytest.mark.django_db


def test_the_demo_cases_have_care_plans_at_different_stages() -> None:
    demo_create()
    open_cases = Case.objects.filter(status=CaseStatus.OPEN)
    planned = CarePlan.objects.filter(case__in=open_cases)
    assert 3 <= planned.count() < open_cases.count()  # at least one without a plan yet
    sizes = sorted(plan.domains.count() for plan in planned)
    assert len(set(sizes)) > 1  # at different stages
    overdue = Task.objects.filter(overdue_q(timezone.localdate()), source="careplan.action")
    assert overdue.count() == 1
    assert all(plan.versions.exists() for plan in planned)
