"""The functioneel beheerder's pages: organisations, users and their roles, own regions only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inbeeld.accounts import access, services
from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.accounts.forms import MembershipForm, OrganisationForm, RegionForm, UserForm
from inbeeld.accounts.lockout import lock_statuses
from inbeeld.accounts.models import User
from inbeeld.accounts.tokens import api_token_revoke, tokens_of
from inbeeld.accounts.twofactor import has_confirmed_totp

administrator_only = permission_required("accounts.administer")


@administrator_only
def region_edit(request: HttpRequest, code: str) -> HttpResponse:
    admin = staff_user_of(request)
    region = access.region_get_for_admin(user=admin, code=code)
    before = services.record_values(region, services.REGION_FIELDS)
    form = RegionForm(request.POST or None, instance=region)
    if request.method == "POST" and form.is_valid():
        services.region_update(by=admin, region=form.save(commit=False), before=before)
        messages.success(request, _("Region saved."))
        return redirect("web:region_detail", code=region.code)
    return render(request, "accounts/region_form.html", {"form": form, "region": region})


@administrator_only
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = access.organisations_administered_by(staff_user_of(request)).order_by(
        "region__name", "name"
    )
    return render(request, "accounts/organisation_list.html", {"organisations": organisations})


@administrator_only
def organisation_edit(request: HttpRequest, organisation_id: int | None = None) -> HttpResponse:
    admin = staff_user_of(request)
    organisation = (
        access.organisation_get_for_admin(user=admin, organisation_id=organisation_id)
        if organisation_id is not None
        else None
    )
    before = (
        services.record_values(organisation, services.ORGANISATION_FIELDS)
        if organisation is not None
        else None
    )
    form = OrganisationForm(
        request.POST or None, instance=organisation, regions=access.administered_regions(admin)
    )
    if request.method == "POST" and form.is_valid():
        saved = services.organisation_save(
            by=admin, organisation=form.save(commit=False), before=before
        )
        messages.success(request, _("Organisation saved."))
        return redirect("accounts:organisation_edit", organisation_id=saved.pk)
    context = {"form": form, "organisation": organisation}
    return render(request, "accounts/organisation_form.html", context)


@administrator_only
def user_list(request: HttpRequest) -> HttpResponse:
    users = (
        access.users_administered_by(staff_user_of(request))
        .select_related("organisation")
        .prefetch_related("memberships__organisation")
    )
    locks = lock_statuses(user.username for user in users)
    rows = [(user, locks.get(user.username)) for user in users]
    return render(request, "accounts/user_list.html", {"rows": rows})


@administrator_only
def user_create(request: HttpRequest) -> HttpResponse:
    admin = staff_user_of(request)
    form = UserForm(request.POST or None, organisations=access.organisations_administered_by(admin))
    if request.method == "POST" and form.is_valid():
        user, password = services.user_create(by=admin, **form.cleaned_data)
        messages.success(
            request,
            _("Account created. Hand over this first password in person: %(password)s")
            % {"password": password},
        )
        return redirect("accounts:user_edit", user_id=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "account": None})


@administrator_only
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    admin = staff_user_of(request)
    account = access.user_get_for_admin(user=admin, user_id=user_id)
    organisations = access.organisations_administered_by(admin)
    before = services.user_snapshot(account)
    form = UserForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        services.user_update(by=admin, user=form.save(commit=False), before=before)
        messages.success(request, _("Account saved."))
        return redirect("accounts:user_edit", user_id=account.pk)
    context: dict[str, Any] = {
        "form": form,
        "account": account,
        "memberships": account.memberships.select_related("organisation__region"),
        "membership_form": MembershipForm(organisations=organisations),
        "has_second_factor": has_confirmed_totp(account),
        "lock": lock_statuses([account.username]).get(account.username),
        "tokens": tokens_of(account),
        "now": timezone.now(),
        "manageable_organisation_ids": set(organisations.values_list("pk", flat=True)),
    }
    return render(request, "accounts/user_form.html", context)


@administrator_only
@require_POST
def user_membership_add(request: HttpRequest, user_id: int) -> HttpResponse:
    admin = staff_user_of(request)
    account = access.user_get_for_admin(user=admin, user_id=user_id)
    form = MembershipForm(request.POST, organisations=access.organisations_administered_by(admin))
    if form.is_valid():
        try:
            services.membership_add(by=admin, user=account, **form.cleaned_data)
            messages.success(request, _("Role added."))
        except ValidationError:
            messages.error(request, _("This user already holds that role there."))
    else:
        messages.error(request, _("Choose an organisation and a role."))
    return redirect("accounts:user_edit", user_id=account.pk)


@administrator_only
@require_POST
def user_membership_remove(request: HttpRequest, user_id: int, membership_id: int) -> HttpResponse:
    admin = staff_user_of(request)
    account = access.user_get_for_admin(user=admin, user_id=user_id)
    membership = account.memberships.filter(
        pk=membership_id, organisation__in=access.organisations_administered_by(admin)
    ).first()
    if membership is None:
        raise Http404
    services.membership_remove(by=admin, membership=membership)
    messages.success(request, _("Role removed."))
    return redirect("accounts:user_edit", user_id=account.pk)


@administrator_only
@require_POST
def user_token_revoke(request: HttpRequest, user_id: int, token_key: str) -> HttpResponse:
    admin = staff_user_of(request)
    account = access.user_get_for_admin(user=admin, user_id=user_id)
    revoked = tokens_of(account).filter(token_key=token_key)
    if not revoked.exists():
        raise Http404
    for token in revoked:  # practically one: the key is the token's first 15 characters
        api_token_revoke(by=admin, token=token)
    messages.success(request, _("The API token is revoked: it no longer works."))
    return redirect("accounts:user_edit", user_id=account.pk)


def _unlock(request: HttpRequest, admin: User, account: User) -> None:
    services.user_unlock(by=admin, user=account)
    messages.success(request, _("The account is unlocked."))


def _reset_second_factor(request: HttpRequest, admin: User, account: User) -> None:
    services.user_second_factor_reset(by=admin, user=account)
    messages.success(request, _("Second factor removed: the user enrols again at next login."))


def _reset_password(request: HttpRequest, admin: User, account: User) -> None:
    password = services.user_password_reset(by=admin, user=account)
    messages.success(
        request, _("New password, hand it over in person: %(password)s") % {"password": password}
    )


# The security actions on an account (the last part of its URL). The authorisation matrix
# (accounts/tests/test_authorisation.py) tries every one of them for every administrator.
USER_ACTIONS: dict[str, Callable[[HttpRequest, User, User], None]] = {
    "unlock": _unlock,
    "reset-2fa": _reset_second_factor,
    "reset-password": _reset_password,
}


@administrator_only
@require_POST
def user_action(request: HttpRequest, user_id: int, action: str) -> HttpResponse:
    admin = staff_user_of(request)
    account = access.user_get_for_admin(user=admin, user_id=user_id)
    handler = USER_ACTIONS.get(action)
    if handler is None:
        raise Http404
    handler(request, admin, account)
    return redirect("accounts:user_edit", user_id=account.pk)
