"""The regional network's pages: the directory, an organisation, contact persons, coverage
and the covenant. Every colleague of a region sees them; the ketenregisseur and the
beheerder keep them (accounts/rules.py). Lookups go through accounts/access.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inbeeld.accounts import access, covenants, directory
from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.accounts.forms import (
    ContactPersonForm,
    CovenantForm,
    DirectoryFilterForm,
    NetworkOrganisationForm,
    SignatureForm,
    SignatureWithdrawalForm,
    service_errors_to_form,
)
from inbeeld.accounts.models import ContactPerson, Covenant, Organisation, User
from inbeeld.regions.models import Municipality

view_network = permission_required("accounts.view_network")
keep_network = permission_required("accounts.manage_network")


def _keeps(user: User, record: Any) -> bool:
    return user.has_perm("accounts.manage_network_of", record)


# --- The directory ----------------------------------------------------------------------------


@view_network
def directory_page(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    regions = access.network_regions(user).order_by("name")
    form = DirectoryFilterForm(request.GET or None, regions=regions)
    values = form.cleaned_data if form.is_valid() else {}
    sections = []
    shown: list[ContactPerson] = []
    for region in regions:
        if values.get("region") and values["region"] != region:
            continue
        organisations = access.network_organisations(user).filter(region=region, active=True)
        if values.get("type"):
            organisations = organisations.filter(type=values["type"])
        municipality = values.get("municipality")
        if municipality is not None and municipality.region_id != region.pk:
            continue
        entries = directory.directory(organisations=organisations, municipality=municipality)
        in_force = covenants.covenant_in_force(region)
        signed = covenants.signatory_ids(in_force) if in_force else set()
        sections.append(
            {
                "region": region,
                "entries": entries,
                "covenant": in_force,
                "signed": signed,
                "keeps": _keeps(user, region),
            }
        )
        shown += [contact for entry in entries for contact in entry.contacts]
    directory.contacts_shown(by=user, contacts=shown)
    return render(request, "accounts/network/directory.html", {"form": form, "sections": sections})


@view_network
def organisation_page(request: HttpRequest, organisation_id: int) -> HttpResponse:
    user = staff_user_of(request)
    organisation = access.network_organisation_get_for(user=user, organisation_id=organisation_id)
    keeps = _keeps(user, organisation)
    today = timezone.localdate()
    contacts = directory.organisation_contacts(organisation, every_period=keeps, on=today)
    current = [c for c in contacts if c.is_active_on(today)]
    others = [c for c in contacts if not c.is_active_on(today)]
    directory.contacts_shown(by=user, contacts=contacts)
    in_force = covenants.covenant_in_force(organisation.region)
    signature = (
        in_force.signatures.filter(organisation=organisation).order_by("-signed_on").first()
        if in_force
        else None
    )
    context = {
        "organisation": organisation,
        "current": current,
        "others": others,
        "keeps": keeps,
        "covenant": in_force,
        "signature": signature,
        "today": today,
    }
    return render(request, "accounts/network/organisation.html", context)


@view_network
def coverage_page(request: HttpRequest, code: str) -> HttpResponse:
    user = staff_user_of(request)
    region = access.network_region_get_for(user=user, code=code)
    found = directory.coverage(region)
    directory.contacts_shown(by=user, contacts=found.contacts)
    context = {"region": region, "coverage": found, "keeps": _keeps(user, region)}
    return render(request, "accounts/network/coverage.html", context)


# --- Keeping the directory --------------------------------------------------------------------


def _preselected(request: HttpRequest, organisations: Any) -> dict[str, Any]:
    """From the coverage view: the municipality, and its own organisation when there is one."""
    initial: dict[str, Any] = {"active_from": timezone.localdate()}
    municipality = Municipality.objects.filter(
        code=request.GET.get("gemeente", ""), region__in=organisations.values("region")
    ).first()
    if municipality is not None:
        initial["municipalities"] = [municipality]
        own = organisations.filter(municipality=municipality, active=True).order_by("pk").first()
        if own is not None:
            initial["organisation"] = own
    organisation = organisations.filter(pk=_int(request.GET.get("organisatie"))).first()
    if organisation is not None:
        initial["organisation"] = organisation
    return initial


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@keep_network
def contact_create(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    organisations = access.network_organisations(user, need="manage").filter(active=True)
    form = ContactPersonForm(
        request.POST or None,
        organisations=organisations,
        initial=_preselected(request, organisations),
    )
    if request.method == "POST" and form.is_valid():
        try:
            contact = directory.contact_person_create(by=user, data=form.input())
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("Contact person saved."))
            return redirect(
                "accounts:network_organisation", organisation_id=contact.organisation_id
            )
    return render(request, "accounts/network/contact_form.html", {"form": form, "contact": None})


@keep_network
def contact_edit(request: HttpRequest, contact_id: int) -> HttpResponse:
    user = staff_user_of(request)
    contact = access.contact_person_get_for(user=user, contact_id=contact_id)
    # Its own organisation stays a choice after it became inactive: the entry still gets its
    # last day filled in.
    organisations = (
        access.network_organisations(user, need="manage")
        .filter(Q(active=True) | Q(contact_persons=contact))
        .distinct()
    )
    form = ContactPersonForm(
        request.POST or None,
        organisations=organisations,
        initial=ContactPersonForm.initial_for(contact),
    )
    if request.method == "POST" and form.is_valid():
        try:
            directory.contact_person_update(by=user, contact=contact, data=form.input())
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("Contact person saved."))
            return redirect(
                "accounts:network_organisation", organisation_id=contact.organisation_id
            )
    return render(request, "accounts/network/contact_form.html", {"form": form, "contact": contact})


@keep_network
@require_POST
def contact_delete(request: HttpRequest, contact_id: int) -> HttpResponse:
    user = staff_user_of(request)
    contact = access.contact_person_get_for(user=user, contact_id=contact_id)
    organisation_id = contact.organisation_id
    directory.contact_person_delete(by=user, contact=contact)
    messages.success(request, _("The contact person was removed from the directory."))
    return redirect("accounts:network_organisation", organisation_id=organisation_id)


@keep_network
def organisation_add(request: HttpRequest, code: str) -> HttpResponse:
    user = staff_user_of(request)
    region = access.network_region_get_for(user=user, code=code, need="manage")
    form = NetworkOrganisationForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = directory.network_organisation_add(by=user, organisation=form.instance)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("Organisation added to the directory."))
            return redirect("accounts:network_organisation", organisation_id=organisation.pk)
    context = {"form": form, "region": region}
    return render(request, "accounts/network/organisation_form.html", context)


# --- The covenant -----------------------------------------------------------------------------


@view_network
def covenant_page(request: HttpRequest, code: str) -> HttpResponse:
    user = staff_user_of(request)
    region = access.network_region_get_for(user=user, code=code)
    versions = list(covenants.covenants_of(region).prefetch_related("signatures__organisation"))
    in_force = covenants.covenant_in_force(region)
    signed = covenants.signatory_ids(in_force) if in_force else set()
    not_signed = (
        Organisation.objects.filter(region=region, active=True).exclude(pk__in=signed)
        if in_force
        else Organisation.objects.none()
    )
    signatures = [s for version in versions for s in version.signatures.all()]
    covenants.signatures_shown(by=user, signatures=signatures)
    context = {
        "region": region,
        "versions": versions,
        "in_force": in_force,
        "not_signed": not_signed.order_by("name"),
        "keeps": _keeps(user, region),
    }
    return render(request, "accounts/network/covenant.html", context)


@keep_network
def covenant_create(request: HttpRequest, code: str) -> HttpResponse:
    user = staff_user_of(request)
    region = access.network_region_get_for(user=user, code=code, need="manage")
    form = CovenantForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            covenants.covenant_version_add(
                by=user, region=region, data=form.input(), document=form.cleaned_data["document"]
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("The covenant's version was recorded."))
            return redirect("accounts:covenant", code=region.code)
    return render(request, "accounts/network/covenant_form.html", {"form": form, "region": region})


@view_network
def covenant_document(request: HttpRequest, covenant_id: int) -> HttpResponse:
    user = staff_user_of(request)
    covenant = access.covenant_get_for(user=user, covenant_id=covenant_id)
    content = covenants.covenant_document_content(covenant)
    if content is None:
        raise Http404
    return HttpResponse(
        content,
        content_type="application/pdf",
        headers={
            "Content-Disposition": content_disposition_header(
                as_attachment=True, filename=covenant.document_name or "convenant.pdf"
            )
        },
    )


@keep_network
def covenant_sign(request: HttpRequest, covenant_id: int) -> HttpResponse:
    user = staff_user_of(request)
    covenant: Covenant = access.covenant_get_for(user=user, covenant_id=covenant_id, need="manage")
    form = SignatureForm(
        request.POST or None,
        organisations=covenants.signable_organisations(covenant),
        initial={"signed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            covenants.covenant_sign(by=user, covenant=covenant, data=form.input())
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("The signature was recorded."))
            return redirect("accounts:covenant", code=covenant.region.code)
    context = {"form": form, "covenant": covenant}
    return render(request, "accounts/network/signature_form.html", context)


@keep_network
def signature_withdraw(request: HttpRequest, signature_id: int) -> HttpResponse:
    user = staff_user_of(request)
    signature = access.covenant_signature_get_for(user=user, signature_id=signature_id)
    form = SignatureWithdrawalForm(
        request.POST or None, initial={"withdrawn_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            covenants.covenant_signature_withdraw(
                by=user, signature=signature, withdrawn_on=form.cleaned_data["withdrawn_on"]
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("The withdrawal was recorded."))
            return redirect("accounts:covenant", code=signature.covenant.region.code)
    context = {"form": form, "signature": signature}
    return render(request, "accounts/network/withdrawal_form.html", context)
