"""The reference list of municipalities is loaded whole and stays equal to its source."""

from __future__ import annotations

from pathlib import Path

import pytest

from inbeeld.regions.models import Municipality, Region
from inbeeld.regions.reference import MUNICIPALITIES_CSV

SHARED_COPY = (
    Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "nl_municipalities.csv"
)


@pytest.mark.django_db
def test_all_municipalities_and_safety_regions_are_loaded() -> None:
    assert Municipality.objects.count() == 342
    assert Region.objects.count() == 25
    goes = Municipality.objects.get(code="GM0664")
    assert (goes.name, goes.region.name, goes.population) == ("Goes", "Zeeland", 38950)
    assert Municipality.objects.get(code="GM0193").region.name == "IJsselland"


@pytest.mark.skipif(not SHARED_COPY.exists(), reason="the project's shared folder is not beside it")
def test_packaged_copy_equals_the_shared_source() -> None:
    assert MUNICIPALITIES_CSV.read_bytes() == SHARED_COPY.resolve().read_bytes()
