"""The placement pages: the requester's (ask for a place, withdraw, ask another region)
through the case's door; the shelter's ("Opvangaanvragen": offers pseudonymised until
accepted, and "Plaatsingen": intake, transfer, outflow) and the region's ("Wachtlijst
opvang" with the asks of other regions, "In-, door- en uitstroom") through access.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
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
from inbeeld.placements import services
from inbeeld.placements.access import (
    ask_get_for,
    asks_to,
    case_for_intake_get,
    cases_for_intake,
    location_get_for,
    locations_of_shelter,
    offer_get_for,
    offers_for_shelter,
    placement_get_for,
    placements_for_shelter,
    regions_of,
    request_of_case,
    waiting_requests_in,
)
from inbeeld.placements.chart import flow_chart
from inbeeld.placements.flow import months_back, region_flow
from inbeeld.placements.forms import (
    IntakeForm,
    OutflowForm,
    RefuseForm,
    RegionAskForm,
    RequestForm,
    TransferForm,
)
from inbeeld.placements.models import (
    OUTFLOW_DESTINATIONS,
    Destination,
    OfferStatus,
    PlacementOffer,
    PlacementRequest,
    RequestStatus,
)
from inbeeld.placements.offers import offer_view
from inbeeld.placements.waiting import waiting_list

FLOW_MONTHS = 12


def _flash(request: HttpRequest, error: ValidationError) -> None:
    for texts in error.message_dict.values():
        for text in texts:
            messages.error(request, text)


def _refused(request: HttpRequest, form: Form, error: ValidationError) -> None:
    """A refusal on the form's field; a refused transition (status) as a message on top."""
    if "status" in error.message_dict:
        _flash(request, error)
    else:
        form_errors_add(form, error)


# --- the requester's side: the case's coordinator --------------------------------------------


@permission_required("cases.view_cases")
def request_create(request: HttpRequest, case_id: int) -> HttpResponse:
    user = staff_user_of(request)
    case = case_get_for(user, case_id, need="edit", purpose=Purpose.REFERRAL)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.request_create(
                by=user, case=case, data=services.RequestInput(**form.cleaned_data)
            )
        except ValidationError as error:
            _refused(request, form, error)
        else:
            offered = made.offers.count()
            messages.success(
                request,
                _("Request %(reference)s offered to %(count)d locations.")
                % {"reference": made.reference, "count": offered},
            )
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "placements/request_create.html", {"case": case, "form": form})


@require_POST
@permission_required("cases.view_cases")
def request_withdraw(request: HttpRequest, case_id: int, request_id: int) -> HttpResponse:
    user = staff_user_of(request)
    case = case_get_for(user, case_id, need="edit", purpose=Purpose.REFERRAL)
    found = request_of_case(case, request_id)
    try:
        services.request_withdraw(by=user, request=found)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("Request withdrawn; its open offers are closed."))
    return redirect("cases:detail", case_id=case.pk)


@permission_required("cases.view_cases")
def region_ask(request: HttpRequest, case_id: int, request_id: int) -> HttpResponse:
    user = staff_user_of(request)
    case = case_get_for(user, case_id, need="edit", purpose=Purpose.REFERRAL)
    found = request_of_case(case, request_id)
    form = RegionAskForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            ask = services.region_ask(by=user, request=found, region=form.cleaned_data["region"])
        except ValidationError as error:
            _refused(request, form, error)
        else:
            messages.success(
                request,
                _("%(region)s is asked; its shelters see the request once it consents.")
                % {"region": ask.region.name},
            )
            return redirect("cases:detail", case_id=case.pk)
    context = {"case": case, "placement_request": found, "form": form}
    return render(request, "placements/region_ask.html", context)


# --- the shelter's side -------------------------------------------------------------------


@permission_required("placements.view_offers")
def offers(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    found = list(
        offers_for_shelter(user)
        .filter(status__in=(OfferStatus.OFFERED, OfferStatus.ACCEPTED))
        .order_by("status", "-created_at", "-pk")[:200]
    )
    if found:
        audit_record_reads(actor=user, records=found, purpose=Purpose.REFERRAL)
    rows = [offer_view(offer) for offer in found]
    return render(request, "placements/offers.html", {"rows": rows})


def _offer_page(
    request: HttpRequest, offer: PlacementOffer, refuse_form: RefuseForm | None = None
) -> HttpResponse:
    context = {
        "shown": offer_view(offer),
        "offer": offer,
        "refuse_form": refuse_form or RefuseForm(),
    }
    return render(request, "placements/offer_detail.html", context)


@permission_required("placements.view_offers")
def offer_detail(request: HttpRequest, offer_id: int) -> HttpResponse:
    user = staff_user_of(request)
    return _offer_page(request, offer_get_for(user, offer_id))


@require_POST
@permission_required("placements.view_offers")
def offer_accept(request: HttpRequest, offer_id: int) -> HttpResponse:
    user = staff_user_of(request)
    offer = offer_get_for(user, offer_id)
    try:
        services.offer_accept(by=user, offer=offer)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("Offer accepted: the other shelters' offers are closed."))
    return redirect("placements:offer_detail", offer_id=offer.pk)


@require_POST
@permission_required("placements.view_offers")
def offer_refuse(request: HttpRequest, offer_id: int) -> HttpResponse:
    user = staff_user_of(request)
    offer = offer_get_for(user, offer_id)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            services.offer_refuse(by=user, offer=offer, **form.cleaned_data)
        except ValidationError as error:
            if "status" in error.message_dict:
                _flash(request, error)
                return redirect("placements:offer_detail", offer_id=offer.pk)
            form_errors_add(form, error)
        else:
            messages.success(request, _("Offer refused."))
            return redirect("placements:offers")
    return _offer_page(request, offer, refuse_form=form)


