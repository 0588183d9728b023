"""In a real browser: the FG looks up the demo person and opens the access export."""

from __future__ import annotations

from typing import Any

import pytest

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
