"""The FG's block on the home page (lib/home_blocks.py): the open requests of data subjects,
overdue first, and whether the nightly retention run still runs."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.utils import timezone

from inbeeld.accounts.models import User
from inbeeld.audit.services import audit_record_reads
from inbeeld.lib.home_blocks import HomeBlock, home_block_register
from inbeeld.privacy.models import RetentionRun
from inbeeld.privacy.received_requests import PURPOSE, received_requests_open_for

SHOWN = 10
# The run is nightly: two days without one means the worker or its schedule has stopped.
RUN_IS_LATE_AFTER = timedelta(days=2)


def fg_requests(user: User) -> Mapping[str, Any]:
    requests = list(received_requests_open_for(user).order_by("due_on", "pk")[:SHOWN])
    if requests:
        audit_record_reads(actor=user, records=requests, purpose=PURPOSE)
    last_run = RetentionRun.objects.filter(dry_run=False).first() or RetentionRun.objects.first()
    return {
        "requests": requests,
        "today": timezone.localdate(),
        "last_run": last_run,
        "removed": sum(last_run.removed.values()) if last_run else 0,
        "run_is_late": bool(last_run and timezone.now() - last_run.finished_at > RUN_IS_LATE_AFTER),
    }


home_block_register(
    HomeBlock(
        name="fg-requests",
        permission="privacy.handle_subject_requests",
        template="privacy/home_fg.html",
        context=fg_requests,
        order=15,
    )
)
