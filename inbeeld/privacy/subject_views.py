"""The FG's pages for data-subject requests: search, access export, erasure, restriction.

Generic over the kinds of personal data the apps register: one search over every kind, one
export with a section per kind, one page per record (``gegevens/<kind>/<id>/``).

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
        wants_access = request.POST.get("action") == "access"
        access_form = AccessRequestForm(request.POST if wants_access else None, hits=hits)
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
    context = {"export": data, "sections": subject_rights.export_sections(data)}
    return render(request, "privacy/subject_export.html", context)


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


RECORD_ACTIONS = {
    "erase": (subject_rights.record_erase, _("The identifying data were erased.")),
    "restrict": (subject_rights.record_restrict, _("Processing is restricted.")),
    "lift": (subject_rights.record_restriction_lift, _("The restriction was lifted.")),
}


@permission_required("privacy.handle_subject_requests")
@never_cache
def record(request: HttpRequest, kind: str, record_id: int) -> HttpResponse:
    """One record: whether it can be erased (and why not), restriction and lifting it."""
    user = staff_user_of(request)
    found_kind, found = subject_rights.record_get_for_fg(user=user, slug=kind, record_id=record_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    erase_form = ErasureForm(request.POST if action == "erase" else None, prefix="erase")
    restrict_form = SubjectReasonForm(
        request.POST if action in {"restrict", "lift"} else None, prefix="restrict"
    )
    bound = erase_form if action == "erase" else restrict_form
    if action in RECORD_ACTIONS and bound.is_valid():
        service, done = RECORD_ACTIONS[action]
        try:
            service(by=user, kind=found_kind, record=found, reason=bound.cleaned_data["reason"])
        except ValidationError as error:
            bound.add_error(None, error)
        else:
            messages.success(request, str(done))
            return redirect("privacy:subject_record", kind=kind, record_id=found.pk)
    subject = subject_rights.rights(found_kind)
    context = {
        "subject": subject,
        "record": found,
        "summary": subject.summary(found),
        "refusal": subject_rights.erasure_refusal(found_kind, found),
        "erase_form": erase_form,
        "restrict_form": restrict_form,
    }
    return render(request, "privacy/subject_record.html", context)
