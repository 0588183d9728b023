"""In a real browser (Dutch, 360 px wide): a shelter's staff member gives the free places of a
kind of place, is refused when they exceed the capacity, confirms; the region's
zorgcoördinator sees the new figure on "Opvangplekken", with another shelter's places that
were not confirmed for eight days as "onbekend". Every page visited is checked by axe-core
(testing/browser.py); the last state explicitly too."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inbeeld.accounts.models import Role
from inbeeld.shelter.models import PlaceCapacity, PlaceKind
from inbeeld.shelter.tests.helpers import location_of, place_at, shelter_of, staff_of
from inbeeld.testing.browser import assert_accessible, log_in
from inbeeld.testing.factories import staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_shelter_confirms_free_places_and_the_coordinator_sees_them(
    live_server: Any, page: Any, browser: Any
) -> None:
    place = place_at(
        location_of(shelter_of("A"), "Huis aan Zee"), PlaceKind.WOMEN, capacity=10, occupied=4
    )
    place_at(
        location_of(shelter_of("A", "Tweede opvang"), "Huis Oost"),
        PlaceKind.CRISIS,
        capacity=3,
        occupied=0,
        confirmed_at=timezone.now() - timedelta(days=8),
    )
    staff = staff_of(place.location.organisation, "opvang.zee")
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")

    log_in(page, live_server.url, staff)
    page.set_viewport_size({"width": 360, "height": 800})
    page.get_by_role("link", name="Mijn opvangplekken").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn opvangplekken")
    card = page.get_by_test_id(f"own-place-{place.pk}")
    expect(card).to_contain_text("Huis aan Zee: Vrouwen")
    expect(card).to_contain_text("6 vrij")
    card.get_by_label("Vrije plekken").fill("11")
    card.get_by_role("button", name="Bevestigen").click()
    expect(page.locator("#id_free_error")).to_contain_text(
        "Meer plekken vrij (11) dan er zijn (10)"
    )
    assert PlaceCapacity.objects.get(pk=place.pk).occupied == 4
    page.get_by_label("Vrije plekken").fill("1")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_text("1 vrije plekken bevestigd")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    coordinator_context = browser.new_context(locale="nl-NL")
    coordinator_page = coordinator_context.new_page()
    try:
        log_in(coordinator_page, live_server.url, coordinator)
        coordinator_page.set_viewport_size({"width": 360, "height": 800})
        coordinator_page.get_by_role("link", name="Opvangplekken").first.click()
        row = coordinator_page.get_by_test_id(f"place-{place.pk}")
        expect(row).to_contain_text("Huis aan Zee")
        expect(row.get_by_test_id("free")).to_have_text("1")
        stale = coordinator_page.get_by_test_id("places").locator("tr", has_text="Huis Oost")
        expect(stale.get_by_test_id("free")).to_have_text("onbekend")
        expect(coordinator_page.get_by_test_id("totals").locator("tfoot")).to_contain_text("13")
        assert coordinator_page.evaluate("document.documentElement.scrollWidth") <= 360
        assert_accessible(coordinator_page)
    finally:
        coordinator_context.close()


def test_the_beheerder_creates_a_location_with_its_places(live_server: Any, page: Any) -> None:
    shelter_of("A", "Opvang Zeeland")
    beheerder = staff_user(role=Role.BEHEERDER, region_code="VR19")
    log_in(page, live_server.url, beheerder)
    page.set_viewport_size({"width": 360, "height": 800})
    page.get_by_role("link", name="Opvanglocaties").first.click()
    page.get_by_role("link", name="Nieuwe locatie").click()
    page.get_by_label("Naam van de locatie").fill("Huis aan de Kade")
    page.get_by_label("Gemeente").select_option(label="Vlissingen")
    page.get_by_label("Toelatingscriteria").fill("Vrouwen vanaf 18 jaar.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Locatie Huis aan de Kade aangemaakt.")).to_be_visible()
    page.get_by_role("link", name="Soort plek toevoegen").click()
    page.get_by_label("Soort plek").select_option(label="Vrouwen")
    page.get_by_label("Capaciteit").fill("8")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("location-places")).to_contain_text("Vrouwen")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert PlaceCapacity.objects.get().capacity == 8
