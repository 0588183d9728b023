"""The demo's network: Zeeland's year after the newsletter's agenda (seed 003), with
registrations and attendance, a flagged key-figures meeting, refreshers due, and the
public agenda showing the public activities only."""

from __future__ import annotations

import pytest
from django.test import Client

from inbeeld.accounts.demo import demo_create
from inbeeld.network.models import Activity, ActivityKind, Participant
from inbeeld.network.reach import reach, refreshers_due
from inbeeld.network.services import is_over_capacity
from inbeeld.regions.models import Region

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_year_of_zeeland_activities_after_the_newsletter() -> None:
    demo_create()
    zeeland = Region.objects.get(code="VR19")
    titles = set(Activity.objects.filter(region=zeeland).values_list("title", flat=True))
    assert "3e Zeeuwse sleutelfigurenbijeenkomst" in titles
    assert "Zeeuwse training voor gemeentelijke aandachtsfunctionarissen mensenhandel" in titles
    assert "Zeeuwse training voor leidinggevenden van ambtenaren met burgercontact" in titles
    kinds = set(Activity.objects.filter(region=zeeland).values_list("kind", flat=True))
    assert kinds == set(ActivityKind.values) - {ActivityKind.CONFERENCE}
    assert Participant.objects.filter(attended=True).count() > 40
    meeting = Activity.objects.get(title="3e Zeeuwse sleutelfigurenbijeenkomst")
    assert is_over_capacity(meeting)
    found = reach(zeeland)
    assert found.totals[12] > 20
    assert found.municipalities_not_reached  # the gaps show
    assert refreshers_due(zeeland)
    page = Client().get("/agenda/").content.decode()
    assert "Informatieavond arbeidsuitbuiting voor werkgevers" in page
    assert "Werkgroep mensenhandel Zeeland" not in page
