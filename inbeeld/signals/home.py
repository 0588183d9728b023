"""The signals' blocks on the home page ("Vandaag"), one per kind of work (lib/home_blocks.py).

Each shows only what the same rules already let the user see, and audits the signals it
names, like the queue does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When

from inbeeld.accounts.access import regions_where
from inbeeld.accounts.models import Organisation, Role, User
from inbeeld.audit.models import Purpose
from inbeeld.audit.services import audit_record_reads
from inbeeld.lib.home_blocks import HomeBlock, home_block_register
from inbeeld.signals import access, triage
from inbeeld.signals.models import AgeBand, Signal, Status
from inbeeld.signals.queue import OPEN_STATUSES

SHOWN = 10
TIPS_SHOWN = 5


def status_counts(signals: QuerySet[Signal]) -> list[tuple[str, int]]:
    """(status label, number) for every status, in the statuses' order, zeros included."""
    counts = dict(signals.values_list("status").annotate(n=Count("pk")).order_by())
    return [(str(label), counts.get(value, 0)) for value, label in Status.choices]


def _urgent_first(signals: QuerySet[Signal]) -> QuerySet[Signal]:
    minor = Case(
        When(victim_age_band=AgeBand.MINOR, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return signals.annotate(minor_first=minor).order_by(
        "-acute", "-minor_first", "-risk_score", "-created_at"
    )


def coordinator_today(user: User) -> Mapping[str, Any]:
    """The open signals of the regions she coordinates: acute and minors first."""
    mine = (
        access.signals_visible_to(user)
        .filter(merged_into__isnull=True)
        .filter(region__in=regions_where(user, *access.TRIAGE_ROLES))
    )
    shown = list(
        _urgent_first(mine.filter(status__in=OPEN_STATUSES)).select_related(
            "municipality", "region"
        )[:SHOWN]
    )
    if shown:
        audit_record_reads(actor=user, records=shown, purpose=Purpose.WORK_QUEUE)
    return {"signals": shown, "counts": status_counts(mine)}


def organisation_reports(user: User) -> Mapping[str, Any]:
    """Where the signals of the user's organisations (as a chain partner) stand now."""
    organisations = Organisation.objects.filter(
        memberships__user=user, memberships__role=Role.KETENPARTNER
    )
    # Through the same gate as the queue: a restricted signal is not shown here either.
    reported = access.signals_visible_to(user).filter(source_organisation__in=organisations)
    shown = list(reported.select_related("region").order_by("-created_at")[:SHOWN])
    if shown:
        audit_record_reads(actor=user, records=shown, purpose=Purpose.WORK_QUEUE)
    return {"signals": shown, "counts": status_counts(reported)}


def tips_today(user: User) -> Mapping[str, Any]:
    """The latest tips passed to the user's organisation; showing one is a read of it."""
    received = triage.tips_received_by(user)
    shown = list(received.order_by("-shared_at")[:TIPS_SHOWN])
    if shown:
        audit_record_reads(actor=user, records=shown, purpose=Purpose.TIP_RECEIVED)
    return {"tips": shown, "total": received.count()}


def restricted_for_fg(user: User) -> Mapping[str, Any]:
    """Signals of the FG's regions whose processing is restricted (AVG art. 18).

    There is no queue of incoming requests in InBeeld (a request is recorded when the FG
    handles it): what stays open on her desk is a restriction, which holds until she lifts
    it or the record is erased. Listing them is a read by the FG, audited like her search.
    """
    restricted = Signal.objects.filter(
        region__in=regions_where(user, Role.FG), restricted=True
    ).select_related("region")
    shown = list(restricted.order_by("created_at")[:SHOWN])
    if shown:
        audit_record_reads(actor=user, records=shown, purpose=Purpose.DATA_SUBJECT_REQUEST)
    return {"signals": shown, "total": restricted.count()}


home_block_register(
    HomeBlock(
        name="restricted-signals",
        permission="privacy.handle_subject_requests",
        template="signals/home_restricted.html",
        context=restricted_for_fg,
        order=40,
    )
)
home_block_register(
    HomeBlock(
        name="coordinator-today",
        permission="signals.triage_signals",
        template="signals/home_coordinator.html",
        context=coordinator_today,
        order=10,
    )
)
home_block_register(
    HomeBlock(
        name="organisation-reports",
        permission="signals.view_own_reports",
        template="signals/home_reports.html",
        context=organisation_reports,
        order=20,
    )
)
home_block_register(
    HomeBlock(
        name="tips-today",
        permission="signals.view_tips_received",
        template="signals/home_tips.html",
        context=tips_today,
        order=30,
    )
)
