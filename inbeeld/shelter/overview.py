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

from django.db.models import Q, QuerySet, Sum

from inbeeld.regions.models import Region
from inbeeld.shelter.capacity import STALE_AFTER, shown_free
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


def _with_waiting(regions: dict[int, RegionOverview]) -> list[RegionOverview]:
    waiting = _waiting(list(regions)) if regions else {}
    for region_id, shown in regions.items():
        known = {total.kind: total for total in shown.totals}
        for kind, label in PlaceKind.choices:
            count = waiting.get((region_id, kind), 0)
            if count and kind not in known:
                known[kind] = Total(kind, str(label))
            if kind in known:
                known[kind].waiting = count
                shown.total.waiting += count
        order = list(PlaceKind.values)
        shown.totals = sorted(known.values(), key=lambda total: order.index(total.kind))
    return sorted(regions.values(), key=lambda shown: shown.region.name)


def overview_of(places: Iterable[PlaceCapacity], now: datetime) -> list[RegionOverview]:
    """Per region the rows of its places and the totals per kind, counted from the rows."""
    regions: dict[int, RegionOverview] = {}
    for place in places:
        shown = regions.setdefault(
            place.location.region_id, RegionOverview(region=place.location.region)
        )
        shown.rows.append(Row(place=place, free=shown_free(place, now)))
    for shown in regions.values():
        by_kind = {kind: Total(kind, str(label)) for kind, label in PlaceKind.choices}
        for row in shown.rows:
            for total in (by_kind[row.place.kind], shown.total):
                total.capacity += row.place.capacity
                if row.free is None:
                    total.unknown += row.place.capacity
                else:
                    total.occupied += row.place.occupied
                    total.free += row.free
        shown.totals = [total for total in by_kind.values() if total.capacity or total.unknown]
    return _with_waiting(regions)


def totals_of(places: QuerySet[PlaceCapacity], now: datetime) -> list[RegionOverview]:
    """Per region only the totals per kind, from one aggregate query (no row per place): the
    overview of many regions at once. The same figures as overview_of (a test holds them
    equal): a place whose figures were confirmed within STALE_AFTER counts as known."""
    fresh = Q(confirmed_at__gte=now - STALE_AFTER)
    sums = (
        places.order_by()
        .values("location__region_id", "kind")
        .annotate(
            capacity_sum=Sum("capacity"),
            known_capacity=Sum("capacity", filter=fresh),
            known_occupied=Sum("occupied", filter=fresh),
        )
    )
    rows = list(sums)
    names = Region.objects.in_bulk({row["location__region_id"] for row in rows})
    regions: dict[int, RegionOverview] = {}
    labels = dict(PlaceKind.choices)
    for row in rows:
        region_id = row["location__region_id"]
        shown = regions.setdefault(region_id, RegionOverview(region=names[region_id]))
        capacity = row["capacity_sum"] or 0
        known, occupied = row["known_capacity"] or 0, row["known_occupied"] or 0
        total = Total(row["kind"], str(labels[row["kind"]]))
        for each in (total, shown.total):
            each.capacity += capacity
            each.unknown += capacity - known
            each.occupied += occupied
            each.free += known - occupied
        shown.totals.append(total)
    return _with_waiting(regions)
