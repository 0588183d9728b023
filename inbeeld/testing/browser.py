"""Logging in through the real login pages, as a person does, for browser tests."""

from __future__ import annotations

from typing import Any

from inbeeld.accounts.models import User
from inbeeld.testing.factories import TEST_PASSWORD, current_totp_code


def log_in_with_password(page: Any, base_url: str, username: str, password: str) -> None:
    """The first step only: user name and password."""
    page.goto(f"{base_url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Volgende").click()


def log_in(page: Any, base_url: str, user: User) -> None:
    """Password and the code from the user's authenticator, ending on the overview."""
    log_in_with_password(page, base_url, user.username, TEST_PASSWORD)
    page.get_by_label("Code").fill(current_totp_code(user))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base_url}/")
