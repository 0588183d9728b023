"""In a real browser (360 px wide, Dutch and English): the council's administrator opens the
figures from the menu, filters on a municipality, reads a table beside its chart, and finds
the expected number with its arithmetic; axe-core on every state."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from inbeeld.accounts.models import Role
from inbeeld.insight.tests.test_dashboard import a_case, a_signal, zeeland
from inbeeld.testing.browser import assert_accessible, log_in
from inbeeld.testing.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_administrator_reads_the_figures_on_a_phone_in_dutch_and_english(
    live_server: Any, page: Any, world: World
) -> None:
    place = zeeland()
    goes = place.municipalities.get(code="GM0664")
    for year in (2023, 2024):
        for _n in range(6):
            a_signal(place, year=year, municipality=goes, victim_gender="female")
        for _n in range(3):  # the place unknown
            a_signal(place, year=year, victim_gender="male", victim_nationality="RO")
    a_signal(place, municipality=goes, victim_gender="other")  # one: hidden
    owner = world.user(Role.ZORGCOORDINATOR)
    for _n in range(5):
        a_case(place, owner, events=[{"kind": "exploitation", "country": "RO"}])
    administrator = world.user(Role.BESTUURDER)

    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, live_server.url, administrator)
    page.get_by_role("link", name="Cijfers").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zeeland")
    expect(page.get_by_test_id("total-signals")).to_contain_text("19")
    gender = page.get_by_test_id("figures-signals-gender")
    expect(gender.get_by_role("img")).to_have_accessible_name("Signalen naar geslacht")
    expect(gender.get_by_role("table")).to_contain_text("minder dan 5")
    expect(page.get_by_test_id("expected-arithmetic")).to_contain_text("aandeel in de bevolking")
    expect(page.get_by_test_id("national-series")).to_contain_text("1321")
    expect(
        page.get_by_role("img", name="Signalen per 100.000 inwoners per gemeente")
    ).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)

    page.get_by_label("Gemeente", exact=True).select_option("GM0664")
    page.get_by_role("button", name="Tonen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Goes")
    expect(page.get_by_test_id("total-signals")).to_contain_text("13")
    with page.expect_download() as download:
        page.get_by_test_id("csv-signals-year").click()
    assert download.value.suggested_filename.startswith("inbeeld-cijfers-GM0664-signals-year")
    assert_accessible(page)

    page.get_by_role("button", name="English").click()
    page.goto(f"{live_server.url}/inzicht/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Figures")
    expect(page.get_by_test_id("expected-arithmetic")).to_contain_text("population share")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
