"""The consent panel on a signal's page: the zorgcoördinator records consent and withdrawals.

Writes are POST-only and always answer with a redirect to the signal (post/redirect/get).
When input is refused, what was entered waits in the session for the next showing of the
panel, which shows it again with the errors next to their fields; nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.audit.models import Purpose
from inbeeld.privacy.consent import (
    consent_record,
    consent_withdraw,
    consents_for,
)
from inbeeld.privacy.models import Consent
from inbeeld.signals import access
from inbeeld.signals.forms import ConsentForm, WithdrawalForm
from inbeeld.signals.models import Signal

PENDING = "signals_consent_pending"  # session key: refused input waiting to be shown again
F = TypeVar("F", bound=forms.Form)


@dataclass(frozen=True)
class ConsentRow:
    consent: Consent
    withdraw_form: WithdrawalForm | None  # only for an active consent and a triaging user


@dataclass(frozen=True)
class ConsentPanel:
    rows: list[ConsentRow]
    form: ConsentForm | None  # None: the viewer may only read


def _pending(request: HttpRequest, signal: Signal) -> dict[str, Any]:
    """Refused input for this signal from the previous request, taken out of the session."""
    pending: dict[str, Any] = request.session.pop(PENDING, None) or {}
    return pending if pending.get("signal") == signal.pk else {}


def _bound(form: F, errors: dict[str, list[str]]) -> F:
    """``form`` showing the service's errors as well as its own."""
    form.is_valid()
    for field, messages_ in errors.items():
        if field not in form.errors:
            form.add_error(field if field in form.fields else None, messages_)
    return form


def consent_panel(request: HttpRequest, *, signal: Signal, may_triage: bool) -> ConsentPanel:
    """What the panel on the signal page shows; the forms only for those who may triage."""
    pending = _pending(request, signal) if may_triage else {}
    rows = []
    for consent in consents_for(signal).select_related("recorded_by"):
        form = None
        if may_triage and consent.withdrawn_on is None:
            prefix = f"withdraw-{consent.pk}"
            if pending.get("consent") == consent.pk:
                form = _bound(WithdrawalForm(pending["data"], prefix=prefix), pending["errors"])
            else:
                form = WithdrawalForm(prefix=prefix, initial={"withdrawn_on": timezone.localdate()})
        rows.append(ConsentRow(consent, form))
    consent_form = None
    if may_triage:
        if pending and pending.get("consent") is None:
            consent_form = _bound(ConsentForm(pending["data"], prefix="consent"), pending["errors"])
        else:
            consent_form = ConsentForm(prefix="consent")
    return ConsentPanel(rows, consent_form)


def _triage_signal(request: HttpRequest, signal_id: int) -> Signal:
    return access.signal_get_for(
        user=staff_user_of(request), signal_id=signal_id, purpose=Purpose.CONSENT, need="triage"
    )


def _back(signal: Signal) -> HttpResponse:
    return redirect(reverse("signals:detail", kwargs={"signal_id": signal.pk}) + "#toestemming")


def _refused(
    request: HttpRequest,
    signal: Signal,
    form: forms.Form,
    errors: dict[str, list[str]],
    consent: Consent | None = None,
) -> HttpResponse:
    """Keep what was entered (only this form's fields) for the panel, and go back."""
    data = {form.add_prefix(name): form.data.get(form.add_prefix(name), "") for name in form.fields}
    request.session[PENDING] = {
        "signal": signal.pk,
        "consent": consent.pk if consent else None,
        "data": data,
        "errors": errors,
    }
    messages.error(request, _("Nothing was saved: check the consent details."))
    return _back(signal)


@permission_required("signals.triage_signals")
@require_POST
def consent_add(request: HttpRequest, signal_id: int) -> HttpResponse:
    signal = _triage_signal(request, signal_id)
    form = ConsentForm(request.POST, prefix="consent")
    if not form.is_valid():
        return _refused(request, signal, form, {})
    try:
        consent_record(by=staff_user_of(request), target=signal, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, signal, form, error.message_dict)
    messages.success(request, _("Consent recorded."))
    return _back(signal)


@permission_required("signals.triage_signals")
@require_POST
def consent_withdraw_view(request: HttpRequest, signal_id: int, consent_id: int) -> HttpResponse:
    signal, consent = access.signal_consent_get_for(
        user=staff_user_of(request), signal_id=signal_id, consent_id=consent_id
    )
    form = WithdrawalForm(request.POST, prefix=f"withdraw-{consent.pk}")
    errors: dict[str, list[str]] = {}
    if form.is_valid():
        try:
            consent_withdraw(by=staff_user_of(request), consent=consent, **form.cleaned_data)
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(request, _("Withdrawal of the consent recorded."))
            return _back(signal)
    return _refused(request, signal, form, errors, consent)
