"""Merging a likely duplicate into a signal, and undoing it: POST only, for triage.

Both answer on the signal's page: errors come back as messages that name the field, since
the forms live in the duplicates panel of a page these views do not render.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.accounts.models import User
from inbeeld.audit.models import Purpose
from inbeeld.signals import access, duplicates
from inbeeld.signals.models import Signal


class MergeForm(forms.Form):
    other = forms.IntegerField(label=gettext_lazy("Signal to merge into this one"))
    reason = forms.CharField(
        label=gettext_lazy("Why these are the same"), required=False, max_length=1000
    )


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


@permission_required("signals.triage_signals")
@require_POST
def merge(request: HttpRequest, signal_id: int) -> HttpResponse:
    """Merge the signal named in ``other`` into this one (this one is kept)."""
    user, kept = _triage_signal(request, signal_id)
    form = MergeForm(request.POST)
    labels = _form_labels(form)
    if not form.is_valid():
        _report_errors(
            request,
            {name: [str(text) for text in texts] for name, texts in form.errors.items()},
            labels,
        )
        return redirect("signals:detail", signal_id=kept.pk)
    other = access.signals_visible_to(user).filter(pk=form.cleaned_data["other"]).first()
    try:
        if other is None:
            raise ValidationError({"other": [duplicates.not_triageable_message()]})
        duplicates.signal_merge(
            by=user, kept=kept, merged=other, reason=form.cleaned_data["reason"]
        )
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
    try:
        duplicates.signal_merge_undo(by=user, merge=merge_record)
    except ValidationError as error:
        _report_errors(request, error.message_dict, {})
    else:
        messages.success(request, _("The merge is undone; the signals are separate again."))
    return redirect("signals:detail", signal_id=signal.pk)
