"""The demo's cases: six invented cases in Zeeland, across sexual, labour and criminal
exploitation, all visible to the zorgcoördinator of Zeeland and none to IJsselland."""

from __future__ import annotations

import pytest

from inbeeld.accounts.demo import demo_create
from inbeeld.accounts.models import User
from inbeeld.cases.access import cases_visible_to
from inbeeld.cases.models import Case, CaseStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_six_cases_for_the_zeeland_coordinator() -> None:
    demo_create(history=False)  # the hand-made stories alone (insight/demo.py adds years)
    coordinator = User.objects.get(username="zorgcoordinator.zeeland")
    visible = list(cases_visible_to(coordinator))
    assert len(visible) == Case.objects.count() == 6
    assert {case.region.code for case in visible} == {"VR19"}
    forms = {code for case in visible for code in case.exploitation_forms}
    assert {"sexual", "labour", "criminal"} <= forms
    assert any(case.status == CaseStatus.CLOSED_REFERRED for case in visible)
    assert any(case.case_signals.exists() for case in visible)
    assert not cases_visible_to(User.objects.get(username="zorgcoordinator.ijsselland")).exists()
