"""Schedule retention daily at night on django-q2 (`inbeeld worker` or `inbeeld serve` runs it)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db import migrations
from django.utils import timezone

NAME = "inbeeld retention"


def _next_night() -> datetime:
    """03:15 local time tomorrow: a quiet hour for removing what is due."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time(3, 15)))


def schedule(apps: Any, schema_editor: Any) -> None:
    schedule_model = apps.get_model("django_q", "Schedule")
    schedule_model.objects.update_or_create(
        name=NAME,
        defaults={
            "func": "inbeeld.privacy.retention.retention_scheduled",
            "schedule_type": "D",  # daily, from the first run on
            "next_run": _next_night(),
            "repeats": -1,
        },
    )


def unschedule(apps: Any, schema_editor: Any) -> None:
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_retention"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
