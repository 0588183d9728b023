"""The public meldpunt: report without an account, get a receipt, follow up anonymously.

Nothing about the visitor's device or connection is stored with a signal.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from inbeeld.signals import access, services, throttle
from inbeeld.signals.forms import AdditionForm, PublicSignalForm, ReceiptForm
from inbeeld.signals.models import Status

RECEIPT_TRIES_PER_HOUR = 20

PUBLIC_STATUS = {
    Status.NEW: "received",
    Status.IN_PROGRESS: "handling",
    Status.CASE_TABLE: "handling",
    Status.TRANSFERRED: "handling",
    Status.CLOSED: "closed",
}


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "signals/public_too_many.html", status=429)


@login_not_required
@never_cache
def meldpunt(request: HttpRequest) -> HttpResponse:
    form = PublicSignalForm(request.POST or None)
    if request.method == "POST":
        limit = settings.MELDPUNT_SUBMISSIONS_PER_HOUR
        if not throttle.allow(request, scope="meldpunt", limit=limit):
            return _too_many(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                receipt = services.signal_create_public(
                    data=services.SignalInput(
                        municipality=data["municipality"],
                        description=data["description"],
                        place_text=data["place_text"],
                        incident_date=data["incident_date"],
                        exploitation_forms=data["exploitation_forms"],
                        indicators=data["indicators"],
                        people_count=data["people_count"],
                        victim_age_band=data["victim_age_band"],
                        victim_gender=data["victim_gender"],
                        victim_nationality=data["victim_nationality"],
                        reporter_contact=data["reporter_contact"],
                    ),
                    form_token=data["form_token"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                # Shown in the answer itself, never stored: a retry shows the same receipt.
                context = {
                    "code": receipt.signal.receipt_code,
                    "secret": receipt.secret,
                    "repeat": receipt.repeat.value,
                }
                return render(request, "signals/public_receipt.html", context)
    return render(request, "signals/public_form.html", {"form": form})


@login_not_required
@never_cache
def status(request: HttpRequest) -> HttpResponse:
    """Status and adding information, with the receipt code and secret (both every time)."""
    if request.method != "POST":
        return render(request, "signals/public_status.html", {"form": ReceiptForm()})
    if not throttle.allow(request, scope="receipt", limit=RECEIPT_TRIES_PER_HOUR):
        return _too_many(request)
    adding = "text" in request.POST
    form: ReceiptForm = AdditionForm(request.POST) if adding else ReceiptForm(request.POST)
    signal = None
    if form.is_valid():
        signal = access.signal_get_by_receipt(
            code=form.cleaned_data["code"], secret=form.cleaned_data["secret"]
        )
        if signal is None:
            form.add_error(None, _not_found_message())
    if signal is None:
        return render(request, "signals/public_status.html", {"form": form})
    added = False
    if adding:
        services.reporter_addition_add(signal=signal, text=form.cleaned_data["text"])
        added = True
    context = {
        "form": AdditionForm(
            initial={"code": signal.receipt_code, "secret": form.cleaned_data["secret"]}
        ),
        "public_status": PUBLIC_STATUS[Status(signal.status)],
        "added": added,
    }
    return render(request, "signals/public_status.html", context)


def _not_found_message() -> str:
    from django.utils.translation import gettext as _

    return _("We cannot find a report with this code and secret. Check both and try again.")
