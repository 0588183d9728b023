"""The dashboards' demo history (insight/demo.py): seven years of invented signals and cases
per demo region, scaled from the national series, with no personal data, that the next
retention run leaves alone, and that the dashboard counts."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.cases.models import Case, CasePerson
from inbeeld.insight.dashboard import Dashboard, Selection, figure_source
from inbeeld.insight.demo import DESCRIPTION, SIGNALS_PER_CASE, YEARS, demo_figures_region
from inbeeld.insight.expected import expected_for
from inbeeld.privacy.retention import retention_run
from inbeeld.signals.models import Signal
from inbeeld.testing.factories import region
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 7, 1, 12, tzinfo=timezone.get_current_timezone())


def history(world: World) -> int:
    world.user(Role.ZORGCOORDINATOR)  # the region's coordinator owns the cases
    world.partner()
    return demo_figures_region("VR19", now=NOW)


def test_every_full_year_follows_the_national_series_scaled_to_the_region(
    world: World,
) -> None:
    made = history(world)
    place = region("VR19")
    assert made == Signal.objects.filter(region=place).count()
    for year in range(NOW.year - YEARS + 1, NOW.year):
        expected = expected_for(place, year=year).expected
        cases = Case.objects.filter(region=place, created_at__year=year).count()
        signals = Signal.objects.filter(region=place, created_at__year=year).count()
        # ±15% a year, and a few cases opened in January from December's signals
        assert 0.85 * expected - 3 <= cases <= 1.15 * expected + 3, year
        low, high = 0.85 * 0.9 * SIGNALS_PER_CASE, 1.15 * 1.1 * SIGNALS_PER_CASE
        assert low * expected - 1 <= signals <= high * expected + 1, year
    assert not Signal.objects.filter(created_at__gt=NOW).exists()
    # Every channel requires the municipality, and the API's schema promises one.
    assert not Signal.objects.filter(municipality=None).exists()


def test_the_history_holds_no_personal_data(world: World) -> None:
    history(world)
    signals = Signal.objects.all()
    assert set(signals.values_list("description", flat=True)) == {DESCRIPTION}
    for field in ("victim_name", "victim_date_of_birth", "phone_numbers", "reporter_contact"):
        assert {getattr(signal, field) for signal in signals} == {""}, field
    assert not signals.exclude(victim_name_index="").exists()
    people = CasePerson.objects.all()
    assert people.exists()
    assert {(person.name, person.date_of_birth) for person in people} == {("", "")}


def test_the_next_retention_run_removes_none_of_it(world: World) -> None:
    history(world)
    run = retention_run(now=NOW, dry_run=True)
    assert sum(run.removed.values()) == 0


@override_settings(SMALL_CELL_THRESHOLD=5)
def test_the_dashboard_is_alive_in_every_year(world: World) -> None:
    history(world)
    dashboard = Dashboard(Selection(region=region("VR19")))
    for key in ("signals", "cases"):
        source = figure_source(key)
        assert source is not None
        years = {row.code: row.count for row in dashboard.table(source, "year").rows}
        assert set(years) == {str(y) for y in range(NOW.year - YEARS + 1, NOW.year + 1)}
        assert all(count for count in years.values()), (key, years)
