"""API authentication classes (kept apart from views: DRF imports them while loading itself)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import SessionScheme
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request

from inbeeld.accounts.twofactor import is_verified


class VerifiedSessionAuthentication(SessionAuthentication):
    """Browser sessions count for the API only after the second factor (as for the pages)."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        if not is_verified(result[0]):
            return None
        return result


class VerifiedSessionScheme(SessionScheme):  # type: ignore[misc,no-untyped-call]
    """Describes the verified session in the OpenAPI schema as a cookie session."""

    target_class = "inbeeld.accounts.authentication.VerifiedSessionAuthentication"
