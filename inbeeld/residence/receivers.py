"""The track's reminders follow their case: closing the case cancels them (nobody should be
reminded of a deadline of a closed case, nor mailed about it); reopening it brings back the
reminders the current state still needs. cases/ does not know residence/ (it builds on it),
so the track listens to the case's saves, as the care plan does."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from inbeeld.cases.models import Case


@receiver(post_save, sender=Case, dispatch_uid="residence:follow_case")
def _case_saved(sender: type[Case], instance: Case, created: bool, **kwargs: Any) -> None:
    if created or kwargs.get("raw"):
        return
    # Closing and reopening save the status by name (cases/services.py).
    update_fields = kwargs.get("update_fields")
    if update_fields is None or "status" not in update_fields:
        return
    from inbeeld.residence.services import residence_reminders_follow_case

    residence_reminders_follow_case(instance)
