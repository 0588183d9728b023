"""/api/v1/registrations/: the coordinator's registrations listed and a draft saved, with
the page's checks (400 naming the field), nothing of another region."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from inbeeld.accounts.models import Role, User
from inbeeld.accounts.tokens import api_token_create
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.cases.tests.helpers import world_case
from inbeeld.registration.models import Registration
from inbeeld.registration.tests.helpers import coordinator, draft
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def dutch() -> Iterator[None]:
    with translation.override("nl"):
        yield


def call(user: User, method: str, body: dict[str, Any] | None = None) -> Any:
    headers = {"Authorization": f"Token {api_token_create(user=user)}"}
    url = reverse("v1:registrations")
    if method == "get":
        return Client().get(url, headers=headers)
    return Client().post(url, body or {}, content_type="application/json", headers=headers)


def test_a_draft_is_prefilled_from_the_case_and_completed_through_the_api(world: World) -> None:
    case = world_case(world, "A")
    response = call(coordinator(world), "post", {"case": case.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["case"] == case.pk and body["status"] == "draft" and body["version"] == 1
    assert body["police_unit"] == "zeeland_west_brabant"
    response = call(
        coordinator(world),
        "post",
        {
            "case": case.pk,
            "place_country": "be",
            "age": 15,
            "minority": "minor",
            "legal_basis": "consent",
            "consent_signed_by": "parent_or_guardian",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["place_country"] == "BE"
    assert Registration.objects.filter(case=case).count() == 1
    listed = call(coordinator(world), "get").json()["results"]
    assert [item["id"] for item in listed] == [body["id"]]
    assert AuditEntry.objects.filter(
        action=Action.READ, purpose="api read", object_type="registration.registration"
    ).exists()


def test_the_minors_rule_answers_400_naming_the_field(world: World) -> None:
    case = world_case(world, "A")
    response = call(
        coordinator(world),
        "post",
        {
            "case": case.pk,
            "age": 15,
            "minority": "minor",
            "legal_basis": "consent",
            "consent_signed_by": "person",
        },
    )
    assert response.status_code == 400
    assert list(response.json()) == ["consent_signed_by"]
    assert not Registration.objects.exists()


def test_another_region_case_is_refused_naming_case_and_not_listed(world: World) -> None:
    theirs = draft(world, world_case(world, "B"), "B")
    response = call(coordinator(world), "post", {"case": theirs.case_id})
    assert response.status_code == 400 and list(response.json()) == ["case"]
    assert call(coordinator(world), "get").json()["results"] == []
    # The account with roles in two regions lists only the one it coordinates.
    assert call(world.two_regions, "get").json()["results"] == []
    own = draft(world, world_case(world, "A"))
    assert [r["id"] for r in call(world.two_regions, "get").json()["results"]] == [own.pk]


def test_a_partner_is_refused_and_lists_nothing(world: World) -> None:
    case = world_case(world, "A")
    draft(world, case)
    partner = world.user(Role.KETENPARTNER, "A")
    assert call(partner, "post", {"case": case.pk}).status_code == 404
    assert call(partner, "get").json()["results"] == []
