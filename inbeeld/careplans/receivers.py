"""The plan follows its case: closing a case cancels the open tasks of its plan (nobody should
be reminded of work on a closed case, nor mailed about it), reopening brings them back.

cases/ does not know care plans (they build on it), so the plan listens to the case's save.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from inbeeld.cases.models import Case


@receiver(post_save, sender=Case, dispatch_uid="careplans:follow_case")
def _case_saved(sender: type[Case], instance: Case, created: bool, **kwargs: Any) -> None:
    if created or kwargs.get("raw"):
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "status" not in update_fields:
        return
    from inbeeld.careplans.services import careplan_tasks_follow_case

    careplan_tasks_follow_case(instance)
