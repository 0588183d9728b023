"""In a real browser: partners upload encoded lists, the coordinator links them and reads.

The django-q2 worker is simulated: the test runs the task itself once the page is waiting.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.insight import services
from inbeeld.insight.models import LinkageRun
from inbeeld.insight.tasks import linkage_run_task
from inbeeld.insight.tests.encoded import encoded_lists
from inbeeld.testing.browser import assert_accessible, log_in
from inbeeld.testing.factories import OrganisationFactory, region, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partners_upload_and_the_coordinator_sees_the_run_go_from_queued_to_done(
    live_server: Any, browser: Any, page: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The page is the subject here, not the interval: 50 replicates show it as 1,000 do.
    monkeypatch.setattr(services, "BOOTSTRAP_REPLICATES", 50)
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
        partner_page = context.new_page()
        log_in(partner_page, live_server.url, partner)
        partner_page.get_by_role("link", name="Omvangschatting").click()
        partner_page.get_by_role("link", name="Gecodeerde lijst uploaden").click()
        partner_page.get_by_label("Jaar").select_option("2025")
        partner_page.get_by_label("Gecodeerd bestand").set_input_files(str(file))
        partner_page.get_by_role("button", name="Uploaden").click()
        assert partner_page.get_by_text("Gecodeerde lijst ontvangen").is_visible()
        context.close()

    coordinator = staff_user(role=Role.ZORGCOORDINATOR)
    log_in(page, live_server.url, coordinator)
    page.get_by_role("link", name="Omvangschatting").click()
    page.get_by_label("Jaar").select_option("2025")
    page.get_by_role("button", name="Koppelen en schatten").click()
    # The request returns at once; the run waits for the worker, and the page says so.
    state = page.get_by_test_id("run-state")
    expect(state).to_contain_text("Wacht tot de achtergrondverwerking begint")
    live = page.locator("[aria-live=polite]")
    expect(live).to_contain_text("Wacht")
    assert not page.get_by_test_id("estimate").count()

    run = LinkageRun.objects.get()
    assert linkage_run_task(run.pk) == "done"  # the worker, here in the test's own thread

    # The page's poll picks up the result, without a reload, inside the live region.
    estimate = live.get_by_test_id("estimate")
    expect(estimate).to_contain_text("Geschat aantal slachtoffers", timeout=15_000)
    expect(state).to_contain_text("Klaar op")
    chart = page.get_by_role("img", name="Personen per combinatie van lijsten")
    assert chart.evaluate("img => img.naturalWidth") > 0  # the picture really loaded
    expect(page.get_by_role("cell", name="Veilig Thuis Zeeland")).to_be_visible()
    assert_accessible(page)  # the result the poll swapped in, without a navigation
