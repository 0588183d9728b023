"""In a real browser: a zorgcoördinator gives a signal a follow-up task and marks it done."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from inbeeld.accounts.models import Role
from inbeeld.signals.tests.test_triage import partner_signal
from inbeeld.tasks.models import Task, TaskStatus
from inbeeld.tasks.tests.helpers import a_task, days
from inbeeld.testing.browser import log_in
from inbeeld.testing.factories import staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_follow_up_task_from_the_signal_to_my_tasks_and_done(live_server: Any, page: Any) -> None:
    signal = partner_signal()
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    coordinator.first_name, coordinator.last_name = "Zoë", "Coördinator"
    coordinator.save()
    a_task(signal, owner=coordinator, title="Verlopen afspraak", due=days(-2))
    log_in(page, live_server.url, coordinator)

    page.goto(f"{live_server.url}/signalen/{signal.pk}/")
    panel = page.get_by_test_id("subject-tasks")
    expect(panel.get_by_role("cell", name="Verlopen afspraak", exact=True)).to_be_visible()
    panel.get_by_text("Vervolgtaak toevoegen").click()
    panel.get_by_label("Taak", exact=True).fill("Huisbezoek plannen")
    panel.get_by_label("Uiterste datum").fill(days(3).isoformat())
    panel.get_by_label("Eigenaar").select_option(label="Zoë Coördinator")
    panel.get_by_role("button", name="Taak toevoegen").click()
    expect(page.get_by_text("Taak toegevoegd.")).to_be_visible()
    added = page.get_by_test_id("subject-tasks").get_by_role(
        "cell", name="Huisbezoek plannen", exact=True
    )
    expect(added).to_be_visible()

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn taken").click()
    rows = page.get_by_test_id("tasks").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("verlopen")  # overdue first
    expect(rows.nth(1)).to_contain_text("Huisbezoek plannen")
    rows.nth(1).get_by_role("button", name="Afronden").click()
    expect(rows.nth(1)).to_contain_text("Afgerond")  # swapped in place by htmx
    expect(rows.nth(1).get_by_role("button", name="Heropenen")).to_be_visible()
    assert Task.objects.get(title="Huisbezoek plannen").status == TaskStatus.DONE

    page.get_by_role("link", name="Afgerond", exact=True).click()
    expect(page.get_by_test_id("tasks")).to_contain_text("Huisbezoek plannen")
