"""Gatekeepers for staff sessions: a second factor before anything else, and session limits."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from inbeeld.accounts.models import User
from inbeeld.accounts.tokens import rfc3339
from inbeeld.accounts.twofactor import has_confirmed_totp, is_verified

SESSION_LOGIN_AT = "inbeeld_login_at"


def second_factor_exempt(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view that a password-only session may open (the second-factor steps, logout)."""
    view.second_factor_exempt = True  # type: ignore[attr-defined]
    return view


class SecondFactorRequiredMiddleware:
    """Every staff page needs a session verified with a second factor (TOTP or recovery code).

    Views that need no login (health, the public meldpunt, the API with its own token
    authentication) are left alone; Django's LoginRequiredMiddleware marks them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user = request.user
        if not isinstance(user, User) or is_verified(user):
            return None
        if not getattr(view_func, "login_required", True):
            return None
        if getattr(view_func, "second_factor_exempt", False):
            return None
        step = "accounts:verify" if has_confirmed_totp(user) else "accounts:enrol"
        return HttpResponseRedirect(
            f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}"
        )


class SessionLifetimeMiddleware:
    """An absolute session limit on top of the idle time-out (ASVS 7.3.2)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(SESSION_LOGIN_AT)
            if started is None:
                request.session[SESSION_LOGIN_AT] = time.time()
            elif time.time() - float(started) > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return HttpResponseRedirect(reverse(settings.LOGIN_URL))
        return self.get_response(request)


class TokenExpiryHeaderMiddleware:
    """``Token-Expires`` on every response to a token-authenticated API request, so that a
    partner system sees its token lapse coming (accounts/authentication.py notes the expiry)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        expires = getattr(request, "inbeeld_token_expires", None)
        if isinstance(expires, datetime):
            response["Token-Expires"] = rfc3339(expires)
        return response
