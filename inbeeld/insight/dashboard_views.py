"""The dashboards (/inzicht/): a region's or municipality's figures, trends with the national
series, and the expected number. Counts only (insight/dashboard.py), so the page reads no
personal data and audits nothing; each CSV download of a table is audited once."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache

from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.accounts.models import User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.insight import access, reference
from inbeeld.insight.dashboard import (
    Dashboard,
    FigureSource,
    Selection,
    Table,
    figure_source,
    figure_sources,
    first_year,
    threshold,
)
from inbeeld.insight.dashboard_charts import Series, bar_chart, line_chart
from inbeeld.insight.expected import expected_for
from inbeeld.insight.forms import DashboardFilterForm
from inbeeld.insight.maps import Area, areas, choropleth
from inbeeld.lib import safe_csv


@dataclass(frozen=True)
class ShownTable:
    table: Table
    chart: SafeString
    title: str


@dataclass(frozen=True)
class Section:
    source: FigureSource
    total: int | None
    withheld: bool
    tables: list[ShownTable]


def _selection(user: User, request: HttpRequest) -> tuple[DashboardFilterForm, Selection]:
    region = access.dashboard_region_get(user=user, code=request.GET.get("region"))
    own = access.own_municipality(user, region)
    form = DashboardFilterForm(
        request.GET or None,
        regions=access.figures_regions(user),
        region=region,
        first_year=first_year(region),
        initial={"region": region.code, "municipality": own.code if own else ""},
    )
    if form.is_bound and not form.is_valid():
        return form, Selection(region=region)
    values = form.cleaned_data if form.is_bound else {}
    selection = Selection(
        region=region,
        municipality=form.municipality_obj(),
        year=values.get("year"),
        form=values.get("form") or None,
    )
    return form, selection


def _title(table: Table) -> str:
    return _("%(source)s by %(dimension)s") % {
        "source": table.source.label,
        "dimension": str(table.dimension.label).lower(),
    }


def _sections(dashboard: Dashboard) -> list[Section]:
    sections = []
    for source in figure_sources():
        tables = []
        for table in dashboard.tables(source):
            title = _title(table)
            chart = bar_chart(table, title=title, described_by=f"table-{table.key}")
            tables.append(ShownTable(table=table, chart=chart, title=title))
        sections.append(
            Section(
                source=source,
                total=dashboard.total(source),
                withheld=dashboard.withheld(source),
                tables=tables,
            )
        )
    return sections


def _trends(selection: Selection) -> dict[str, Any]:
    """The area's signals and cases per year (without the year filter), and the national
    series beside them."""
    over_years = Dashboard(replace(selection, year=None))
    own: list[Series] = []
    for source in figure_sources():
        if "year" not in source.counters:
            continue
        table = over_years.table(source, "year")
        own.append(
            Series(
                label=str(source.label),
                points=[(int(row.code), row.count) for row in table.rows],
            )
        )
    national = reference.registered_victims()
    national_series = [
        Series(
            label=_("Registered presumed victims (national)"),
            points=[(row.year, row.count) for row in national],
        )
    ]
    return {
        "own_series": own,
        "own_years": sorted({year for line in own for year, _n in line.points}),
        "own_chart": line_chart(
            own, title=_("The area's figures per year"), described_by="table-trend-own"
        ),
        "national": national,
        "national_chart": line_chart(
            national_series,
            title=_("Registered presumed victims in the Netherlands per year"),
            described_by="table-trend-national",
        ),
        "estimates": reference.dark_number_estimates(),
        "police": reference.police_registrations(),
    }


@dataclass(frozen=True)
class ShownMap:
    source: FigureSource
    areas: list[Area]
    svg: SafeString
    title: str


def _maps(figures: Dashboard) -> list[ShownMap]:
    """Per source, the region's municipalities per 100,000 inhabitants (the whole region
    only: a municipality's page has no other municipalities to compare)."""
    if figures.selection.municipality is not None:
        return []
    shown = []
    for source in figure_sources():
        if "municipality" not in source.counters or figures.withheld(source):
            continue
        table = figures.table(source, "municipality")
        places, legend = areas(table, figures.selection.region)
        title = _("%(source)s per 100,000 inhabitants by municipality") % {"source": source.label}
        key = f"map-{source.key}"
        shown.append(
            ShownMap(
                source=source,
                areas=places,
                svg=choropleth(places, legend, title=title, described_by=f"table-{key}"),
                title=title,
            )
        )
    return shown


def _expected(selection: Selection) -> dict[str, Any]:
    expected = expected_for(selection.region, selection.municipality, year=selection.year)
    same_year = Dashboard(replace(selection, year=expected.national.year, form=None))
    seen = [(source, same_year.total(source)) for source in figure_sources()]
    return {"expected": expected, "seen": seen}


@permission_required("insight.view_dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    form, selection = _selection(user, request)
    figures = Dashboard(selection)
    query = {key: value for key, value in selection.describe().items() if value}
    context = {
        "form": form,
        "selection": selection,
        "sections": _sections(figures),
        "maps": _maps(figures),
        "threshold": threshold(),
        "query": urlencode(query),
        **_trends(selection),
        **_expected(selection),
    }
    return render(request, "insight/dashboard.html", context)


@permission_required("insight.view_dashboard")
@never_cache
def dashboard_csv(request: HttpRequest, source: str, dimension: str) -> HttpResponse:
    """One table of the dashboard as a CSV file, exactly as the page shows it (hidden cells
    stay hidden), written by the safe CSV writer; one audit entry per download."""
    user = staff_user_of(request)
    form, selection = _selection(user, request)
    found = figure_source(source)
    if (form.is_bound and not form.is_valid()) or found is None:
        raise Http404
    if dimension not in found.counters:
        raise Http404
    table = Dashboard(selection).table(found, dimension)
    hidden = _("fewer than %(threshold)s") % {"threshold": threshold()}
    audit_record(
        actor=user,
        action=Action.EXPORT,
        object_type="insight.figures",
        object_id=table.key,
        region=selection.region.code,
        purpose=Purpose.FIGURES_EXPORT,
        detail=selection.describe(),
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d")
    place = selection.municipality.code if selection.municipality else selection.region.code
    response["Content-Disposition"] = (
        f'attachment; filename="inbeeld-cijfers-{place}-{table.key}-{stamp}.csv"'
    )
    writer = safe_csv.writer(response)
    writer.writerow([_title(table)])
    writer.writerow([str(table.dimension.label), pgettext("a count of records", "Number")])
    if table.withheld:
        writer.writerow([_("Withheld: too few to show for this selection"), hidden])
    for row in table.rows:
        writer.writerow([row.label, hidden if row.count is None else row.count])
    writer.writerow([_("Total"), hidden if table.total is None else table.total])
    return response
