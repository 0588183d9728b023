"""In a real browser: a neighbour reports on a phone, follows up, and the coordinator triages."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.cache import cache

from inbeeld.accounts.models import Role
from inbeeld.signals.forms import MINIMUM_FILL_SECONDS
from inbeeld.signals.models import Signal, Status
from inbeeld.testing.browser import log_in
from inbeeld.testing.factories import staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anonymous_report_receipt_follow_up_and_triage(live_server: Any, browser: Any) -> None:
    cache.clear()
    phone = browser.new_context(locale="nl-NL", viewport={"width": 320, "height": 640})
    page = phone.new_page()
    page.goto(f"{live_server.url}/meldpunt/")
    assert page.get_by_text("Is iemand nu in gevaar? Bel 112.").is_visible()
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.get_by_label("Wat is u opgevallen?").fill(
        "Acht mannen wonen in één kamer boven de garage en worden 's ochtends opgehaald."
    )
    page.get_by_label("Werk", exact=True).check()
    page.get_by_label("Woont de persoon op het werkadres of op het bedrijfsterrein?").check()
    page.get_by_label("In welke gemeente?").select_option(label="Goes")
    time.sleep(MINIMUM_FILL_SECONDS)  # a person takes a few seconds; robots do not
    page.get_by_role("button", name="Melding versturen").click()
    code = page.get_by_test_id("receipt-code").inner_text()
    secret = page.get_by_test_id("receipt-secret").inner_text()
    signal = Signal.objects.get(receipt_code=code)
    assert signal.indicators == ["LAB-LIVES-AT-WORK"]
    assert signal.risk_score > 0

    page.get_by_role("link", name="Status bekijken of informatie toevoegen").click()
    page.get_by_label("Ontvangstcode").fill(code)
    page.get_by_label("Geheime code").fill(secret)
    page.get_by_role("button", name="Status tonen").click()
    assert "Ontvangen" in page.get_by_test_id("public-status").inner_text()
    page.get_by_label("Wat wilt u toevoegen?").fill("Het busje is wit met een Pools kenteken.")
    page.get_by_role("button", name="Informatie toevoegen").click()
    assert page.get_by_text("uw informatie is toegevoegd").is_visible()
    phone.close()

    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    office = browser.new_context(locale="nl-NL")
    page = office.new_page()
    log_in(page, live_server.url, coordinator)
    page.get_by_role("link", name="Signalen").click()
    page.get_by_role("link", name=code).click()
    assert (
        "Pools kenteken" in page.get_by_text("Aangevuld door de melder").locator("..").inner_text()
    )
    page.get_by_label("Status").select_option(Status.CLOSED)
    page.get_by_label("Uitkomst").select_option("andere_problematiek")
    page.get_by_role("button", name="Opslaan").click()
    assert "Afgesloten" in page.get_by_test_id("status").inner_text()
    signal.refresh_from_db()
    assert signal.status == Status.CLOSED
    office.close()


FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    name: el.name || el.id || el.tagName + ':' + el.textContent.trim(),
    outline: style.outlineStyle !== 'none' && style.outlineWidth !== '0px',
  };
}"""


def test_the_meldpunt_can_be_sent_with_the_keyboard_alone(live_server: Any, browser: Any) -> None:
    cache.clear()
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.goto(f"{live_server.url}/meldpunt/")
    visited: list[str] = []
    for _tab in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        visited.append(focused["name"])
        assert focused["outline"], f"{focused['name']} shows no focus outline"
        if focused["name"] == "description":
            page.keyboard.type("Drie meisjes worden elke avond met een auto opgehaald.")
        elif focused["name"] == "municipality":
            page.keyboard.type("Goes")
        elif focused["name"] == "BUTTON:Melding versturen":
            break
    assert "website" not in visited, f"the robot trap must not take keyboard focus: {visited}"
    assert "description" in visited, visited
    assert visited.index("description") < visited.index("municipality")
    time.sleep(MINIMUM_FILL_SECONDS)
    page.keyboard.press("Enter")
    code = page.get_by_test_id("receipt-code").inner_text()
    signal = Signal.objects.get(receipt_code=code)
    assert signal.municipality is not None and signal.municipality.name == "Goes"
    context.close()
