"""The one task engine for every app: create, complete, reopen, cancel, and keep in step.

Apps call these functions with their own record as ``subject``; the task takes its region
from the subject. Every change is audited (no title or details in the entry: digests only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from inbeeld.accounts.models import Membership, Organisation, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.tasks.models import Task, TaskStatus
from inbeeld.tasks.registry import subject_kind

SOURCE_MAX = 64


def is_overdue(task: Task, today: date) -> bool:
    """The rule: a task is overdue exactly when it is open and its due date lies before today.

    Due today is not overdue (the day is not over). The queryset twin is ``overdue_q``.
    """
    return task.status == TaskStatus.OPEN and task.due < today


def overdue_q(today: date) -> models.Q:
    """``is_overdue`` as a database filter (kept equal by the tests)."""
    return models.Q(status=TaskStatus.OPEN, due__lt=today)


def _region_id(subject: models.Model) -> int:
    region_id = getattr(subject, "region_id", None)
    if not isinstance(region_id, int):
        raise ValidationError({"subject": "the subject has no region"})
    return region_id


def _checked_owner(
    region_id: int, owner: User | None, owner_organisation: Organisation | None
) -> None:
    if owner is None and owner_organisation is None:
        raise ValidationError({"owner": "a task needs an owner or an owner organisation"})
    if (
        owner is not None
        and not Membership.objects.filter(user=owner, organisation__region_id=region_id).exists()
    ):
        raise ValidationError({"owner": "the owner works in another region"})
    if owner_organisation is not None and owner_organisation.region_id != region_id:
        raise ValidationError({"owner_organisation": "the organisation is of another region"})


def _checked_text(title: str, source: str) -> str:
    title = title.strip()
    if not title:
        raise ValidationError({"title": "a task needs a title"})
    if len(title) > Task._meta.get_field("title").max_length:  # type: ignore[operator]
        raise ValidationError({"title": "the title is too long"})
    if not source or len(source) > SOURCE_MAX:
        raise ValidationError({"source": "a task needs a kind of at most 64 characters"})
    return title


def _audit(by: User | None, task: Task, what: str) -> None:
    audit_record(
        actor=by,
        action=Action.UPDATE if what != "create" else Action.CREATE,
        target=task,
        purpose=Purpose.TASKS,
        detail={"task": what, "source": task.source},
    )


def task_create(
    *,
    subject: models.Model,
    source: str,
    title: str,
    due: date,
    owner: User | None = None,
    owner_organisation: Organisation | None = None,
    details: str = "",
    by: User | None = None,
    synced: bool = False,
) -> Task:
    """A new open task on ``subject`` (a registered kind of record)."""
    subject_kind(subject)
    region_id = _region_id(subject)
    title = _checked_text(title, source)
    _checked_owner(region_id, owner, owner_organisation)
    with transaction.atomic():
        task = Task.objects.create(
            region_id=region_id,
            title=title,
            details=details,
            owner=owner,
            owner_organisation=owner_organisation,
            due=due,
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
            source=source,
            synced=synced,
            created_by=by,
        )
        _audit(by, task, "create")
    return task


def task_complete(*, task: Task, by: User) -> Task:
    if task.status == TaskStatus.DONE:
        return task
    with transaction.atomic():
        task.status, task.done_at, task.done_by = TaskStatus.DONE, timezone.now(), by
        task.save(update_fields=["status", "done_at", "done_by"])
        _audit(by, task, "complete")
    return task


def task_reopen(*, task: Task, by: User) -> Task:
    if task.status == TaskStatus.OPEN:
        return task
    with transaction.atomic():
        task.status, task.done_at, task.done_by = TaskStatus.OPEN, None, None
        task.save(update_fields=["status", "done_at", "done_by"])
        _audit(by, task, "reopen")
    return task


def task_cancel(*, task: Task, by: User | None) -> Task:
    if task.status == TaskStatus.CANCELLED:
        return task
    with transaction.atomic():
        task.status, task.done_at, task.done_by = TaskStatus.CANCELLED, None, None
        task.save(update_fields=["status", "done_at", "done_by"])
        _audit(by, task, "cancel")
    return task


def task_status_set(*, task: Task, status: str, by: User) -> Task:
    """The status a person chose (the page's button, the API's PATCH)."""
    if status == TaskStatus.OPEN:
        return task_reopen(task=task, by=by)
    if status == TaskStatus.DONE:
        return task_complete(task=task, by=by)
    if status == TaskStatus.CANCELLED:
        return task_cancel(task=task, by=by)
    raise ValidationError({"status": f"unknown status {status!r}"})


def tasks_for_subject(subject: models.Model) -> QuerySet[Task]:
    """Every task of a record, open ones first by due date (the record's own page)."""
    return (
        Task.objects.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
        )
        .select_related("owner", "owner_organisation")
        .order_by(models.Case(models.When(status=TaskStatus.OPEN, then=0), default=1), "due", "id")
    )


@dataclass(frozen=True)
class SyncResult:
    task: Task | None
    changed: bool


def task_sync_for(
    *,
    subject: models.Model,
    source: str,
    due: date | None,
    owner: User | None = None,
    owner_organisation: Organisation | None = None,
    title: str = "",
    by: User | None = None,
) -> SyncResult:
    """Keep one open task of ``source`` on ``subject`` in step with a date of the subject.

    Idempotent: called again with the same values it changes nothing. A new date or owner
    moves the open task; ``due=None`` (the date was cleared) cancels it. A task that was
    done stays done: the next date makes a new task.
    """
    with transaction.atomic():
        current = (
            Task.objects.select_for_update()
            .filter(
                subject_type=ContentType.objects.get_for_model(subject),
                subject_id=subject.pk,
                source=source,
                synced=True,
                status=TaskStatus.OPEN,
            )
            .first()
        )
        if due is None:
            if current is None:
                return SyncResult(None, False)
            return SyncResult(task_cancel(task=current, by=by), True)
        if current is None:
            task = task_create(
                subject=subject,
                source=source,
                title=title or source,
                due=due,
                owner=owner,
                owner_organisation=owner_organisation,
                by=by,
                synced=True,
            )
            return SyncResult(task, True)
        wanted: dict[str, Any] = {
            "due": due,
            "owner_id": owner.pk if owner else None,
            "owner_organisation_id": owner_organisation.pk if owner_organisation else None,
        }
        if title:
            wanted["title"] = _checked_text(title, source)
        changed = [name for name, value in wanted.items() if getattr(current, name) != value]
        if not changed:
            return SyncResult(current, False)
        _checked_owner(current.region_id, owner, owner_organisation)
        for name in changed:
            setattr(current, name, wanted[name])
        current.save(update_fields=[name.removesuffix("_id") for name in changed])
        _audit(by, current, "sync")
        return SyncResult(current, True)


def subjects_with_overdue_tasks(
    model: type[models.Model], ids: list[int], today: date | None = None
) -> set[int]:
    """Which of these records have an overdue open task: one query for a whole list (the
    signal queue's flag), over the index on (subject_type, subject_id)."""
    today = today or timezone.localdate()
    return set(
        Task.objects.filter(
            overdue_q(today),
            subject_type=ContentType.objects.get_for_model(model),
            subject_id__in=ids,
        )
        .values_list("subject_id", flat=True)
        .distinct()
    )
