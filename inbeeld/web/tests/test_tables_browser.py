"""In a real browser: wide tables on a 360 px phone keep readable columns and scroll inside
their own box, reached with the keyboard; the page itself never scrolls sideways; on a
desktop a table that fits shows no scroll bar."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from inbeeld.accounts.models import Role
from inbeeld.cases.services import case_open_from_signals
from inbeeld.signals.tests.test_queue import reported
from inbeeld.testing.browser import assert_accessible, log_in
from inbeeld.testing.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 800}

# Per table: its scroll region (if any), and the words in its cells that the browser broke
# across lines (a word split mid-letter is unreadable; wrapping between words is fine).
_TABLES = """() => [...document.querySelectorAll("main table")].map((table) => {
  const wrapper = table.parentElement.closest(".table-scroll");
  const broken = [];
  for (const cell of table.querySelectorAll("th, td")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/[^\\s\\-\\u2013\\u2014\\/]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  const overflowing = [...table.querySelectorAll("th")]
    .filter((th) => th.scrollWidth > th.clientWidth + 1)
    .map((th) => th.innerText);
  return {
    testid: table.dataset.testid || "",
    wrapped: wrapper !== null && wrapper.getAttribute("role") === "region"
      && wrapper.tabIndex === 0 && (wrapper.getAttribute("aria-label")
        || wrapper.getAttribute("aria-labelledby") || "") !== "",
    display: getComputedStyle(table).display,
    scrolls: wrapper !== null && wrapper.scrollWidth > wrapper.clientWidth,
    fits: wrapper !== null && wrapper.scrollWidth <= wrapper.clientWidth
      && wrapper.scrollHeight <= wrapper.clientHeight,
    broken, overflowing,
  };
})"""


def _tables(page: Any) -> list[dict[str, Any]]:
    tables: list[dict[str, Any]] = page.evaluate(_TABLES)
    assert tables, "the page shows no table"
    return tables


def _assert_readable_on_a_phone(page: Any, testid: str) -> None:
    """The page does not scroll sideways, no word in a table is broken, every table sits
    in a labelled, focusable region (not a block-displayed table), and ``testid``'s region
    scrolls: Tab reaches it, its focus is visible, and the arrow key scrolls it."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    tables = _tables(page)
    for table in tables:
        assert table["wrapped"], table
        assert table["display"] == "table", table
        assert table["broken"] == [], table
        assert table["overflowing"] == [], table
    wide = next(table for table in tables if table["testid"] == testid)
    assert wide["scrolls"], wide

    region = page.get_by_test_id(testid).locator("xpath=..")
    expect(region).to_have_class("table-scroll")
    page.locator("body").focus()
    for _press in range(120):  # as a keyboard user does: Tab until the table is reached
        page.keyboard.press("Tab")
        if region.evaluate("(el) => el === document.activeElement"):
            break
    else:
        raise AssertionError(f"Tab never reaches the table {testid}")
    outline = region.evaluate("(el) => getComputedStyle(el).outlineStyle")
    assert outline == "solid"  # the theme's focus ring
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "(id) => document.querySelector(`[data-testid='${id}']`).parentElement.scrollLeft > 0",
        arg=testid,
    )
    assert page.evaluate("window.scrollX") == 0
    assert_accessible(page)


def _signals(world: World, count: int = 3) -> list[Any]:
    return [
        reported(
            world,
            exploitation_forms=["labour", "sexual"],
            acute=(number == 0),
            victim_age_band="minor" if number == 1 else "",
            victim_name=f"Persoon Achternaamvoorbeeld {number}",
        )
        for number in range(count)
    ]


def test_the_queue_and_the_cases_read_on_a_phone(live_server: Any, page: Any, world: World) -> None:
    signals = _signals(world)
    coordinator = world.user(Role.ZORGCOORDINATOR)
    case_open_from_signals(by=coordinator, signals=signals[:1])
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, coordinator)

    page.goto(f"{live_server.url}/signalen/")
    expect(page.get_by_test_id("queue")).to_contain_text(signals[2].receipt_code)
    _assert_readable_on_a_phone(page, "queue")

    page.goto(f"{live_server.url}/dossiers/")
    expect(page.get_by_test_id("cases")).to_contain_text("Achternaamvoorbeeld")
    _assert_readable_on_a_phone(page, "cases")


def test_the_audit_trail_reads_on_a_phone(live_server: Any, page: Any, world: World) -> None:
    signals = _signals(world, count=2)
    case_open_from_signals(by=world.user(Role.ZORGCOORDINATOR), signals=signals)
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, world.user(Role.FG))
    page.goto(f"{live_server.url}/audit/")
    expect(page.get_by_test_id("audit-entries").locator("tbody tr").first).to_be_visible()
    _assert_readable_on_a_phone(page, "audit-entries")


def test_on_a_desktop_a_table_that_fits_shows_no_scroll_bar(
    live_server: Any, page: Any, world: World
) -> None:
    coordinator = world.user(Role.ZORGCOORDINATOR)
    case_open_from_signals(by=coordinator, signals=_signals(world, count=1))
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server.url, coordinator)
    page.goto(f"{live_server.url}/dossiers/")
    (cases,) = (table for table in _tables(page) if table["testid"] == "cases")
    assert cases["fits"] and not cases["scrolls"], cases
    assert cases["broken"] == [] and cases["overflowing"] == [], cases
    # The table fills the width of the page's content, as before.
    widths = page.get_by_test_id("cases").evaluate(
        "(table) => { const box = table.parentElement, style = getComputedStyle(box);"
        " return [table.offsetWidth, box.clientWidth - parseFloat(style.paddingLeft)"
        " - parseFloat(style.paddingRight)]; }"
    )
    assert abs(widths[0] - widths[1]) <= 1, widths
