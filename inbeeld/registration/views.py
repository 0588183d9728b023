"""The registration's pages: the form (from the case), the registration's page, and its
actions (download the file, send through the API, record CoMensha's acknowledgement).
Every page goes through the case's change door (access.py); the service validates."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inbeeld.accounts.access import regions_where, staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.cases.access import case_get_for
from inbeeld.cases.roles import COORDINATOR_ROLES
from inbeeld.lib.forms import form_errors_add
from inbeeld.registration import services
from inbeeld.registration.access import registration_get_for, registrations_read
from inbeeld.registration.exports import YEAR_FROM, export_comensha
from inbeeld.registration.forms import AcknowledgeForm, RegistrationForm, initial_of
from inbeeld.registration.models import Registration
from inbeeld.registration.page import registration_context

PERMISSION = "registration.register_victims"


@permission_required(PERMISSION)
def edit(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case's draft: a first registration prefilled from the case, the draft as it is,
    or a correction starting from the last sent version."""
    user = staff_user_of(request)
    case = case_get_for(user, case_id, need="edit")
    versions = services.registrations_of(case)
    registrations_read(user, versions)
    latest = versions[0] if versions else None
    form = RegistrationForm(request.POST or None, initial=initial_of(services.form_input(case)))
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_save(by=user, case=case, data=form.input())
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Registration saved as a draft."))
            return redirect("registration:detail", registration.pk)
    return render(
        request,
        "registration/edit.html",
        {
            "case": case,
            "form": form,
            "latest": latest,
            "correction": latest is not None and not latest.is_draft,
        },
    )


def _detail(request: HttpRequest, registration: Registration, **extra: Any) -> HttpResponse:
    user = staff_user_of(request)
    context = registration_context(registration)
    registrations_read(user, [r for r in context["versions"] if r.pk != registration.pk])
    return render(
        request,
        "registration/detail.html",
        {**context, "acknowledge_form": AcknowledgeForm(), **extra},
    )


@permission_required(PERMISSION)
def detail(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration = registration_get_for(staff_user_of(request), registration_id)
    return _detail(request, registration)


def _labelled(registration: Registration, error: ValidationError) -> list[tuple[str, str]]:
    """A refusal's messages, each with the name of its field as the page shows it."""
    found: list[tuple[str, str]] = []
    for name, texts in error.message_dict.items():
        field = RegistrationForm.base_fields.get(name)
        label = str(field.label) if field is not None else ""
        found.extend((label, text) for text in texts)
    return found


@require_POST
@permission_required(PERMISSION)
def download(request: HttpRequest, registration_id: int) -> HttpResponse:
    user = staff_user_of(request)
    registration = registration_get_for(user, registration_id)
    try:
        name, text = services.registration_download(by=user, registration=registration)
    except ValidationError as error:
        return _detail(request, registration, errors=_labelled(registration, error))
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@permission_required(PERMISSION)
def send(request: HttpRequest, registration_id: int) -> HttpResponse:
    user = staff_user_of(request)
    registration = registration_get_for(user, registration_id)
    try:
        services.registration_send_api(by=user, registration=registration)
    except ValidationError as error:
        return _detail(request, registration, errors=_labelled(registration, error))
    messages.success(request, _("Registration sent: it is delivered to CoMensha's API."))
    return redirect("registration:detail", registration.pk)


@require_POST
@permission_required(PERMISSION)
def acknowledge(request: HttpRequest, registration_id: int) -> HttpResponse:
    user = staff_user_of(request)
    registration = registration_get_for(user, registration_id)
    form = AcknowledgeForm(request.POST)
    reference = form.cleaned_data["comensha_reference"] if form.is_valid() else ""
    try:
        services.registration_acknowledge(by=user, registration=registration, reference=reference)
    except ValidationError as error:
        return _detail(request, registration, errors=_labelled(registration, error))
    messages.success(request, _("CoMensha's acknowledgement recorded."))
    return redirect("registration:detail", registration.pk)


@permission_required(PERMISSION)
def export(request: HttpRequest, region_code: str, year: int) -> HttpResponse:
    """The region's registrations of a year, as `inbeeld export comensha` writes them: only
    for a region the user coordinates (404 for any other, as for a record not theirs)."""
    user = staff_user_of(request)
    region = regions_where(user, *COORDINATOR_ROLES).filter(code=region_code).first()
    if region is None or not YEAR_FROM <= year <= timezone.localdate().year:
        raise Http404
    handle = io.StringIO(newline="")
    export_comensha(region=region, year=year, handle=handle, actor=user)
    response = HttpResponse(
        handle.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="comensha-{region.code}-{year}.csv"'
    response["Cache-Control"] = "no-store"
    return response
