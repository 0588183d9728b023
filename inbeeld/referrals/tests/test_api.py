"""`/api/v1/referrals/` for the receiving organisation: only what is shared, and the answer."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from inbeeld.accounts.tokens import api_token_create
from inbeeld.referrals.models import ReferralStatus, SharedField
from inbeeld.referrals.tests.helpers import CANARY_NAME, shelter_staff, world_referral
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def _client(user: Any) -> tuple[Client, dict[str, str]]:
    return Client(), {"Authorization": f"Token {api_token_create(user=user)}"}


def test_the_list_holds_only_what_the_referral_shares(world: World) -> None:
    referral = world_referral(world, shared=[SharedField.AGE_BAND])
    client, headers = _client(shelter_staff("A"))
    response = client.get(reverse("v1:referrals"), headers=headers)
    assert response.status_code == 200
    body = response.content.decode()
    assert referral.reference in body and CANARY_NAME not in body
    [item] = response.json()["results"]
    assert [shared["field"] for shared in item["shared"]] == ["age_band"]


def test_a_patch_accepts_and_a_rejection_needs_a_reason(world: World) -> None:
    referral = world_referral(world)
    client, headers = _client(shelter_staff("A"))
    url = reverse("v1:referral", args=[referral.pk])
    refused = client.patch(
        url, {"status": "rejected"}, content_type="application/json", headers=headers
    )
    assert refused.status_code == 400 and "reason" in refused.json()
    done = client.patch(
        url, {"status": "accepted"}, content_type="application/json", headers=headers
    )
    assert done.status_code == 200 and done.json()["status"] == ReferralStatus.ACCEPTED
    again = client.patch(
        url, {"status": "accepted"}, content_type="application/json", headers=headers
    )
    assert again.status_code == 400 and "status" in again.json()


def test_the_other_regions_shelter_gets_404(world: World) -> None:
    referral = world_referral(world)
    client, headers = _client(shelter_staff("B"))
    url = reverse("v1:referral", args=[referral.pk])
    assert client.get(url, headers=headers).status_code == 404
    assert (
        client.patch(
            url, {"status": "accepted"}, content_type="application/json", headers=headers
        ).status_code
        == 404
    )
    assert client.get(reverse("v1:referrals"), headers=headers).json()["results"] == []
