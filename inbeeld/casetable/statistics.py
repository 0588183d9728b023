"""Figures about the case table of one region, for the ketenregisseur and the zorgcoördinator.

Only counts and durations: no signal or case, no person, no notes. A handful of aggregate
queries whatever the number of meetings (one for the meetings, one for the signals' first
meeting, one for the decisions with their first action, one for the lead partners); the
median is taken in Python, the same on SQLite and PostgreSQL.

Definitions (the page's help text says the same):

- *Meetings*: those held in the period, up to today (a planned meeting has no figures yet).
  Per meeting: its items, of which new signals, new cases and follow-ups of an earlier
  meeting (the three add up to the items), and the decisions recorded on its items.
- *Signal to table*: for each signal whose first meeting lies in the period, the days from
  its receipt to the date of the first meeting with it on the agenda.
- *Decision to first action*: for each decision taken at a meeting in the period, the days
  from the decision to the first action created on the same agenda item on or after the day
  of the decision (one agreed just before the decision was recorded counts as 0 days). An
  action's creation, not its completion: it measures how quickly the table's decision is
  turned into agreed work, not how long that work takes (due dates differ per action).
  Decisions with a lead partner that have no action yet are counted apart.
- *Lead partners by type*: decisions with a lead partner taken at a meeting in the period,
  by the type of the lead organisation. A decision later revised still counts: it was a
  decision of the table.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from inbeeld.accounts.models import OrganisationType
from inbeeld.casetable.models import (
    AgendaItem,
    Decision,
    DecisionRole,
    Meeting,
    Outcome,
    PartnerRole,
)
from inbeeld.casetable.services import ACTION_SOURCE
from inbeeld.regions.models import Region
from inbeeld.tasks.models import Task


@dataclass(frozen=True)
class MeetingFigures:
    meeting_id: int
    date: date
    items: int
    signals: int
    cases: int
    follow_ups: int
    decisions: int


@dataclass(frozen=True)
class Spread:
    """Days between two moments over a number of records: median and range."""

    count: int
    median: float | None
    shortest: int | None
    longest: int | None

    @classmethod
    def of(cls, days: list[int]) -> Spread:
        if not days:
            return cls(0, None, None, None)
        return cls(len(days), float(statistics.median(days)), min(days), max(days))


@dataclass(frozen=True)
class LeadPartners:
    type: str
    label: str
    decisions: int


@dataclass(frozen=True)
class TableStatistics:
    region: Region
    start: date | None
    end: date
    meetings: list[MeetingFigures]
    signal_to_table: Spread
    decision_to_action: Spread
    lead_without_action: int
    lead_partners: list[LeadPartners]

    @property
    def totals(self) -> dict[str, int]:
        """The columns of ``meetings`` added up over the period."""
        names = ("items", "signals", "cases", "follow_ups", "decisions")
        return {name: sum(getattr(row, name) for row in self.meetings) for name in names}


def _day(moment: datetime) -> date:
    return timezone.localdate(moment)


def _meetings(region: Region, start: date | None, end: date) -> QuerySet[Meeting]:
    meetings = Meeting.objects.filter(region=region, date__lte=end)
    return meetings.filter(date__gte=start) if start else meetings


def _per_meeting(meetings: QuerySet[Meeting]) -> list[MeetingFigures]:
    new = Q(items__follow_up_of__isnull=True)
    rows = (
        meetings.annotate(
            n_items=Count("items", distinct=True),
            n_signals=Count("items", filter=new & Q(items__signal__isnull=False), distinct=True),
            n_cases=Count("items", filter=new & Q(items__case__isnull=False), distinct=True),
            n_follow_ups=Count("items", filter=Q(items__follow_up_of__isnull=False), distinct=True),
            n_decisions=Count("items__decisions", distinct=True),
        )
        .order_by("-date", "-pk")
        .values_list("pk", "date", "n_items", "n_signals", "n_cases", "n_follow_ups", "n_decisions")
    )
    return [MeetingFigures(*row) for row in rows]


def _signal_to_table(region: Region, start: date | None, end: date) -> Spread:
    firsts = (
        AgendaItem.objects.filter(signal__isnull=False, meeting__region=region)
        .values("signal_id")
        .annotate(first=Min("meeting__date"), received=Min("signal__created_at"))
        .filter(first__lte=end)
    )
    if start:
        firsts = firsts.filter(first__gte=start)
    # A meeting entered afterwards can lie before a signal typed in later still: 0 days then
    # (it was on the table the day it arrived), never a negative time.
    return Spread.of([max(0, (row["first"] - _day(row["received"])).days) for row in firsts])


def _decision_to_action(meetings: QuerySet[Meeting]) -> tuple[Spread, int]:
    decisions = Decision.objects.filter(item__meeting__in=meetings).values_list(
        "item_id", "outcome", "decided_at"
    )
    actions = Task.objects.filter(
        source=ACTION_SOURCE,
        subject_type=ContentType.objects.get_for_model(AgendaItem),
        subject_id__in=AgendaItem.objects.filter(meeting__in=meetings).values("pk"),
    ).values_list("subject_id", "created_at")
    created: dict[int, list[date]] = {}
    for item_id, created_at in actions:
        created.setdefault(item_id, []).append(_day(created_at))
    days, lead_without = [], 0
    for item_id, outcome, decided_at in decisions:
        decided = _day(decided_at)
        # By day: an action agreed at the table just before the decision was typed in counts.
        later = [day for day in created.get(item_id, []) if day >= decided]
        if later:
            days.append((min(later) - decided).days)
        elif outcome == Outcome.LEAD_PARTNER:
            lead_without += 1
    return Spread.of(days), lead_without


def _lead_partners(meetings: QuerySet[Meeting]) -> list[LeadPartners]:
    rows = (
        DecisionRole.objects.filter(role=PartnerRole.LEAD, decision__item__meeting__in=meetings)
        .values("organisation__type")
        .annotate(decisions=Count("decision", distinct=True))
        .order_by("-decisions", "organisation__type")
    )
    labels = dict(OrganisationType.choices)
    return [
        LeadPartners(kind, str(labels.get(kind, kind)), row["decisions"])
        for row in rows
        for kind in [row["organisation__type"]]
    ]


def table_statistics(
    *, region: Region, start: date | None = None, end: date | None = None
) -> TableStatistics:
    """The case table's figures of ``region`` for meetings from ``start`` up to ``end``
    (both included; without ``end``, or with one after today: up to today)."""
    today = timezone.localdate()
    end = min(end, today) if end else today
    meetings = _meetings(region, start, end)
    to_action, lead_without = _decision_to_action(meetings)
    return TableStatistics(
        region=region,
        start=start,
        end=end,
        meetings=_per_meeting(meetings),
        signal_to_table=_signal_to_table(region, start, end),
        decision_to_action=to_action,
        lead_without_action=lead_without,
        lead_partners=_lead_partners(meetings),
    )
