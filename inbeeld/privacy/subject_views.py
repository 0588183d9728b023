"""The FG's pages for data-subject requests: search, access export, erasure, restriction.

The search is a POST so that names, dates of birth and phone numbers never appear in a URL
(browser history, server logs).
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.privacy import subject_rights
from inbeeld.privacy.forms import (
    AccessRequestForm,
    ErasureForm,
    SubjectReasonForm,
    SubjectSearchForm,
)
from inbeeld.signals.models import Signal


@permission_required("privacy.handle_subject_requests")
@never_cache
def search(request: HttpRequest) -> HttpResponse:
    """Search (button "search") and, from the hits, record an access request ("access")."""
    user = staff_user_of(request)
    form = SubjectSearchForm(request.POST or None)
    hits: list[subject_rights.SearchHit] | None = None
    access_form = None
    if request.method == "POST" and form.is_valid():
        hits = subject_rights.subject_search(user=user, **form.cleaned_data)
        found = Signal.objects.filter(pk__in=[hit.signal.pk for hit in hits])
        wants_access = request.POST.get("action") == "access"
        access_form = AccessRequestForm(request.POST if wants_access else None, signals=found)
        if wants_access and access_form.is_valid():
            try:
                subject_request = subject_rights.access_request_record(
                    by=user, **access_form.cleaned_data
                )
            except ValidationError as error:
                access_form.add_error(None, error)
            else:
                return redirect("privacy:subject_export", request_id=subject_request.pk)
    context = {"form": form, "hits": hits, "access_form": access_form}
    return render(request, "privacy/subject_search.html", context)


@permission_required("privacy.handle_subject_requests")
@never_cache
def export(request: HttpRequest, request_id: int) -> HttpResponse:
    """The readable export: one page, printable or saved as PDF from the browser."""
    user = staff_user_of(request)
    subject_request = subject_rights.access_request_get_for(user=user, request_id=request_id)
    data = subject_rights.access_export(user=user, request=subject_request, output="html")
    return render(request, "privacy/subject_export.html", {"export": data})


@permission_required("privacy.handle_subject_requests")
@never_cache
def export_json(request: HttpRequest, request_id: int) -> HttpResponse:
    user = staff_user_of(request)
    subject_request = subject_rights.access_request_get_for(user=user, request_id=request_id)
    data = subject_rights.access_export(user=user, request=subject_request, output="json")
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    name = f"inbeeld-inzage-{subject_request.pk}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


SIGNAL_ACTIONS = {
    "erase": (subject_rights.signal_erase, _("The identifying data of the signal were erased.")),
    "restrict": (subject_rights.signal_restrict, _("Processing of the signal is restricted.")),
    "lift": (subject_rights.signal_restriction_lift, _("The restriction was lifted.")),
}


@permission_required("privacy.handle_subject_requests")
@never_cache
def signal(request: HttpRequest, signal_id: int) -> HttpResponse:
    """One signal: whether it can be erased (and why not), restriction and lifting it."""
    user = staff_user_of(request)
    found = subject_rights.fg_signal_get(user=user, signal_id=signal_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    erase_form = ErasureForm(request.POST if action == "erase" else None, prefix="erase")
    restrict_form = SubjectReasonForm(
        request.POST if action in {"restrict", "lift"} else None, prefix="restrict"
    )
    bound = erase_form if action == "erase" else restrict_form
    if action in SIGNAL_ACTIONS and bound.is_valid():
        service, done = SIGNAL_ACTIONS[action]
        try:
            service(by=user, signal=found, reason=bound.cleaned_data["reason"])
        except ValidationError as error:
            bound.add_error(None, error)
        else:
            messages.success(request, str(done))
            return redirect("privacy:subject_signal", signal_id=found.pk)
    context = {
        "signal": found,
        "refusal": subject_rights.erasure_refusal(found),
        "erase_form": erase_form,
        "restrict_form": restrict_form,
    }
    return render(request, "privacy/subject_signal.html", context)
