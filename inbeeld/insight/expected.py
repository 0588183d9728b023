"""The expected number: what a region or municipality would register at the national rate,
and how many victims there would be with the unseen ones (the Almere method of seed 004).

The share used is the **population share**: the area's inhabitants divided by those of all
municipalities in the reference data (CBS, the population on 1 January of
``Municipality.population_year``). The national count is CoMensha's registered presumed
victims of the chosen year (insight/data/nl_registered_victims.csv). Expected registered =
national count × share, with the interval chance alone would give around it (a Poisson 95%
interval: if the area had exactly the national rate, a year's count would lie there 19 times
out of 20). The unseen number comes from the published MSE estimates of all victims
(nl_dark_number_estimates.csv): the area's share of the estimate's low, point and high value,
minus the expected registered. Framework-free arithmetic in ``expected_count`` so that a test
can check it by hand (1,321 national, Almere's share).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Sum
from scipy.stats import poisson

from inbeeld.insight.reference import (
    DarkNumberEstimate,
    RegisteredVictims,
    dark_number_estimates,
    registered_victims,
)
from inbeeld.regions.models import Municipality, Region


def expected_count(national: int, population: int, national_population: int) -> float:
    """The national count spread over the population: national × population / national
    population."""
    return national * population / national_population


def chance_interval(expected: float, confidence: float = 0.95) -> tuple[int, int]:
    """The counts a year at exactly the expected rate would give 19 times out of 20."""
    low, high = poisson.interval(confidence, expected)
    return int(low), int(high)


@dataclass(frozen=True)
class Unseen:
    estimate: DarkNumberEstimate
    registered_then: float  # the national registered count in the estimate's years (mean)
    total_low: float  # all victims expected here: the share of the estimate
    total_point: float
    total_high: float
    unseen_low: float  # of whom not registered: total minus expected registered
    unseen_point: float
    unseen_high: float
    times_low: float  # the estimate as a multiple of the registered count
    times_point: float
    times_high: float


@dataclass(frozen=True)
class Expected:
    area: str
    population: int
    national_population: int
    population_year: int
    share: float
    national: RegisteredVictims
    expected: float
    interval: tuple[int, int]
    unseen: list[Unseen]

    @property
    def share_percent(self) -> float:
        return self.share * 100


def _estimate_years(estimate: DarkNumberEstimate) -> list[int]:
    found = re.match(r"\s*(\d{4})\s*-\s*(\d{4})", estimate.period)
    if not found:
        return []
    return list(range(int(found.group(1)), int(found.group(2)) + 1))


def _unseen(estimate: DarkNumberEstimate, share: float) -> Unseen | None:
    years = _estimate_years(estimate)
    counts = [row.count for row in registered_victims() if row.year in years]
    if not counts:
        return None
    registered = sum(counts) / len(counts)
    expected = registered * share
    total = (estimate.low * share, estimate.point * share, estimate.high * share)
    return Unseen(
        estimate=estimate,
        registered_then=registered,
        total_low=total[0],
        total_point=total[1],
        total_high=total[2],
        unseen_low=total[0] - expected,
        unseen_point=total[1] - expected,
        unseen_high=total[2] - expected,
        times_low=estimate.low / registered,
        times_point=estimate.point / registered,
        times_high=estimate.high / registered,
    )


def national_years() -> list[int]:
    return [row.year for row in registered_victims()]


def reference_year(year: int | None) -> RegisteredVictims:
    """The national figure of ``year``, or of the latest published year before it (the
    latest of all without a year)."""
    rows = registered_victims()
    if year is not None:
        earlier = [row for row in rows if row.year <= year]
        if earlier:
            return earlier[-1]
    return rows[-1]


def expected_for(
    region: Region, municipality: Municipality | None = None, *, year: int | None = None
) -> Expected:
    everyone = Municipality.objects.aggregate(people=Sum("population"))["people"] or 0
    area = Municipality.objects.filter(region=region)
    if municipality is not None:
        area = area.filter(pk=municipality.pk)
    population = area.aggregate(people=Sum("population"))["people"] or 0
    population_year = (
        municipality.population_year
        if municipality is not None
        else max(area.values_list("population_year", flat=True), default=0)
    )
    share = population / everyone if everyone else 0.0
    national = reference_year(year)
    expected = expected_count(national.count, population, everyone) if everyone else 0.0
    unseen = [item for item in (_unseen(row, share) for row in dark_number_estimates()) if item]
    return Expected(
        area=municipality.name if municipality is not None else region.name,
        population=population,
        national_population=everyone,
        population_year=population_year,
        share=share,
        national=national,
        expected=expected,
        interval=chance_interval(expected),
        unseen=unseen,
    )
