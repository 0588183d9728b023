"""The task block on the home page (lib/home_blocks.py): the user's own and organisation's
open tasks that are overdue or due within a week, as "Mijn taken" shows them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.utils import timezone

from inbeeld.accounts.models import User
from inbeeld.audit.models import Purpose
from inbeeld.audit.services import audit_record_reads
from inbeeld.lib.home_blocks import HomeBlock, home_block_register
from inbeeld.tasks import access
from inbeeld.tasks.services import is_overdue

SHOWN = 10
WITHIN_DAYS = 7


def tasks_due(user: User) -> Mapping[str, Any]:
    today = timezone.localdate()
    horizon = today + timedelta(days=WITHIN_DAYS)
    # Open tasks come by due date, so the first page holds every one due before the horizon
    # up to SHOWN; the rest waits on "Mijn taken".
    rows = [t for t in access.my_tasks_page(user, show="open", size=SHOWN) if t.due <= horizon]
    rows = rows[:SHOWN]
    if rows:
        audit_record_reads(actor=user, records=rows, purpose=Purpose.TASKS)
    overdue = {task.pk for task in rows if is_overdue(task, today)}
    return {"tasks": rows, "overdue": overdue, "days": WITHIN_DAYS}


home_block_register(
    HomeBlock(
        name="tasks-due",
        permission="tasks.view_tasks",
        template="tasks/home_due.html",
        context=tasks_due,
        order=15,
    )
)
