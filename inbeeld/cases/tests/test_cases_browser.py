"""In a real browser (Dutch, 360 px wide): the zorgcoördinator opens a case from a signal,
edits the person, invites the police and closes the case."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.cases.models import Case, CaseStatus
from inbeeld.privacy.models import Share, ShareKind
from inbeeld.signals.tests.test_triage import partner_signal
from inbeeld.testing.browser import log_in
from inbeeld.testing.factories import OrganisationFactory, region, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_open_edit_invite_and_close_a_case(live_server: Any, page: Any) -> None:
    signal = partner_signal()
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    OrganisationFactory.create(
        region=region("VR19"), type=OrganisationType.SHELTER, name="Opvang Zeeland"
    )
    log_in(page, live_server.url, coordinator)
    page.goto(f"{live_server.url}/signalen/{signal.pk}/")
    page.get_by_role("button", name="Dossier openen vanuit dit signaal").click()
    # The case pages on a phone: 360 px wide (the signal's page is the signals' own).
    page.set_viewport_size({"width": 360, "height": 800})
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dossier bewerken")

    page.get_by_label("Naam", exact=True).fill("Voorbeeld Persoon")
    page.get_by_label("Status slachtofferschap").select_option(label="Vermoedelijk slachtoffer")
    # How the exploitation worked: HTCDS's codes, ticked in Dutch.
    page.get_by_role("heading", name="Hoe de uitbuiting werkte").scroll_into_view_if_needed()
    page.get_by_label("Schuldslavernij").check()
    page.get_by_label("Instagram").check()
    page.get_by_label("Relatie tot de werver").select_option(label="(Ex-)partner of lover")
    page.get_by_label("Leeftijd bij uitbuiting").fill("17")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_text("Dossier opgeslagen.")).to_be_visible()
    expect(page.get_by_test_id("age-at-exploitation")).to_have_text(
        "17 (minderjarig ten tijde van de uitbuiting)"
    )
    expect(page.get_by_test_id("recruiter-relationship")).to_have_text("(Ex-)partner of lover")
    expect(page.get_by_test_id("person")).to_contain_text("Voorbeeld Persoon")
    expect(page.get_by_test_id("timeline")).to_contain_text(signal.receipt_code)

    page.get_by_text("Organisatie uitnodigen").click()
    page.get_by_label("Organisatie", exact=True).select_option(label="Opvang Zeeland")
    page.get_by_label("Grondslag").select_option(value="avg_6_1_e")
    page.get_by_label("Doel").fill("Opvang regelen")
    page.get_by_role("button", name="Uitnodigen", exact=True).click()
    expect(page.get_by_test_id("participants")).to_contain_text("Opvang Zeeland")

    page.get_by_label("Hoe het dossier eindigt").select_option(value=CaseStatus.CLOSED_REFERRED)
    page.get_by_label("Uitkomst").fill("Doorverwezen naar de opvang.")
    page.get_by_role("button", name="Afsluiten", exact=True).click()
    expect(page.get_by_test_id("status")).to_contain_text("Afgesloten, doorverwezen")

    case = Case.objects.get()
    assert case.status == CaseStatus.CLOSED_REFERRED
    assert case.person.name == "Voorbeeld Persoon"
    assert case.control_methods == ["debt_bondage"] and case.recruitment_channels == ["instagram"]
    assert Share.objects.filter(kind=ShareKind.CASE_INVITE, object_id=case.pk).count() == 1
    # Nothing wider than the screen: a person on a phone reads the page without scrolling sideways.
    # (Tables scroll inside themselves; the page as a whole does not.)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
