"""Write an audit checkpoint every AUDIT_CHECKPOINT_MINUTES on django-q2.

`inbeeld worker` (also started by `inbeeld serve`) runs it, and brings the interval in line
with the setting when it starts (`audit_checkpoint_schedule_sync`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import migrations
from django.utils import timezone

NAME = "inbeeld audit checkpoint"


def schedule(apps: Any, schema_editor: Any) -> None:
    apps.get_model("django_q", "Schedule").objects.update_or_create(
        name=NAME,
        defaults={
            "func": "inbeeld.audit.services.audit_checkpoint_scheduled",
            "schedule_type": "I",  # every `minutes` minutes
            "minutes": settings.AUDIT_CHECKPOINT_MINUTES,
            "next_run": timezone.now(),
            "repeats": -1,
        },
    )


def unschedule(apps: Any, schema_editor: Any) -> None:
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_refuse_delete"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
