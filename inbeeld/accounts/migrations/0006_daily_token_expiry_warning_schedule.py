"""Warn owners of API tokens daily before expiry, on django-q2 (`inbeeld worker`/`serve`)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db import migrations
from django.utils import timezone

NAME = "inbeeld api token expiry warnings"


def _next_morning() -> datetime:
    """07:00 local time tomorrow: the warning is waiting when the working day starts."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time(7, 0)))


def schedule(apps: Any, schema_editor: Any) -> None:
    apps.get_model("django_q", "Schedule").objects.update_or_create(
        name=NAME,
        defaults={
            "func": "inbeeld.accounts.tokens.token_expiry_warnings_scheduled",
            "schedule_type": "D",  # daily, from the first run on
            "next_run": _next_morning(),
            "repeats": -1,
        },
    )


def unschedule(apps: Any, schema_editor: Any) -> None:
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_token_expiry_notice"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
