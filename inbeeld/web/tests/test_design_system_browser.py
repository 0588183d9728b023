"""In a real browser: the NL Design System's look, the header on a phone, the error summary."""

from __future__ import annotations

import re
from typing import Any

import pytest

from inbeeld.accounts.models import Role
from inbeeld.testing.browser import log_in
from inbeeld.testing.factories import staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_staff_header_takes_at_most_a_fifth_of_a_phone_screen(
    live_server: Any, page: Any
) -> None:
    # The zorgcoördinator has the longest menu of any role.
    log_in(page, live_server.url, staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19"))
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(live_server.url + "/")
    header = page.locator("header.site-header").bounding_box()
    assert header is not None and header["height"] <= 640 / 5
    # Every menu item is still reached with the keyboard, scrolled into view when focused.
    last = page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link").last
    last.focus()
    box = last.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360


@pytest.mark.parametrize("width", [360, 1280])
def test_headings_get_smaller_level_by_level_on_a_phone_and_a_desktop(
    live_server: Any, page: Any, width: int
) -> None:
    # The programme lead's home page has all three: the welcome, "Kerncijfers", the region.
    log_in(page, live_server.url, staff_user(role=Role.KETENREGISSEUR, region_code="VR19"))
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + "/")
    sizes = [
        page.evaluate(
            f"parseFloat(getComputedStyle(document.querySelector('main {level}')).fontSize)"
        )
        for level in ("h1", "h2", "h3")
    ]
    assert sizes[0] > sizes[1] > sizes[2], sizes


def test_the_design_system_styles_the_page(live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/meldpunt/")
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "system-ui" in font  # InBeeld's theme on the NL Design System tokens
    assert page.evaluate("document.documentElement.className") == "utrecht-html voorbeeld-theme"


def test_a_refused_form_starts_with_a_summary_that_links_to_each_field(
    live_server: Any, page: Any
) -> None:
    log_in(page, live_server.url, staff_user(role=Role.FG, region_code="VR19"))
    page.goto(live_server.url + "/privacy/verzoeken/")
    page.get_by_role("button", name="Registreren").click()
    summary = page.get_by_test_id("error-summary")
    assert summary.get_by_role("heading").inner_text() == "Er is een probleem"
    summary.get_by_role("link", name=re.compile("^Ontvangen op: ")).click()
    assert page.evaluate("document.activeElement.id") == "id_received_on"
