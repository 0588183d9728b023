"""In a real browser (Dutch, 360 px wide): the zorgcoördinator registers a minor from the
case page, is told at the field that the parents sign under 16, corrects it, downloads the
file for CoMensha and sees the registration sent. Every page visited is checked by
axe-core (testing/browser.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inbeeld.accounts.models import Role
from inbeeld.cases.services import CaseInput, PersonInput, case_open
from inbeeld.registration.models import Registration
from inbeeld.testing.browser import log_in
from inbeeld.testing.factories import region, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_fill_in_and_download_a_registration_for_comensha(
    live_server: Any, page: Any, tmp_path: Any
) -> None:
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    born = timezone.localdate() - timedelta(days=15 * 365 + 30)
    case = case_open(
        by=coordinator,
        region=region("VR19"),
        data=CaseInput(
            exploitation_forms=["sexual"],
            person=PersonInput(name="Voorbeeld Persoon", date_of_birth=born, gender="female"),
        ),
    )
    log_in(page, live_server.url, coordinator)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/dossiers/{case.pk}/")
    expect(page.get_by_test_id("registration")).to_contain_text("Nog niet aangemeld bij CoMensha")
    page.get_by_test_id("registration-start").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Registratie bij CoMensha")
    # Prefilled from the case: the region's police unit, the form of exploitation, the age.
    expect(page.get_by_label("Politie-eenheid van de regio")).to_have_value("zeeland_west_brabant")
    expect(page.get_by_label("Seksuele uitbuiting")).to_be_checked()
    expect(page.get_by_label("Leeftijd", exact=True)).to_have_value("15")
    page.get_by_label("Plaats delict: land in het buitenland").select_option(label="België")
    page.get_by_label("Grondslag").select_option(label="Schriftelijke toestemming")
    page.get_by_label("Schriftelijke toestemming getekend door").select_option(
        label="De persoon zelf"
    )
    page.get_by_label("Toestemming getekend op").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.get_by_text("onder de 16 tekenen de ouders of de voogd").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_label("Schriftelijke toestemming getekend door").select_option(
        label="Ouders of voogd"
    )
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.get_by_text("Aanmelding opgeslagen als concept.")).to_be_visible()
    expect(page.get_by_test_id("registration-status")).to_contain_text("Concept")
    expect(page.get_by_test_id("registration-place")).to_contain_text("België")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    with page.expect_download() as caught:
        page.get_by_test_id("registration-download").click()
    saved = tmp_path / "aanmelding.csv"
    caught.value.save_as(saved)
    text = saved.read_text(encoding="utf-8-sig")
    assert text.startswith("format;registration_id;")
    assert ";BE;country;" in text and ";parent_or_guardian;" in text
    assert "Voorbeeld" not in text  # no name leaves InBeeld
    page.reload()
    expect(page.get_by_test_id("registration-status")).to_contain_text("Verstuurd")
    expect(page.get_by_test_id("registration-acknowledge")).to_be_visible()
    assert Registration.objects.get(case=case).status == "sent"
