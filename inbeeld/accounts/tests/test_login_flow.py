"""The login flow at the HTTP level: password, second factor, recovery codes, lock-out, session."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken

from inbeeld.accounts.middleware import SESSION_LOGIN_AT
from inbeeld.accounts.models import Role
from inbeeld.accounts.twofactor import recovery_codes_replace
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import TEST_PASSWORD, current_totp_code, staff_user

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:verify")
ENROL = reverse("accounts:enrol")
HOME = reverse("web:home")


def password_step(client: Client, username: str, password: str = TEST_PASSWORD) -> Any:
    return client.post(LOGIN, {"username": username, "password": password})


def test_password_alone_opens_nothing() -> None:
    user = staff_user(role=Role.ZORGCOORDINATOR)
    client = Client()
    response = password_step(client, user.username)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    home = client.get(HOME)
    assert home.status_code == 302
    assert home["Location"].startswith(VERIFY)


def test_correct_totp_code_opens_the_overview() -> None:
    user = staff_user(role=Role.ZORGCOORDINATOR)
    client = Client()
    password_step(client, user.username)
    response = client.post(VERIFY, {"token": current_totp_code(user)})
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200


def test_wrong_totp_code_is_refused_with_a_field_error() -> None:
    user = staff_user(role=Role.ZORGCOORDINATOR)
    client = Client()
    password_step(client, user.username)
    wrong = "000000" if current_totp_code(user) != "000000" else "111111"
    response = client.post(VERIFY, {"token": wrong})
    assert response.status_code == 200
    assert 'id="id_token_error"' in response.content.decode()
    assert client.get(HOME).status_code == 302


def test_a_totp_code_cannot_be_replayed() -> None:
    user = staff_user(role=Role.ZORGCOORDINATOR)
    code = current_totp_code(user)
    first, second = Client(), Client()
    password_step(first, user.username)
    assert first.post(VERIFY, {"token": code}).status_code == 302
    password_step(second, user.username)
    assert second.post(VERIFY, {"token": code}).status_code == 200  # refused: used already


def test_a_recovery_code_works_once() -> None:
    user = staff_user(role=Role.ZORGCOORDINATOR)
    code = recovery_codes_replace(user)[0]
    first, second = Client(), Client()
    password_step(first, user.username)
    assert first.post(VERIFY, {"token": code}).status_code == 302
    assert first.get(HOME).status_code == 200
    password_step(second, user.username)
    assert second.post(VERIFY, {"token": code}).status_code == 200
    assert not StaticToken.objects.filter(token=code).exists()


def test_a_new_account_must_enrol_before_anything_else() -> None:
    user = staff_user(role=Role.ZORGCOORDINATOR, with_totp=False)
    client = Client()
    response = password_step(client, user.username)
    assert response["Location"].startswith(ENROL)
    assert client.get(HOME)["Location"].startswith(ENROL)
    assert client.get(VERIFY)["Location"] == ENROL


def test_enrolment_confirms_the_device_and_shows_recovery_codes_once() -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from inbeeld.accounts.twofactor import totp_current_code

    user = staff_user(role=Role.ZORGCOORDINATOR, with_totp=False)
    client = Client()
    password_step(client, user.username)
    page = client.get(ENROL).content.decode()
    assert "<svg" in page  # the QR code, rendered inline without a script
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ENROL, {"token": totp_current_code(device)})
    assert response["Location"] == reverse("accounts:recovery_codes")
    codes_page = client.get(response["Location"]).content.decode()
    assert codes_page.count("<code>") == 10
    assert client.get(reverse("accounts:recovery_codes")).content.decode().count("<code>") == 0
    assert client.get(HOME).status_code == 200


def test_unsafe_next_url_is_ignored() -> None:
    user = staff_user(role=Role.ZORGCOORDINATOR)
    client = Client()
    password_step(client, user.username)
    response = client.post(
        f"{VERIFY}?next=https://evil.example/", {"token": current_totp_code(user)}
    )
    assert response["Location"] == HOME


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password() -> None:
    user = staff_user(role=Role.ZORGCOORDINATOR)
    client = Client()
    for _ in range(5):
        password_step(client, user.username, "wrong-password")
    response = password_step(client, user.username)
    assert response.status_code == 429
    assert "geblokkeerd" in response.content.decode().lower()


def test_the_administrator_can_unlock_a_locked_account() -> None:
    user = staff_user(role=Role.ZORGCOORDINATOR)
    for _ in range(5):
        password_step(Client(), user.username, "wrong-password")
    beheerder = staff_user(role=Role.BEHEERDER, organisation=user.memberships.get().organisation)
    verified_client(beheerder).post(
        reverse("accounts:user_action", kwargs={"user_id": user.pk, "action": "unlock"})
    )
    assert password_step(Client(), user.username)["Location"].startswith(VERIFY)


def test_logout_needs_post_and_ends_the_session() -> None:
    user = staff_user(role=Role.ZORGCOORDINATOR)
    client = verified_client(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(HOME)["Location"].startswith(LOGIN)


def test_a_session_ends_after_its_absolute_lifetime(settings: Any) -> None:
    user = staff_user(role=Role.ZORGCOORDINATOR)
    client = verified_client(user)
    assert client.get(HOME).status_code == 200
    session = client.session
    session[SESSION_LOGIN_AT] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(HOME)
    assert response["Location"].startswith(LOGIN)
    assert client.get(HOME)["Location"].startswith(LOGIN)
