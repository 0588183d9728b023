"""The capacity overview of a region, as the page and the home block show it: per location
and kind of place the figures with the free places or "onbekend" (capacity.py), and the
totals per kind of place. Figures only; it names no person.

Apps that build on shelter/ add the number of requests waiting for a place per region and
kind (placements/overview.py registers with ``waiting_source_register``; this module imports
none of them): one aggregate query per source for all the regions shown.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from inbeeld.regions.models import Region
from inbeeld.shelter.capacity import shown_free
from inbeeld.shelter.models import PlaceCapacity, PlaceKind


@dataclass
class Row:
    place: PlaceCapacity
    free: int | None  # None: "onbekend"


@dataclass
class Total:
    kind: str
    label: str
    capacity: int = 0
    occupied: int = 0  # of the kinds of places whose figures are known
    free: int = 0  # of those same places
    unknown: int = 0  # places whose figures are not known (not confirmed for 7 days)
    waiting: int = 0  # requests waiting for a place of this kind (waiting sources)


@dataclass
class RegionOverview:
    region: Region
    rows: list[Row] = field(default_factory=list)
    totals: list[Total] = field(default_factory=list)
    total: Total = field(default_factory=lambda: Total("", ""))


# (region ids) -> {(region id, kind): requests waiting}
WaitingSource = Callable[[Collection[int]], dict[tuple[int, str], int]]
_WAITING_SOURCES: list[WaitingSource] = []


def waiting_source_register(source: WaitingSource) -> None:
    if source not in _WAITING_SOURCES:
        _WAITING_SOURCES.append(source)


def _waiting(region_ids: Collection[int]) -> dict[tuple[int, str], int]:
    counts: dict[tuple[int, str], int] = {}
    for source in _WAITING_SOURCES:
        for key, count in source(region_ids).items():
            counts[key] = counts.get(key, 0) + count
    return counts


def overview_of(places: Iterable[PlaceCapacity], now: datetime) -> list[RegionOverview]:
    regions: dict[int, RegionOverview] = {}
    for place in places:
        shown = regions.setdefault(
            place.location.region_id, RegionOverview(region=place.location.region)
        )
        shown.rows.append(Row(place=place, free=shown_free(place, now)))
    waiting = _waiting(list(regions)) if regions else {}
    for region_id, shown in regions.items():
        by_kind = {kind: Total(kind, str(label)) for kind, label in PlaceKind.choices}
        for kind, total in by_kind.items():
            total.waiting = waiting.get((region_id, kind), 0)
            shown.total.waiting += total.waiting
        for row in shown.rows:
            for total in (by_kind[row.place.kind], shown.total):
                total.capacity += row.place.capacity
                if row.free is None:
                    total.unknown += row.place.capacity
                else:
                    total.occupied += row.place.occupied
                    total.free += row.free
        shown.totals = [
            total for total in by_kind.values() if total.capacity or total.unknown or total.waiting
        ]
    return sorted(regions.values(), key=lambda shown: shown.region.name)
