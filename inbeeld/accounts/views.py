"""Login with a mandatory second factor: password, then TOTP (enrolled on first login)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token

from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.accounts.forms import EnrolForm, TokenForm
from inbeeld.accounts.lockout import device_cookie_set
from inbeeld.accounts.middleware import second_factor_exempt
from inbeeld.accounts.models import User
from inbeeld.accounts.tokens import WARN_DAYS, tokens_expiring_soon, tokens_of
from inbeeld.accounts.twofactor import (
    has_confirmed_totp,
    pending_totp_device,
    recovery_codes_replace,
    totp_qr_svg,
    totp_secret_base32,
)
from inbeeld.audit.models import Action
from inbeeld.audit.services import audit_record

RECOVERY_CODES_SESSION_KEY = "inbeeld_new_recovery_codes"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = False

    def get_success_url(self) -> str:
        # The password is only the first step: always continue to the second factor.
        step = "accounts:verify" if has_confirmed_totp(self.request.user) else "accounts:enrol"  # type: ignore[arg-type]
        next_url = self.get_redirect_url()
        url = reverse(step)
        return f"{url}?next={next_url}" if next_url else url


def _safe_next(request: HttpRequest) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse("web:home")


@second_factor_exempt
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    if not has_confirmed_totp(user):
        return redirect("accounts:enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            audit_record(actor=user, action=Action.LOGIN, detail={"step": "second factor"})
            _warn_of_expiring_tokens(request, user)
            response = HttpResponseRedirect(_safe_next(request))
            device_cookie_set(response, user.get_username())
            return response
        form.add_error("token", _("This code is not valid. Wait for a new code and try again."))
    return render(request, "accounts/verify.html", {"form": form, "next": _safe_next(request)})


@second_factor_exempt
@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    if has_confirmed_totp(user):
        return redirect("accounts:verify")
    device = pending_totp_device(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session[RECOVERY_CODES_SESSION_KEY] = recovery_codes_replace(user)
            response = redirect("accounts:recovery_codes")
            device_cookie_set(response, user.get_username())
            return response
        form.add_error("token", _("This code does not match. Check the time on your phone."))
    context = {
        "form": form,
        "qr_svg": totp_qr_svg(device),
        "secret": totp_secret_base32(device),
        "next": _safe_next(request),
    }
    return render(request, "accounts/enrol.html", context)


@permission_required("accounts.use_staff_pages")
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Shows freshly issued recovery codes once; reloading the page does not show them again."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@permission_required("accounts.use_staff_pages")
@require_POST
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    request.session[RECOVERY_CODES_SESSION_KEY] = recovery_codes_replace(staff_user_of(request))
    messages.success(request, _("New recovery codes were issued; the old ones no longer work."))
    return redirect("accounts:recovery_codes")


def _warn_of_expiring_tokens(request: HttpRequest, user: User) -> None:
    """On the first page after login: the user's API tokens that lapse soon."""
    for token in tokens_expiring_soon(user):
        messages.warning(
            request,
            _(
                "Your API token %(key)s… expires on %(date)s. Ask your application "
                "administrator for a new one in time (see My account)."
            )
            % {"key": token.token_key, "date": date_format(token.expiry, "DATETIME_FORMAT")},
        )


@permission_required("accounts.use_staff_pages")
def account(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    context = {
        "memberships": user.memberships.select_related("organisation__region"),
        "tokens": tokens_of(user),
        "expiring": tokens_expiring_soon(user).exists(),
        "warn_days": WARN_DAYS[0],
        "now": timezone.now(),
    }
    return render(request, "accounts/account.html", context)


@second_factor_exempt
@require_POST
def logout_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")
