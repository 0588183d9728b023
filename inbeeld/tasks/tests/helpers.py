"""Making tasks in tests, through the service."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from inbeeld.tasks.models import Task
from inbeeld.tasks.services import task_create


def days(n: int) -> date:
    """Today plus ``n`` days (negative: in the past)."""
    return timezone.localdate() + timedelta(days=n)


def a_task(subject: Any, **overrides: Any) -> Task:
    values: dict[str, Any] = {
        "subject": subject,
        "source": "signal.follow_up",
        "title": "Terugbellen politie",
        "due": days(3),
    }
    values.update(overrides)
    return task_create(**values)
