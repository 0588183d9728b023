"""Protection against password guessing that a stranger cannot turn against the real user.

Three layers, all kept in the database (so they hold across gunicorn workers and restarts):

1. django-axes locks the pair (user name, address) after ``AXES_FAILURE_LIMIT`` failures for
   ``AXES_COOLOFF_MINUTES``: five wrong passwords from one address lock that address out for
   that user name only; the real user at another address still logs in.
2. A per-user back-off across all addresses stops a botnet from guessing one account from
   many addresses: after ``LOGIN_BACKOFF_AFTER`` failures for a user name within the cool-off
   window, every next attempt waits 30 seconds after the last failure, doubling, at most
   ``LOGIN_BACKOFF_MAX_MINUTES``. Counted from axes' failure log (``AccessFailureLog``).
3. A device cookie (OWASP, "Slow down online guessing attacks with device cookies"), set after
   a complete login (password and second factor), exempts that browser from the back-off for
   its user, so that strangers cannot keep the real user out. Its failures count against the
   cookie alone; after ``LOGIN_BACKOFF_AFTER`` of them it no longer exempts.

The same answers are given for user names that exist and those that do not: everything is
keyed by the user name as typed.
"""

from __future__ import annotations

import ipaddress
import math
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.core import signing
from django.db.models import Count, Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inbeeld.accounts.models import DeviceCookieFailure, User
from inbeeld.lib.http import visitor_address

BACKOFF_START = timedelta(seconds=30)
DEVICE_COOKIE_DAYS = 180
_DEVICE_COOKIE_SALT = "inbeeld.accounts.lockout.device-cookie"


def login_address(request: HttpRequest) -> str | None:
    """The address axes counts (``AXES_CLIENT_IP_CALLABLE``): the visitor's, not the proxy's.

    The same logic as the meldpunt's limit (``TRUSTED_PROXY_COUNT``). A value that is not an
    address (a misconfigured proxy count lets the client write X-Forwarded-For) falls back to
    the connection's own address rather than being stored.
    """
    for candidate in (visitor_address(request), request.META.get("REMOTE_ADDR", "")):
        try:
            return str(ipaddress.ip_address(str(candidate).strip()))
        except ValueError:
            continue
    return None


def _cool_off() -> timedelta:
    return timedelta(hours=float(settings.AXES_COOLOFF_TIME))


# --- Device cookie ----------------------------------------------------------------------------


def device_cookie_name() -> str:
    # __Host-: only over HTTPS, for this exact host and path "/" (as the session cookie).
    return "__Host-inbeeld-device" if settings.SESSION_COOKIE_SECURE else "inbeeld-device"


def device_cookie_set(response: HttpResponse, username: str) -> None:
    """Bind this browser to ``username`` after a complete login (password and second factor)."""
    value = signing.dumps({"u": username, "n": secrets.token_urlsafe(16)}, salt=_DEVICE_COOKIE_SALT)
    response.set_cookie(
        device_cookie_name(),
        value,
        max_age=DEVICE_COOKIE_DAYS * 24 * 3600,
        path="/",
        secure=bool(settings.SESSION_COOKIE_SECURE),
        httponly=True,
        samesite="Strict",
    )


def device_of(request: HttpRequest, username: str) -> str | None:
    """The device id of a valid, unexpired device cookie for ``username`` on this request."""
    raw = request.COOKIES.get(device_cookie_name())
    if not raw or not username:
        return None
    try:
        data = signing.loads(
            raw, salt=_DEVICE_COOKIE_SALT, max_age=timedelta(days=DEVICE_COOKIE_DAYS)
        )
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != username:
        return None
    device = data.get("n")
    return device if isinstance(device, str) else None


# --- Per-user back-off -----------------------------------------------------------------------


def _window_start(username: str, now: datetime) -> datetime:
    """Failures count from the start of the cool-off window, or from the last unlock."""
    start = now - _cool_off()
    lifted = (
        User.objects.filter(username=username)
        .values_list("login_backoff_lifted_at", flat=True)
        .first()
    )
    return max(start, lifted) if lifted else start


def backoff_delay(failures: int) -> timedelta | None:
    """How long to wait after the last failure, given the failures in the window."""
    over = failures - int(settings.LOGIN_BACKOFF_AFTER)
    if over < 0:
        return None
    cap = timedelta(minutes=int(settings.LOGIN_BACKOFF_MAX_MINUTES))
    delay: timedelta = BACKOFF_START * 2 ** min(over, 32)
    return min(delay, cap)


def backoff_until(username: str) -> datetime | None:
    """Until when attempts for ``username`` wait (browsers without a device cookie)."""
    now = timezone.now()
    counted = AccessFailureLog.objects.filter(
        username=username,
        attempt_time__gte=_window_start(username, now),
        device_failure__isnull=True,
    ).aggregate(failures=Count("pk"), last=Max("attempt_time"))
    delay = backoff_delay(counted["failures"])
    if delay is None or counted["last"] is None:
        return None
    until: datetime = counted["last"] + delay
    return until if until > now else None


