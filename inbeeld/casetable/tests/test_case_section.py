"""The case table's part of the case page (case_sections.py): where the case was on the
agenda, the decision in force and the open actions, for whoever may see the case."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.cases.services import CaseInput, PersonInput, case_open
from inbeeld.casetable.services import item_add_case
from inbeeld.casetable.tests.helpers import table
from inbeeld.casetable.tests.test_privacy import ACTION, REASON, discussed
from inbeeld.testing.clients import verified_client
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def test_the_case_page_shows_the_tables_meetings_decision_and_open_actions(world: World) -> None:
    setup = table(world, on=timezone.localdate())
    case = case_open(
        by=setup.chair,
        region=setup.meeting.region,
        data=CaseInput(person=PersonInput(name="Jantje Kanarie")),
    )
    item = item_add_case(by=setup.chair, meeting=setup.meeting, case=case)
    discussed(setup, item)
    url = reverse("cases:detail", args=[case.pk])
    chair = verified_client(setup.chair).get(url).content.decode()
    section = chair[chair.index('data-testid="case-table-section"') :]
    assert reverse("casetable:meeting", args=[setup.meeting.pk]) in section
    assert "Terug naar de melder" in section and REASON in section
    assert ACTION in section
    # A colleague of the owner organisation sees the case, and the table's decision and
    # actions, but not the reason (which stays with who runs the meeting), nor a link to a
    # meeting their organisation is not invited to.
    colleague = world.user(Role.KETENPARTNER, "A")
    page = verified_client(colleague).get(url).content.decode()
    section = page[page.index('data-testid="case-table-section"') :]
    assert "Terug naar de melder" in section and ACTION in section
    assert REASON not in section
    assert reverse("casetable:meeting", args=[setup.meeting.pk]) not in section
