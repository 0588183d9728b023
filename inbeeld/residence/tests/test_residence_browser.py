"""In a real browser (Dutch, 360 px wide): the zorgcoördinator records a reflection period
on a case, sees when it ends and its reminders, and finds the reminder in "Mijn taken".
Every page visited is checked by axe-core (testing/browser.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from inbeeld.accounts.models import Role
from inbeeld.cases.services import CaseInput, PersonInput, case_open
from inbeeld.residence.deadlines import reflection_end
from inbeeld.testing.browser import log_in
from inbeeld.testing.factories import region, staff_user
from inbeeld.web.templatetags.humanize_nl import short_date


def date_in_dutch(day: Any) -> str:
    # As the page writes it: the test process's language may be another test's (xdist).
    with translation.override("nl"):
        return short_date(day)


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_a_reflection_period_and_find_its_reminder_in_my_tasks(
    live_server: Any, page: Any
) -> None:
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    case = case_open(
        by=coordinator,
        region=region("VR19"),
        data=CaseInput(person=PersonInput(name="Voorbeeld Persoon", age_band="18-23")),
    )
    today = timezone.localdate()
    log_in(page, live_server.url, coordinator)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/dossiers/{case.pk}/")
    expect(page.get_by_test_id("residence")).to_contain_text("De IND beslist over verblijf")
    page.get_by_test_id("residence-record").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verblijfsstatus vastleggen")
    page.get_by_label("Nieuwe verblijfsstatus").select_option(label="Bedenktijd aangeboden")
    page.get_by_label("Vanaf").fill(today.isoformat())
    page.get_by_label("Notitie").fill("Aangeboden door de KMar.")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_text("Verblijfsstatus vastgelegd.")).to_be_visible()
    expect(page.get_by_test_id("residence-state")).to_contain_text("Bedenktijd aangeboden")
    expect(page.get_by_test_id("residence-deadline")).to_contain_text(
        date_in_dutch(reflection_end(today))
    )
    expect(page.get_by_test_id("residence-reminders")).to_contain_text(
        "Bedenktijd eindigt over 4 weken"
    )
    expect(page.get_by_test_id("timeline")).to_contain_text("Verblijf: Bedenktijd aangeboden")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # A step that cannot follow is refused on the form, naming the field.
    page.get_by_test_id("residence-record").click()
    page.get_by_label("Nieuwe verblijfsstatus").select_option(label="Beëindigd")
    page.get_by_label("Vanaf").fill(today.isoformat())
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_text("Kies hoe het eindigde.").first).to_be_visible()

    page.goto(f"{live_server.url}/taken/")
    tasks = page.get_by_test_id("tasks")
    expect(tasks).to_contain_text("Bedenktijd eindigt over 4 weken")
    expect(tasks).to_contain_text(case.reference)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
