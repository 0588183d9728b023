"""The worker's heartbeat (web/health.py): a schedule every few minutes that /readyz watches."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import migrations
from django.utils import timezone

NAME = "inbeeld worker heartbeat"


def schedule(apps: Any, schema_editor: Any) -> None:
    apps.get_model("django_q", "Schedule").objects.update_or_create(
        name=NAME,
        defaults={
            "func": "inbeeld.web.health.worker_heartbeat",
            "schedule_type": "I",  # every `minutes`
            "minutes": 5,
            "next_run": timezone.now() + timedelta(minutes=1),
            "repeats": -1,
        },
    )


def unschedule(apps: Any, schema_editor: Any) -> None:
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more")]

    operations = [migrations.RunPython(schedule, unschedule)]
