"""Tasks with privacy/: they follow the record they belong to.

A task has no retention period of its own: it is removed when its subject is removed (by
that record's retention or erasure; tasks/registry.py connects the removal), its details
are emptied when the subject is erased (``task_details_erase``), and the subject's
data-subject export lists its tasks (``tasks_export``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from inbeeld.privacy.export import dated
from inbeeld.privacy.registry import Kept, PersonalDataKind, registry
from inbeeld.tasks.models import Task, source_label

ERASED = "[erased]"

TASKS = registry.register(
    PersonalDataKind(
        model=Task,
        label=_("Tasks and deadlines"),
        about=_(
            "Dated work on a record (a follow-up of a signal, a review date): a title without "
            "personal data, encrypted details, an owner and a due date."
        ),
        kept=(
            Kept(
                _(
                    "Kept as long as the record they belong to: removed with it by that "
                    "record's retention, and their details emptied when it is erased."
                )
            ),
        ),
    )
)


def _of(subject: models.Model) -> models.QuerySet[Task]:
    return Task.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    )


def tasks_delete_for(subject: models.Model) -> int:
    """Remove the tasks of a record that is removed (no foreign key cascades to them)."""
    return int(_of(subject).delete()[0])


def task_details_erase(subject: models.Model) -> int:
    """Empty the details of the tasks of an erased record; titles hold no personal data."""
    # An encrypted field cannot be compared in the database: read which ones hold text.
    ids = [task.pk for task in _of(subject).only("id", "details") if task.details]
    return Task.objects.filter(pk__in=ids).update(details=ERASED)


def tasks_export(subject: models.Model) -> list[dict[str, Any]]:
    """The tasks of a record for its section of the access export (AVG art. 15)."""
    return [
        {
            "kind": task.source,
            "kind_text": source_label(task.source),
            "title": task.title,
            "details": task.details,
            **dated("due", task.due),
            "status": task.status,
            "status_text": task.get_status_display(),
            **dated("done_at", task.done_at),
        }
        for task in _of(subject).order_by("due", "id")
    ]
