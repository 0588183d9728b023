"""The in-, door- en uitstroom of a region per month, from the placements alone.

- intake: a placement that starts a stay (no previous placement) in the month;
- transfer: a placement that follows another one (a move between locations) in the month;
- outflow: a stay that ended in the month (destination other than TRANSFER), by destination;
- present at the month's end: placements taken in on or before its last day and not left by
  then (outflow empty or after it).

Each month's present follows from the one before (present + intakes - outflows: a transfer
leaves the count as it is), starting from those present before the first month; so the
whole table is four aggregate queries whatever the number of placements. The average
length of stay counts, for the stays that ended in the period, the days from the first
intake of the stay to the outflow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from inbeeld.placements.models import OUTFLOW_DESTINATIONS, Destination, Placement
from inbeeld.regions.models import Region


@dataclass
class MonthFlow:
    month: date
    intakes: int = 0
    transfers: int = 0
    outflows: dict[str, int] = field(default_factory=dict)
    present: int = 0

    @property
    def outflow_total(self) -> int:
        return sum(self.outflows.values())

    @property
    def outflow_cells(self) -> list[int]:
        return [self.outflows.get(code, 0) for code in OUTFLOW_DESTINATIONS]


@dataclass
class RegionFlow:
    region: Region
    months: list[MonthFlow]
    average_stay_days: float | None  # None: no stay ended in the period
    ended_stays: int


def months_back(today: date, count: int) -> list[date]:
    """The first days of the last ``count`` months, oldest first, this month included."""
    firsts: list[date] = []
    year, month = today.year, today.month
    for _step in range(count):
        firsts.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(firsts))


def _next_month(first: date) -> date:
    return date(first.year + 1, 1, 1) if first.month == 12 else date(first.year, first.month + 1, 1)


def _month_key(value: object) -> date:
    # TruncMonth gives a date on a DateField (on SQLite and PostgreSQL alike).
    if not isinstance(value, date):
        raise TypeError(value)
    return date(value.year, value.month, 1)


def region_flow(region: Region, months: list[date]) -> RegionFlow:
    start, end = months[0], _next_month(months[-1])
    rows = {first: MonthFlow(first) for first in months}
    placements = Placement.objects.filter(region=region)
    ins = (
        placements.filter(intake__gte=start, intake__lt=end)
        .annotate(month=TruncMonth("intake"))
        .values("month")
        .annotate(
            intakes=Count("pk", filter=Q(previous__isnull=True)),
            transfers=Count("pk", filter=Q(previous__isnull=False)),
        )
        .order_by()
    )
    for row in ins:
        shown = rows[_month_key(row["month"])]
        shown.intakes, shown.transfers = row["intakes"], row["transfers"]
    outs = (
        placements.filter(outflow__gte=start, outflow__lt=end)
        .exclude(destination=Destination.TRANSFER)
        .annotate(month=TruncMonth("outflow"))
        .values("month", "destination")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for out in outs:
        rows[_month_key(out["month"])].outflows[out["destination"]] = out["count"]
    present = placements.filter(
        Q(outflow__isnull=True) | Q(outflow__gte=start), intake__lt=start
    ).count()
    for first in months:
        shown = rows[first]
        present += shown.intakes - shown.outflow_total
        shown.present = present
    stays = list(
        placements.filter(outflow__gte=start, outflow__lt=end)
        .exclude(destination=Destination.TRANSFER)
        .values_list("stay_start", "outflow")
    )
    days = [(left - began).days for began, left in stays if left is not None]
    average = sum(days) / len(days) if days else None
    return RegionFlow(region, [rows[first] for first in months], average, len(days))


def present_at(placements: list[Placement], day: date) -> int:
    """Present at the end of ``day``, counted one by one (the tests' twin of region_flow)."""
    return sum(1 for p in placements if p.intake <= day and (p.outflow is None or p.outflow > day))


def last_day(first: date) -> date:
    return _next_month(first) - timedelta(days=1)
