"""In a real browser: a ketenpartner enters a signal with two signs and a photo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.signals.indicators import load_catalogue
from inbeeld.signals.models import Signal
from inbeeld.signals.tests.test_intake import PNG
from inbeeld.testing.browser import log_in
from inbeeld.testing.factories import OrganisationFactory, region, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_partner_enters_a_signal_with_checklist_and_attachment(
    live_server: Any, page: Any
) -> None:
    organisation = OrganisationFactory.create(
        type=OrganisationType.POLICE, region=region("VR19"), name="Politie Zeeland"
    )
    partner = staff_user(role=Role.KETENPARTNER, organisation=organisation)
    catalogue = load_catalogue()
    lives_at_work = catalogue.indicator("LAB-LIVES-AT-WORK").nl
    wages_withheld = catalogue.indicator("LAB-WAGES-WITHHELD").nl

    log_in(page, live_server.url, partner)
    page.get_by_role("link", name="Nieuw signaal").click()
    assert page.get_by_label("Namens (bronorganisatie)").input_value() == str(organisation.pk)
    page.get_by_label("Wat is er opgevallen?").fill(
        "Zes arbeiders slapen in de loods van het bedrijf en krijgen hun loon niet."
    )
    page.get_by_label("Plaats delict (gemeente)").select_option(label="Goes")
    page.get_by_label("Arbeidsuitbuiting", exact=True).check()
    labour = page.get_by_test_id("indicators-labour")
    labour.get_by_label(lives_at_work).check()
    labour.get_by_label(wages_withheld).check()
    page.get_by_label("Bijlagen (niet verplicht)").set_input_files(
        files=[{"name": "loods.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_role("button", name="Signaal opslaan").click()

    page.wait_for_url(f"{live_server.url}/signalen/*/")
    assert page.get_by_text("Signaal opgeslagen.").is_visible()
    attachments = page.get_by_test_id("attachments")
    assert attachments.get_by_role("link", name="loods.png").is_visible()
    assert "image/png" in attachments.inner_text()
    risk = page.get_by_test_id("risk").inner_text()
    assert lives_at_work in risk and wages_withheld in risk
    signal = Signal.objects.get()
    assert signal.indicators == ["LAB-LIVES-AT-WORK", "LAB-WAGES-WITHHELD"]
    assert signal.source_organisation == organisation

    with page.expect_download() as download:
        attachments.get_by_role("link", name="loods.png").click()
    assert download.value.suggested_filename == "loods.png"
    assert Path(download.value.path()).read_bytes() == PNG