def _device_exhausted(username: str, device: str) -> bool:
    failures = DeviceCookieFailure.objects.filter(
        device=device,
        failure__username=username,
        failure__attempt_time__gte=_window_start(username, timezone.now()),
    ).count()
    return failures >= int(settings.LOGIN_BACKOFF_AFTER)


def _trusted_device(request: HttpRequest, username: str) -> str | None:
    device = device_of(request, username)
    return device if device and not _device_exhausted(username, device) else None


def _address_lock_until(username: str, address: str | None) -> datetime | None:
    now = timezone.now()
    attempts = AccessAttempt.objects.filter(
        username=username, ip_address=address, attempt_time__gte=now - _cool_off()
    ).aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    if (attempts["failures"] or 0) < int(settings.AXES_FAILURE_LIMIT) or not attempts["last"]:
        return None
    until: datetime = attempts["last"] + _cool_off()
    return until


class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """axes' database handler plus the per-user back-off and the device cookie's exemption."""

    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        username = get_client_username(request, credentials)
        if not username or _trusted_device(request, username):
            return False
        return backoff_until(username) is not None

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        # Refused before the password was tried (locked): axes records nothing, nor do we.
        refused = bool(getattr(request, "axes_locked_out", False))
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or refused:
            return
        username = get_client_username(request, credentials)
        device = _trusted_device(request, username) if username else None
        if device is None:
            return
        # The failure axes just logged (same user name, address and browser) counts against
        # the device cookie instead of against the user name.
        failure = (
            AccessFailureLog.objects.filter(
                username=username,
                ip_address=request.axes_ip_address,
                user_agent=request.axes_user_agent,
            )
            .order_by("-pk")
            .first()
        )
        if failure is not None:
            DeviceCookieFailure.objects.get_or_create(failure=failure, defaults={"device": device})


def _wait_text(until: datetime) -> str:
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    if seconds < 120:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """The page for a refused attempt (``AXES_LOCKOUT_CALLABLE``): why, and how long to wait.

    It depends only on the user name as typed and the failures recorded for it, so it tells
    nothing about whether an account of that name exists.
    """
    username = get_client_username(request, credentials) or ""
    address_until = _address_lock_until(username, getattr(request, "axes_ip_address", None))
    backoff = None if _trusted_device(request, username) else backoff_until(username)
    if address_until is not None and (backoff is None or address_until >= backoff):
        notice = _(
            "Too many failed attempts with this user name from your address. Try again in "
            "%(wait)s, or ask your application administrator to lift the lock sooner."
        ) % {"wait": _wait_text(address_until)}
    else:
        notice = _(
            "Too many failed attempts with this user name. Wait %(wait)s before you try again."
        ) % {"wait": _wait_text(backoff or timezone.now())}
    # 429 Too Many Requests, as axes answers by default.
    return render(request, "accounts/locked_out.html", {"notice": notice}, status=429)


# --- What the functioneel beheerder sees -----------------------------------------------------


@dataclass(frozen=True)
class LockStatus:
    """A lock on an account now: never which addresses, only how many."""

    addresses: int = 0  # addresses locked out for this user name
    address_lock_until: datetime | None = None
    backoff_until: datetime | None = None

    @property
    def locked(self) -> bool:
        return self.addresses > 0 or self.backoff_until is not None

    @property
    def until(self) -> datetime | None:
        ends = [end for end in (self.address_lock_until, self.backoff_until) if end]
        return max(ends) if ends else None


def lock_statuses(usernames: Iterable[str]) -> dict[str, LockStatus]:
    """The accounts among ``usernames`` that are locked now (by address or back-off)."""
    names = list(usernames)
    now = timezone.now()
    limit, cool_off = int(settings.AXES_FAILURE_LIMIT), _cool_off()
    locked_addresses: dict[str, list[datetime]] = {}
    per_address = (
        AccessAttempt.objects.filter(username__in=names, attempt_time__gte=now - cool_off)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    )
    for row in per_address:
        if row["failures"] >= limit:
            locked_addresses.setdefault(row["username"], []).append(row["last"] + cool_off)
    # Only user names with enough failures in the window can be in back-off.
    candidates = (
        AccessFailureLog.objects.filter(username__in=names, attempt_time__gte=now - cool_off)
        .values("username")
        .annotate(failures=Count("pk"))
        .filter(failures__gte=int(settings.LOGIN_BACKOFF_AFTER))
        .values_list("username", flat=True)
    )
    backoffs = {name: backoff_until(name) for name in candidates}
    statuses = {}
    for name in names:
        ends = locked_addresses.get(name, [])
        status = LockStatus(len(ends), max(ends) if ends else None, backoffs.get(name))
        if status.locked:
            statuses[name] = status
    return statuses
