"""The dashboards' figures: counts per region or municipality, never a record.

Aggregate-only selectors. Every number here comes from ``COUNT`` in the database, grouped or
filtered; nothing returns a signal, a case or a person, and nothing outside this module
gets a queryset of them. So the pages that show these figures read no personal data and
audit nothing; a CSV download of a table is audited once (views.py).

**Sources.** A *figure source* (``FigureSource``) is one kind of record that is counted: the
region's signals and its cases for now. Each says, per *dimension* (year, quarter, form of
exploitation, ...), how to count its records; a dimension a source does not record is simply
absent from it. Registrations and placements join later by registering a source of their own
(``figure_source_register`` in their app's module) without a change to the page, which shows
every registered source in order.

**What is counted.** Signals: by the date received, merged duplicates left out (they are
counted in the signal they were merged into). Cases: by the date opened. Records whose
processing is restricted (AVG art. 18) are left out: counting them would be processing them.
Erased records still count (their identifying fields are gone, their figures stay).

**Suppression.** A count from 1 up to ``settings.SMALL_CELL_THRESHOLD`` (5) minus one is not
shown (*primary* suppression): in a small municipality it can point to a person. Zero stays
zero. Because each table also shows its total, a single hidden cell could be recomputed as
the total minus the others; so when exactly one cell of a table is hidden, the smallest
other non-zero cell is hidden too (*complementary* suppression). When the total is hidden,
every cell is. The quarters of a year are suppressed against that year's cell in the year
table (all hidden when the year is). A filtered selection (a municipality, a year, a form) is
*withheld* as a whole when its count is hidden in the table of the selection without that
filter: otherwise the municipality's own page would show the number its region's table hides.
What remains possible: combining breakdowns of several filtered selections (a region's
women minus the women of every other municipality). docs/architecture.md says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from inbeeld.accounts.models import OrganisationType
from inbeeld.cases.codes import Sector
from inbeeld.cases.models import Case, CaseEvent, EventKind, TraffickingStatus
from inbeeld.regions.models import Municipality, Region
from inbeeld.signals.models import AgeBand, ExploitationForm, Gender, Outcome, Signal, Source
from inbeeld.signals.nationality import nationality_name

UNKNOWN = ""  # the code of the "unknown" row of every table


@dataclass(frozen=True)
class Selection:
    """What a dashboard shows: a region, and optionally one municipality of it, one year and
    one form of exploitation."""

    region: Region
    municipality: Municipality | None = None
    year: int | None = None
    form: str | None = None

    def parents(self) -> list[tuple[str, str, Selection]]:
        """(dimension, this selection's code in it, the selection without that filter)."""
        found: list[tuple[str, str, Selection]] = []
        if self.municipality is not None:
            found.append(("municipality", self.municipality.code, replace(self, municipality=None)))
        if self.year is not None:
            found.append(("year", str(self.year), replace(self, year=None)))
        if self.form:
            found.append(("form", self.form, replace(self, form=None)))
        return found

    def describe(self) -> dict[str, str]:
        """The filters as plain values, for an audit entry's detail (no personal data)."""
        return {
            "region": self.region.code,
            "municipality": self.municipality.code if self.municipality else "",
            "year": str(self.year or ""),
            "form": self.form or "",
        }


Counter = Callable[[QuerySet[Any], Selection], dict[str, int]]


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str | Promise
    # A record may count in more than one row (forms, sectors, a person's nationalities):
    # the rows then add up to more than the total.
    multi: bool = False


DIMENSIONS: dict[str, Dimension] = {
    dimension.key: dimension
    for dimension in (
        Dimension("year", _("Year")),
        Dimension("quarter", _("Quarter")),
        Dimension("municipality", _("Municipality")),
        Dimension("form", _("Form of exploitation"), multi=True),
        Dimension("sector", _("Sector"), multi=True),
        Dimension("age_band", _("Age")),
        Dimension("gender", _("Gender")),
        Dimension("nationality", _("Nationality"), multi=True),
        Dimension("source_type", _("Reported by")),
        Dimension("outcome", _("Outcome")),
        Dimension("border", _("Domestic or cross-border")),
    )
}


@dataclass(frozen=True)
class FigureSource:
    """One kind of record the dashboards count (see the module's text)."""

    key: str
    label: str | Promise
    counted_by: str | Promise  # which date puts a record in a year, in words
    records: Callable[[Selection], QuerySet[Any]]  # the selection's records, filters applied
    counters: Mapping[str, Counter]  # per dimension key: counts per row code
    order: int = 50


_SOURCES: dict[str, FigureSource] = {}


def figure_source_register(source: FigureSource) -> None:
    unknown = set(source.counters) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"figure source {source.key!r} counts unknown dimensions {unknown}")
    _SOURCES[source.key] = source


