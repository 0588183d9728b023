"""The work queue: which signals a person sees, filtered and sorted, with what each row shows.

Shared by the queue page, its CSV export and the home page, so that the three never differ
in what they show. Visibility is always ``access.signals_visible_to``: a filter only narrows.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from math import ceil

from django.db.models import (
    Case,
    F,
    IntegerField,
    OrderBy,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Length
from django.db.models.lookups import Exact
from django.utils import timezone

from inbeeld.accounts.models import Membership, User
from inbeeld.signals import access
from inbeeld.signals.models import AgeBand, Signal, Status
from inbeeld.signals.triage import COMPLETENESS_FIELDS, Completeness, completeness

# Statuses that are still open work (everything but closed).
OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.CASE_TABLE, Status.TRANSFERRED)
# "Waiting for a partner": the signal was transferred directly to a partner (police, labour
# inspectorate, care), who now acts on it; the coordinator waits for their answer before
# closing it. The other open statuses are work of the region itself.
WAITING_FOR_PARTNER = (Status.TRANSFERRED,)


def _empty(field: str) -> Q | Exact:
    """When ``field`` (one of COMPLETENESS_FIELDS) holds nothing, as the database sees it."""
    model_field = Signal._meta.get_field(field)
    if model_field.get_internal_type() == "JSONField":
        return Q(**{field: []})
    if field == "place_text":  # encrypted: only its length can be asked (never its content)
        return Exact(Coalesce(Length(field), Value(0)), 0)
    if model_field.null:
        return Q(**{f"{field}__isnull": True})
    return Q(**{field: ""})


def _completeness_expression() -> Case | Value:
    total: Case | Value = Value(0)
    for name in COMPLETENESS_FIELDS:
        filled = Case(When(_empty(name), then=Value(0)), default=Value(1))
        total = total + filled  # type: ignore[assignment,operator]
    return total


def _first_assignee_name() -> Subquery:
    through = Signal.assigned_to.through.objects.filter(signal_id=OuterRef("pk"))
    names = through.order_by("user__last_name", "user__first_name", "user__username")
    return Subquery(names.values("user__last_name")[:1])


# Sort keys of the page (query parameter ``sort``, "-" in front for descending) and what
# each orders by; ties are broken by urgency, so that equal rows keep a meaningful order.
# The id last: a total order, so that the queue's pages never repeat or skip a signal.
URGENCY = ("-acute", "-risk_score", "-created_at", "-pk")
SORT_KEYS: dict[str, tuple[str, ...]] = {
    "received": ("created_at",),
    "code": ("receipt_code",),
    "municipality": ("municipality__name",),
    "form": ("first_form",),
    "assignee": ("first_assignee",),
    "days": ("-created_at",),  # open longest = received earliest
    "completeness": ("completeness",),
    "minor": ("minor",),
    "risk": ("risk_score",),
    "status": ("status",),
    "acute": ("acute",),
}
# The sorts the page offered before its columns could be sorted (bookmarks keep working).
LEGACY_SORTS = {"urgency": (), "newest": ("-created_at",), "oldest": ("created_at",)}


def _ordering(sort: str) -> tuple[str | OrderBy, ...]:
    if sort in LEGACY_SORTS:
        return (*LEGACY_SORTS[sort], *URGENCY)
    key = sort.removeprefix("-")
    if key not in SORT_KEYS:
        return URGENCY
    descending = sort.startswith("-")
    order: list[str | OrderBy] = []
    for name in SORT_KEYS[key]:
        field = name.removeprefix("-")
        flip = name.startswith("-") != descending
        order.append(F(field).desc(nulls_last=True) if flip else F(field).asc(nulls_last=True))
    return (*order, *URGENCY)


@dataclass(frozen=True)
class QueueFilter:
    """What the person narrowed the queue to; empty values filter nothing."""

    status: str = ""
    form: str = ""
    municipality_id: int | None = None
    assignee_id: int | None = None
    acute: bool = False
    minor: bool = False
    mine: bool = False
    sort: str = "urgency"

    def audit_detail(self) -> dict[str, str]:
        """The filter as the audit trail keeps it: codes and ids only, no personal data."""
        return {name: str(value) for name, value in vars(self).items() if value}


def queue_signals(user: User, selection: QueueFilter) -> QuerySet[Signal]:
    """The signals the user may see, narrowed by ``selection`` and in its order."""
    return _narrowed(access.signals_visible_to(user), user, selection)


def _narrowed(signals: QuerySet[Signal], user: User, selection: QueueFilter) -> QuerySet[Signal]:
    # A merged signal lives on inside the one it was merged into (its page stays reachable).
    signals = signals.filter(merged_into__isnull=True)
    if selection.status:
        signals = signals.filter(status=selection.status)
    if selection.form:
        # The codes are JSON strings in a list; with the quotes no code matches another.
        signals = signals.filter(exploitation_forms__icontains=f'"{selection.form}"')
    if selection.municipality_id:
        signals = signals.filter(municipality_id=selection.municipality_id)
    if selection.assignee_id:
        signals = signals.filter(
            pk__in=Signal.assigned_to.through.objects.filter(user_id=selection.assignee_id).values(
                "signal_id"
            )
        )
    if selection.acute:
        signals = signals.filter(acute=True)
    if selection.minor:
        signals = signals.filter(victim_age_band=AgeBand.MINOR)
    if selection.mine:
        signals = signals.filter(
            pk__in=Signal.assigned_to.through.objects.filter(user=user).values("signal_id")
        )
    key = selection.sort.removeprefix("-")
    if key == "completeness":
        signals = signals.annotate(completeness=_completeness_expression())
    elif key == "assignee":
        signals = signals.annotate(first_assignee=_first_assignee_name())
    elif key == "form":
        signals = signals.annotate(first_form=F("exploitation_forms__0"))
    elif key == "minor":
        signals = signals.annotate(
            minor=Case(
                When(victim_age_band=AgeBand.MINOR, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    return signals.order_by(*_ordering(selection.sort))


PAGE_SIZE = 50
# The queue says how many signals it holds up to this many, and "more than" beyond: an
# exact count of a large region reads every row of it for each page view.
COUNT_CAP = 1000


@dataclass
class QueuePage:
    """One page of the queue: its signals' ids in order, whether more follow, and the number
    of signals (None when more than COUNT_CAP). Asks no COUNT of the whole region."""

    number: int
    ids: list[int]
    has_next: bool
    total: int | None
    object_list: list[Signal] = field(default_factory=list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def pages(self) -> int | None:
        return None if self.total is None else _pages_for(self.total)

    def __len__(self) -> int:
        return len(self.object_list)

    def __iter__(self) -> Iterator[Signal]:
        return iter(self.object_list)


def _pages_for(total: int) -> int:
    """How many pages ``total`` signals fill (an empty queue is one empty page)."""
    return max(ceil(total / PAGE_SIZE), 1)


def page_number(value: str | None) -> int:
    """The page asked for; anything but a positive whole number is the first page."""
    try:
        number = int(value or "1")
    except ValueError:
        return 1
    return max(number, 1)


def _urgent_ids(user: User, selection: QueueFilter, limit: int) -> list[int]:
    """The first ``limit`` ids in urgency order: each part of what the user sees
    (access.signals_visible_parts: a coordinated region reads in the order of its index
    ``triage_urgency_order`` and stops after ``limit`` rows) merged, as the whole would be
    sorted."""
    fields = ("acute", "risk_score", "created_at", "pk")
    parts = [
        list(_narrowed(part, user, selection).order_by(*URGENCY).values_list(*fields)[:limit])
        for part in access.signals_visible_parts(user)
    ]
    merged = heapq.merge(*parts, reverse=True)  # each part is in this order already
    return [row[3] for row in islice(merged, limit)]


def queue_page(user: User, selection: QueueFilter, number: int) -> QueuePage:
    """Page ``number`` of the user's queue (PAGE_SIZE ids; past the end: the last page)."""
    counted = queue_signals(user, selection).order_by().values("pk")[: COUNT_CAP + 1].count()
    total = counted if counted <= COUNT_CAP else None
    if total is not None:
        number = min(number, _pages_for(total))
    start, end = (number - 1) * PAGE_SIZE, number * PAGE_SIZE
    if _ordering(selection.sort) == URGENCY:
        ids = _urgent_ids(user, selection, end + 1)[start:]
    else:
        ids = list(queue_signals(user, selection).values_list("pk", flat=True)[start : end + 1])
    return QueuePage(number=number, ids=ids[:PAGE_SIZE], has_next=len(ids) > PAGE_SIZE, total=total)


