"""A person at a real browser (Debian's chromium through Playwright) logging in."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django_otp.oath import totp

from inbeeld.accounts.models import Role
from inbeeld.testing.browser import log_in, log_in_with_password
from inbeeld.testing.factories import TEST_PASSWORD, staff_user

# Transactional, so the live server thread sees the data; serialized rollback restores the
# reference municipalities that the migration loaded.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def menu_labels(page: Any) -> list[str]:
    labels: list[str] = page.locator("nav.main-nav a").all_inner_texts()
    return labels


def test_care_coordinator_logs_in_with_a_code_and_sees_their_menu(
    live_server: Any, page: Any
) -> None:
    user = staff_user(role=Role.ZORGCOORDINATOR, username="zorgcoordinator.test")
    log_in(page, live_server.url, user)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welkom")
    assert menu_labels(page) == [
        "Overzicht",
        "Regio",
        "Signalen",
        "Zoeken",
        "Nieuw signaal",
        "Een lijst importeren",
        "Dossiers",
        "Inkomende verwijzingen",
        "Overlegtafel",
        "Cijfers overlegtafel",
        "Opvangplekken",
        "Wachtlijst opvang",
        "In-, door- en uitstroom",
        "Mijn taken",
        "Omvangschatting",
        "Werkcijfers",
        "Netwerk",
        "Partneragenda",
        "Mijn account",
    ]
    assert "Zorgcoördinator" in page.get_by_test_id("roles").inner_text()


def test_administrator_sees_the_management_pages_in_the_menu(live_server: Any, page: Any) -> None:
    user = staff_user(role=Role.BEHEERDER, username="beheerder.test")
    log_in(page, live_server.url, user)
    assert menu_labels(page) == [
        "Overzicht",
        "Regio",
        "Mijn taken",
        "Netwerk",
        "Partneragenda",
        "Bereik",
        "Nieuwsbrief",
        "Organisaties",
        "Gebruikers",
        "Opvanglocaties",
        "Mijn account",
    ]
    page.get_by_role("link", name="Gebruikers").click()
    assert page.get_by_role("link", name="beheerder.test").is_visible()


def test_a_new_user_enrols_an_authenticator_on_first_login(live_server: Any, page: Any) -> None:
    user = staff_user(role=Role.AANDACHTSFUNCTIONARIS, username="nieuw.test", with_totp=False)
    log_in_with_password(page, live_server.url, user.username, TEST_PASSWORD)
    page.wait_for_url(f"{live_server.url}/inloggen/instellen/**")
    assert page.locator(".qr svg").is_visible()
    secret = page.get_by_test_id("totp-secret").inner_text()
    # Do what an authenticator app does with the key shown on the page.
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code uit uw app").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Bevestigen").click()
    codes = page.get_by_test_id("recovery-codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="Ik heb ze bewaard").click()
    assert menu_labels(page) == [
        "Overzicht",
        "Regio",
        "Signalen",
        "Zoeken",
        "Nieuw signaal",
        "Een lijst importeren",
        "Dossiers",
        "Inkomende verwijzingen",
        "Overlegtafel",
        "Mijn taken",
        "Netwerk",
        "Partneragenda",
        "Mijn account",
    ]


def test_five_wrong_passwords_lock_the_account(live_server: Any, page: Any) -> None:
    user = staff_user(role=Role.ZORGCOORDINATOR, username="geblokkeerd.test")
    for _ in range(5):
        log_in_with_password(page, live_server.url, user.username, "niet-het-wachtwoord")
    log_in_with_password(page, live_server.url, user.username, TEST_PASSWORD)
    assert page.get_by_role("heading", name="Account geblokkeerd").is_visible()
    assert "/inloggen/code/" not in page.url
