"""The overview of several regions counts its totals with one aggregate query (totals_of);
they are the same figures as counted from the rows (overview_of), stale places included,
and an account with several regions chooses a region to see its places per location."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.shelter.access import places_in_overview_of
from inbeeld.shelter.models import PlaceKind
from inbeeld.shelter.overview import overview_of, totals_of
from inbeeld.shelter.tests.helpers import location_of, place_at, shelter_of
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import MembershipFactory, OrganisationFactory, region, staff_user

pytestmark = pytest.mark.django_db


def test_the_aggregate_totals_equal_the_totals_counted_from_the_rows() -> None:
    now = timezone.now()
    zee = location_of(shelter_of("A"), "Huis Zee")
    place_at(zee, PlaceKind.WOMEN, capacity=10, occupied=7)
    place_at(zee, PlaceKind.CRISIS, capacity=4, occupied=1, confirmed_at=now - timedelta(days=8))
    place_at(zee, PlaceKind.MEN, capacity=3, occupied=0, never_confirmed=True)
    place_at(zee, PlaceKind.YOUTH, capacity=5, occupied=5, confirmed_at=now - timedelta(days=7))
    place_at(location_of(shelter_of("B"), "Huis IJssel"), PlaceKind.WOMEN, capacity=6, occupied=2)
    account = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    MembershipFactory.create(
        user=account,
        organisation=OrganisationFactory.create(region=region("VR04")),
        role=Role.ZORGCOORDINATOR,
    )
    places = places_in_overview_of(account)
    counted = overview_of(places.order_by("pk"), now)
    summed = totals_of(places, now)

    def figures(shown: list) -> list:  # type: ignore[type-arg]
        return [
            (
                s.region.code,
                [(t.kind, t.capacity, t.occupied, t.free, t.unknown) for t in s.totals],
                (s.total.capacity, s.total.occupied, s.total.free, s.total.unknown),
            )
            for s in shown
        ]

    assert figures(summed) == figures(counted)
    client = verified_client(account)
    page = client.get(reverse("shelter:overview"))
    assert page.context["summary"] is True
    assert "Huis Zee" not in page.content.decode()
    chosen = client.get(reverse("shelter:overview") + "?regio=VR19")
    assert "Huis Zee" in chosen.content.decode()
    assert "Huis IJssel" not in chosen.content.decode()
