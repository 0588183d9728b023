"""In a real browser (Dutch, 360 px wide): the zorgcoördinator asks for a shelter place from
the case page; the shelter's staff member finds the offer under "Opvangaanvragen" without
the person's name, accepts it, records the intake and later the outflow; the coordinator
sees the stay on the case page. Every page visited is checked by axe-core
(testing/browser.py); the last state explicitly too."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from inbeeld.accounts.models import Role
from inbeeld.cases.services import CaseInput, PersonInput, case_open
from inbeeld.placements.models import Placement, PlacementRequest
from inbeeld.shelter.models import PlaceCapacity, PlaceKind
from inbeeld.shelter.tests.helpers import location_of, place_at, shelter_of, staff_of
from inbeeld.testing.browser import assert_accessible, log_in
from inbeeld.testing.factories import region, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SECRET_NAME = "Geheime Naam Niet Delen"


def test_request_offer_accept_intake_outflow(live_server: Any, page: Any, browser: Any) -> None:
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    case = case_open(
        by=coordinator,
        region=region("VR19"),
        data=CaseInput(person=PersonInput(name=SECRET_NAME, age_band="18-23")),
    )
    place = place_at(
        location_of(shelter_of("A"), "Huis aan Zee"), PlaceKind.WOMEN, capacity=10, occupied=4
    )
    staff = staff_of(place.location.organisation, "opvang.zee")

    log_in(page, live_server.url, coordinator)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/dossiers/{case.pk}/")
    page.get_by_test_id("ask-place").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Opvangplek aanvragen")
    page.get_by_label("Soort plek").select_option(value=PlaceKind.WOMEN)
    page.get_by_label("Urgentie").select_option(value="crisis")
    page.get_by_label("Wat de persoon nodig heeft", exact=True).fill(
        "Vandaag nog een veilige plek."
    )
    page.get_by_label("Naam", exact=True).check()
    page.get_by_label("Grondslag").select_option(value="avg_6_1_e")
    page.get_by_role("button", name="Plek aanvragen").click()
    expect(page.get_by_text("aangeboden aan 1 locaties")).to_be_visible()
    reference = PlacementRequest.objects.get().reference
    expect(page.get_by_test_id(f"request-{reference}")).to_contain_text("Wacht op een plek")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    shelter_context = browser.new_context(locale="nl-NL")
    shelter_page = shelter_context.new_page()
    try:
        log_in(shelter_page, live_server.url, staff)
        shelter_page.set_viewport_size({"width": 360, "height": 800})
        shelter_page.get_by_role("link", name="Opvangaanvragen").first.click()
        expect(shelter_page.get_by_test_id("offers")).not_to_contain_text(SECRET_NAME)
        shelter_page.get_by_role("link", name=reference).click()
        expect(shelter_page.get_by_test_id("offer")).to_contain_text("Crisis: vandaag")
        expect(shelter_page.locator("main")).not_to_contain_text(SECRET_NAME)
        expect(shelter_page.locator("main")).not_to_contain_text("Vandaag nog een veilige plek")
        assert_accessible(shelter_page)
        shelter_page.get_by_role("button", name="Accepteren").click()
        expect(shelter_page.get_by_test_id("shared")).to_contain_text(SECRET_NAME)
        shelter_page.get_by_test_id("intake-link").click()
        expect(shelter_page.get_by_role("heading", level=1)).to_have_text("Opname vastleggen")
        shelter_page.get_by_role("button", name="Opname vastleggen").click()
        expect(shelter_page.get_by_text("Opname vastgelegd.")).to_be_visible()
        assert PlaceCapacity.objects.get(pk=place.pk).occupied == 5
        shelter_page.get_by_label("Bestemming").select_option(label="Eigen woonruimte")
        shelter_page.get_by_role("button", name="Uitstroom vastleggen").click()
        expect(shelter_page.get_by_text("Uitstroom vastgelegd.")).to_be_visible()
        assert shelter_page.evaluate("document.documentElement.scrollWidth") <= 360
        assert_accessible(shelter_page)
    finally:
        shelter_context.close()
    placement = Placement.objects.get()
    assert placement.destination == "own_housing"
    assert PlaceCapacity.objects.get(pk=place.pk).occupied == 4

    page.goto(f"{live_server.url}/dossiers/{case.pk}/")
    expect(page.get_by_test_id("case-placements")).to_contain_text("Eigen woonruimte")
    assert_accessible(page)