@dataclass(frozen=True)
class Assignee:
    name: str
    organisations: str


@dataclass(frozen=True)
class QueueRow:
    signal: Signal
    assignees: list[Assignee]
    days_open: int
    completeness: Completeness

    @property
    def assignee_text(self) -> str:
        return "; ".join(
            f"{a.name} ({a.organisations})" if a.organisations else a.name for a in self.assignees
        )


def _assignees(signal: Signal) -> list[Assignee]:
    people = []
    for person in signal.assigned_to.all():  # prefetched with their memberships
        # The organisations they work for in the signal's region (an assignment may also go
        # to someone elsewhere: then all of theirs, so that the row still says who it is).
        memberships = list(person.memberships.all())
        here = [m for m in memberships if m.organisation.region_id == signal.region_id]
        names = sorted({m.organisation.name for m in (here or memberships)})
        people.append(Assignee(person.get_full_name() or person.username, ", ".join(names)))
    return people


def days_open(signal: Signal, now: datetime | None = None) -> int:
    end = signal.closed_at or now or timezone.now()
    return max((end - signal.created_at).days, 0)


# What no column of the queue shows (nor its completeness, which reads only place_text):
# not fetched, so a page neither decrypts nor holds a name, a description or a contact.
UNSHOWN_ENCRYPTED = (
    "description",
    "victim_name",
    "victim_date_of_birth",
    "victim_nationality_text",
    "reporter_contact",
    "phone_numbers",
    "restriction_reason",
)


def queue_rows(ids: Iterable[int]) -> list[QueueRow]:
    """The rows for these signals, in this order, in a fixed number of queries."""
    wanted = list(ids)
    memberships = Membership.objects.select_related("organisation")
    assignees = User.objects.prefetch_related(Prefetch("memberships", queryset=memberships))
    signals = (
        # The region too: the audit entry of the page is per region (audit_record_reads).
        Signal.objects.select_related("municipality", "region")
        .defer(*UNSHOWN_ENCRYPTED)
        .prefetch_related(Prefetch("assigned_to", queryset=assignees))
        .in_bulk(wanted)
    )
    now = timezone.now()
    return [
        QueueRow(
            signal=signals[pk],
            assignees=_assignees(signals[pk]),
            days_open=days_open(signals[pk], now),
            completeness=completeness(signals[pk]),
        )
        for pk in wanted
        if pk in signals
    ]


def signals_of(rows: Sequence[QueueRow]) -> list[Signal]:
    return [row.signal for row in rows]
