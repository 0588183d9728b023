"""The accessibility check every browser test runs (inbeeld/testing/browser.py) finds what
it should: a serious problem fails, both when asked and before the next step of a test."""

from __future__ import annotations

from typing import Any

import pytest

from inbeeld.testing.browser import AXE_SOURCE, AXE_VERSION, AccessibilityError, assert_accessible

pytestmark = pytest.mark.browser

# A list whose items lost their list: role="status" on the ul (what base.html had).
BROKEN = (
    '<!DOCTYPE html><html lang="nl"><title>t</title><main><ul role="status"><li>x</li></ul></main>'
)
FIXED = (
    '<!DOCTYPE html><html lang="nl"><title>t</title><main><div role="status"><ul><li>x</li>'
    "</ul></div></main>"
)


def test_the_vendored_axe_core_is_the_version_the_helper_names() -> None:
    assert AXE_SOURCE.read_text(encoding="utf-8").startswith(f"/*! axe v{AXE_VERSION}\n")


def test_asking_finds_a_serious_problem_and_passes_a_page_without(page: Any) -> None:
    page.set_content(BROKEN)
    with pytest.raises(AccessibilityError, match="listitem"):
        assert_accessible(page)
    page.set_content(FIXED)
    assert_accessible(page)


def test_a_page_reached_by_navigating_is_checked_before_the_next_step(page: Any) -> None:
    page.route(
        "http://inbeeld.test/", lambda route: route.fulfill(body=BROKEN, content_type="text/html")
    )
    page.goto("http://inbeeld.test/")
    with pytest.raises(AccessibilityError, match=r"http://inbeeld.test/: listitem \(serious\)"):
        page.title()