def figure_sources() -> list[FigureSource]:
    return sorted(_SOURCES.values(), key=lambda source: (source.order, source.key))


def figure_source(key: str) -> FigureSource | None:
    return _SOURCES.get(key)


# --- counting ------------------------------------------------------------------------------


def _grouped(records: QuerySet[Any], path: str) -> dict[str, int]:
    rows = records.order_by().values(path).annotate(n=Count("pk", distinct=True))
    counts: dict[str, int] = {}
    for row in rows:
        code = "" if row[path] is None else str(row[path])
        counts[code] = counts.get(code, 0) + row["n"]
    return counts


def _contains(records: QuerySet[Any], path: str, codes: Iterable[str]) -> dict[str, int]:
    """Per code: the records whose JSON list at ``path`` holds it; "" for an empty list."""
    codes = list(codes)
    counts = records.aggregate(
        **{f"c{index}": Count("pk", filter=_holds(path, code)) for index, code in enumerate(codes)},
        none=Count("pk", filter=Q(**{path: []}) | Q(**{f"{path}__isnull": True})),
    )
    found = {code: counts[f"c{index}"] for index, code in enumerate(codes)}
    return {**found, UNKNOWN: counts["none"]}


def _holds(path: str, code: str) -> Q:
    # The JSON text of the list holds the code in quotes: works on SQLite and PostgreSQL alike.
    return Q(**{f"{path}__icontains": f'"{code}"'})


def _years(records: QuerySet[Any], _selection: Selection) -> dict[str, int]:
    rows = (
        records.order_by()
        .annotate(period_year=ExtractYear("created_at"))
        .values("period_year")
        .annotate(n=Count("pk"))
    )
    return {str(row["period_year"]): row["n"] for row in rows}


def _quarters(records: QuerySet[Any], _selection: Selection) -> dict[str, int]:
    rows = (
        records.order_by()
        .annotate(
            period_year=ExtractYear("created_at"), period_quarter=ExtractQuarter("created_at")
        )
        .values("period_year", "period_quarter")
        .annotate(n=Count("pk"))
    )
    return {f"{row['period_year']}-Q{row['period_quarter']}": row["n"] for row in rows}


def _municipalities(records: QuerySet[Any], selection: Selection) -> dict[str, int]:
    counts = _grouped(records, "municipality__code")
    every = {code: 0 for code in selection.region.municipalities.values_list("code", flat=True)}
    return {**every, **counts}


def _forms(records: QuerySet[Any], _selection: Selection) -> dict[str, int]:
    return _contains(records, "exploitation_forms", ExploitationForm.values)


def _choices(path: str, values: Iterable[str]) -> Counter:
    def count(records: QuerySet[Any], _selection: Selection) -> dict[str, int]:
        return {**dict.fromkeys(values, 0), **_grouped(records, path)}

    return count


def _signal_sources(records: QuerySet[Any], _selection: Selection) -> dict[str, int]:
    """The type of the reporting organisation; a report on the public form is its own row."""
    public = records.filter(source=Source.PUBLIC)
    counts = _grouped(records.exclude(source=Source.PUBLIC), "source_organisation__type")
    return {"public": public.count(), **counts}


def _case_nationalities(records: QuerySet[Any], _selection: Selection) -> dict[str, int]:
    counts = _contains(records, "person__nationalities", [code for code, _name in countries])
    return {code: count for code, count in counts.items() if count or code == UNKNOWN}


def _borders(records: QuerySet[Any], _selection: Selection) -> dict[str, int]:
    """Cross-border: recruitment or exploitation recorded in a country other than the
    Netherlands. Domestic: only in the Netherlands (a municipality, or the country NL).
    Unknown: no recruitment or exploitation recorded. Transit alone makes nothing
    cross-border."""
    events = CaseEvent.objects.filter(
        case=OuterRef("pk"), kind__in=[EventKind.RECRUITMENT, EventKind.EXPLOITATION]
    )
    abroad = events.exclude(country="").exclude(country="NL")
    home = events.filter(Q(municipality__isnull=False) | Q(country="NL"))
    counts = (
        records.order_by()
        .annotate(abroad=Exists(abroad), home=Exists(home))
        .aggregate(
            cross_border=Count("pk", filter=Q(abroad=True)),
            domestic=Count("pk", filter=Q(abroad=False, home=True)),
            unknown=Count("pk", filter=Q(abroad=False, home=False)),
        )
    )
    return {
        "domestic": counts["domestic"],
        "cross_border": counts["cross_border"],
        UNKNOWN: counts["unknown"],
    }


