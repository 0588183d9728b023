"""Key figures of a region: counts only, never a record, small counts suppressed.

What the ketenregisseur and the bestuurder see first on their home page: the signals and
cases of this year so far beside the same period of last year. Every number comes from an
aggregate query; nothing here returns or reads a signal or a case one by one, so the home
block reads no personal data and audits nothing. A count from 1 up to the threshold
(settings.SMALL_CELL_THRESHOLD, 5 by default) is shown as "fewer than 5", as in the figures
the Nationaal Rapporteur and CTDC publish: a small number in a small municipality can point
to a person. Zero stays zero (it points to nobody).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from inbeeld.cases.models import Case, TraffickingStatus
from inbeeld.insight.dashboard import counted_cases, counted_signals
from inbeeld.lib.months import add_months
from inbeeld.regions.models import Municipality, Region
from inbeeld.signals.models import AgeBand, ExploitationForm, Signal


@dataclass(frozen=True)
class Figure:
    key: str
    label: str | Promise
    this_period: int | None  # None: suppressed (a small count)
    last_period: int | None
    part_of_above: bool = False  # "of which ...": a part of the figure above it


@dataclass(frozen=True)
class KeyFigures:
    region: Region
    since: date  # the period: since .. until this year, the same days a year earlier
    until: date
    figures: list[Figure]
    municipality: Municipality | None = None
    municipality_figures: tuple[Figure, ...] = ()


def suppressed(count: int, threshold: int | None = None) -> int | None:
    """The count, or None when it is small enough to point to a person (1 .. threshold-1)."""
    limit = settings.SMALL_CELL_THRESHOLD if threshold is None else threshold
    return None if 0 < count < limit else count


def _periods(today: date) -> tuple[tuple[datetime, datetime], tuple[datetime, datetime]]:
    """This year up to and including today, and the same days of last year (29 February of
    a leap year ends on 28 February a year before)."""
    start = date(today.year, 1, 1)
    last_start = date(today.year - 1, 1, 1)
    last_today = add_months(today, -12)

    def span(first: date, last: date) -> tuple[datetime, datetime]:
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(first, time.min, tzinfo=zone),
            datetime.combine(last, time.max, tzinfo=zone),
        )

    return span(start, today), span(last_start, last_today)


def _signal_counts(signals: QuerySet[Signal]) -> dict[str, int]:
    forms = {
        f"form_{code}": Count("pk", filter=Q(exploitation_forms__icontains=f'"{code}"'))
        for code in ExploitationForm.values
    }
    return signals.aggregate(
        signals=Count("pk"),
        acute=Count("pk", filter=Q(acute=True)),
        minors=Count("pk", filter=Q(victim_age_band=AgeBand.MINOR)),
        **forms,
    )


def _case_counts(cases: QuerySet[Case]) -> dict[str, int]:
    victims = (TraffickingStatus.PRESUMED, TraffickingStatus.ACTUAL)
    return cases.aggregate(
        cases=Count("pk"), victims=Count("pk", filter=Q(trafficking_status__in=victims))
    )


def _counts(region: Region, span: tuple[datetime, datetime]) -> dict[str, int]:
    # The dashboards' selection (merged and restricted records left out), so that the home
    # page and the dashboard never disagree about the same region and period.
    signals = counted_signals(region).filter(created_at__range=span)
    cases = counted_cases(region).filter(created_at__range=span)
    return {**_signal_counts(signals), **_case_counts(cases)}


def _labels() -> list[tuple[str, str | Promise, bool]]:
    """(key, label, part of the figure above) of each figure, in the order shown."""
    return [
        ("signals", _("Signals received"), False),
        ("acute", _("of which acute"), True),
        ("minors", _("of which about a minor"), True),
        *[
            (f"form_{code}", _("of which %(form)s") % {"form": str(label).lower()}, True)
            for code, label in ExploitationForm.choices
        ],
        ("cases", _("Cases opened"), False),
        ("victims", _("of which presumed or actual victims"), True),
    ]


def key_figures(
    region: Region, *, today: date | None = None, municipality: Municipality | None = None
) -> KeyFigures:
    """The region's key figures for this year so far and the same period last year; with a
    municipality of the region, also the signals whose place of the crime lies there."""
    now, last = _periods(today or timezone.localdate())
    this_counts, last_counts = _counts(region, now), _counts(region, last)
    figures = [
        Figure(key, label, suppressed(this_counts[key]), suppressed(last_counts[key]), part)
        for key, label, part in _labels()
    ]
    local: tuple[Figure, ...] = ()
    if municipality is not None and municipality.region_id == region.pk:
        here = counted_signals(region).filter(municipality=municipality)
        local = (
            Figure(
                "municipality_signals",
                _("Signals with the place of the crime in %(municipality)s")
                % {"municipality": municipality.name},
                suppressed(here.filter(created_at__range=now).count()),
                suppressed(here.filter(created_at__range=last).count()),
            ),
        )
    return KeyFigures(
        region=region,
        since=now[0].date(),
        until=now[1].date(),
        figures=figures,
        municipality=municipality,
        municipality_figures=local,
    )
