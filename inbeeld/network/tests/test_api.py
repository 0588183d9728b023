"""/api/v1/activities/ and /api/v1/network-reach/ as partners' systems use them: colleagues
list their regions' activities without names, the keepers create activities and read the
reach, another region's records answer 404, anonymous callers 401."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.accounts.tokens import api_token_issue
from inbeeld.network.models import Activity
from inbeeld.network.tests.helpers import activity_in, attend, municipality_of, register
from inbeeld.testing.world import REGION_CODES, World

pytestmark = pytest.mark.django_db
ACTIVITIES = "/api/v1/activities/"
REACH = "/api/v1/network-reach/"


def call(world: World, role: str, letter: str, url: str, body: Any = None) -> Any:
    token = api_token_issue(user=world.user(role, letter)).token
    headers = {"Authorization": f"Token {token}"}
    if body is None:
        return Client().get(url, headers=headers)
    return Client().post(url, body, content_type="application/json", headers=headers)


def _body(world: World, **changes: Any) -> dict[str, Any]:
    body = {
        "kind": "training",
        "title": "Training via de API",
        "starts_at": (timezone.now() + timedelta(days=7)).isoformat(),
        "municipality": municipality_of("A").code,
        "organiser": world.organisation("A").pk,
        "target_groups": ["police"],
    }
    body.update(changes)
    return body


def test_colleagues_list_their_regions_activities_with_counts_never_names(world: World) -> None:
    mine = activity_in(world, "A", title="Eigen regio")
    activity_in(world, "B", title="Andere regio")
    attend(world, mine, register(world, mine, "Petra Proef"))
    response = call(world, Role.ZORGCOORDINATOR, "A", ACTIVITIES)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["title"] for row in rows] == ["Eigen regio"]
    assert (rows[0]["registered"], rows[0]["attended"]) == (1, 1)
    assert "Petra Proef" not in response.content.decode()
    own = call(world, Role.ZORGCOORDINATOR, "A", f"{ACTIVITIES}{mine.pk}/")
    assert own.status_code == 200
    other = Activity.objects.get(title="Andere regio")
    assert call(world, Role.KETENREGISSEUR, "A", f"{ACTIVITIES}{other.pk}/").status_code == 404


def test_the_keeper_creates_an_activity_and_bad_input_names_the_field(world: World) -> None:
    response = call(world, Role.KETENREGISSEUR, "A", ACTIVITIES, _body(world))
    assert response.status_code == 201, response.content
    assert response.json()["region"] == REGION_CODES["A"]
    assert Activity.objects.get().title == "Training via de API"
    refused = call(world, Role.KETENREGISSEUR, "A", ACTIVITIES, _body(world, target_groups=[]))
    assert refused.status_code == 400 and set(refused.json()) == {"target_groups"}
    unknown = call(world, Role.KETENREGISSEUR, "A", ACTIVITIES, _body(world, attendees=["x"]))
    assert unknown.status_code == 400 and set(unknown.json()) == {"attendees"}
    far = call(
        world,
        Role.KETENREGISSEUR,
        "A",
        ACTIVITIES,
        _body(world, starts_at="9999-12-31T23:59:59-23:00"),
    )
    assert far.status_code == 400 and set(far.json()) == {"starts_at"}
    foreign = _body(world, organiser=world.organisation("B").pk)
    response = call(world, Role.KETENREGISSEUR, "A", ACTIVITIES, foreign)
    assert response.status_code == 400 and "organiser" in response.json()
    assert Activity.objects.count() == 1


def test_only_keepers_create_and_read_the_reach(world: World) -> None:
    created = call(world, Role.ZORGCOORDINATOR, "A", ACTIVITIES, _body(world))
    assert created.status_code == 404
    assert call(world, Role.ZORGCOORDINATOR, "A", REACH).status_code == 404
    assert Activity.objects.count() == 0


def test_the_reach_of_the_keepers_regions_and_404_for_another(world: World) -> None:
    activity = activity_in(world, "A", when=timezone.now() - timedelta(days=30))
    attend(world, activity, register(world, activity, "Petra Proef"), public=4)
    response = call(world, Role.KETENREGISSEUR, "A", REACH)
    assert response.status_code == 200
    [found] = response.json()["results"]
    assert found["region"] == REGION_CODES["A"] and found["professionals_12"] == 1
    row = next(r for r in found["municipalities"] if r["code"] == municipality_of("A").code)
    assert (row["professionals_12"], row["public_12"], row["reached"]) == (1, 4, True)
    assert "Petra Proef" not in response.content.decode()
    own = call(world, Role.KETENREGISSEUR, "A", f"{REACH}{REGION_CODES['A']}/")
    assert own.status_code == 200
    other = call(world, Role.KETENREGISSEUR, "A", f"{REACH}{REGION_CODES['B']}/")
    assert other.status_code == 404


@pytest.mark.parametrize("url", [ACTIVITIES, REACH, f"{REACH}XX/"])
def test_anonymous_callers_get_401(url: str) -> None:
    assert Client().get(url).status_code == 401
    assert Client().post(ACTIVITIES, {}, content_type="application/json").status_code == 401
