"""The case table's block on the home page (lib/home_blocks.py): the next meeting the user
chairs or is invited to, with the number of items on its agenda. It names no signal or
person; reading the meeting is audited like every other read of it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from inbeeld.accounts.models import User
from inbeeld.audit.models import Purpose
from inbeeld.audit.services import audit_record_reads
from inbeeld.casetable.access import may_run, meetings_visible_to
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


home_block_register(
    HomeBlock(
        name="next-meeting",
        permission="casetable.view_case_table",
        template="casetable/home_next.html",
        context=next_meeting,
        order=30,
    )
)
