"""Merging a likely duplicate into a signal, and undoing it: POST only, for triage.

Both answer on the signal's page: errors come back as messages that name the field, since
the forms live in the duplicates panel. When someone else changed either signal first, the
page is shown again at once, as it is now, with the reason the person typed kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.accounts.models import User
from inbeeld.audit.models import Purpose
from inbeeld.signals import access, duplicates
from inbeeld.signals.concurrency import ConcurrentChangeError
from inbeeld.signals.forms import MergeForm, SeenVersionForm
from inbeeld.signals.models import Signal
from inbeeld.signals.views.page import current_signal, signal_page


def _triage_signal(request: HttpRequest, signal_id: int) -> tuple[User, Signal]:
    """The signal if this user may triage it; 404 before any input is looked at."""
    user = staff_user_of(request)
    signal = access.signal_get_for(
        user=user, signal_id=signal_id, purpose=Purpose.TRIAGE, need="triage"
    )
    return user, signal


def _report_errors(
    request: HttpRequest, errors: Mapping[str, Sequence[str]], labels: Mapping[str, str]
) -> None:
    """Each error as a message that starts with the name of the field it is about."""
    for name, texts in errors.items():
        label = labels.get(name, "")
        for text in texts:
            messages.error(request, f"{label}: {text}" if label else text)


def _form_labels(form: forms.Form) -> dict[str, str]:
    return {name: str(bound.label) for name, bound in form.fields.items()}


def _visible_errors(form: forms.Form) -> dict[str, list[str]]:
    """The form's errors but those of hidden fields, which its clean() says on top."""
    return {
        name: [str(text) for text in texts]
        for name, texts in form.errors.items()
        if name not in form.fields or not form.fields[name].widget.is_hidden
    }


@permission_required("signals.triage_signals")
@require_POST
def merge(request: HttpRequest, signal_id: int) -> HttpResponse:
    """Merge the signal named in ``other`` into this one (this one is kept)."""
    user, kept = _triage_signal(request, signal_id)
    form = MergeForm(request.POST)
    labels = _form_labels(form)
    if not form.is_valid():
        _report_errors(request, _visible_errors(form), labels)
        return redirect("signals:detail", signal_id=kept.pk)
    data = form.cleaned_data
    other = access.signals_visible_to(user).filter(pk=data["other"]).first()
    try:
        if other is None:
            raise ValidationError({"other": [duplicates.not_triageable_message()]})
        duplicates.signal_merge(
            by=user,
            kept=kept,
            merged=other,
            kept_version=data["version"],
            merged_version=data["other_version"],
            reason=data["reason"],
        )
    except ConcurrentChangeError as conflict:
        current = current_signal(user=user, signal_id=kept.pk)
        typed = {"other": data["other"], "reason": data["reason"]}
        return signal_page(request, user=user, signal=current, merge_input=typed, conflict=conflict)
    except ValidationError as error:
        _report_errors(request, error.message_dict, labels)
    else:
        messages.success(
            request,
            _("Signal %(code)s is merged into this one.") % {"code": other.receipt_code},
        )
    return redirect("signals:detail", signal_id=kept.pk)


@permission_required("signals.triage_signals")
@require_POST
def merge_undo(request: HttpRequest, signal_id: int, merge_id: int) -> HttpResponse:
    """Undo a merge, from the page of either signal in it."""
    user = staff_user_of(request)
    signal, merge_record = access.signal_merge_get_for(
        user=user, signal_id=signal_id, merge_id=merge_id
    )
    form = SeenVersionForm(request.POST)
    if not form.is_valid():
        _report_errors(request, _visible_errors(form), {})
        return redirect("signals:detail", signal_id=signal.pk)
    try:
        duplicates.signal_merge_undo(
            by=user, merge=merge_record, signal=signal, version=form.cleaned_data["version"]
        )
    except ConcurrentChangeError as conflict:
        current = current_signal(user=user, signal_id=signal.pk)
        return signal_page(request, user=user, signal=current, conflict=conflict)
    except ValidationError as error:
        _report_errors(request, error.message_dict, {})
    else:
        messages.success(request, _("The merge is undone; the signals are separate again."))
    return redirect("signals:detail", signal_id=signal.pk)
