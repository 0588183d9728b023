"""The case table on the case page (cases/sections.py): the meetings where the case was on
the agenda, the table's decision in force with its partners, and the actions still open.

The case page's gate has decided and audited the read of the case; this part shows it to
whoever may see the case. The notes and a decision's reason stay with those who run the
meeting (as on the meeting page and in the minutes); a meeting is a link only for who may
open it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType

from inbeeld.cases.models import Case
from inbeeld.cases.sections import CaseSection, case_section_register
from inbeeld.casetable.models import AgendaItem, Decision
from inbeeld.casetable.services import ACTION_SOURCE
from inbeeld.tasks.models import Task, TaskStatus


def _context(request: Any, user: Any, case: Case, editable: bool) -> dict[str, Any]:
    items = list(
        AgendaItem.objects.filter(case=case)
        .select_related("meeting__region")
        .order_by("meeting__date", "pk")
    )
    meetings = [
        {
            "item": item,
            "meeting": item.meeting,
            "link": user.has_perm("casetable.view_meeting", item.meeting),
        }
        for item in items
    ]
    decision = (
        Decision.objects.filter(item__case=case, superseded_at__isnull=True)
        .select_related("item__meeting")
        .prefetch_related("roles__organisation")
        .first()
    )
    actions = list(
        Task.objects.filter(
            source=ACTION_SOURCE,
            subject_type=ContentType.objects.get_for_model(AgendaItem),
            subject_id__in=[item.pk for item in items],
            status=TaskStatus.OPEN,
        )
        .select_related("owner_organisation")
        .order_by("due", "pk")
    )
    return {
        "meetings": meetings,
        "decision": decision,
        "show_reason": bool(
            decision and user.has_perm("casetable.run_meeting", decision.item.meeting)
        ),
        "actions": actions,
    }


case_section_register(
    CaseSection(
        name="case-table", template="casetable/_case_section.html", context=_context, order=60
    )
)
