"""API tokens expire, say so, and their owners are warned before they lapse."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from inbeeld.accounts.models import Role, User
from inbeeld.accounts.tokens import (
    api_token_issue,
    rfc3339,
    token_days_checked,
    token_expiry_warnings_send,
)
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import TEST_PASSWORD, current_totp_code, staff_user

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def expiring_in(user: User, days: float) -> AuthToken:
    """A token of ``user`` that lapses ``days`` from now (set directly, as time passing would)."""
    token = AuthToken.objects.get(token_key=api_token_issue(user=user).key)
    token.expiry = timezone.now() + timedelta(days=days)
    token.save(update_fields=["expiry"])
    return token


def test_a_new_token_expires_after_api_token_days(settings: Any) -> None:
    settings.API_TOKEN_DAYS = 30
    issued = api_token_issue(user=staff_user(role=Role.KETENPARTNER))
    expected = timezone.now() + timedelta(days=30)
    assert abs(issued.expires - expected) < timedelta(minutes=1)
    assert api_token_issue(user=staff_user(role=Role.KETENPARTNER), days=7).expires < expected


@pytest.mark.parametrize("days", [0, -1, 367, "zeven"])
def test_a_lifetime_outside_one_to_366_days_is_refused(days: Any) -> None:
    with pytest.raises(ValueError, match="--days must be a whole number from 1 to 366"):
        token_days_checked(days)


def test_an_expired_token_gets_401() -> None:
    user = staff_user(role=Role.KETENPARTNER)
    issued = api_token_issue(user=user)
    AuthToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    response = Client().get(ME, headers={"Authorization": f"Token {issued.token}"})
    assert response.status_code == 401
    assert not AuthToken.objects.exists()  # knox removes it


def test_token_responses_carry_the_expiry_and_session_responses_do_not() -> None:
    user = staff_user(role=Role.KETENPARTNER)
    issued = api_token_issue(user=user)
    response = Client().get(ME, headers={"Authorization": f"Token {issued.token}"})
    assert response.status_code == 200
    assert response["Token-Expires"] == rfc3339(issued.expires)
    assert response["Token-Expires"].endswith("Z")
    assert "Token-Expires" not in verified_client(user).get(ME)


def test_the_openapi_description_documents_the_expiry_header() -> None:
    schema = Client().get(reverse("schema"), HTTP_ACCEPT="application/json").json()
    assert "Token-Expires" in schema["info"]["description"]
    schemes = schema["components"]["securitySchemes"]
    assert any("Token-Expires" in scheme.get("description", "") for scheme in schemes.values())


def test_the_account_page_lists_own_tokens_and_warns_within_fourteen_days() -> None:
    user = staff_user(role=Role.KETENPARTNER)
    later = expiring_in(user, 60)
    client = verified_client(user)
    page = client.get(reverse("accounts:account")).content.decode()
    assert f"{later.token_key}…" in page
    assert "verloopt binnen 14 dagen" not in page
    soon = expiring_in(user, 10)
    page = client.get(reverse("accounts:account")).content.decode()
    assert f"{soon.token_key}…" in page
    assert "verloopt binnen 14 dagen" in page


def test_logging_in_shows_a_token_that_lapses_soon() -> None:
    user = staff_user(role=Role.KETENPARTNER)
    token = expiring_in(user, 3)
    client = Client()
    client.post(reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD})
    client.post(reverse("accounts:verify"), {"token": current_totp_code(user)})
    home = client.get(reverse("web:home")).content.decode()
    assert f"Uw API-token {token.token_key}… verloopt op" in home


def test_the_beheerder_sees_an_accounts_tokens_and_revokes_one() -> None:
    account = staff_user(role=Role.KETENPARTNER)
    token = expiring_in(account, 40)
    beheerder = staff_user(role=Role.BEHEERDER, organisation=account.memberships.get().organisation)
    client = verified_client(beheerder)
    page = client.get(reverse("accounts:user_edit", kwargs={"user_id": account.pk}))
    assert f"{token.token_key}…" in page.content.decode()
    url = reverse(
        "accounts:user_token_revoke", kwargs={"user_id": account.pk, "token_key": token.token_key}
    )
    assert client.post(url).status_code == 302
    assert not AuthToken.objects.filter(user=account).exists()
    entry = AuditEntry.objects.filter(action=Action.DELETE).order_by("pk").last()
    assert entry is not None
    assert (entry.actor, entry.object_id) == (beheerder.username, str(account.pk))
    assert entry.detail == {"api_token_revoked": token.token_key}
    assert client.post(url).status_code == 404  # gone


def test_owners_are_mailed_fourteen_and_three_days_before_once_each() -> None:
    owner = staff_user(role=Role.KETENPARTNER, username="politie.koppeling")
    owner.email = "koppeling@politie.example"
    owner.save()
    token = expiring_in(owner, 10)
    assert token_expiry_warnings_send() == 1
    assert token_expiry_warnings_send() == 0  # the task runs twice: nothing twice
    assert len(mail.outbox) == 1
    warning = mail.outbox[0]
    assert warning.to == ["koppeling@politie.example"]
    assert "politie.koppeling" in warning.body and f"{token.token_key}…" in warning.body
    for personal in (owner.first_name, owner.last_name, owner.email):
        assert personal not in f"{warning.subject}\n{warning.body}"
    token.expiry = timezone.now() + timedelta(days=2)
    token.save(update_fields=["expiry"])
    assert token_expiry_warnings_send() == 1
    assert token_expiry_warnings_send() == 0
    assert len(mail.outbox) == 2


def test_a_token_already_within_three_days_gets_only_the_last_warning() -> None:
    owner = staff_user(role=Role.KETENPARTNER)
    owner.email = "eigenaar@example.org"
    owner.save()
    expiring_in(owner, 2)
    expiring_in(owner, 30)  # not yet due
    expiring_in(staff_user(role=Role.KETENPARTNER), 2)  # no e-mail address: nothing to send
    assert token_expiry_warnings_send() == 1
    assert token_expiry_warnings_send() == 0
    assert len(mail.outbox) == 1


def test_the_warning_runs_daily_on_the_task_queue() -> None:
    from django_q.models import Schedule

    schedule = Schedule.objects.get(func="inbeeld.accounts.tokens.token_expiry_warnings_scheduled")
    assert schedule.schedule_type == Schedule.DAILY and schedule.repeats == -1
