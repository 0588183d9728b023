"""The key figures on the home page of the programme lead and the council's administrator:
counted exactly for their own region and period, small counts suppressed, never a record."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from inbeeld.accounts.models import Organisation, OrganisationType, Role
from inbeeld.cases.models import Case
from inbeeld.cases.services import case_open_from_signals
from inbeeld.cases.tests.helpers import world_case
from inbeeld.insight.figures import Figure, key_figures, suppressed
from inbeeld.regions.models import Municipality
from inbeeld.signals.models import Signal
from inbeeld.signals.tests.test_queue import reported
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import MembershipFactory, region, staff_user
from inbeeld.testing.world import REGION_CODES, World

pytestmark = pytest.mark.django_db


def moved_to(signal: Signal, day: Any) -> Signal:
    moment = datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())
    Signal.objects.filter(pk=signal.pk).update(created_at=moment)
    return signal


def a_year_before(day: Any) -> Any:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def figure(figures: list[Figure], key: str) -> Figure:
    return next(f for f in figures if f.key == key)


@override_settings(SMALL_CELL_THRESHOLD=1)  # nothing suppressed: the counts themselves
def test_the_counts_are_this_years_and_the_same_days_last_year_in_the_region(
    world: World,
) -> None:
    today = timezone.localdate()
    for fields in (
        {"acute": True},
        {"victim_age_band": "minor"},
        {"exploitation_forms": ["labour"]},
    ):
        reported(world, **fields)
    last_year = a_year_before(today)
    moved_to(reported(world, exploitation_forms=["sexual"]), last_year)
    moved_to(reported(world), last_year + timedelta(days=1))  # after the same day: not counted
    reported(world, "B", acute=True)  # another region
    world_case(world)  # from the world's signal: a fourth signal this year
    Case.objects.update(trafficking_status="presumed")

    figures = key_figures(region("VR19"), today=today).figures
    signals = figure(figures, "signals")
    assert (signals.this_period, signals.last_period) == (4, 1)
    assert figure(figures, "acute").this_period == 1
    assert figure(figures, "minors").this_period == 1
    assert figure(figures, "form_labour").this_period == 1
    assert figure(figures, "form_sexual").last_period == 1
    assert figure(figures, "cases").this_period == 1
    assert figure(figures, "victims").this_period == 1


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=50))
def test_a_suppressed_count_never_shows_a_small_number(count: int, threshold: int) -> None:
    shown = suppressed(count, threshold)
    assert shown is None or shown == 0 or shown >= threshold
    assert (shown is None) == (0 < count < threshold)


def test_the_administrator_sees_small_counts_as_fewer_than_five(world: World) -> None:
    for _number in range(3):
        reported(world, acute=True)
    for _number in range(2):
        reported(world)
    goes = Municipality.objects.get(code="GM0664")
    council = Organisation.objects.create(
        name="Gemeente Goes",
        type=OrganisationType.MUNICIPALITY,
        region=goes.region,
        municipality=goes,
    )
    alderman = staff_user(role=Role.BESTUURDER, organisation=council)
    page = verified_client(alderman).get(reverse("web:home")).content.decode()
    block = page[page.index('data-testid="key-figures"') :]
    assert "Kerncijfers" in block
    assert 'Ontvangen signalen</th><td class="num">5</td>' in block
    assert 'waarvan acuut</th><td class="num">minder dan 5</td>' in block
    assert "Signalen met de plaats delict in Goes" in block
    for signal in Signal.objects.all():
        assert signal.receipt_code not in page  # counts only, never a record


@pytest.mark.parametrize("role", [Role.KETENREGISSEUR, Role.BESTUURDER])
def test_the_programme_lead_and_administrator_see_only_their_regions_figures(
    world: World, role: str
) -> None:
    page = verified_client(world.user(role, "B")).get(reverse("web:home")).content.decode()
    assert f'data-testid="key-figures-{REGION_CODES["B"]}"' in page
    assert f'data-testid="key-figures-{REGION_CODES["A"]}"' not in page


@pytest.mark.parametrize(
    "role", [Role.ZORGCOORDINATOR, Role.KETENPARTNER, Role.FG, Role.BEHEERDER, Role.ONDERZOEKER]
)
def test_other_roles_do_not_get_the_block(world: World, role: str) -> None:
    page = verified_client(world.user(role)).get(reverse("web:home")).content.decode()
    assert 'data-testid="key-figures"' not in page


def test_an_account_leading_one_region_and_working_in_another_sees_one_regions_figures(
    world: World,
) -> None:
    lead = world.user(Role.KETENREGISSEUR, "A")
    MembershipFactory.create(
        user=lead, organisation=world.organisation("B"), role=Role.KETENPARTNER
    )
    page = verified_client(lead).get(reverse("web:home")).content.decode()
    assert f'data-testid="key-figures-{REGION_CODES["A"]}"' in page
    assert f'data-testid="key-figures-{REGION_CODES["B"]}"' not in page


@override_settings(SMALL_CELL_THRESHOLD=1)  # nothing suppressed: the counts themselves
def test_the_home_page_counts_what_the_dashboard_counts(world: World) -> None:
    """A merged duplicate and restricted records are left out by both: one selection."""
    from inbeeld.insight.dashboard import Dashboard, Selection, figure_source

    today = timezone.localdate()
    kept = reported(world, exploitation_forms=["labour"])
    Signal.objects.filter(pk=reported(world).pk).update(merged_into=kept)  # a duplicate
    Signal.objects.filter(pk=reported(world).pk).update(restricted=True)  # AVG art. 18
    reported(world, acute=True)
    world_case(world)  # from the world's signal: one more signal, and a case
    restricted_case = case_open_from_signals(
        by=world.user("zorgcoordinator", "A"), signals=[reported(world)]
    )
    Case.objects.filter(pk=restricted_case.pk).update(restricted=True)

    place = region("VR19")
    figures = key_figures(place, today=today).figures
    dashboard = Dashboard(Selection(region=place, year=today.year))
    signals, cases = figure_source("signals"), figure_source("cases")
    assert signals is not None and cases is not None
    home_signals = figure(figures, "signals").this_period
    home_cases = figure(figures, "cases").this_period
    assert (home_signals, home_cases) == (dashboard.total(signals), dashboard.total(cases))
    expected = Signal.objects.filter(region=place, merged_into=None, restricted=False).count()
    assert home_signals == expected
    assert home_cases == 1
