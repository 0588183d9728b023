"""In a real browser: partners upload encoded lists, the coordinator links them and reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.insight.tests.encoded import encoded_lists
from inbeeld.testing.browser import log_in
from inbeeld.testing.factories import OrganisationFactory, region, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partners_upload_and_the_coordinator_sees_overlap_and_estimate(
    live_server: Any, browser: Any, tmp_path: Path
) -> None:
    lists = encoded_lists(tmp_path, coverage=(0.6, 0.5), people=80, seed=5)
    kinds = [
        ("Politie Zeeland-West-Brabant", OrganisationType.POLICE),
        ("Veilig Thuis Zeeland", OrganisationType.VEILIG_THUIS),
    ]
    for (name, kind), data in zip(kinds, lists.files, strict=True):
        organisation = OrganisationFactory.create(name=name, type=kind, region=region("VR19"))
        partner = staff_user(role=Role.KETENPARTNER, organisation=organisation)
        file = tmp_path / f"{kind}.csv"
        file.write_bytes(data)
        context = browser.new_context(locale="nl-NL")
        page = context.new_page()
        log_in(page, live_server.url, partner)
        page.get_by_role("link", name="Omvangschatting").click()
        page.get_by_role("link", name="Versleutelde lijst uploaden").click()
        page.get_by_label("Jaar").select_option("2025")
        page.get_by_label("Versleuteld bestand").set_input_files(str(file))
        page.get_by_role("button", name="Uploaden").click()
        assert page.get_by_text("Versleutelde lijst ontvangen").is_visible()
        context.close()

    coordinator = staff_user(role=Role.ZORGCOORDINATOR)
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda msg: errors.append(msg.text) if "Content Security" in msg.text else None
    )
    log_in(page, live_server.url, coordinator)
    page.get_by_role("link", name="Omvangschatting").click()
    page.get_by_label("Jaar").select_option("2025")
    page.get_by_role("button", name="Koppelen en schatten").click()
    estimate = page.get_by_test_id("estimate")
    assert "Geschat aantal slachtoffers" in estimate.inner_text()
    chart = page.get_by_role("img", name="Personen per combinatie van lijsten")
    assert chart.evaluate("img => img.naturalWidth") > 0  # the picture really loaded
    assert not errors
    context.close()
