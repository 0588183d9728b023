"""Loading the reference list of municipalities and safety regions (never retyped by hand)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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
