"""Abuse protection for the public forms without keeping IP addresses on disk.

Counts are kept in the database (inbeeld.ratelimits), so every server process and every
restart sees the same count. They are keyed by a keyed hash of the address with a salt that
changes every day; the address itself is never stored or logged. The operator sets the
meldpunt's limit (``MELDPUNT_SUBMISSIONS_PER_HOUR``, docs/configuration.md).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from inbeeld.lib.http import visitor_address
from inbeeld.ratelimits.services import rate_limit_hit


def _visitor_key(request: HttpRequest, scope: str) -> str:
    address = visitor_address(request)
    salt = f"{settings.SECRET_KEY}\n{timezone.localdate().isoformat()}".encode()
    digest = hmac.new(salt, f"{scope}\n{address}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def allow(request: HttpRequest, *, scope: str, limit: int, window_seconds: int = 3600) -> bool:
    """Count one attempt; False once the visitor made ``limit`` attempts in the window."""
    return rate_limit_hit(
        key=_visitor_key(request, scope), limit=limit, window_seconds=window_seconds
    )
