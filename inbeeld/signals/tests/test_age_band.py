"""The age band from a date of birth: the rule, and the migration for signals stored before."""

from __future__ import annotations

import importlib
from datetime import date, datetime
from typing import Any

import pytest
from django.utils import timezone

from inbeeld.signals.ages import age_band_of, age_on
from inbeeld.signals.models import Signal
from inbeeld.testing.migrations import migrate, migrated_back_to

MIGRATION = importlib.import_module("inbeeld.signals.migrations.0012_age_band_from_date_of_birth")
BEFORE = [("signals", "0011_signal_version")]

BIRTHDAYS = [
    (date(2010, 4, 1), date(2026, 3, 31), 15, "minor"),
    (date(2008, 4, 1), date(2026, 3, 31), 17, "minor"),
    (date(2008, 4, 1), date(2026, 4, 1), 18, "18-23"),  # on the 18th birthday: of age
    (date(2002, 12, 31), date(2026, 12, 30), 23, "18-23"),
    (date(2002, 12, 31), date(2026, 12, 31), 24, "24-49"),
    (date(1976, 6, 15), date(2026, 6, 15), 50, "50+"),
    (date(2008, 2, 29), date(2026, 2, 28), 17, "minor"),  # born on a leap day
    (date(2008, 2, 29), date(2026, 3, 1), 18, "18-23"),
]


@pytest.mark.parametrize(("born", "day", "age", "band"), BIRTHDAYS)
def test_the_age_on_a_day_and_its_band(born: date, day: date, age: int, band: str) -> None:
    assert age_on(born, day) == age
    assert age_band_of(age) == band
    assert MIGRATION.age_band(born, day) == band  # the migration's frozen copy agrees


def _old_signal(apps: Any, receipt: str, *, born: str, band: str = "", **fields: Any) -> int:
    model = apps.get_model("signals", "Signal")
    municipality = apps.get_model("regions", "Municipality").objects.get(code="GM0664")
    signal = model.objects.create(
        region_id=municipality.region_id,
        municipality_id=municipality.pk,
        description="Oud signaal",
        victim_date_of_birth=born,
        victim_age_band=band,
        source="partner",
        receipt_code=receipt,
        **fields,
    )
    return int(signal.pk)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_stored_signals_the_band_their_date_of_birth_implies() -> None:
    with migrated_back_to(BEFORE) as old_apps:
        at_incident = _old_signal(
            old_apps, "MH-AGE1-0001", born="2010-04-01", incident_date=date(2026, 11, 2)
        )
        on_arrival = _old_signal(old_apps, "MH-AGE1-0002", born="2000-01-01")
        old_apps.get_model("signals", "Signal").objects.filter(pk=on_arrival).update(
            created_at=datetime(2017, 12, 31, 12, 0, tzinfo=timezone.get_current_timezone())
        )
        chosen = _old_signal(old_apps, "MH-AGE1-0003", born="1990-01-01", band="50+")
        no_birth = _old_signal(old_apps, "MH-AGE1-0004", born="")
        migrate([("signals", "0012_age_band_from_date_of_birth")])
    bands = dict(Signal.objects.values_list("pk", "victim_age_band"))
    assert bands[at_incident] == "minor"
    assert bands[on_arrival] == "minor"  # 17 on the day it came in
    assert bands[chosen] == "50+"  # a band a person chose stays
    assert bands[no_birth] == ""
