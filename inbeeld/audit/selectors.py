"""Reads of the audit trail for the privacy officer (FG), limited to the FG's regions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from inbeeld.accounts.access import regions_where
from inbeeld.accounts.models import Role, User
from inbeeld.audit.models import Action, AuditEntry, AuditRecordRef

# How account administration names the account in the trail (target=user).
ACCOUNT_TYPE = "accounts.user"


@dataclass(frozen=True)
class AuditFilter:
    person: str = ""  # user name (contains)
    object_type: str = ""
    object_id: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None


def audit_entries_for_fg(*, user: User) -> QuerySet[AuditEntry]:
    """The entries the FG supervises; the rules are in docs/privacy.md ("Audittrail").

    An entry with a region (every read, change or share of a region's record) is shown only
    to the FG of that region, whoever made it: a person who also works in another region
    must not carry that region's entries into this FG's view.

    An entry without a region (logins, failed logins, refusals, account administration) is
    shown when the person who made it works in one of the FG's regions; for a failed login,
    when the user name typed is such a person's. Of these, an entry about an account is shown
    only when that account works in one of the FG's regions or holds no role yet, so that
    this FG does not learn of accounts of other regions.
    """
    regions = regions_where(user, Role.FG)
    codes = list(regions.values_list("code", flat=True))
    people = User.objects.filter(memberships__organisation__region__in=regions)
    accounts_here = (people | User.objects.filter(memberships__isnull=True)).annotate(
        pk_text=Cast("pk", output_field=CharField())
    )
    without_region = Q(region="") & (
        Q(actor_id__in=people.values("pk"))
        | Q(actor_id__isnull=True, action=Action.LOGIN_FAILED, actor__in=people.values("username"))
    )
    about_other_account = Q(object_type=ACCOUNT_TYPE) & ~Q(
        object_id__in=accounts_here.values("pk_text")
    )
    return AuditEntry.objects.filter(Q(region__in=codes) | (without_region & ~about_other_account))


def entries_naming(*, object_type: str = "", object_id: str = "") -> QuerySet[AuditEntry]:
    """Entries about a record (or a kind of record): as their own object, or among the
    records a list read names (AuditRecordRef). Give the type, the id, or both."""
    own, listed = Q(), Q()
    if object_type:
        own &= Q(object_type=object_type)
        listed &= Q(refs__object_type=object_type)
    if object_id:
        own &= Q(object_id=object_id)
        listed &= Q(refs__object_id=object_id)
    return AuditEntry.objects.filter(own | listed).values("pk")  # type: ignore[return-value]


def audit_entries_about(*, object_type: str, object_ids: list[str]) -> QuerySet[AuditEntry]:
    """Every entry about any of these records of one type, oldest first (access exports)."""
    own = Q(object_type=object_type, object_id__in=object_ids)
    listed = Q(
        pk__in=AuditRecordRef.objects.filter(
            object_type=object_type, object_id__in=object_ids
        ).values("entry_id")
    )
    return AuditEntry.objects.filter(own | listed).order_by("id")


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries_search(*, user: User, search: AuditFilter) -> QuerySet[AuditEntry]:
    entries = audit_entries_for_fg(user=user)
    if search.person:
        entries = entries.filter(actor__icontains=search.person)
    if search.object_type or search.object_id:
        entries = entries.filter(
            pk__in=entries_naming(object_type=search.object_type, object_id=search.object_id)
        )
    if search.action:
        entries = entries.filter(action=search.action)
    if search.since:
        entries = entries.filter(occurred_at__gte=_day_start(search.since))
    if search.until:
        entries = entries.filter(occurred_at__lt=_day_start(search.until) + timedelta(days=1))
    return entries.order_by("-id")
