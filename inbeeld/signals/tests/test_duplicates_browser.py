"""In a real browser: a zorgcoördinator merges a likely duplicate, reads both, and undoes it."""

from __future__ import annotations

from typing import Any

import pytest

from inbeeld.accounts.models import Role
from inbeeld.signals.services import reporter_addition_add
from inbeeld.signals.tests.test_duplicates import GOES, new_signal
from inbeeld.testing.browser import log_in
from inbeeld.testing.factories import staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_merges_a_proposed_duplicate_and_undoes_it(
    live_server: Any, page: Any
) -> None:
    kept = new_signal(GOES, victim_name="José Pérez", description="Werkt in een nagelstudio.")
    duplicate = new_signal(GOES, victim_name="jose perez", description="Slaapt in de studio.")
    reporter_addition_add(signal=duplicate, text="Ze heeft geen paspoort meer.")
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    log_in(page, live_server.url, coordinator)
    page.goto(f"{live_server.url}/signalen/{kept.pk}/")

    proposal = page.get_by_test_id("duplicate-proposal")
    assert duplicate.receipt_code in proposal.inner_text()
    assert "Zelfde naam van het mogelijke slachtoffer" in proposal.inner_text()
    page.get_by_role("button", name=f"{duplicate.receipt_code} samenvoegen in dit signaal").click()

    merged_message = f"Signaal {duplicate.receipt_code} is in dit signaal samengevoegd."
    assert page.get_by_text(merged_message).is_visible()
    history = page.get_by_test_id("merged-signal")
    assert "Slaapt in de studio." in history.inner_text()
    assert "Ze heeft geen paspoort meer." in history.inner_text()
    assert page.get_by_test_id("duplicate-proposal").count() == 0

    page.get_by_role("link", name="Signalen", exact=True).click()
    assert page.get_by_role("link", name=kept.receipt_code).is_visible()
    assert page.get_by_role("link", name=duplicate.receipt_code).count() == 0

    page.goto(f"{live_server.url}/signalen/{duplicate.pk}/")
    notice = page.get_by_test_id("merged-into").inner_text()
    assert f"Dit signaal is samengevoegd in {kept.receipt_code}." in notice
    page.get_by_role("button", name="Samenvoeging ongedaan maken").click()
    assert page.get_by_text("De samenvoeging is ongedaan gemaakt").is_visible()
    assert page.get_by_test_id("merged-into").count() == 0
    assert kept.receipt_code in page.get_by_test_id("duplicate-proposal").inner_text()
