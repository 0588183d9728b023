"""/api/v1/cases/: 201 with the id, 400 naming the field, 404 outside need-to-know, 409 for a
stale version."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from inbeeld.accounts.models import Role, User
from inbeeld.accounts.tokens import api_token_create
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.cases.models import Case
from inbeeld.cases.tests.helpers import world_case
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def call(user: User, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    headers = {"Authorization": f"Token {api_token_create(user=user)}"}
    client = Client()
    if method == "get":
        return client.get(url, headers=headers)
    send = client.post if method == "post" else client.patch
    return send(url, body or {}, content_type="application/json", headers=headers)


def test_a_case_from_a_signal_is_created_with_its_person_and_events(world: World) -> None:
    signal = world.signal("A")
    response = call(
        world.user(Role.ZORGCOORDINATOR, "A"),
        "post",
        reverse("v1:cases"),
        {
            "signals": [signal.pk],
            "exploitation_forms": ["labour"],
            "trafficking_status": "presumed",
            "person": {"name": "Ion Test", "nationalities": ["ro", "MD"], "gender": "male"},
            "events": [
                {"kind": "recruitment", "country": "RO", "date": "2025-03-01"},
                {"kind": "exploitation", "municipality": "GM0664", "date": "2025-04-01"},
            ],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert body["signals"] == [signal.pk]
    assert body["person"]["nationalities"] == ["MD", "RO"]
    assert [event["kind"] for event in body["events"]] == ["recruitment", "exploitation"]
    assert case.region.code == "VR19"


def test_bad_input_is_refused_naming_the_field(world: World) -> None:
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    response = call(
        coordinator,
        "post",
        reverse("v1:cases"),
        {"municipality": "GM0664", "person": {"nationalities": ["Roemeens"]}},
    )
    assert response.status_code == 400
    assert "nationalities" in response.json()["person"]
    response = call(
        coordinator,
        "post",
        reverse("v1:cases"),
        {
            "municipality": "GM0664",
            "person": {"date_of_birth": "2000-01-01"},
            "events": [{"kind": "transit", "country": "DE", "date": "1999-01-01"}],
        },
    )
    assert response.status_code == 400
    assert response.json() == {
        "events": {"0": {"date": [response.json()["events"]["0"]["date"][0]]}}
    }
    assert not Case.objects.exists()


def test_another_regions_signal_or_municipality_is_refused(world: World) -> None:
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    refused = call(coordinator, "post", reverse("v1:cases"), {"signals": [world.signal("B").pk]})
    assert refused.status_code == 400 and "signals" in refused.json()
    refused = call(coordinator, "post", reverse("v1:cases"), {"municipality": "GM0193"})
    assert refused.status_code == 400 and "municipality" in refused.json()


def test_outside_need_to_know_is_404_and_a_stale_version_409(world: World) -> None:
    case = world_case(world, "A")
    url = reverse("v1:case", kwargs={"pk": case.pk})
    assert call(world.user(Role.ZORGCOORDINATOR, "B"), "get", url).status_code == 404
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    seen = call(coordinator, "get", url).json()["version"]
    changed = call(coordinator, "patch", url, {"version": seen, "trafficking_status": "actual"})
    assert changed.status_code == 200 and changed.json()["trafficking_status"] == "actual"
    stale = call(coordinator, "patch", url, {"version": seen, "trafficking_status": "possible"})
    assert stale.status_code == 409
    assert stale.json()["current"]["trafficking_status"] == "actual"
    # A partner of the owner organisation reads, but does not change.
    partner = world.user(Role.KETENPARTNER, "A")
    assert call(partner, "get", url).status_code == 200
    assert call(partner, "patch", url, {"version": seen + 1}).status_code == 404


def test_a_page_of_the_list_is_one_audited_read(world: World) -> None:
    case = world_case(world, "A")
    world_case(world, "B")
    response = call(world.user(Role.ZORGCOORDINATOR, "A"), "get", reverse("v1:cases"))
    assert [item["id"] for item in response.json()["results"]] == [case.pk]
    entry = AuditEntry.objects.filter(action=Action.READ, object_type="cases.case").last()
    assert entry is not None and entry.purpose == "api read"
