"""In a real browser (Dutch, 360 px wide): the ketenregisseur opens the case table's figures
from the menu, narrows the period, and is told which field is wrong."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from inbeeld.accounts.models import Role
from inbeeld.casetable.tests.test_statistics import DAY, history
from inbeeld.testing.browser import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_page_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= 360"))


def test_the_ketenregisseur_reads_the_figures_on_a_phone(
    live_server: Any, page: Any, world: Any
) -> None:
    history(world)
    user = world.user(Role.KETENREGISSEUR, "A")
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, live_server.url, user)
    expect(page.get_by_test_id("case-table-figures")).to_contain_text("2 overleggen gehouden")
    page.get_by_role("link", name="Alle cijfers van de overlegtafel").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cijfers overlegtafel: Zeeland")
    expect(page.get_by_test_id("signal-to-table")).to_contain_text(
        "mediaan 10 dagen (van 3 tot 10), 3 signalen"
    )
    expect(page.get_by_test_id("decision-to-action")).to_contain_text(
        "mediaan 1 dagen (van 0 tot 2), 3 besluiten"
    )
    expect(page.get_by_test_id("lead-partners")).to_contain_text("Opvang")
    expect(page.get_by_test_id("meeting-figures")).to_contain_text("2 overleggen")
    assert_accessible(page)
    assert no_page_scroll(page)

    page.get_by_label("Vanaf").fill((DAY + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Tonen").click()
    expect(page.get_by_test_id("meeting-figures")).to_contain_text("1 overleg")
    expect(page.get_by_test_id("signal-to-table")).to_contain_text("1 signaal")
    assert no_page_scroll(page)

    page.get_by_label("Tot en met").fill(DAY.isoformat())
    page.get_by_role("button", name="Tonen").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text(
        "Tot en met: Het einde van de periode ligt voor het begin."
    )
    assert no_page_scroll(page)
