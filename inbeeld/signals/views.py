"""Staff pages: the triage queue and a signal's detail, within need-to-know."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inbeeld.accounts.access import staff_user_of
from inbeeld.signals import access, services
from inbeeld.signals.indicators import load_catalogue, risk_score
from inbeeld.signals.models import Outcome, Status
from inbeeld.web.decorators import role_required


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=Status.choices)
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"), choices=Outcome.choices, required=False
    )


@role_required(*access.INTAKE_ROLES)
def queue(request: HttpRequest) -> HttpResponse:
    """Acute first, then the highest risk, then the newest; filterable by status."""
    user = staff_user_of(request)
    signals = access.signals_visible_to(user).select_related("municipality")
    status = request.GET.get("status", "")
    if status in Status.values:
        signals = signals.filter(status=status)
    ordered = signals.order_by("-acute", "-risk_score", "-created_at")
    page = Paginator(ordered, 50).get_page(request.GET.get("page"))
    context = {"page": page, "statuses": Status.choices, "current_status": status}
    return render(request, "signals/queue.html", context)


@role_required(*access.INTAKE_ROLES)
def detail(request: HttpRequest, signal_id: int) -> HttpResponse:
    user = staff_user_of(request)
    signal = access.signal_get_for(user=user, signal_id=signal_id, purpose="triage")
    may_triage = access.may_triage(user, signal)
    form = StatusForm(
        request.POST or None, initial={"status": signal.status, "outcome": signal.outcome}
    )
    if request.method == "POST":
        if not may_triage:
            raise Http404
        if form.is_valid():
            try:
                services.signal_status_change(by=user, signal=signal, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Status saved."))
                return redirect("signals:detail", signal_id=signal.pk)
    catalogue = load_catalogue()
    context = {
        "signal": signal,
        "score": risk_score(catalogue, signal.indicators, signal.methods),
        "additions": signal.additions.all(),
        "form": form if may_triage else None,
        "may_triage": may_triage,
        # Each panel adds its own context on its own line below.
    }
    return render(request, "signals/detail.html", context)
