"""Staff pages for notes, assignments and tips on a signal; the rules live in triage.py.

The forms sit in panels on the signal page and post here. When input is wrong, the form is
shown again on its own page with the errors at the fields and what was typed kept. When
someone else changed the signal first, the signal's page is shown again instead: the
current state, with the form still filled in (signals/concurrency.py).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.accounts.models import User
from inbeeld.audit.models import Purpose
from inbeeld.audit.services import audit_record_reads
from inbeeld.signals import access, triage
from inbeeld.signals.concurrency import ConcurrentChangeError
from inbeeld.signals.forms import (
    AssignForm,
    NoteForm,
    SeenVersionForm,
    TipForm,
    with_version,
)
from inbeeld.signals.models import Signal
from inbeeld.signals.views.page import current_signal, signal_page


def _signal(request: HttpRequest, signal_id: int, *, triage_only: bool) -> tuple[User, Signal]:
    user = staff_user_of(request)
    need: access.Need = "triage" if triage_only else "view"
    signal = access.signal_get_for(
        user=user, signal_id=signal_id, purpose=Purpose.TRIAGE, need=need
    )
    return user, signal


def _apply(form: forms.Form, action: Any) -> bool:
    """Run ``action`` on valid input; put service errors on the form's fields."""
    if not form.is_valid():
        return False
    try:
        action()
    except ConcurrentChangeError:
        raise  # not about the input: the caller shows the signal as it is now
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@require_POST
@permission_required("signals.handle_signals")
def note_add(request: HttpRequest, signal_id: int) -> HttpResponse:
    user, signal = _signal(request, signal_id, triage_only=False)
    form = NoteForm(request.POST)
    if _apply(form, lambda: triage.note_add(by=user, signal=signal, **form.cleaned_data)):
        messages.success(request, _("Note saved."))
        return redirect("signals:detail", signal_id=signal.pk)
    title = _("Add a note")
    return render(
        request, "signals/panel_form.html", {"signal": signal, "form": form, "title": title}
    )


@require_POST
@permission_required("signals.triage_signals")
def assign(request: HttpRequest, signal_id: int) -> HttpResponse:
    user, signal = _signal(request, signal_id, triage_only=True)
    form = AssignForm(request.POST, signal=signal)
    try:
        done = _apply(
            form, lambda: triage.signal_assign(by=user, signal=signal, **form.cleaned_data)
        )
    except ConcurrentChangeError as conflict:
        current = current_signal(user=user, signal_id=signal.pk)
        form = AssignForm(with_version(request.POST, current), signal=current)
        return signal_page(request, user=user, signal=current, assign_form=form, conflict=conflict)
    if done:
        messages.success(request, _("Assigned."))
        return redirect("signals:detail", signal_id=signal.pk)
    title = _("Assign")
    return render(
        request, "signals/panel_form.html", {"signal": signal, "form": form, "title": title}
    )


@require_POST
@permission_required("signals.triage_signals")
def unassign(request: HttpRequest, signal_id: int, share_id: int) -> HttpResponse:
    user = staff_user_of(request)
    signal, share = access.signal_assignment_get_for(
        user=user, signal_id=signal_id, share_id=share_id
    )
    form = SeenVersionForm(request.POST)
    try:
        done = _apply(
            form,
            lambda: triage.signal_unassign(
                by=user, signal=signal, share=share, version=form.cleaned_data["version"]
            ),
        )
    except ConcurrentChangeError as conflict:
        current = current_signal(user=user, signal_id=signal.pk)
        return signal_page(request, user=user, signal=current, conflict=conflict)
    if done:
        messages.success(request, _("Assignment ended."))
    else:
        for error in form.non_field_errors():
            messages.error(request, str(error))
    return redirect("signals:detail", signal_id=signal.pk)


@permission_required("signals.triage_signals")
def tip(request: HttpRequest, signal_id: int) -> HttpResponse:
    user, signal = _signal(request, signal_id, triage_only=True)
    english = (get_language() or "nl").startswith("en")
    form = TipForm(
        request.POST or None,
        signal=signal,
        initial={"text": triage.tip_draft(signal, english=english)},
    )
    if request.method == "POST" and _apply(
        form, lambda: triage.tip_pass(by=user, signal=signal, **form.cleaned_data)
    ):
        messages.success(request, _("The tip was passed on."))
        return redirect("signals:detail", signal_id=signal.pk)
    return render(request, "signals/tip_form.html", {"signal": signal, "form": form})


@permission_required("signals.view_tips_received")
def tips_received(request: HttpRequest) -> HttpResponse:
    """Tips passed to the user's organisations; showing one is a read of it, audited."""
    user = staff_user_of(request)
    tips = list(triage.tips_received_by(user)[:100])
    if tips:
        audit_record_reads(actor=user, records=tips, purpose=Purpose.TIP_RECEIVED)
    return render(request, "signals/tips_received.html", {"tips": tips})
