"""In a real browser: each role's home page ("Vandaag") shows its own work, in Dutch
(axe checks every page). The coordinator's is also checked at a phone's width."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from inbeeld.accounts.models import Role
from inbeeld.signals.models import Signal
from inbeeld.signals.tests.test_home import tip_to_police
from inbeeld.signals.tests.test_queue import reported
from inbeeld.testing.browser import log_in
from inbeeld.testing.factories import staff_user
from inbeeld.testing.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_on_a_phone_sees_acute_and_minors_first(
    live_server: Any, page: Any, world: World
) -> None:
    calm = reported(world)
    acute = reported(world, acute=True, victim_age_band="minor")
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, live_server.url, world.user(Role.ZORGCOORDINATOR))
    page.goto(f"{live_server.url}/")
    block = page.get_by_test_id("coordinator-today")
    expect(block.get_by_role("heading", name="Open signalen van uw regio")).to_be_visible()
    rows = block.locator("tbody tr")
    expect(rows.first).to_contain_text(acute.receipt_code)
    expect(rows.first).to_contain_text("Minderjarig")
    expect(rows.nth(1)).to_contain_text(calm.receipt_code)
    expect(block.get_by_test_id("status-counts")).to_contain_text("Nieuw: 2")
    # Nothing runs off the side of a phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_police_see_their_reports_and_tips(live_server: Any, page: Any, world: World) -> None:
    tip_to_police(world)
    log_in(page, live_server.url, world.reporter("A"))
    page.goto(f"{live_server.url}/")
    reports = page.get_by_test_id("organisation-reports")
    expect(reports).to_contain_text(world.signal("A").receipt_code)
    tips = page.get_by_test_id("tips-today")
    expect(tips).to_contain_text("Uw organisatie ontving 1 tip.")
    tips.get_by_role("link", name="De tips lezen").click()
    expect(page.get_by_role("heading", name="Ontvangen tips")).to_be_visible()


def test_the_administrator_sees_accounts_without_second_factor(
    live_server: Any, page: Any, world: World
) -> None:
    newcomer = staff_user(
        role=Role.KETENPARTNER, organisation=world.organisation("A"), with_totp=False
    )
    log_in(page, live_server.url, world.user(Role.BEHEERDER))
    page.goto(f"{live_server.url}/")
    block = page.get_by_test_id("accounts-attention")
    expect(block).to_contain_text("1 account zonder tweede factor")
    expect(block).to_contain_text(newcomer.username)
    expect(block).to_contain_text("Geen account is geblokkeerd.")


def test_the_researcher_sees_the_latest_runs(live_server: Any, page: Any, world: World) -> None:
    world.run("A")
    log_in(page, live_server.url, world.user(Role.ONDERZOEKER))
    page.goto(f"{live_server.url}/")
    block = page.get_by_test_id("latest-runs")
    expect(block.get_by_role("heading", name="Laatste koppelingen")).to_be_visible()
    expect(block.get_by_role("link", name="2025 · Zeeland")).to_be_visible()


def test_the_fg_sees_restricted_signals(live_server: Any, page: Any, world: World) -> None:
    signal = reported(world)
    Signal.objects.filter(pk=signal.pk).update(restricted=True)
    log_in(page, live_server.url, world.user(Role.FG))
    page.goto(f"{live_server.url}/")
    block = page.get_by_test_id("restricted-signals")
    expect(block).to_contain_text("1 signaal is beperkt")
    block.get_by_role("link", name=signal.receipt_code).click()
    expect(page.get_by_text(signal.receipt_code).first).to_be_visible()


@pytest.mark.parametrize("role", [Role.BESTUURDER, Role.KETENREGISSEUR])
def test_the_administrator_and_the_programme_lead_see_the_key_figures_on_a_phone(
    live_server: Any, page: Any, world: World, role: str
) -> None:
    for _number in range(6):
        reported(world)
    reported(world, acute=True)
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, live_server.url, world.user(role))
    page.goto(f"{live_server.url}/")
    block = page.get_by_test_id("key-figures")
    expect(block.get_by_role("heading", name="Kerncijfers")).to_be_visible()
    received = block.get_by_role("row", name="Ontvangen signalen")
    expect(received).to_contain_text("7")
    expect(block.get_by_role("row", name="waarvan acuut")).to_contain_text("minder dan 5")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
