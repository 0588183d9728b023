"""The login flow at the HTTP level: password, second factor, recovery codes, lock-out, session.

Lock-out tests vary the address with the test client's REMOTE_ADDR.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessFailureLog
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken

from inbeeld.accounts.lockout import (
    backoff_delay,
    device_cookie_name,
    device_cookie_set,
    device_of,
    login_address,
)
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


def at(address: str, **cookies: str) -> Client:
    """A browser at ``address`` (the test client's REMOTE_ADDR), with the given cookies."""
    client = Client(REMOTE_ADDR=address)
    for name, value in cookies.items():
        client.cookies[name] = value
    return client


def fail(username: str, *addresses: str, client: Client | None = None) -> None:
    """One wrong password per address, each tried (not refused) and so logged as a failure."""
    for address in addresses:
        logged = AccessFailureLog.objects.count()
        password_step(client or at(address), username, "wrong-password")
        assert AccessFailureLog.objects.count() == logged + 1, "the password was not tried"


def notice_of(response: Any) -> str:
    match = re.search(r'<p role="alert">(.*?)</p>', response.content.decode(), re.S)
    assert match is not None
    return match.group(1)


def test_five_wrong_passwords_lock_that_address_even_for_the_right_password() -> None:
    user = staff_user(role=Role.ZORGCOORDINATOR)
    fail(user.username, *["10.0.0.1"] * 4)
    response = password_step(at("10.0.0.1"), user.username, "wrong-password")
    assert response.status_code == 429
    assert "geblokkeerd" in response.content.decode().lower()
    response = password_step(at("10.0.0.1"), user.username)
    assert response.status_code == 429
    assert "Probeer het over 60 minuten opnieuw" in response.content.decode()


def test_a_locked_address_does_not_keep_the_user_out_at_another_address() -> None:
    """The reported denial of service: five wrong passwords locked the account for an hour."""
    user = staff_user(role=Role.ZORGCOORDINATOR, username="zorgcoordinator.test")
    fail(user.username, *["203.0.113.9"] * 5)
    assert password_step(at("203.0.113.9"), user.username).status_code == 429
    assert password_step(at("198.51.100.7"), user.username)["Location"].startswith(VERIFY)


def test_failures_spread_over_many_addresses_slow_down_every_browser(settings: Any) -> None:
    settings.LOGIN_BACKOFF_AFTER = 10
    user = staff_user(role=Role.ZORGCOORDINATOR)
    fail(user.username, *[f"192.0.2.{n}" for n in range(1, 10)])
    assert password_step(at("198.51.100.1"), "niemand").status_code == 200  # unrelated name
    fail(user.username, "192.0.2.10")
    response = password_step(at("198.51.100.7"), user.username)
    assert response.status_code == 429
    notice = response.content.decode()
    assert re.search(r"Wacht \d+ seconden voordat u het opnieuw probeert", notice)
    # Once the wait since the last failure is over, the next attempt is tried again.
    AccessFailureLog.objects.update(attempt_time=timezone.now() - timedelta(seconds=31))
    assert password_step(at("198.51.100.7"), user.username)["Location"].startswith(VERIFY)


def test_the_back_off_answers_the_same_for_a_user_name_that_does_not_exist(settings: Any) -> None:
    settings.LOGIN_BACKOFF_AFTER = 3
    user = staff_user(role=Role.ZORGCOORDINATOR, username="bestaat")
    pages = []
    for name in (user.username, "bestaat.niet"):
        fail(name, "192.0.2.1", "192.0.2.2", "192.0.2.3")
        response = password_step(at("198.51.100.7"), name)
        assert response.status_code == 429
        pages.append(re.sub(r"\d+", "N", notice_of(response)))
    assert pages[0] == pages[1]
    assert "Wacht N seconden" in pages[0]


@pytest.mark.parametrize(
    ("failures", "wait"),
    [(9, None), (10, 30), (11, 60), (12, 120), (14, 480), (15, 900), (40, 900)],
)
def test_the_back_off_doubles_from_thirty_seconds_to_its_cap(
    settings: Any, failures: int, wait: int | None
) -> None:
    settings.LOGIN_BACKOFF_AFTER, settings.LOGIN_BACKOFF_MAX_MINUTES = 10, 15
    expected = None if wait is None else timedelta(seconds=wait)
    assert backoff_delay(failures) == expected


def complete_login(client: Client, user: Any) -> Any:
    password_step(client, user.username)
    return client.post(VERIFY, {"token": current_totp_code(user)})


def test_a_complete_login_sets_a_device_cookie_that_only_the_server_reads(settings: Any) -> None:
    user = staff_user(role=Role.ZORGCOORDINATOR)
    cookie = complete_login(Client(), user).cookies[device_cookie_name()]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert int(cookie["max-age"]) == 180 * 24 * 3600
    assert device_of(request_with(cookie.value), user.username)
    assert not device_of(request_with(cookie.value + "x"), user.username)  # signed
    assert not device_of(request_with(cookie.value), "iemand.anders")  # bound to the user
    settings.SESSION_COOKIE_SECURE = True  # as in production
    response = HttpResponse()
    device_cookie_set(response, user.username)
    production = response.cookies["__Host-inbeeld-device"]
    assert production["secure"] and production["path"] == "/" and production["httponly"]


def request_with(device_cookie: str) -> Any:
    from django.test import RequestFactory

    request = RequestFactory().post("/")
    request.COOKIES[device_cookie_name()] = device_cookie
    return request


def test_a_browser_with_a_device_cookie_still_logs_in_during_the_back_off(settings: Any) -> None:
    settings.LOGIN_BACKOFF_AFTER = 10
    user = staff_user(role=Role.ZORGCOORDINATOR)
    own = at("198.51.100.7")
    complete_login(own, user)
    own.post(reverse("accounts:logout"))
    fail(user.username, *[f"192.0.2.{n}" for n in range(1, 11)])
    assert password_step(at("198.51.100.8"), user.username).status_code == 429
    assert password_step(own, user.username)["Location"].startswith(VERIFY)
    # A device cookie for another user name exempts nothing.
    other = staff_user(role=Role.ZORGCOORDINATOR)
    fail(other.username, *[f"192.0.2.{n}" for n in range(1, 11)])
    assert password_step(own, other.username).status_code == 429


def test_failures_with_a_device_cookie_count_against_the_cookie_only(settings: Any) -> None:
    settings.LOGIN_BACKOFF_AFTER = 10
    user = staff_user(role=Role.ZORGCOORDINATOR)
    own = at("198.51.100.7")
    complete_login(own, user)
    own.post(reverse("accounts:logout"))
    fail(user.username, *["198.51.100.7"] * 4, client=own)
    fail(user.username, *[f"192.0.2.{n}" for n in range(1, 10)])  # 9 + 4 > 10, but 9 count
    assert password_step(at("198.51.100.8"), user.username)["Location"].startswith(VERIFY)
    # Ten failures from the cookie (over several addresses) and it no longer exempts.
    own_cookie = own.cookies[device_cookie_name()].value
    for address in ("198.51.100.20", "198.51.100.21"):
        fail(
            user.username, *[address] * 3, client=at(address, **{device_cookie_name(): own_cookie})
        )
    fail(user.username, "192.0.2.10")
    assert password_step(own, user.username).status_code == 429


def test_the_lock_holds_in_the_database_across_processes() -> None:
    from axes.handlers.proxy import AxesProxyHandler
    from django.core.cache import cache

    user = staff_user(role=Role.ZORGCOORDINATOR)
    fail(user.username, *["10.0.0.1"] * 5)
    AxesProxyHandler.get_implementation(force=True)  # as a new gunicorn worker starts
    cache.clear()
    assert password_step(at("10.0.0.1"), user.username).status_code == 429


def test_the_address_is_the_visitors_behind_the_proxy(settings: Any) -> None:
    from django.test import RequestFactory

    settings.TRUSTED_PROXY_COUNT = 1
    factory = RequestFactory()
    behind = factory.post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert login_address(behind) == "203.0.113.9"
    spoofed = factory.post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")
    assert login_address(spoofed) == "10.0.0.2"


def test_the_administrator_sees_and_lifts_both_locks(settings: Any) -> None:
    settings.LOGIN_BACKOFF_AFTER = 10
    user = staff_user(role=Role.ZORGCOORDINATOR)
    fail(user.username, *["203.0.113.9"] * 5, *["203.0.113.10"] * 5)  # and 10 in all
    beheerder = staff_user(role=Role.BEHEERDER, organisation=user.memberships.get().organisation)
    client = verified_client(beheerder)
    page = client.get(reverse("accounts:users")).content.decode()
    assert "Geblokkeerd vanaf 2 adressen tot" in page
    assert "vertraagd voor elk adres tot" in page
    assert "203.0.113" not in page  # never the addresses themselves
    client.post(reverse("accounts:user_action", kwargs={"user_id": user.pk, "action": "unlock"}))
    assert password_step(at("203.0.113.9"), user.username)["Location"].startswith(VERIFY)
    assert password_step(at("198.51.100.1"), user.username)["Location"].startswith(VERIFY)
    page = client.get(reverse("accounts:users")).content.decode()
    assert "Geblokkeerd" not in page and "vertraagd" not in page


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