def counted_signals(region: Region) -> QuerySet[Signal]:
    """The region's signals that every figure counts: merged duplicates left out (they count
    in the signal they were merged into), restricted ones left out (AVG art. 18). The one
    place that decides it: the dashboards, the home page's key figures and the operational
    figures all start here."""
    return Signal.objects.filter(region=region, merged_into__isnull=True, restricted=False)


def counted_cases(region: Region) -> QuerySet[Case]:
    """The region's cases that every figure counts: restricted ones left out (AVG art. 18);
    erased ones stay (their identifying fields are gone, their figures stay)."""
    return Case.objects.filter(region=region, restricted=False)


def _signals(selection: Selection) -> QuerySet[Signal]:
    records = counted_signals(selection.region)
    if selection.municipality is not None:
        records = records.filter(municipality=selection.municipality)
    if selection.year is not None:
        records = records.filter(created_at__year=selection.year)
    if selection.form:
        records = records.filter(_holds("exploitation_forms", selection.form))
    return records


def _cases(selection: Selection) -> QuerySet[Case]:
    records = counted_cases(selection.region)
    if selection.municipality is not None:
        records = records.filter(municipality=selection.municipality)
    if selection.year is not None:
        records = records.filter(created_at__year=selection.year)
    if selection.form:
        records = records.filter(_holds("exploitation_forms", selection.form))
    return records


figure_source_register(
    FigureSource(
        key="signals",
        label=_("Signals"),
        counted_by=_("counted by the date received; the place is the place of the crime"),
        records=_signals,
        counters={
            "year": _years,
            "quarter": _quarters,
            "municipality": _municipalities,
            "form": _forms,
            "age_band": _choices("victim_age_band", AgeBand.values),
            "gender": _choices("victim_gender", Gender.values),
            "nationality": lambda records, _s: _grouped(records, "victim_nationality"),
            "source_type": _signal_sources,
            "outcome": _choices("outcome", Outcome.values),
        },
        order=10,
    )
)
figure_source_register(
    FigureSource(
        key="cases",
        label=_("Cases (presumed victims)"),
        counted_by=_("counted by the date opened; the municipality is the case's municipality"),
        records=_cases,
        counters={
            "year": _years,
            "quarter": _quarters,
            "municipality": _municipalities,
            "form": _forms,
            "sector": lambda records, _s: _contains(records, "sectors", Sector.values),
            "age_band": _choices("person__age_band", AgeBand.values),
            "gender": _choices("person__gender", Gender.values),
            "nationality": _case_nationalities,
            "outcome": _choices("trafficking_status", TraffickingStatus.values),
            "border": _borders,
        },
        order=20,
    )
)


# --- labels --------------------------------------------------------------------------------


def row_label(
    dimension: str, code: str, source: FigureSource, names: Mapping[str, str] | None = None
) -> str:
    """The row's name in the reader's language."""
    if code == UNKNOWN and dimension not in ("year", "quarter"):
        return str(_("Unknown"))
    if dimension == "quarter":
        year, quarter = code.split("-Q")
        return str(_("%(year)s quarter %(quarter)s") % {"year": year, "quarter": quarter})
    if dimension == "municipality":
        return (names if names is not None else _municipality_names()).get(code, code)
    if dimension == "nationality":
        return f"{nationality_name(code) or code} ({code})"
    if dimension == "source_type":
        if code == "public":
            return str(Source.PUBLIC.label)
        return str(dict(OrganisationType.choices).get(code, code))
    every: dict[str, dict[str, Any]] = {
        "form": dict(ExploitationForm.choices),
        "sector": dict(Sector.choices),
        "age_band": dict(AgeBand.choices),
        "gender": dict(Gender.choices),
        "outcome": dict(TraffickingStatus.choices if source.key == "cases" else Outcome.choices),
        "border": {"domestic": _("Domestic"), "cross_border": _("Cross-border")},
    }
    labels = every.get(dimension, {})
    return str(labels.get(code, code))


def _municipality_names() -> dict[str, str]:
    return dict(Municipality.objects.values_list("code", "name"))


# --- suppression ---------------------------------------------------------------------------


def threshold() -> int:
    return int(settings.SMALL_CELL_THRESHOLD)


def is_small(count: int) -> bool:
    return 0 < count < threshold()


