"""Retention: remove records once their keeping period has passed, audited, with a report.

Each kind of record has a rule: which model, which date starts the period, how the record's
region is found, and the default period. A region may set its own period
(RetentionPolicy with a region), the deployment a default for all regions (no region);
otherwise the rule's default applies. Runs daily as a django-q2 scheduled task
(`retention_scheduled`), or by hand with `inbeeld retention run`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from inbeeld.audit.models import Action
from inbeeld.audit.services import audit_record
from inbeeld.privacy.models import RetentionPolicy, RetentionRun
from inbeeld.regions.models import Region

BATCH = 500


@dataclass(frozen=True)
class RetentionRule:
    kind: str
    label: str | Promise
    model: str  # app_label.ModelName
    date_field: str  # the period starts at this date
    region_field: str | None  # path to the record's Region, or None when it has none
    default_days: int


RULES: tuple[RetentionRule, ...] = (
    RetentionRule(
        "encoded_list",
        _("Encoded lists of partners"),
        "insight.EncodedList",
        "uploaded_at",
        "region",
        730,
    ),
    # django-axes keeps user names and IP addresses of login attempts; the lock-out needs
    # only the recent ones.
    RetentionRule(
        "login_attempt",
        _("Failed login attempts (user name, IP address)"),
        "axes.AccessAttempt",
        "attempt_time",
        None,
        30,
    ),
    RetentionRule(
        "login_failure_log",
        _("Log of failed logins (user name, IP address)"),
        "axes.AccessFailureLog",
        "attempt_time",
        None,
        90,
    ),
)


def rule_for(kind: str) -> RetentionRule:
    return next(rule for rule in RULES if rule.kind == kind)


def periods_in_force(rule: RetentionRule) -> dict[int | None, int]:
    """The rule's periods by region id (None: the deployment's default), in one query."""
    return {p.region_id: p.keep_days for p in RetentionPolicy.objects.filter(kind=rule.kind)}


def keep_days(
    rule: RetentionRule, region: Region | None, periods: dict[int | None, int] | None = None
) -> int:
    periods = periods_in_force(rule) if periods is None else periods
    if region is not None and region.pk in periods:
        return periods[region.pk]
    return periods.get(None, rule.default_days)


def _due(
    rule: RetentionRule, now: datetime
) -> list[tuple[models.QuerySet[models.Model], str, int]]:
    """(records past their period, region code, days kept) for each region the rule covers."""
    model = apps.get_model(rule.model)
    periods = periods_in_force(rule)
    if rule.region_field is None:
        days = keep_days(rule, None, periods)
        cutoff = now - timedelta(days=days)
        return [(model._default_manager.filter(**{f"{rule.date_field}__lt": cutoff}), "", days)]
    selections = []
    for region in Region.objects.all():
        days = keep_days(rule, region, periods)
        cutoff = now - timedelta(days=days)
        due = model._default_manager.filter(
            **{rule.region_field: region, f"{rule.date_field}__lt": cutoff}
        )
        selections.append((due, region.code, days))
    return selections


def retention_run(*, now: datetime | None = None, dry_run: bool = False) -> RetentionRun:
    """Remove what is due for every rule; each removal is audited without its content."""
    started = timezone.now()
    now = now or started
    removed: dict[str, int] = {}
    for rule in RULES:
        removed[rule.kind] = sum(
            _remove(rule, due, region_code, days, dry_run)
            for due, region_code, days in _due(rule, now)
        )
    return RetentionRun.objects.create(
        started_at=started, finished_at=timezone.now(), dry_run=dry_run, removed=removed
    )


def _remove(
    rule: RetentionRule,
    due: models.QuerySet[models.Model],
    region_code: str,
    days: int,
    dry_run: bool,
) -> int:
    if dry_run:
        return due.count()
    count = 0
    while True:
        # One transaction per batch: the audit entries and the deletion stand or fall together.
        with transaction.atomic():
            batch = list(due.values_list("pk", flat=True)[:BATCH])
            if not batch:
                return count
            for pk in batch:
                audit_record(
                    actor=None,
                    action=Action.DELETE,
                    object_type=rule.model.lower(),
                    object_id=str(pk),
                    region=region_code,
                    purpose="retention",
                    detail={"rule": rule.kind, "kept_days": days},
                    actor_name="retention",
                )
            due.model._default_manager.filter(pk__in=batch).delete()
            count += len(batch)


def retention_scheduled() -> str:
    """The entry point of the daily django-q2 schedule."""
    run = retention_run()
    return f"retention removed {sum(run.removed.values())} records: {run.removed}"


def retention_period_set(*, by: object, region: Region, kind: str, keep_days: int) -> None:
    """A region's own period for a kind of record; the change is audited."""
    with transaction.atomic():
        policy, _created = RetentionPolicy.objects.update_or_create(
            kind=rule_for(kind).kind, region=region, defaults={"keep_days": keep_days}
        )
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=policy,
            region=region.code,
            purpose="retention policy",
            detail={"kind": kind, "keep_days": keep_days},
        )
