"""The demo's shelter places: three shelters in Zeeland and two in IJsselland, some kinds
full, one stale; each shelter's account sees its own, the coordinators their region's."""

from __future__ import annotations

import pytest
from django.utils import timezone

from inbeeld.accounts.demo import demo_create
from inbeeld.accounts.models import User
from inbeeld.shelter.access import own_places_of, places_in_overview_of
from inbeeld.shelter.capacity import shown_free
from inbeeld.shelter.models import ShelterLocation

pytestmark = pytest.mark.django_db


def test_the_demo_has_shelters_in_both_regions_some_full_one_stale() -> None:
    demo_create()
    shelters = {
        region: set(
            ShelterLocation.objects.filter(region__code=region).values_list(
                "organisation__name", flat=True
            )
        )
        for region in ("VR19", "VR04")
    }
    assert (len(shelters["VR19"]), len(shelters["VR04"])) == (3, 2)
    now = timezone.now()
    zeeland = list(places_in_overview_of(User.objects.get(username="zorgcoordinator.zeeland")))
    shown = [shown_free(place, now) for place in zeeland]
    assert shown.count(None) == 1
    assert shown.count(0) >= 2
    assert {place.location.region.code for place in zeeland} == {"VR19"}
    own = own_places_of(User.objects.get(username="opvang.frion"))
    assert {place.location.organisation.name for place in own} == {"Frion"}
