"""In a real browser (Dutch, 360 px wide, by keyboard where a person would): the
zorgcoördinator refers a case to a shelter; the shelter's staff member finds it under
"Inkomende verwijzingen" and accepts it; the coordinator sees it accepted on the timeline.
Every page visited is checked by axe-core (testing/browser.py)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from inbeeld.accounts.models import Role
from inbeeld.cases.services import CaseInput, PersonInput, case_open
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.referrals.models import Referral, ReferralStatus, ServiceType
from inbeeld.referrals.services import ReferralInput, referral_accept, referral_create
from inbeeld.referrals.tests.helpers import shelter, shelter_staff
from inbeeld.testing.browser import log_in
from inbeeld.testing.factories import region, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SECRET_NAME = "Geheime Naam Niet Delen"


def test_refer_to_a_shelter_and_have_the_shelter_accept_it(
    live_server: Any, page: Any, browser: Any
) -> None:
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    case = case_open(
        by=coordinator,
        region=region("VR19"),
        data=CaseInput(person=PersonInput(name=SECRET_NAME, age_band="18-23")),
    )
    shelter("A")  # "Opvang A" in Zeeland's partner directory
    staff = shelter_staff("A")

    log_in(page, live_server.url, coordinator)
    # The referral pages on a phone (the overview after login is the home page's own).
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/dossiers/{case.pk}/")
    page.get_by_test_id("refer").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verwijzen naar een organisatie")
    page.get_by_label("Organisatie", exact=True).select_option(label="Opvang A")
    page.get_by_label("Dienst").select_option(value="shelter")
    page.get_by_label("Leeftijd").check()
    page.get_by_label("Bericht aan de organisatie").fill("Veilige opvang, zo snel mogelijk.")
    page.get_by_label("Grondslag").select_option(value="avg_6_1_e")
    page.get_by_role("button", name="Verwijzing versturen").click()
    expect(page.get_by_test_id("referrals-waiting")).to_contain_text("wacht op antwoord")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    reference = Referral.objects.get().reference

    shelter_context = browser.new_context(locale="nl-NL")
    shelter_page = shelter_context.new_page()
    try:
        log_in(shelter_page, live_server.url, staff)
        shelter_page.set_viewport_size({"width": 360, "height": 800})
        shelter_page.get_by_role("link", name="Inkomende verwijzingen").first.click()
        shelter_page.get_by_role("link", name=reference).click()
        expect(shelter_page.get_by_test_id("referral-message")).to_contain_text("Veilige opvang")
        expect(shelter_page.get_by_test_id("shared")).to_contain_text("18 tot en met 23")
        assert SECRET_NAME not in shelter_page.content()
        shelter_page.get_by_role("button", name="Accepteren").click()
        expect(shelter_page.get_by_text("Verwijzing geaccepteerd.")).to_be_visible()
        assert shelter_page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        shelter_context.close()

    page.goto(f"{live_server.url}/dossiers/{case.pk}/")
    expect(page.get_by_test_id("timeline")).to_contain_text(
        f"Verwijzing {reference} geaccepteerd door Opvang A"
    )
    assert Referral.objects.get().status == ReferralStatus.ACCEPTED


def test_record_a_service_and_hand_the_case_to_another_region(
    live_server: Any, page: Any, browser: Any
) -> None:
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    receiver = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR04")
    case = case_open(by=coordinator, region=region("VR19"), data=CaseInput())
    shelter("A")
    log_in(page, live_server.url, coordinator)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/dossiers/{case.pk}/")
    page.get_by_test_id("add-service").click()
    page.get_by_label("Dienst").select_option(value="legal_aid")
    page.get_by_label("Geleverd door").select_option(label="Opvang A")
    page.get_by_label("Begin").fill("2025-03-01")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_test_id("services-table")).to_contain_text("Rechtshulp")
    expect(page.get_by_test_id("timeline")).to_contain_text("Dienst: Rechtshulp door Opvang A")

    page.get_by_text("Overdracht voorstellen", exact=True).first.click()
    page.get_by_label("Naar regio").select_option(label="IJsselland")
    page.get_by_label("Waarom het dossier over moet").fill("Verhuisd naar Zwolle.")
    page.get_by_role("button", name="Overdracht voorstellen").click()
    expect(page.get_by_test_id("transfer-pending")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    other_context = browser.new_context(locale="nl-NL")
    other = other_context.new_page()
    try:
        log_in(other, live_server.url, receiver)
        other.set_viewport_size({"width": 360, "height": 800})
        other.goto(f"{live_server.url}/dossiers/overdrachten/")
        other.get_by_role("link", name=case.reference).click()
        expect(other.get_by_test_id("transfer-message")).to_contain_text("Verhuisd naar Zwolle.")
        other.get_by_role("button", name="Accepteren: dossier overnemen").click()
        expect(other.get_by_test_id("timeline")).to_contain_text("Dossier overgenomen door")
    finally:
        other_context.close()
    case.refresh_from_db()
    assert case.region.code == "VR04" and case.owner == receiver


def test_the_exit_programme_records_a_phase_the_coordinator_sees(
    live_server: Any, page: Any, browser: Any
) -> None:
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    case = case_open(
        by=coordinator,
        region=region("VR19"),
        data=CaseInput(person=PersonInput(name=SECRET_NAME, age_band="18-23")),
    )
    staff = shelter_staff("A")
    referral = referral_accept(
        by=staff,
        referral=referral_create(
            by=coordinator,
            case=case,
            data=ReferralInput(
                organisation=shelter("A"),
                service=ServiceType.EXIT_PROGRAMME,
                message="Wil uitstappen.",
                shared_fields=[],
                legal_basis=LegalBasis.PUBLIC_TASK,
            ),
        ),
    )

    log_in(page, live_server.url, staff)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/verwijzingen/{referral.pk}/")
    expect(page.get_by_test_id("phases")).to_contain_text("Nog geen fase vastgelegd.")
    page.get_by_label("Fase", exact=True).select_option(label="Stabilisatie")
    page.get_by_role("button", name="Fase vastleggen").click()
    expect(page.get_by_text("Fase vastgelegd.")).to_be_visible()
    expect(page.get_by_test_id("phases-table")).to_contain_text("Stabilisatie")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    coordinator_context = browser.new_context(locale="nl-NL")
    coordinator_page = coordinator_context.new_page()
    try:
        log_in(coordinator_page, live_server.url, coordinator)
        coordinator_page.goto(f"{live_server.url}/dossiers/{case.pk}/")
        expect(coordinator_page.get_by_test_id("referral-phase")).to_contain_text(
            "Fase: Stabilisatie, sinds"
        )
        expect(coordinator_page.get_by_test_id("timeline")).to_contain_text(
            f"Uitstapprogramma {referral.reference}: fase stabilisatie"
        )
    finally:
        coordinator_context.close()
