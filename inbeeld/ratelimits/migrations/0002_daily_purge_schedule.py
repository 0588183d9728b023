"""Purge expired rate counters daily on django-q2, also when no new visitor comes by."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db import migrations
from django.utils import timezone

NAME = "inbeeld rate counters purge"


def _next_night() -> datetime:
    """03:45 local time tomorrow, after the retention run."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time(3, 45)))


def schedule(apps: Any, schema_editor: Any) -> None:
    apps.get_model("django_q", "Schedule").objects.update_or_create(
        name=NAME,
        defaults={
            "func": "inbeeld.ratelimits.services.rate_counters_purge_scheduled",
            "schedule_type": "D",  # daily, from the first run on
            "next_run": _next_night(),
            "repeats": -1,
        },
    )


def unschedule(apps: Any, schema_editor: Any) -> None:
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ratelimits", "0001_rate_counters"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
