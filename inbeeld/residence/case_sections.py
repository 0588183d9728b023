"""The residence track on the case page and its timeline (cases/sections.py)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.cases.models import Case
from inbeeld.cases.sections import CaseSection, case_section_register, case_timeline_source_register
from inbeeld.cases.timeline import TimelineItem
from inbeeld.residence.access import residence_read
from inbeeld.residence.models import EndReason, ResidenceState, ResidenceStatus
from inbeeld.residence.page import track_context


def _context(request: Any, user: Any, case: Case, editable: bool) -> dict[str, Any]:
    # The case page's gate has decided and audited the case; the track's read is its own.
    context = track_context(case, editable)
    residence_read(user, context["states"])
    return context


def _timeline(case: Case) -> list[TimelineItem]:
    items = []
    for state in ResidenceState.objects.filter(case=case):
        title = _("Residence: %(state)s") % {"state": ResidenceStatus(state.status).label}
        if state.end_reason:
            title += f" ({EndReason(state.end_reason).label})"
        at = timezone.make_aware(datetime.combine(state.start, time.min))
        items.append(TimelineItem(at, "residence", title, state.note, dated_only=True))
    return items


case_section_register(
    CaseSection(
        name="residence", template="residence/_case_section.html", context=_context, order=30
    )
)
case_timeline_source_register("residence", _timeline)
