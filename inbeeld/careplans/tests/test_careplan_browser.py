"""In a real browser (Dutch, 360 px wide, partly by keyboard): the zorgcoördinator writes a
care plan — from the case to the plan, a goal and an action — and finds the action on "Mijn
taken" and the change on the case's timeline, then opens the print view."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inbeeld.accounts.models import Role
from inbeeld.careplans.models import CarePlan
from inbeeld.cases.services import case_open_from_signals
from inbeeld.signals.tests.test_triage import partner_signal
from inbeeld.tasks.models import Task
from inbeeld.testing.browser import log_in
from inbeeld.testing.factories import staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_write_a_care_plan(live_server: Any, page: Any) -> None:
    signal = partner_signal()
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    case = case_open_from_signals(by=coordinator, signals=[signal])
    log_in(page, live_server.url, coordinator)
    page.set_viewport_size({"width": 360, "height": 800})

    page.goto(f"{live_server.url}/dossiers/{case.pk}/")
    expect(page.get_by_test_id("careplan")).to_contain_text("Nog geen zorgplan.")
    page.get_by_role("link", name="Zorgplan schrijven").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zorgplan")

    # The domain is part of the link's name for screen readers (visually hidden).
    page.get_by_role("link", name=re.compile(r"^Situatie, doelen.*: Veiligheid en opvang$")).click()
    page.get_by_label("Situatie").fill("Slaapt bij een kennis.")
    page.get_by_label("Doelen").fill("Een veilige opvangplek.")
    # Saved by keyboard: the form works without a mouse.
    page.get_by_role("button", name="Opslaan", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Zorgplan opgeslagen.")).to_be_visible()
    expect(page.get_by_test_id("domain-safety")).to_contain_text("Een veilige opvangplek.")

    page.get_by_role("link", name=re.compile(r"^Actie toevoegen\s*: Veiligheid en opvang$")).click()
    expect(page.get_by_label("Levensdomein")).to_have_value("safety")
    page.get_by_label("Actie", exact=True).fill("Opvangplek aanvragen bij de COSM.")
    due = timezone.localdate() + timedelta(days=4)
    page.get_by_label("Uiterste datum").fill(due.isoformat())
    page.get_by_role("button", name="Actie toevoegen", exact=True).click()
    expect(page.get_by_text("Actie toegevoegd.")).to_be_visible()
    expect(page.get_by_test_id("domain-safety")).to_contain_text("Opvangplek aanvragen")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.goto(f"{live_server.url}/taken/")
    expect(page.get_by_test_id("tasks")).to_contain_text(
        f"Zorgplan {case.reference}: actie voor veiligheid en opvang"
    )
    page.get_by_role("link", name=f"Zorgplan {case.reference}, veiligheid en opvang").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zorgplan")

    page.get_by_role("link", name="Terug naar het dossier").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("Zorgplan gewijzigd (versie 2)")
    expect(page.get_by_test_id("careplan")).to_contain_text("1 van 9 levensdomeinen ingevuld")

    page.get_by_role("link", name="Zorgplan openen").click()
    page.get_by_role("link", name="Geschiedenis van het plan").click()
    expect(page.get_by_test_id("versions")).to_contain_text(
        "Veiligheid en opvang: actie 1 toegevoegd"
    )
    page.get_by_role("link", name="Terug naar het zorgplan").click()
    page.get_by_role("link", name="Afdrukweergave").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Zorgplan {case.reference}")
    expect(page.locator("main")).to_contain_text("Opvangplek aanvragen bij de COSM.")
    assert page.locator("nav").count() == 0  # no menu on paper
    page.emulate_media(media="print")
    expect(page.get_by_text("Gebruik Afdrukken van uw browser")).to_be_hidden()

    plan = CarePlan.objects.get(case=case)
    assert plan.version == 3
    assert Task.objects.get(source="careplan.action").due == due
