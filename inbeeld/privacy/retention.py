"""Retention: remove records once their keeping period has passed, audited, with a report.

The rules come from the kinds of personal data the apps register (registry.py; a signal's
rules are in signals/privacy.py). A rule says which model, which date starts the period, how
the record's region is found, and the default period. A region may set its own period
(RetentionPolicy with a region), the deployment a default for all regions (no region);
otherwise the rule's default applies. A rule may also carry a condition (only signals closed
with a given outcome, say). Runs daily as a django-q2 scheduled task (`retention_scheduled`),
or by hand with `inbeeld retention run`.

Removal is irreversible and takes everything that hangs on the record with it: rows that
cascade (a signal's notes, attachments, additions, identifier hashes), and the rows that
point at it generically or protect it (shares, consents, merge records). Each removed record
gets one audit entry that names the rule and counts what went with it, never the content.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.functional import Promise

from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.privacy.models import Consent, RetentionPolicy, RetentionRun, Share
from inbeeld.privacy.registry import registry
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
    # Field lookups the record must match as well, as plain values so that a rule is built
    # without touching the database: (("status", Status.CLOSED), ...).
    condition: tuple[tuple[str, Any], ...] = ()
    # Records of the same model that go along with the due ones (ids in, ids out), and the
    # rows that must be removed first because they protect the records (ids in, counts of
    # what was removed per record out). Both run inside the batch's transaction.
    along: Callable[[list[int]], dict[int, int]] | None = None
    clear: Callable[[list[int]], Counter[tuple[int, str]]] | None = None


def retention_rules() -> list[RetentionRule]:
    """Every registered kind's rules (registry.py), in the order the apps registered them."""
    return registry.retention_rules()


def rule_for(kind: str) -> RetentionRule:
    return next(rule for rule in retention_rules() if rule.kind == kind)


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
        due = model._default_manager.filter(**dict(rule.condition))
        return [(due.filter(**{f"{rule.date_field}__lt": cutoff}), "", days)]
    selections = []
    for region in Region.objects.all():
        days = keep_days(rule, region, periods)
        cutoff = now - timedelta(days=days)
        due = model._default_manager.filter(**dict(rule.condition)).filter(
            **{rule.region_field: region, f"{rule.date_field}__lt": cutoff}
        )
        selections.append((due, region.code, days))
    return selections


def retention_run(*, now: datetime | None = None, dry_run: bool = False) -> RetentionRun:
    """Remove what is due for every rule; each removal is audited without its content."""
    started = timezone.now()
    now = now or started
    removed: dict[str, int] = {}
    for rule in retention_rules():
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
        along = rule.along(list(due.values_list("pk", flat=True))) if rule.along else {}
        return due.count() + len(along)
    count = 0
    while True:
        # One transaction per batch: the audit entries and the deletion stand or fall together.
        with transaction.atomic():
            batch = list(due.values_list("pk", flat=True)[:BATCH])
            if not batch:
                return count
            joined = rule.along(batch) if rule.along else {}
            ids = batch + list(joined)
            went_with = _dependents(due.model, ids)
            if rule.clear:
                went_with.update(rule.clear(ids))
            went_with.update(_generic_rows_delete(due.model, ids))
            for pk in ids:
                detail: dict[str, Any] = {"rule": rule.kind, "kept_days": days}
                if pk in joined:
                    detail["merged_into"] = joined[pk]
                removed_with = {label: n for (owner, label), n in went_with.items() if owner == pk}
                if removed_with:
                    detail["removed_with"] = dict(sorted(removed_with.items()))
                audit_record(
                    actor=None,
                    action=Action.DELETE,
                    object_type=rule.model.lower(),
                    object_id=str(pk),
                    region=region_code,
                    purpose=Purpose.RETENTION,
                    detail=detail,
                    actor_name="retention",
                )
            # Signals merged into others first: the one they joined protects itself from
            # removal while they point at it.
            due.model._default_manager.filter(pk__in=list(joined)).delete()
            due.model._default_manager.filter(pk__in=batch).delete()
            count += len(ids)


def _dependents(model: type[models.Model], ids: list[int]) -> Counter[tuple[int, str]]:
    """How many rows of each kind the database removes along with each record (cascade)."""
    counted: Counter[tuple[int, str]] = Counter()
    for relation in model._meta.related_objects:
        if relation.on_delete is not models.CASCADE or relation.many_to_many:
            continue
        field = relation.field
        rows = (
            relation.related_model._default_manager.filter(**{f"{field.name}__in": ids})
            .values(field.attname)
            .annotate(n=Count("pk"))
            .order_by()
        )
        label = relation.related_model._meta.label_lower
        for row in rows:
            counted[(row[field.attname], label)] += row["n"]
    return counted


def _generic_rows_delete(model: type[models.Model], ids: list[int]) -> Counter[tuple[int, str]]:
    """Remove the shares and consents that point at the records (no foreign key cascades)."""
    content_type = ContentType.objects.get_for_model(model)
    removed: Counter[tuple[int, str]] = Counter()
    for generic in (Share, Consent):
        rows = generic.objects.filter(content_type=content_type, object_id__in=ids)
        for object_id in rows.values_list("object_id", flat=True):
            removed[(object_id, generic._meta.label_lower)] += 1
        rows.delete()
    return removed


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
            purpose=Purpose.RETENTION_POLICY,
            detail={"kind": kind, "keep_days": keep_days},
        )
