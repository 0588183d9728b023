"""Mail owners of overdue tasks daily, on django-q2 (`inbeeld worker`/`serve`)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db import migrations
from django.utils import timezone

NAME = "inbeeld overdue tasks mail"


def _next_morning() -> datetime:
    """06:30 local time tomorrow: the mail is waiting when the working day starts."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time(6, 30)))


def schedule(apps: Any, schema_editor: Any) -> None:
    apps.get_model("django_q", "Schedule").objects.update_or_create(
        name=NAME,
        defaults={
            "func": "inbeeld.tasks.overdue.overdue_mail_scheduled",
            "schedule_type": "D",  # daily, from the first run on
            "next_run": _next_morning(),
            "repeats": -1,
        },
    )


def unschedule(apps: Any, schema_editor: Any) -> None:
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
