"""In a real browser: the API documentation works under the strict Content-Security-Policy,
and /favicon.ico, which browsers ask for on every page, is there."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_show_the_endpoints_without_breaking_the_csp(
    live_server: Any, page: Any
) -> None:
    # The page fixture fails the test on any Content-Security-Policy violation (conftest.py).
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.get_by_text("/api/v1/signals/", exact=True).first).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "en"


def test_the_favicon_is_served(live_server: Any, page: Any) -> None:
    response = page.goto(f"{live_server.url}/favicon.ico")
    assert response is not None and response.status == 200
    assert response.headers["content-type"].startswith("image/")
    assert page.evaluate("document.querySelector('link[rel=icon]') === null"), (
        "an image, not a page"
    )
