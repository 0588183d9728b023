"""The referral pages: the coordinator's (refer, revoke, record a service) through the case's
door, and the receiving organisation's ("Inkomende verwijzingen", a referral with exactly
what it shares, and its answer) through referrals/access.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.audit.models import Purpose
from inbeeld.audit.services import audit_record_reads
from inbeeld.cases.access import case_get_for
from inbeeld.lib.forms import form_errors_add
from inbeeld.referrals import services
from inbeeld.referrals.access import (
    referral_get_for_recipient,
    referral_of_case,
    referrals_incoming_for,
)
from inbeeld.referrals.forms import PhaseForm, ReferralForm, RejectForm, ServiceForm
from inbeeld.referrals.models import Referral
from inbeeld.referrals.shared import shared_values


def _flash(request: HttpRequest, error: ValidationError) -> None:
    for texts in error.message_dict.values():
        for text in texts:
            messages.error(request, text)


# --- the sender's side: the case's coordinator ------------------------------------------------


@permission_required("cases.view_cases")
def referral_create(request: HttpRequest, case_id: int) -> HttpResponse:
    user = staff_user_of(request)
    case = case_get_for(user, case_id, need="edit", purpose=Purpose.REFERRAL)
    form = ReferralForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        data = services.ReferralInput(
            organisation=values["organisation"],
            service=values["service"],
            message=values["message"],
            shared_fields=values["shared_fields"],
            legal_basis=values["legal_basis"],
        )
        try:
            referral = services.referral_create(by=user, case=case, data=data)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(
                request, _("Referral %(reference)s sent.") % {"reference": referral.reference}
            )
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "referrals/create.html", {"case": case, "form": form})


@require_POST
@permission_required("cases.view_cases")
def referral_revoke(request: HttpRequest, case_id: int, referral_id: int) -> HttpResponse:
    user = staff_user_of(request)
    case = case_get_for(user, case_id, need="edit", purpose=Purpose.REFERRAL)
    referral = referral_of_case(case, referral_id)
    try:
        services.referral_revoke(by=user, referral=referral)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("Referral revoked."))
    return redirect("cases:detail", case_id=case.pk)


@permission_required("cases.view_cases")
def service_create(request: HttpRequest, case_id: int) -> HttpResponse:
    user = staff_user_of(request)
    case = case_get_for(user, case_id, need="edit")
    form = ServiceForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = services.ServiceInput(**form.cleaned_data)
        try:
            services.service_add(by=user, case=case, data=data)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Service recorded."))
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "referrals/service_create.html", {"case": case, "form": form})


# --- the receiving side ---------------------------------------------------------------------


@permission_required("referrals.view_incoming")
def incoming(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    referrals = referrals_incoming_for(user).select_related("to_organisation", "from_organisation")
    status = request.GET.get("status", "open")
    if status == "open":
        referrals = referrals.filter(status__in=("requested", "accepted"))
    page: Any = Paginator(referrals.order_by("-created_at", "-pk"), 50).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    if rows:
        audit_record_reads(actor=user, records=rows, purpose=Purpose.REFERRAL)
    return render(
        request, "referrals/incoming.html", {"page": page, "rows": rows, "status": status}
    )


def _detail(
    request: HttpRequest,
    user: Any,
    referral: Referral,
    reject_form: RejectForm | None = None,
    phase_form: PhaseForm | None = None,
) -> HttpResponse:
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "shared": shared_values(referral),
            "reject_form": reject_form or RejectForm(),
            "phases": list(referral.phases.all()),
            "phase_form": phase_form or PhaseForm(initial={"started_on": timezone.localdate()}),
        },
    )


@permission_required("referrals.view_incoming")
def detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = staff_user_of(request)
    return _detail(request, user, referral_get_for_recipient(user, referral_id))


@require_POST
@permission_required("referrals.view_incoming")
def accept(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = staff_user_of(request)
    referral = referral_get_for_recipient(user, referral_id)
    try:
        services.referral_accept(by=user, referral=referral)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("Referral accepted."))
    return redirect("referrals:detail", referral_id=referral.pk)


@require_POST
@permission_required("referrals.view_incoming")
def reject(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = staff_user_of(request)
    referral = referral_get_for_recipient(user, referral_id)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.referral_reject(by=user, referral=referral, **form.cleaned_data)
        except ValidationError as error:
            if "status" in error.message_dict:
                _flash(request, error)
                return redirect("referrals:detail", referral_id=referral.pk)
            form_errors_add(form, error)
        else:
            messages.success(request, _("Referral rejected."))
            return redirect("referrals:detail", referral_id=referral.pk)
    return _detail(request, user, referral, reject_form=form)


@require_POST
@permission_required("referrals.view_incoming")
def complete(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = staff_user_of(request)
    referral = referral_get_for_recipient(user, referral_id)
    try:
        services.referral_complete(by=user, referral=referral)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("Referral completed."))
    return redirect("referrals:detail", referral_id=referral.pk)


@require_POST
@permission_required("referrals.view_incoming")
def phase_record(request: HttpRequest, referral_id: int) -> HttpResponse:
    """The exit programme's organisation records the phase the person entered."""
    user = staff_user_of(request)
    referral = referral_get_for_recipient(user, referral_id)
    form = PhaseForm(request.POST)
    if form.is_valid():
        try:
            services.programme_phase_record(by=user, referral=referral, **form.cleaned_data)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Phase recorded."))
            return redirect("referrals:detail", referral_id=referral.pk)
    return _detail(request, user, referral, phase_form=form)
