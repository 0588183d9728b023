"""The plan follows its case and its tasks.

Closing a case cancels the open tasks of its plan (nobody should be reminded of work on a
closed case, nor mailed about it), reopening brings them back. An action's task marked done
on "Mijn taken" (or a record's task panel) marks the action done, so that the plan and the
task list never disagree. cases/ and tasks/ do not know care plans (they build on both), so
the plan listens to their saves.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from inbeeld.cases.models import Case
from inbeeld.tasks.models import Task, TaskStatus


@receiver(post_save, sender=Case, dispatch_uid="careplans:follow_case")
def _case_saved(sender: type[Case], instance: Case, created: bool, **kwargs: Any) -> None:
    if created or kwargs.get("raw"):
        return
    # Closing and reopening save the status by name (cases/services.py); other saves leave
    # the plan's tasks alone.
    update_fields = kwargs.get("update_fields")
    if update_fields is None or "status" not in update_fields:
        return
    from inbeeld.careplans.services import careplan_tasks_follow_case

    careplan_tasks_follow_case(instance)


@receiver(post_save, sender=Task, dispatch_uid="careplans:follow_task")
def _task_saved(sender: type[Task], instance: Task, created: bool, **kwargs: Any) -> None:
    from inbeeld.careplans.services import ACTION_SOURCE, action_done_by_task

    if created or kwargs.get("raw") or not instance.synced:
        return
    if instance.source == ACTION_SOURCE and instance.status == TaskStatus.DONE:
        action_done_by_task(instance)