@permission_required("placements.view_offers")
def placements(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    present = list(
        placements_for_shelter(user)
        .filter(outflow__isnull=True)
        .order_by("location__name", "intake")
    )
    if present:
        audit_record_reads(actor=user, records=present, purpose=Purpose.CASE_WORK)
    return render(request, "placements/placements.html", {"present": present})


def _intake_requests(user: Any) -> Any:
    accepted = offers_for_shelter(user).filter(status=OfferStatus.ACCEPTED).values("request")
    return PlacementRequest.objects.filter(
        pk__in=accepted, status=RequestStatus.ACCEPTED, placements__isnull=True
    ).order_by("reference")


@permission_required("placements.view_offers")
def intake(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    initial: dict[str, object] = {"intake": timezone.localdate()}
    offer_id = request.GET.get("offer", "")
    if offer_id.isdigit():
        accepted = offer_get_for(user, int(offer_id))
        if accepted.status == OfferStatus.ACCEPTED:
            initial.update(
                case=accepted.request.case_id,
                location=accepted.location_id,
                kind=accepted.request.kind,
                request=accepted.request_id,
            )
    form = IntakeForm(
        request.POST or None,
        initial=initial,
        cases=cases_for_intake(user),
        locations=locations_of_shelter(user),
        requests=_intake_requests(user),
    )
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        data = services.IntakeInput(
            case=case_for_intake_get(user, values["case"].pk),
            location=location_get_for(user, values["location"].pk),
            kind=values["kind"],
            intake=values["intake"],
            request=values["request"],
            override_reason=values["override_reason"],
        )
        try:
            placement = services.placement_intake(by=user, data=data)
        except ValidationError as error:
            _refused(request, form, error)
        else:
            messages.success(request, _("Intake recorded."))
            return redirect("placements:placement_detail", placement_id=placement.pk)
    return render(request, "placements/intake.html", {"form": form})


def _placement_page(
    request: HttpRequest,
    user: Any,
    placement: Any,
    outflow_form: OutflowForm | None = None,
    transfer_form: TransferForm | None = None,
) -> HttpResponse:
    context = {
        "placement": placement,
        "outflow_form": outflow_form or OutflowForm(initial={"outflow": timezone.localdate()}),
        "transfer_form": transfer_form
        or TransferForm(
            initial={"day": timezone.localdate(), "kind": placement.kind},
            locations=locations_of_shelter(user),
        ),
    }
    return render(request, "placements/placement_detail.html", context)


@permission_required("placements.view_offers")
def placement_detail(request: HttpRequest, placement_id: int) -> HttpResponse:
    user = staff_user_of(request)
    return _placement_page(request, user, placement_get_for(user, placement_id))


@require_POST
@permission_required("placements.view_offers")
def placement_outflow(request: HttpRequest, placement_id: int) -> HttpResponse:
    user = staff_user_of(request)
    placement = placement_get_for(user, placement_id)
    form = OutflowForm(request.POST)
    if form.is_valid():
        try:
            services.placement_outflow(by=user, placement=placement, **form.cleaned_data)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Outflow recorded."))
            return redirect("placements:placements")
    return _placement_page(request, user, placement, outflow_form=form)


@require_POST
@permission_required("placements.view_offers")
def placement_transfer(request: HttpRequest, placement_id: int) -> HttpResponse:
    user = staff_user_of(request)
    placement = placement_get_for(user, placement_id)
    form = TransferForm(request.POST, locations=locations_of_shelter(user))
    if form.is_valid():
        values = form.cleaned_data
        try:
            following = services.placement_transfer(
                by=user,
                placement=placement,
                location=location_get_for(user, values["location"].pk),
                kind=values["kind"],
                day=values["day"],
                override_reason=values["override_reason"],
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Transfer recorded."))
            return redirect("placements:placement_detail", placement_id=following.pk)
    return _placement_page(request, user, placement, transfer_form=form)


# --- the region's side --------------------------------------------------------------------


@permission_required("placements.view_waiting_list")
def waiting(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    regions = []
    requests = list(waiting_requests_in(user).select_related("region"))
    if requests:
        audit_record_reads(actor=user, records=requests, purpose=Purpose.REFERRAL)
    for region in regions_of(user).order_by("name"):
        regions.append(
            {
                "region": region,
                "kinds": waiting_list(r for r in requests if r.region_id == region.pk),
            }
        )
    asks = list(asks_to(user).order_by("asked_at"))
    return render(request, "placements/waiting.html", {"regions": regions, "asks": asks})


@require_POST
@permission_required("placements.view_waiting_list")
def ask_answer(request: HttpRequest, ask_id: int) -> HttpResponse:
    user = staff_user_of(request)
    ask = ask_get_for(user, ask_id)
    consent = request.POST.get("answer") == "consent"
    try:
        services.region_ask_answer(by=user, ask=ask, consent=consent)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(
            request,
            _("Consent given: the region's shelters now see the request.")
            if consent
            else _("Request declined."),
        )
    return redirect("placements:waiting")


@permission_required("placements.view_waiting_list")
def flow(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    months = months_back(timezone.localdate(), FLOW_MONTHS)
    shown = []
    for region in regions_of(user).order_by("name"):
        figures = region_flow(region, months)
        shown.append({"flow": figures, "chart": flow_chart(figures)})
    destinations = [Destination(code).label for code in OUTFLOW_DESTINATIONS]
    return render(request, "placements/flow.html", {"regions": shown, "destinations": destinations})
