"""Loading the reference list of municipalities and safety regions (never retyped by hand)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MUNICIPALITIES_CSV = Path(__file__).resolve().parent / "data" / "nl_municipalities.csv"


@dataclass(frozen=True)
class MunicipalityRow:
    code: str
    name: str
    province: str
    population: int
    population_year: int
    region_code: str
    region_name: str


def read_municipalities(path: Path = MUNICIPALITIES_CSV) -> Iterator[MunicipalityRow]:
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield MunicipalityRow(
                code=row["code"],
                name=row["name"],
                province=row["province"],
                population=int(row["population"]),
                population_year=int(row["population_year"]),
                region_code=row["safety_region_code"],
                region_name=row["safety_region_name"],
            )


def load_municipalities(region_model: Any, municipality_model: Any) -> int:
    """Create or update all safety regions and municipalities; returns the number loaded.

    Takes the model classes as arguments so that the data migration can pass its historical
    models and tests can pass the real ones: one loader, never a second copy.
    """
    regions: dict[str, Any] = {}
    count = 0
    for row in read_municipalities():
        region = regions.get(row.region_code)
        if region is None:
            region, _ = region_model.objects.update_or_create(
                code=row.region_code, defaults={"name": row.region_name}
            )
            regions[row.region_code] = region
        municipality_model.objects.update_or_create(
            code=row.code,
            defaults={
                "name": row.name,
                "province": row.province,
                "population": row.population,
                "population_year": row.population_year,
                "region": region,
            },
        )
        count += 1
    return count
