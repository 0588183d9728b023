"""The demo's placements: a waiting list in Zeeland, a request waiting for IJsselland's
consent, a stay that ended, a placement over capacity; each shelter sees only its own."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inbeeld.accounts.demo import demo_create
from inbeeld.accounts.models import User
from inbeeld.placements.access import offers_for_shelter, waiting_requests_in
from inbeeld.placements.models import AskStatus, Placement, RegionAsk, RequestStatus
from inbeeld.testing.clients import verified_client

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_waiting_list_an_ended_stay_and_one_over_capacity() -> None:
    demo_create()
    coordinator = User.objects.get(username="zorgcoordinator.zeeland")
    waiting = list(waiting_requests_in(coordinator))
    assert len(waiting) == 2
    assert all(request.status == RequestStatus.OPEN for request in waiting)
    assert RegionAsk.objects.get().status == AskStatus.ASKED
    assert Placement.objects.filter(outflow__isnull=False, destination="own_housing").count() == 1
    assert Placement.objects.filter(over_capacity=True, outflow__isnull=True).count() == 1
    frion = User.objects.get(username="opvang.frion")
    assert not offers_for_shelter(frion).exists()
    page = verified_client(coordinator).get(reverse("placements:flow")).content.decode()
    assert "Gemiddelde verblijfsduur: 37 dagen" in page
    overview = verified_client(coordinator).get(reverse("shelter:overview"))
    (zeeland,) = overview.context["regions"]
    assert zeeland.total.waiting == 2
    assert (
        verified_client(User.objects.get(username="zorgcoordinator.ijsselland"))
        .get(reverse("placements:waiting"))
        .status_code
        == 200
    )
