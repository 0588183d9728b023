"""A signal's page, put together from its panels; shown by every view that acts on it.

The views that change a signal (status, assignment, merge) show this page again when the
change was refused because someone else changed the signal first: the current state, the
message on top, and the person's input in its form (signals/concurrency.py).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from inbeeld.accounts.models import User
from inbeeld.audit.models import Purpose
from inbeeld.privacy.models import ShareKind
from inbeeld.privacy.sharing import shares_for
from inbeeld.signals import access, duplicates, triage
from inbeeld.signals.concurrency import ConcurrentChangeError
from inbeeld.signals.forms import AssignForm, NoteForm, StatusForm
from inbeeld.signals.models import Signal
from inbeeld.signals.scoring import current_catalogue, current_score, stored_score
from inbeeld.signals.sections import signal_sections
from inbeeld.signals.views.consent import consent_panel
from inbeeld.tasks.panel import subject_tasks_panel


def signal_page(
    request: HttpRequest,
    *,
    user: User,
    signal: Signal,
    status_form: StatusForm | None = None,
    assign_form: AssignForm | None = None,
    merge_input: dict[str, Any] | None = None,
    conflict: ConcurrentChangeError | None = None,
) -> HttpResponse:
    """The page; a form given here replaces the empty one (input to show again)."""
    may_triage = access.may_triage(user, signal)
    catalogue = current_catalogue()
    seen = {"version": signal.version}
    context = {
        "signal": signal,
        "conflict": conflict.message if conflict else None,
        "score": stored_score(signal, catalogue),
        "current_score": current_score(signal, catalogue),
        "additions": signal.additions.all(),
        "form": (status_form or StatusForm(initial=_status(signal) | seen)) if may_triage else None,
        "may_triage": may_triage,
        # Each panel adds its own context on its own line below.
        "attachments": signal.attachments.defer("content"),
        **duplicates.panel_context(signal=signal, user=user, may_triage=may_triage),
        "merge_input": merge_input or {},
        "consent_panel": consent_panel(request, signal=signal, may_triage=may_triage),
        **_sharing_context(signal=signal, may_triage=may_triage, assign_form=assign_form),
        "completeness": triage.completeness(signal),
        "tasks_panel": subject_tasks_panel(user=user, subject=signal),
        # Other apps' parts of the page (sections.py), each rendered from its own template.
        "sections": [
            render_to_string(section.template, section.context(user, signal), request)
            for section in signal_sections()
        ],
    }
    return render(request, "signals/detail.html", context)


def current_signal(*, user: User, signal_id: int) -> Signal:
    """The signal as it is now, for the page after a refused change (an audited read)."""
    return access.signal_get_for(user=user, signal_id=signal_id, purpose=Purpose.TRIAGE)


def _status(signal: Signal) -> dict[str, Any]:
    return {"status": signal.status, "outcome": signal.outcome}


def _sharing_context(
    *, signal: Signal, may_triage: bool, assign_form: AssignForm | None
) -> dict[str, Any]:
    """What the notes and sharing panels show."""
    shares = shares_for(signal)
    if may_triage and assign_form is None:
        assign_form = AssignForm(signal=signal, initial={"version": signal.version})
    return {
        "notes": signal.notes.select_related("author"),
        "note_form": NoteForm(),
        "assignments": [s for s in shares if s.kind == ShareKind.ASSIGNMENT],
        "tips": [s for s in shares if s.kind == ShareKind.TIP],
        "assign_form": assign_form if may_triage else None,
        "may_pass_tip": may_triage and triage.tip_recipients(signal).exists(),
    }
