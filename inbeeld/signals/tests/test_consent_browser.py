"""In a real browser: a zorgcoördinator records a victim's consent on a signal and withdraws it."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inbeeld.accounts.models import Role
from inbeeld.privacy.consent import consent_in_force
from inbeeld.privacy.models import Consent
from inbeeld.signals.tests.test_triage import partner_signal
from inbeeld.testing.browser import log_in
from inbeeld.testing.factories import staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_records_consent_and_then_its_withdrawal(
    live_server: Any, page: Any
) -> None:
    signal = partner_signal()
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    log_in(page, live_server.url, coordinator)
    page.goto(f"{live_server.url}/signalen/{signal.pk}/")
    panel = page.get_by_test_id("consent")
    assert "Geen toestemming vastgelegd." in panel.inner_text()

    panel.get_by_label("Toestemming voor").select_option(label="Registratie bij CoMensha")
    panel.get_by_label("Gegeven op").fill(timezone.localdate().isoformat())
    panel.get_by_label("Hoe gegeven").fill("Ondertekend formulier")
    panel.get_by_role("button", name="Toestemming vastleggen").click()
    expect(page.get_by_text("Toestemming vastgelegd.", exact=True)).to_be_visible()
    row = page.get_by_test_id("consent-comensha")
    assert "Ondertekend formulier" in row.inner_text()
    assert consent_in_force(signal, "comensha")

    row.get_by_role("button", name="Intrekking vastleggen").click()
    expect(page.get_by_text("Intrekking van de toestemming vastgelegd.")).to_be_visible()
    assert Consent.objects.get().withdrawn_on == timezone.localdate()
    assert not consent_in_force(signal, "comensha")
    assert page.get_by_test_id("consent-comensha").get_by_role("button").count() == 0
