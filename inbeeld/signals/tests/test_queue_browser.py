"""In a real browser: the coordinator narrows her queue with the filters and a saved filter,
sorts it on a column, and does so on a phone's width (axe checks every state)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from inbeeld.accounts.models import Role
from inbeeld.signals.tests.test_queue import reported
from inbeeld.testing.browser import log_in
from inbeeld.testing.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_filters_sorts_and_uses_a_saved_filter(
    live_server: Any, page: Any, world: World
) -> None:
    labour = reported(world, exploitation_forms=["labour"], acute=True)
    minor = reported(world, exploitation_forms=["sexual"], victim_age_band="minor")
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, live_server.url, world.user(Role.ZORGCOORDINATOR))
    page.goto(f"{live_server.url}/signalen/")
    queue = page.get_by_test_id("queue")
    expect(queue).to_contain_text(labour.receipt_code)
    expect(queue).to_contain_text(minor.receipt_code)

    page.get_by_label("Vorm van uitbuiting").select_option(label="Seksuele uitbuiting")
    page.get_by_role("button", name="Filteren").click()
    expect(queue).to_contain_text(minor.receipt_code)
    expect(queue).not_to_contain_text(labour.receipt_code)

    page.get_by_role("link", name="Acuut", exact=True).click()
    expect(page.get_by_role("link", name="Acuut", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(queue).to_contain_text(labour.receipt_code)
    expect(queue).not_to_contain_text(minor.receipt_code)

    page.get_by_role("link", name="Alle signalen").click()
    page.get_by_role("link", name="Risicoscore").click()
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Risicoscore")
    page.get_by_role("link", name="Risicoscore").click()
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("Risicoscore")


def test_the_coordinator_finds_a_signal_by_a_name(
    live_server: Any, page: Any, world: World
) -> None:
    signal = reported(world, victim_name="Jan de Jong")
    log_in(page, live_server.url, world.user(Role.ZORGCOORDINATOR))
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Zoeken", exact=True).click()
    page.get_by_label("Zoeken naar").fill("jan de jong")
    page.get_by_role("button", name="Zoeken").click()
    results = page.get_by_test_id("results")
    expect(results).to_contain_text(signal.receipt_code)
    expect(results).to_contain_text("naam")
