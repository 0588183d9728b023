"""Operational figures of a region, for its zorgcoördinator and ketenregisseur: how quickly
signals are followed up, the work that is open, referrals accepted, the coordinators' caseload.

Aggregate only: durations, counts and a rate. No signal, case or person leaves this module;
the caseload names staff (the region's coordinators and programme leads, who see each other
in the directory anyway) and counts their open cases.

Definitions (the page's help text says the same):

- *Signal to triage*: for the signals received in the year, the days from receipt to the
  first triage step (the first change of status away from "new", ``Signal.triaged_at``).
  Signals triaged before that moment was recorded have none and are left out.
- *Signal to case table*: the days from receipt to the first meeting of the region's case
  table with the signal on its agenda.
- *Signal to case*: the days from receipt to the opening of the first case it belongs to.
- Per duration: how many signals it was measured for, the median and the 90th percentile
  (nine in ten took at most that long). Counted as the dashboards count
  (insight/dashboard.py: ``counted_signals``, ``counted_cases``), and suppressed as they are:
  fewer than ``SMALL_CELL_THRESHOLD`` measurements show nothing.
- *Tasks*: the region's open tasks today, and of those the overdue ones (due before today).
- *Referral acceptance*: of the referrals answered in the year, the share accepted
  (accepted, or accepted and since completed). Fewer answers than the threshold: no rate.
- *Caseload*: the open cases each zorgcoördinator or ketenregisseur of the region owns.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.models import Membership
from inbeeld.cases.models import CaseSignal, CaseStatus
from inbeeld.casetable.models import AgendaItem
from inbeeld.insight.access import OPERATIONS_ROLES
from inbeeld.insight.dashboard import counted_cases, counted_signals, is_small
from inbeeld.referrals.models import Referral, ReferralStatus
from inbeeld.regions.models import Region
from inbeeld.tasks.models import Task, TaskStatus
from inbeeld.tasks.services import overdue_q

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Duration:
    key: str
    label: str | Promise
    count: int | None  # None: suppressed (fewer measurements than the threshold)
    median: float | None  # days
    p90: float | None  # days


@dataclass(frozen=True)
class Caseload:
    name: str
    username: str
    open_cases: int


@dataclass(frozen=True)
class OperationalFigures:
    region: Region
    year: int
    today: date
    durations: list[Duration]
    open_tasks: int
    overdue_tasks: int
    referrals_answered: int | None  # None: suppressed
    referrals_accepted: int | None
    caseload: list[Caseload]

    @property
    def acceptance_percent(self) -> float | None:
        if not self.referrals_answered or self.referrals_accepted is None:
            return None
        return 100 * self.referrals_accepted / self.referrals_answered


def percentile_90(days: list[float]) -> float:
    """The value nine in ten measurements do not exceed (linear between the ranks, the
    inclusive method: the same as numpy's default and a spreadsheet's PERCENTILE)."""
    if len(days) == 1:
        return days[0]
    return statistics.quantiles(days, n=10, method="inclusive")[8]


def duration(key: str, label: str | Promise, days: Iterable[float]) -> Duration:
    values = sorted(max(0.0, value) for value in days)  # entered afterwards: never negative
    if not values or is_small(len(values)):
        return Duration(key, label, None if values else 0, None, None)
    return Duration(key, label, len(values), statistics.median(values), percentile_90(values))


def _to_triage(region: Region, year: int) -> list[float]:
    rows = (
        counted_signals(region)
        .filter(created_at__year=year, triaged_at__isnull=False)
        .values_list("created_at", "triaged_at")
    )
    return [(triaged - received) / DAY for received, triaged in rows if triaged is not None]


def _to_table(region: Region, year: int) -> list[float]:
    firsts = (
        AgendaItem.objects.filter(
            meeting__region=region,
            signal__in=counted_signals(region).filter(created_at__year=year),
        )
        .values("signal_id")
        .annotate(first=Min("meeting__date"), received=Min("signal__created_at"))
    )
    return [float((row["first"] - timezone.localdate(row["received"])).days) for row in firsts]


def _to_case(region: Region, year: int) -> list[float]:
    firsts = (
        CaseSignal.objects.filter(
            signal__in=counted_signals(region).filter(created_at__year=year),
            case__in=counted_cases(region),
        )
        .values("signal_id")
        .annotate(opened=Min("case__created_at"), received=Min("signal__created_at"))
    )
    return [(row["opened"] - row["received"]) / DAY for row in firsts]


def _referrals(region: Region, year: int) -> tuple[int | None, int | None]:
    counts = Referral.objects.filter(
        region=region, answered_at__year=year, case__in=counted_cases(region)
    ).aggregate(
        answered=Count("pk"),
        accepted=Count("pk", filter=~Q(status=ReferralStatus.REJECTED)),
    )
    if is_small(counts["answered"]):
        return None, None
    return counts["answered"], counts["accepted"]


def _caseload(region: Region) -> list[Caseload]:
    """Every zorgcoördinator and ketenregisseur of the region, with their open cases (0 too)."""
    people = (
        Membership.objects.filter(
            organisation__region=region, role__in=OPERATIONS_ROLES, user__is_active=True
        )
        .values("user_id", "user__username", "user__first_name", "user__last_name")
        .distinct()
    )
    open_cases = dict(
        counted_cases(region)
        .filter(status=CaseStatus.OPEN)
        .order_by()
        .values("owner_id")
        .annotate(n=Count("pk"))
        .values_list("owner_id", "n")
    )
    shown = {
        row["user_id"]: Caseload(
            name=" ".join(filter(None, [row["user__first_name"], row["user__last_name"]]))
            or row["user__username"],
            username=row["user__username"],
            open_cases=open_cases.get(row["user_id"], 0),
        )
        for row in people
    }
    return sorted(shown.values(), key=lambda row: (-row.open_cases, row.username))


def operational_figures(
    region: Region, *, year: int | None = None, today: date | None = None
) -> OperationalFigures:
    today = today or timezone.localdate()
    year = year or today.year
    tasks = Task.objects.filter(region=region, status=TaskStatus.OPEN).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=overdue_q(today))
    )
    answered, accepted = _referrals(region, year)
    return OperationalFigures(
        region=region,
        year=year,
        today=today,
        durations=[
            duration("triage", _("Signal to triage"), _to_triage(region, year)),
            duration("table", _("Signal to the case table"), _to_table(region, year)),
            duration("case", _("Signal to a case"), _to_case(region, year)),
        ],
        open_tasks=tasks["open"],
        overdue_tasks=tasks["overdue"],
        referrals_answered=answered,
        referrals_accepted=accepted,
        caseload=_caseload(region),
    )


def operations_years(region: Region, today: date | None = None) -> list[int]:
    """The years the page offers: from the region's first counted signal to this year."""
    today = today or timezone.localdate()
    first: datetime | None = counted_signals(region).aggregate(first=Min("created_at"))["first"]
    start = first.year if first else today.year
    return list(range(today.year, start - 1, -1))
