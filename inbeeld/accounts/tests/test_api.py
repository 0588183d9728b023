"""The API skeleton: token authentication, the caller's profile, schema and docs."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from inbeeld.accounts.models import Role
from inbeeld.accounts.tokens import api_token_create
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import staff_user

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def test_a_token_acts_as_its_user() -> None:
    user = staff_user(role=Role.KETENPARTNER, username="politie.test")
    token = api_token_create(user=user)
    response = Client().get(ME, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "politie.test"
    assert body["memberships"][0]["role"] == "ketenpartner"
    assert body["memberships"][0]["region"] == "VR19"


def test_only_a_digest_of_the_token_is_stored() -> None:
    from knox.models import AuthToken

    token = api_token_create(user=staff_user(role=Role.KETENPARTNER))
    stored = AuthToken.objects.get()
    assert token not in {stored.digest, stored.token_key}


@pytest.mark.parametrize("header", [None, "Token not-a-real-token", "Bearer abc"])
def test_without_a_valid_token_the_api_answers_401(header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = Client().get(ME, headers=headers)
    assert response.status_code == 401


def test_a_session_without_second_factor_does_not_open_the_api() -> None:
    user = staff_user(role=Role.ZORGCOORDINATOR)
    client = Client()
    client.force_login(user)
    assert client.get(ME).status_code in {401, 403}
    assert verified_client(user).get(ME).status_code == 200


def test_api_root_lists_the_endpoints() -> None:
    token = api_token_create(user=staff_user(role=Role.KETENPARTNER))
    response = Client().get("/api/v1/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert response.json()["me"].endswith(ME)


def test_schema_describes_the_api_and_docs_render() -> None:
    schema = Client().get(reverse("schema"), HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/v1/me/" in schema.json()["paths"]
    docs = Client().get(reverse("api-docs"))
    assert docs.status_code == 200
    assert b"<script" in docs.content and b"swagger" in docs.content.lower()
