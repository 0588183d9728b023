"""Feedback to the organisation that reported a signal: what the table did with it, in terms
it may know ("opgepakt door een partner", "geen verdere actie"), never who, never why.

Shown on the signal's page (signals/sections.py) to everyone who may see the signal: the
reporting organisation, the zorgcoördinator, the people it is assigned to. None of them
learns from it more than that the table discussed the signal and the kind of outcome.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from inbeeld.casetable.models import AgendaItem, Decision, Outcome
from inbeeld.signals.models import Signal

FEEDBACK: dict[str, Promise] = {
    Outcome.LEAD_PARTNER: _("Taken on by a partner"),
    Outcome.NO_FURTHER_ACTION: _("No further action"),
    Outcome.BACK_TO_REPORTER: _("Back to you as reporter: the care coordinator will contact you"),
}
ON_THE_AGENDA = _("On the agenda of the case table")


@dataclass(frozen=True)
class Feedback:
    meeting_date: date
    text: str


def feedback_for(signal: Signal) -> Feedback | None:
    """The table's latest word on the signal, or None when it never was on an agenda."""
    decision = (
        Decision.objects.filter(item__signal=signal, superseded_at__isnull=True)
        .select_related("item__meeting")
        .first()
    )
    if decision is not None:
        return Feedback(decision.item.meeting.date, str(FEEDBACK[decision.outcome]))
    item = (
        AgendaItem.objects.filter(signal=signal)
        .select_related("meeting")
        .order_by("-meeting__date")
        .first()
    )
    return Feedback(item.meeting.date, str(ON_THE_AGENDA)) if item else None


def feedback_context(user: Any, signal: Signal) -> Mapping[str, Any]:
    return {"feedback": feedback_for(signal)}