def suppress(
    counts: Mapping[str, int], total: int, *, total_hidden: bool = False
) -> dict[str, int | None]:
    """The cells as shown: None for a hidden one (see the module's text)."""
    if total_hidden or is_small(total):
        return {code: (None if count else 0) for code, count in counts.items()}
    shown: dict[str, int | None] = {
        code: (None if is_small(count) else count) for code, count in counts.items()
    }
    hidden = [code for code, count in shown.items() if count is None]
    if len(hidden) == 1:
        others = sorted(
            (count, code) for code, count in counts.items() if count and code not in hidden
        )
        if others:
            shown[others[0][1]] = None
    return shown


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    count: int | None  # None: hidden


@dataclass(frozen=True)
class Table:
    source: FigureSource
    dimension: Dimension
    total: int | None
    rows: list[Row] = field(default_factory=list)
    withheld: bool = False

    @property
    def key(self) -> str:
        return f"{self.source.key}-{self.dimension.key}"

    @property
    def largest(self) -> int:
        return max((row.count or 0 for row in self.rows), default=0)

    @property
    def has_hidden(self) -> bool:
        return self.withheld or any(row.count is None for row in self.rows)


class _Counts:
    """Raw counts of one request, computed once: several tables and the withholding checks
    ask the same questions."""

    def __init__(self) -> None:
        self._memo: dict[tuple[str, str, Selection], dict[str, int]] = {}
        self._totals: dict[tuple[str, Selection], int] = {}

    def total(self, source: FigureSource, selection: Selection) -> int:
        key = (source.key, selection)
        if key not in self._totals:
            self._totals[key] = source.records(selection).count()
        return self._totals[key]

    def cells(self, source: FigureSource, dimension: str, selection: Selection) -> dict[str, int]:
        key = (source.key, dimension, selection)
        if key not in self._memo:
            self._memo[key] = source.counters[dimension](source.records(selection), selection)
        return self._memo[key]


def _sort_key(dimension: str, code: str, count: int) -> tuple[Any, ...]:
    if dimension in ("year", "quarter"):
        return (code,)
    if dimension == "nationality":
        return (code == UNKNOWN, -count, code)
    return (code == UNKNOWN,)


class Dashboard:
    """The figures of one selection, table by table, suppressed."""

    def __init__(self, selection: Selection) -> None:
        self.selection = selection
        self._counts = _Counts()

    def withheld(self, source: FigureSource, selection: Selection | None = None) -> bool:
        """Whether the selection's figures are hidden because its count is hidden in the
        table of a less filtered selection."""
        selection = selection or self.selection
        for dimension, code, parent in selection.parents():
            if self.withheld(source, parent):
                return True
            if dimension not in source.counters:
                continue
            shown = self._shown(source, dimension, parent)
            if shown.get(code, 0) is None:
                return True
        return False

    def total(self, source: FigureSource) -> int | None:
        if self.withheld(source):
            return None
        count = self._counts.total(source, self.selection)
        return None if is_small(count) else count

    def _shown(
        self, source: FigureSource, dimension: str, selection: Selection
    ) -> dict[str, int | None]:
        counts = self._counts.cells(source, dimension, selection)
        total = self._counts.total(source, selection)
        if dimension != "quarter":
            return suppress(counts, total)
        years = suppress(self._counts.cells(source, "year", selection), total)
        shown: dict[str, int | None] = {}
        for year, year_count in years.items():
            quarters = {code: n for code, n in counts.items() if code.startswith(f"{year}-Q")}
            year_total = sum(quarters.values())
            shown |= suppress(quarters, year_total, total_hidden=year_count is None)
        return shown

    def table(self, source: FigureSource, dimension: str) -> Table:
        meta = DIMENSIONS[dimension]
        if self.withheld(source):
            return Table(source=source, dimension=meta, total=None, withheld=True)
        counts = self._counts.cells(source, dimension, self.selection)
        shown = self._shown(source, dimension, self.selection)
        codes = sorted(counts, key=lambda code: _sort_key(dimension, code, counts[code]))
        names = _municipality_names() if dimension == "municipality" else None
        rows = [
            Row(code=code, label=row_label(dimension, code, source, names), count=shown[code])
            for code in codes
        ]
        return Table(source=source, dimension=meta, total=self.total(source), rows=rows)

    def tables(self, source: FigureSource) -> list[Table]:
        return [
            self.table(source, dimension)
            for dimension in DIMENSIONS
            if dimension in source.counters
            and not (dimension == "municipality" and self.selection.municipality is not None)
            and not (dimension == "form" and self.selection.form)
        ]


def first_year(region: Region) -> int:
    """The earliest year with a signal or a case in the region (this year without any)."""
    earliest = [
        counted_signals(region).aggregate(first=Min("created_at"))["first"],
        counted_cases(region).aggregate(first=Min("created_at"))["first"],
    ]
    years = [moment.year for moment in earliest if moment is not None]
    return min(years, default=timezone.localdate().year)
