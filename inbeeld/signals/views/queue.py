"""Staff pages: the triage queue and a signal's detail, within need-to-know."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.accounts.models import User
from inbeeld.audit.models import Purpose
from inbeeld.signals import access, services
from inbeeld.signals.concurrency import ConcurrentChangeError
from inbeeld.signals.forms import QueueFilterForm, StatusForm, with_version
from inbeeld.signals.models import Signal
from inbeeld.signals.views.page import current_signal, signal_page
from inbeeld.tasks.services import subjects_with_overdue_tasks

SORTS = {
    "urgency": ("-acute", "-risk_score", "-created_at"),
    "newest": ("-created_at",),
    "oldest": ("created_at",),
}


def _filtered(signals: QuerySet[Signal], form: QueueFilterForm, user: User) -> QuerySet[Signal]:
    values = form.cleaned_data if form.is_valid() else {}
    if values.get("status"):
        signals = signals.filter(status=values["status"])
    if values.get("municipality"):
        signals = signals.filter(municipality=values["municipality"])
    if values.get("acute"):
        signals = signals.filter(acute=True)
    if values.get("mine"):
        signals = signals.filter(assigned_to=user)
    return signals.order_by(*SORTS.get(values.get("sort") or "urgency", SORTS["urgency"]))


@permission_required("signals.handle_signals")
def queue(request: HttpRequest) -> HttpResponse:
    """Acute first, then the highest risk, then the newest; filters narrow it down."""
    user = staff_user_of(request)
    # A merged signal lives on inside the one it was merged into (its page stays reachable).
    signals = access.signals_visible_to(user).filter(merged_into__isnull=True)
    form = QueueFilterForm(request.GET or None, user=user)
    ordered = _filtered(signals, form, user)
    # Page through ids only, then fetch the page's 50 rows: sorting 100,000 full rows (with
    # their encrypted columns) for every page view is what made the queue slow.
    page: Any = Paginator(ordered.values_list("pk", flat=True), 50).get_page(
        request.GET.get("page")
    )
    rows = Signal.objects.select_related("municipality").in_bulk(list(page.object_list))
    page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    query = request.GET.copy()
    query.pop("page", None)
    overdue = subjects_with_overdue_tasks(Signal, [signal.pk for signal in page.object_list])
    context = {"page": page, "form": form, "query": query.urlencode(), "overdue": overdue}
    return render(request, "signals/queue.html", context)


@permission_required("signals.handle_signals")
def detail(request: HttpRequest, signal_id: int) -> HttpResponse:
    user = staff_user_of(request)
    signal = access.signal_get_for(user=user, signal_id=signal_id, purpose=Purpose.TRIAGE)
    if request.method != "POST":
        return signal_page(request, user=user, signal=signal)
    if not access.may_triage(user, signal):
        raise Http404
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.signal_status_change(by=user, signal=signal, **form.cleaned_data)
        except ConcurrentChangeError as conflict:
            current = current_signal(user=user, signal_id=signal.pk)
            form = StatusForm(with_version(request.POST, current))
            return signal_page(
                request, user=user, signal=current, status_form=form, conflict=conflict
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Status saved."))
            return redirect("signals:detail", signal_id=signal.pk)
    return signal_page(request, user=user, signal=signal, status_form=form)
