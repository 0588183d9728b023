"""The FG's register of data-subject requests as they arrive (received_requests.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from inbeeld.accounts.access import regions_where, staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.accounts.models import Role
from inbeeld.audit.models import Action
from inbeeld.audit.services import audit_record, audit_record_reads
from inbeeld.lib.forms import form_errors_add
from inbeeld.privacy import received_requests as service
from inbeeld.privacy.forms import (
    ReceivedRequestCloseForm,
    ReceivedRequestExtendForm,
    ReceivedRequestForm,
)
from inbeeld.privacy.models import ReceivedRequestStatus


@permission_required("privacy.handle_subject_requests")
@never_cache
def received_list(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    form = ReceivedRequestForm(request.POST or None, regions=regions_where(user, Role.FG))
    if request.method == "POST" and form.is_valid():
        try:
            service.received_request_register(by=user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Request registered."))
            return redirect("privacy:received_list")
    requests = list(service.received_requests_for(user).order_by("status", "due_on", "pk")[:200])
    if requests:
        audit_record_reads(actor=user, records=requests, purpose=service.PURPOSE)
    context = {"form": form, "requests": requests, "today": timezone.localdate()}
    return render(request, "privacy/received_list.html", context)


@permission_required("privacy.handle_subject_requests")
@never_cache
def received_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The request, with extending its due date (action "extend") and closing it ("close")."""
    user = staff_user_of(request)
    received = service.received_request_get_for(user=user, pk=pk)
    audit_record(actor=user, action=Action.READ, target=received, purpose=service.PURPOSE)
    action = request.POST.get("action") if request.method == "POST" else None
    forms: dict[str, Form] = {
        "extend": ReceivedRequestExtendForm(request.POST if action == "extend" else None),
        "close": ReceivedRequestCloseForm(request.POST if action == "close" else None),
    }
    changes: dict[str, Callable[..., Any]] = {
        "extend": service.received_request_extend,
        "close": service.received_request_close,
    }
    form = forms.get(action or "")
    if action in changes and form is not None and form.is_valid():
        try:
            changes[action](by=user, request=received, **form.cleaned_data)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("privacy:received_detail", pk=received.pk)
    context: dict[str, Any] = {
        "received": received,
        "open": received.status == ReceivedRequestStatus.OPEN,
        "overdue": received.is_overdue(timezone.localdate()),
        "extend_form": forms["extend"],
        "close_form": forms["close"],
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "privacy/received_detail.html", context, status=status)
