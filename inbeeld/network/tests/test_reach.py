"""The reach against hand-made data: people counted once per window, per municipality of
their organisation (or of the activity), per target group; the public counted; the gaps;
and whose last training is too long ago."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from inbeeld.network.models import ActivityKind, TargetGroup
from inbeeld.network.reach import ReachRow, reach, refreshers_due
from inbeeld.network.tests.helpers import (
    activity_in,
    attend,
    municipality_of,
    organisation_in,
    register,
)
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db

VLISSINGEN, GOES = "GM0718", "GM0664"


def _row(rows: list[ReachRow], key: object) -> ReachRow:
    return next(row for row in rows if row.key == key)


def test_reach_counts_each_professional_once_per_window(world: World) -> None:
    now = timezone.now()
    vlissingen = organisation_in("A", "Gemeente Vlissingen", municipality_of(code=VLISSINGEN))
    recent = activity_in(
        world, when=now - timedelta(days=30), municipality=municipality_of(code=GOES)
    )
    older = activity_in(
        world, when=now - timedelta(days=500), municipality=municipality_of(code=GOES)
    )
    too_old = activity_in(world, when=now - timedelta(days=800))
    # Anna came twice (counted once), Bram once 500 days ago, Cor only to a session 800 days ago.
    attend(world, recent, register(world, recent, "Anna de Vries", vlissingen), public=7)
    attend(
        world,
        older,
        register(world, older, "anna  de VRIES", vlissingen),
        register(world, older, "Bram Jansen", vlissingen, TargetGroup.POLICE),
    )
    attend(world, too_old, register(world, too_old, "Cor Smit", vlissingen))
    # Registered but absent: not reached.
    register(world, recent, "Dirk Absent", vlissingen)

    partner = world.partner("A")  # an organisation of the region nobody of which came

    found = reach(recent.region)

    assert found.totals == {12: 1, 24: 2}
    place = _row(found.municipalities, municipality_of(code=VLISSINGEN).pk)
    assert place.professionals == {12: 1, 24: 2}
    # The public is counted where the activity took place.
    goes = _row(found.municipalities, municipality_of(code=GOES).pk)
    assert goes.professionals == {12: 0, 24: 0}
    assert goes.public == {12: 7, 24: 7}
    assert _row(found.target_groups, TargetGroup.MUNICIPAL_STAFF).professionals == {12: 1, 24: 1}
    assert _row(found.target_groups, TargetGroup.POLICE).professionals == {12: 0, 24: 1}
    assert _row(found.target_groups, TargetGroup.GENERAL_PUBLIC).public == {12: 7, 24: 7}
    not_reached = {row.key for row in found.municipalities_not_reached}
    assert municipality_of(code=VLISSINGEN).pk not in not_reached
    assert municipality_of(code=GOES).pk not in not_reached
    assert len(not_reached) == len(found.municipalities) - 2
    assert vlissingen not in found.organisations_not_reached
    assert partner in found.organisations_not_reached


def test_a_professional_without_a_municipality_counts_where_the_activity_was(world: World) -> None:
    activity = activity_in(world, when=timezone.now() - timedelta(days=3))
    attend(world, activity, register(world, activity, "Eva Regionaal"))
    found = reach(activity.region)
    assert _row(found.municipalities, activity.municipality_id).professionals == {12: 1, 24: 1}


def test_cancelled_activities_and_other_regions_do_not_count(world: World) -> None:
    from inbeeld.network.models import Activity

    here = activity_in(world, when=timezone.now() - timedelta(days=3))
    attend(world, here, register(world, here, "Fleur Hier"))
    Activity.objects.filter(pk=here.pk).update(cancelled=True)
    elsewhere = activity_in(world, "B", when=timezone.now() - timedelta(days=3))
    attend(world, elsewhere, register(world, elsewhere, "Gijs Daar", letter="B"), letter="B")
    assert reach(here.region).totals == {12: 0, 24: 0}
    assert reach(elsewhere.region).totals == {12: 1, 24: 1}


def test_a_refresher_is_due_when_the_last_training_is_over_two_years_ago(world: World) -> None:
    now = timezone.now()
    old = activity_in(world, when=now - timedelta(days=800))
    new = activity_in(world, when=now - timedelta(days=100))
    session = activity_in(world, when=now - timedelta(days=50), kind=ActivityKind.AWARENESS)
    hanna = register(world, old, "Hanna Oud")
    ivo = register(world, old, "Ivo Bijgeschoold")
    attend(world, old, hanna, ivo)
    attend(world, new, register(world, new, "Ivo Bijgeschoold"))
    # An awareness session is no training: Hanna still needs her refresher.
    attend(world, session, register(world, session, "Hanna Oud"))
    due = refreshers_due(old.region)
    assert [str(d.participant.name) for d in due] == ["Hanna Oud"]


def test_the_reach_page_draws_the_regions_municipalities_on_the_map(world: World) -> None:
    from django.urls import reverse

    from inbeeld.accounts.models import Role
    from inbeeld.regions.models import Municipality
    from inbeeld.testing.clients import verified_client

    activity = activity_in(
        world, when=timezone.now() - timedelta(days=30), municipality=municipality_of(code=GOES)
    )
    attend(world, activity, register(world, activity, "Anna de Vries"), public=3)
    region = activity.region
    page = verified_client(world.user(Role.KETENREGISSEUR, "A")).get(
        reverse("network:reach", args=[region.code])
    )
    assert page.status_code == 200
    body = page.content.decode()
    start = body.index('data-testid="reach-map"')
    svg = body[start : body.index("</svg>", start)]
    names = list(Municipality.objects.filter(region=region).values_list("name", flat=True))
    assert names and all(f"<title>{name}</title>" in svg for name in names)
    assert svg.count("<path ") == len(names)
    # Goes was reached; every other municipality is drawn dotted as not reached.
    dotted = svg.count('fill="url(#zero-dots)" stroke="#ffffff"')
    assert dotted == len(names) - 1
    assert 'aria-describedby="reach-municipality-table"' in svg
    assert 'id="reach-municipality-table"' in body
