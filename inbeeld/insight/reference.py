"""The published national series the dashboards show as context (insight/data/*.csv).

Read from the package's own copies of the shared reference files (never retyped; see
data/SOURCES.md), once per process. Every row keeps its source, which the page cites.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
REGISTERED_VICTIMS = DATA / "nl_registered_victims.csv"
DARK_NUMBER_ESTIMATES = DATA / "nl_dark_number_estimates.csv"
POLICE_REGISTRATIONS = DATA / "zeeland_police_registrations.csv"


@dataclass(frozen=True)
class RegisteredVictims:
    year: int
    count: int
    counting_base: str
    source: str


@dataclass(frozen=True)
class DarkNumberEstimate:
    period: str
    low: int
    point: int
    high: int
    method: str
    source: str


@dataclass(frozen=True)
class PoliceRegistrations:
    year: int
    region: str
    count: int
    source: str


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def registered_victims() -> tuple[RegisteredVictims, ...]:
    """CoMensha's registered presumed victims per year, oldest first."""
    return tuple(
        sorted(
            (
                RegisteredVictims(
                    year=int(row["year"]),
                    count=int(row["registered_presumed_victims"]),
                    counting_base=row["counting_base"],
                    source=row["source"],
                )
                for row in _rows(REGISTERED_VICTIMS)
            ),
            key=lambda item: item.year,
        )
    )


@cache
def dark_number_estimates() -> tuple[DarkNumberEstimate, ...]:
    """The published MSE estimates of all victims per year (low, point, high)."""
    return tuple(
        DarkNumberEstimate(
            period=row["period"],
            low=int(row["estimate_low"]),
            point=int(row["estimate_point"]),
            high=int(row["estimate_high"]),
            method=row["method"],
            source=row["source"],
        )
        for row in _rows(DARK_NUMBER_ESTIMATES)
    )


@cache
def police_registrations() -> tuple[PoliceRegistrations, ...]:
    """Zeeland-West-Brabant's police registrations per year (seed 003's table). A row whose
    source is "same" cites the row above it, as in the file."""
    rows: list[PoliceRegistrations] = []
    for row in _rows(POLICE_REGISTRATIONS):
        source = row["source"]
        if source == "same" and rows:
            source = rows[-1].source
        rows.append(
            PoliceRegistrations(
                year=int(row["year"]),
                region=row["region"],
                count=int(row["registrations_by_police"]),
                source=source,
            )
        )
    return tuple(sorted(rows, key=lambda item: item.year))


def registered_victims_in(year: int) -> RegisteredVictims | None:
    return next((row for row in registered_victims() if row.year == year), None)
