"""What the task lists show, and the tasks panel an app puts on a record's page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import User
from inbeeld.audit.models import Purpose
from inbeeld.audit.services import audit_record_reads
from inbeeld.tasks.forms import TaskForm
from inbeeld.tasks.models import Task, source_label
from inbeeld.tasks.registry import subject_kind
from inbeeld.tasks.services import is_overdue, tasks_for_subject


@dataclass(frozen=True)
class TaskRow:
    task: Task
    overdue: bool
    kind: str
    subject_name: str
    subject_url: str


def task_rows(tasks: list[Task]) -> list[TaskRow]:
    """Each task with whether it is overdue today and its record named without personal data."""
    today = timezone.localdate()
    prefetch_related_objects(tasks, "subject")
    rows = []
    for task in tasks:
        subject = task.subject
        name = url = ""
        if subject is not None:
            kind = subject_kind(subject)
            name, url = kind.describe(subject), kind.url(subject)
        rows.append(TaskRow(task, is_overdue(task, today), source_label(task.source), name, url))
    return rows


def subject_tasks_panel(*, user: User, subject: models.Model) -> dict[str, Any]:
    """The context of ``tasks/_subject_panel.html``: the record's tasks, and the form to add
    one for who may. The caller has already checked that the user may see the record."""
    tasks = list(tasks_for_subject(subject))
    if tasks:
        audit_record_reads(actor=user, records=tasks, purpose=Purpose.TASKS)
    may_add = bool(user.has_perm("tasks.add_task", subject))
    key = subject._meta.label_lower
    return {
        "rows": task_rows(tasks),
        "may_add": may_add,
        "form": TaskForm(region_id=subject.region_id) if may_add else None,  # type: ignore[attr-defined]
        "add_url": reverse("tasks:add", args=[key, subject.pk]),
        "back": subject_kind(subject).url(subject),
    }
