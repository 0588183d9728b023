"""GET and PUT /api/v1/shelter-capacity/ as a coordinator's and a shelter's system use them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.accounts.tokens import api_token_issue
from inbeeld.shelter.models import CapacityUpdate, PlaceCapacity, PlaceKind
from inbeeld.shelter.tests.helpers import location_of, place_at, shelter_of, staff_of
from inbeeld.testing.factories import staff_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/shelter-capacity/"


def call(token: str, method: str = "get", url: str = URL, body: Any = None) -> Any:
    send = getattr(Client(), method)
    headers = {"Authorization": f"Token {token}"}
    if body is None:
        return send(url, headers=headers)
    return send(url, body, content_type="application/json", headers=headers)


def test_the_coordinator_lists_the_regions_places_with_unknown_as_null() -> None:
    location = location_of(shelter_of("A"), "Huis Zee")
    fresh = place_at(location, PlaceKind.WOMEN, capacity=10, occupied=10)
    stale = place_at(
        location, PlaceKind.MEN, capacity=6, confirmed_at=timezone.now() - timedelta(days=9)
    )
    place_at(location_of(shelter_of("B"), "Huis IJssel"))
    token = api_token_issue(user=staff_user(role=Role.ZORGCOORDINATOR)).token
    response = call(token)
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["results"]}
    assert set(rows) == {fresh.pk, stale.pk}
    assert rows[fresh.pk]["location"] == "Huis Zee"
    assert (rows[fresh.pk]["capacity"], rows[fresh.pk]["occupied"]) == (10, 10)
    assert rows[fresh.pk]["free"] == 0
    assert rows[stale.pk]["free"] is None
    assert rows[stale.pk]["confirmed_at"] is not None


def test_the_shelters_token_confirms_its_own_entry() -> None:
    place = place_at(location_of(shelter_of("A")), capacity=10, occupied=4)
    issued = api_token_issue(user=staff_of(place.location.organisation))
    response = call(issued.token, "put", f"{URL}{place.pk}/", {"occupied": 9, "capacity": 12})
    assert response.status_code == 200
    assert (response.json()["free"], response.json()["capacity"]) == (3, 12)
    place.refresh_from_db()
    assert (place.confirmed_by, place.confirmed_token) == (None, issued.key)
    assert CapacityUpdate.objects.get(place=place).token == issued.key


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"occupied": 11}, "occupied"),
        ({"occupied": -1}, "occupied"),
        ({"occupied": "3"}, "occupied"),
        ({"occupied": 5, "capacity": 4}, "occupied"),
        ({"capacity": 4}, "occupied"),
        ({"occupied": 1, "free": 9}, "free"),
    ],
)
def test_bad_input_answers_400_naming_the_field(body: dict[str, Any], field: str) -> None:
    place = place_at(location_of(shelter_of("A")), capacity=10, occupied=4)
    token = api_token_issue(user=staff_of(place.location.organisation)).token
    response = call(token, "put", f"{URL}{place.pk}/", body)
    assert response.status_code == 400
    assert field in response.json()
    assert PlaceCapacity.objects.get(pk=place.pk).occupied == 4
    assert not CapacityUpdate.objects.exists()


def test_another_shelters_entry_answers_404() -> None:
    place = place_at(location_of(shelter_of("A")))
    other = staff_of(shelter_of("A", "Andere opvang"))
    token = api_token_issue(user=other).token
    assert call(token, "put", f"{URL}{place.pk}/", {"occupied": 1}).status_code == 404
    assert place.pk not in {row["id"] for row in call(token).json()["results"]}
