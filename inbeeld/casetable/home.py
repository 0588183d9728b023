"""The case table's blocks on the home page (lib/home_blocks.py): the next meeting the user
chairs or is invited to, with the number of items on its agenda (it names no signal or
person; reading the meeting is audited like every other read of it); and for the
ketenregisseur and the zorgcoördinator three of the table's figures of the last 90 days
(statistics.py: counts only, nothing to audit), linking to the figures page."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.utils import timezone

from inbeeld.accounts.models import User
from inbeeld.audit.models import Purpose
from inbeeld.audit.services import audit_record_reads
from inbeeld.casetable.access import may_run, meetings_visible_to, statistics_regions
from inbeeld.casetable.statistics import table_statistics
from inbeeld.lib.home_blocks import HomeBlock, home_block_register


def next_meeting(user: User) -> Mapping[str, Any]:
    meeting = (
        meetings_visible_to(user)
        .filter(date__gte=timezone.localdate())
        .select_related("region")
        .order_by("date", "pk")
        .first()
    )
    if meeting is None:
        return {"meeting": None}
    audit_record_reads(actor=user, records=[meeting], purpose=Purpose.CASE_TABLE_MEETING)
    return {"meeting": meeting, "items": meeting.items.count(), "chairs": may_run(user, meeting)}


RECENT_DAYS = 90


def recent_figures(user: User) -> Mapping[str, Any]:
    region = statistics_regions(user).first()
    if region is None:
        return {"figures": None}
    start = timezone.localdate() - timedelta(days=RECENT_DAYS)
    return {"figures": table_statistics(region=region, start=start), "days": RECENT_DAYS}


home_block_register(
    HomeBlock(
        name="next-meeting",
        permission="casetable.view_case_table",
        template="casetable/home_next.html",
        context=next_meeting,
        order=30,
    )
)
home_block_register(
    HomeBlock(
        name="case-table-figures",
        permission="casetable.view_statistics",
        template="casetable/home_figures.html",
        context=recent_figures,
        order=35,
    )
)
