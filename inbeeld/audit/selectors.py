"""Reads of the audit trail for the privacy officer (FG), limited to the FG's regions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from inbeeld.accounts.access import regions_where
from inbeeld.accounts.models import Membership, Role, User
from inbeeld.audit.models import AuditEntry


@dataclass(frozen=True)
class AuditFilter:
    person: str = ""  # user name (contains)
    object_type: str = ""
    object_id: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None


def audit_entries_for_fg(*, user: User) -> QuerySet[AuditEntry]:
    """Entries about the FG's regions, or by people who work there (logins have no region)."""
    regions = regions_where(user, Role.FG)
    codes = list(regions.values_list("code", flat=True))
    people = Membership.objects.filter(organisation__region__in=regions).values("user_id")
    return AuditEntry.objects.filter(Q(region__in=codes) | Q(actor_id__in=people))


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries_search(*, user: User, search: AuditFilter) -> QuerySet[AuditEntry]:
    entries = audit_entries_for_fg(user=user)
    if search.person:
        entries = entries.filter(actor__icontains=search.person)
    if search.object_type:
        entries = entries.filter(object_type=search.object_type)
    if search.object_id:
        entries = entries.filter(object_id=search.object_id)
    if search.action:
        entries = entries.filter(action=search.action)
    if search.since:
        entries = entries.filter(occurred_at__gte=_day_start(search.since))
    if search.until:
        entries = entries.filter(occurred_at__lt=_day_start(search.until) + timedelta(days=1))
    return entries.order_by("-id")
