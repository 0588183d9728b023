"""Facts about an HTTP request that several apps need the same way."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def visitor_address(request: HttpRequest) -> str:
    """The visitor's address as the nearest trusted proxy saw it.

    Behind TRUSTED_PROXY_COUNT proxies, REMOTE_ADDR is the last proxy's address (the same
    for every visitor); the visitor's is the entry that many places from the right of
    X-Forwarded-For, the one the outermost trusted proxy added. Entries further left are
    whatever the client claimed and are never trusted.
    """
    proxies = int(settings.TRUSTED_PROXY_COUNT)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if proxies > 0 and len(hops) >= proxies:
        return str(hops[-proxies])
    return str(request.META.get("REMOTE_ADDR", ""))
