"""The figures that leave InBeeld: the council report (raadsrapportage) and the figures API.

One function, ``released_figures(region, year)``, decides every number that a council member
reads in the report and that a client of ``/api/v1/figures/`` receives; both render what it
returns and nothing else, so the two cannot disagree on what is hidden (a test holds them
equal). Counts only: every number is a ``COUNT`` from insight/dashboard.py or from the case
table's models, never a record.

**Suppression, everywhere.** Each table goes through ``dashboard.suppress`` (primary and
complementary suppression, the quarters against their year, a withheld selection), and each
count that stands alone (a total, the number of meetings) through ``released_count``: a
count from 1 up to ``settings.SMALL_CELL_THRESHOLD`` minus one is ``None`` ("fewer than N").
That includes the case table's counts, meetings too: the report applies one rule to every
count rather than deciding per count which ones could point to a person.

**Against differencing.** The release publishes one filtered selection (the region in the
year) with its breakdowns, and of the unfiltered selection (the region over all years) only
its year table (the trend). A year's figures are withheld as a whole when their count is
hidden in that year table, as on the dashboard. Municipalities appear only as the one
municipality table of the year (and the map drawn from it), never with breakdowns of their
own, so no municipality's breakdown can be subtracted from the region's.

Not counts, and so not suppressed: the published national series (CoMensha, the National
Rapporteur's estimates) and the expected number, which is arithmetic on those and on CBS's
population figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.models import OrganisationType
from inbeeld.casetable.models import AgendaItem, Decision, DecisionRole, Meeting, PartnerRole
from inbeeld.casetable.models import Outcome as TableOutcome
from inbeeld.insight import reference
from inbeeld.insight.dashboard import (
    Dashboard,
    Selection,
    Table,
    figure_sources,
    first_year,
    is_small,
    suppress,
    threshold,
)
from inbeeld.insight.expected import Expected, expected_for
from inbeeld.insight.maps import Area, Legend, areas
from inbeeld.regions.models import Region


def released_count(count: int) -> int | None:
    """A count that stands alone (no table around it): hidden when small."""
    return None if is_small(count) else count


@dataclass(frozen=True)
class Cell:
    code: str
    label: str
    count: int | None  # None: hidden ("fewer than N", or hidden so it cannot be worked out)


@dataclass(frozen=True)
class ReleasedTable:
    key: str
    dimension: str
    title: str
    total: int | None
    withheld: bool
    multi: bool  # a record may count in more than one row: the rows add up to more
    rows: list[Cell] = field(default_factory=list)


@dataclass(frozen=True)
class TrendPoint:
    year: int
    count: int | None


@dataclass(frozen=True)
class ReleasedSource:
    key: str
    label: str
    counted_by: str
    total: int | None
    withheld: bool
    previous: int | None  # the year before, from the trend's year table
    tables: list[ReleasedTable]
    trend: list[TrendPoint]


@dataclass(frozen=True)
class ReleasedMap:
    source: str
    title: str
    areas: list[Area]
    legend: list[Legend]


@dataclass(frozen=True)
class CaseTableFigures:
    meetings: int | None
    items: ReleasedTable
    decisions: ReleasedTable
    lead_partners: ReleasedTable


@dataclass(frozen=True)
class Release:
    region: Region
    year: int
    threshold: int
    made_on: date
    sources: list[ReleasedSource]
    maps: list[ReleasedMap]
    expected: Expected
    # What the region recorded in the year of the national figure the expectation uses.
    seen: list[tuple[str, str, int | None]]
    case_table: CaseTableFigures
    national: tuple[reference.RegisteredVictims, ...]
    estimates: tuple[reference.DarkNumberEstimate, ...]


class UnknownYearError(ValueError):
    pass


def report_years(region: Region) -> range:
    """The years a report can be made for: from the region's first record up to this year
    (the dashboard's year filter offers the same)."""
    this_year = timezone.localdate().year
    return range(min(first_year(region), this_year), this_year + 1)


def _title(source_label: str, dimension_label: str) -> str:
    return _("%(source)s by %(dimension)s") % {
        "source": source_label,
        "dimension": dimension_label.lower(),
    }


def _released(table: Table) -> ReleasedTable:
    return ReleasedTable(
        key=table.key,
        dimension=table.dimension.key,
        title=_title(str(table.source.label), str(table.dimension.label)),
        total=table.total,
        withheld=table.withheld,
        multi=table.dimension.multi,
        rows=[Cell(row.code, row.label, row.count) for row in table.rows],
    )


def _sources(region: Region, year: int) -> tuple[list[ReleasedSource], list[ReleasedMap]]:
    in_year = Dashboard(Selection(region=region, year=year))
    over_years = Dashboard(Selection(region=region))
    sources, maps = [], []
    for source in figure_sources():
        trend: list[TrendPoint] = []
        if "year" in source.counters:
            table = over_years.table(source, "year")
            trend = [
                TrendPoint(int(row.code), row.count) for row in table.rows if int(row.code) <= year
            ]
        previous = next((point.count for point in trend if point.year == year - 1), 0)
        withheld = in_year.withheld(source)
        tables = [] if withheld else in_year.tables(source)
        sources.append(
            ReleasedSource(
                key=source.key,
                label=str(source.label),
                counted_by=str(source.counted_by),
                total=in_year.total(source),
                withheld=withheld,
                previous=previous,
                tables=[_released(table) for table in tables if table.dimension.key != "year"],
                trend=trend,
            )
        )
        if not withheld and "municipality" in source.counters:
            places, legend = areas(in_year.table(source, "municipality"), region)
            title = _("%(source)s per 100,000 inhabitants by municipality") % {
                "source": source.label
            }
            maps.append(ReleasedMap(source.key, title, places, legend))
    return sources, maps


def _case_table_table(key: str, title: str, counts: dict[str, tuple[str, int]]) -> ReleasedTable:
    """A table of the case table's counts: (label, count) per code; the total is the sum."""
    plain = {code: count for code, (_label, count) in counts.items()}
    total = sum(plain.values())
    shown = suppress(plain, total)
    return ReleasedTable(
        key=f"casetable-{key}",
        dimension=key,
        title=title,
        total=released_count(total),
        withheld=False,
        multi=False,
        rows=[Cell(code, label, shown[code]) for code, (label, _count) in counts.items()],
    )


def _visible_items(meetings: QuerySet[Meeting]) -> QuerySet[AgendaItem]:
    # Restricted records (AVG art. 18) are left out, as the dashboard leaves them out.
    return (
        AgendaItem.objects.filter(meeting__in=meetings)
        .exclude(signal__restricted=True)
        .exclude(case__restricted=True)
    )


def _case_table(region: Region, year: int) -> CaseTableFigures:
    """The meetings held in the year (up to today), their agenda items, the decisions taken
    on them and the type of the lead partner chosen; definitions as casetable/statistics.py."""
    today = timezone.localdate()
    meetings = Meeting.objects.filter(region=region, date__year=year, date__lte=today)
    items = _visible_items(meetings)
    new = Q(follow_up_of__isnull=True)
    item_counts = items.aggregate(
        signals=Count("pk", filter=new & Q(signal__isnull=False)),
        cases=Count("pk", filter=new & Q(case__isnull=False)),
        follow_ups=Count("pk", filter=Q(follow_up_of__isnull=False)),
    )
    decisions = Decision.objects.filter(item__in=items)
    by_outcome = dict(
        decisions.order_by()
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .values_list("outcome", "n")
    )
    leads = dict(
        DecisionRole.objects.filter(role=PartnerRole.LEAD, decision__in=decisions)
        .order_by()
        .values_list("organisation__type")
        .annotate(n=Count("decision", distinct=True))
        .values_list("organisation__type", "n")
    )
    types = dict(OrganisationType.choices)
    return CaseTableFigures(
        meetings=released_count(meetings.count()),
        items=_case_table_table(
            "items",
            _("Items on the agenda"),
            {
                "signals": (_("New signals"), item_counts["signals"]),
                "cases": (_("New cases"), item_counts["cases"]),
                "follow_ups": (_("Follow-ups of an earlier meeting"), item_counts["follow_ups"]),
            },
        ),
        decisions=_case_table_table(
            "decisions",
            _("Decisions by outcome"),
            {
                str(code): (str(label), by_outcome.get(code, 0))
                for code, label in TableOutcome.choices
            },
        ),
        lead_partners=_case_table_table(
            "lead_partners",
            _("Decisions with a lead partner, by the type of organisation"),
            {
                str(code): (str(types.get(code, code)), count)
                for code, count in sorted(leads.items(), key=lambda item: (-item[1], item[0]))
            },
        ),
    )


def released_figures(region: Region, year: int) -> Release:
    """Everything the council report and the figures API show for ``region`` in ``year``,
    suppressed. ``UnknownYearError`` outside ``report_years(region)``."""
    if year not in report_years(region):
        raise UnknownYearError(year)
    sources, maps = _sources(region, year)
    expected = expected_for(region, year=year)
    same_year = Dashboard(Selection(region=region, year=expected.national.year))
    seen = [(source.key, str(source.label), same_year.total(source)) for source in figure_sources()]
    return Release(
        region=region,
        year=year,
        threshold=threshold(),
        made_on=timezone.localdate(),
        sources=sources,
        maps=maps,
        expected=expected,
        seen=seen,
        case_table=_case_table(region, year),
        national=reference.registered_victims(),
        estimates=reference.dark_number_estimates(),
    )


def released_counts(release: Release) -> list[int | None]:
    """Every count of our own data that the release shows (for the tests of suppression)."""
    found: list[int | None] = []
    tables: list[ReleasedTable] = []
    for source in release.sources:
        found += [source.total, source.previous, *(point.count for point in source.trend)]
        tables += source.tables
    for shown in release.maps:
        found += [area.count for area in shown.areas]
    found += [count for _key, _label, count in release.seen]
    table = release.case_table
    found.append(table.meetings)
    tables += [table.items, table.decisions, table.lead_partners]
    for item in tables:
        found += [item.total, *(row.count for row in item.rows)]
    return found


def as_json(release: Release) -> dict[str, Any]:
    """The release as the figures API answers it (``None``: hidden)."""

    def table_json(table: ReleasedTable) -> dict[str, Any]:
        return {
            "key": table.key,
            "dimension": table.dimension,
            "title": table.title,
            "total": table.total,
            "withheld": table.withheld,
            "multi": table.multi,
            "rows": [{"code": r.code, "label": r.label, "count": r.count} for r in table.rows],
        }

    expected = release.expected
    return {
        "region": release.region.code,
        "region_name": release.region.name,
        "year": release.year,
        "threshold": release.threshold,
        "made_on": release.made_on.isoformat(),
        "sources": [
            {
                "key": source.key,
                "label": source.label,
                "counted_by": source.counted_by,
                "total": source.total,
                "withheld": source.withheld,
                "previous_year": source.previous,
                "trend": [{"year": p.year, "count": p.count} for p in source.trend],
                "tables": [table_json(table) for table in source.tables],
            }
            for source in release.sources
        ],
        "maps": [
            {
                "source": shown.source,
                "municipalities": [
                    {
                        "code": area.code,
                        "name": area.name,
                        "count": area.count,
                        "population": area.population,
                        "per_100000": None if area.rate is None else round(area.rate, 1),
                    }
                    for area in shown.areas
                ],
            }
            for shown in release.maps
        ],
        "expected": {
            "population": expected.population,
            "national_population": expected.national_population,
            "population_year": expected.population_year,
            "share": expected.share,
            "national_year": expected.national.year,
            "national_registered": expected.national.count,
            "expected": round(expected.expected, 1),
            "interval": list(expected.interval),
            "seen": [
                {"source": key, "label": label, "count": count}
                for key, label, count in release.seen
            ],
            # The published national estimates of all victims, by the same share.
            "unseen": [
                {
                    "period": item.estimate.period,
                    "victims": [
                        round(v, 1) for v in (item.total_low, item.total_point, item.total_high)
                    ],
                    "not_registered": [
                        round(v, 1) for v in (item.unseen_low, item.unseen_point, item.unseen_high)
                    ],
                    "source": item.estimate.source,
                }
                for item in expected.unseen
            ],
        },
        "case_table": {
            "meetings": release.case_table.meetings,
            "items": table_json(release.case_table.items),
            "decisions": table_json(release.case_table.decisions),
            "lead_partners": table_json(release.case_table.lead_partners),
        },
        "national": [
            {"year": row.year, "registered": row.count, "source": row.source}
            for row in release.national
        ],
    }
