"""In a real browser: the FG looks up the demo person and opens the access export."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from inbeeld.accounts.demo import demo_create
from inbeeld.accounts.models import Role
from inbeeld.signals.demo import DEMO_PERSON
from inbeeld.testing.browser import log_in
from inbeeld.testing.factories import staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_fg_searches_the_demo_person_and_opens_the_export(live_server: Any, page: Any) -> None:
    demo_create()
    fg = staff_user(role=Role.FG, region_code="VR19")
    log_in(page, live_server.url, fg)
    page.get_by_role("link", name="Verzoeken van betrokkenen").click()
    page.get_by_label("Naam").fill(DEMO_PERSON.lower())
    page.get_by_role("button", name="Zoeken").click()
    hits = page.get_by_test_id("subject-hits")
    assert hits.locator("tbody tr").count() == 2  # both spellings, Zeeland only
    for box in page.get_by_role("checkbox").all():
        box.check()
    page.get_by_label("Reden").fill("Verzoek per brief, identiteit gecontroleerd")
    page.get_by_role("button", name="Inzageoverzicht maken").click()
    export = page.get_by_test_id("subject-export")
    assert "Wat InBeeld over u vastlegt" in export.inner_text()
    assert export.get_by_test_id("export-signal").count() == 2
    assert "gesprek gepland met de persoon" in export.get_by_test_id("export-notes").inner_text()
    assert page.get_by_role("link", name="Downloaden als JSON").is_visible()


def test_fg_registers_a_request_and_finds_it_on_her_home_page(live_server: Any, page: Any) -> None:
    fg = staff_user(role=Role.FG, region_code="VR19")
    log_in(page, live_server.url, fg)
    page.get_by_role("link", name="Verzoeken van betrokkenen").click()
    page.get_by_role("link", name="Ontvangen verzoeken, met hun antwoorddatum").click()
    page.get_by_label("Soort verzoek").select_option("erasure")
    received = timezone.localdate() - timedelta(days=40)
    page.get_by_label("Ontvangen op").fill(received.isoformat())
    page.get_by_label("Kenmerk").fill("brief 2026-114")
    page.get_by_role("button", name="Registreren").click()
    rows = page.get_by_test_id("received-requests").locator("tbody tr")
    assert rows.count() == 1
    assert "verlopen" in rows.first.inner_text()
    page.goto(live_server.url + "/")
    block = page.get_by_test_id("fg-requests")
    assert "Wissen" in block.inner_text() and "verlopen" in block.inner_text()
    block.get_by_role("link", name="Wissen (AVG art. 17)").click()
    page.get_by_label("Geweigerd").check()
    page.get_by_label("Wat de persoon is meegedeeld").fill("Identiteit niet vast te stellen")
    page.get_by_role("button", name="Afsluiten").click()
    assert page.get_by_test_id("status").inner_text() == "geweigerd"
    page.goto(live_server.url + "/")
    assert "Geen open verzoeken." in page.get_by_test_id("fg-requests").inner_text()
