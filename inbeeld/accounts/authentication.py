"""API authentication classes (kept apart from views: DRF imports them while loading itself)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication
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


class ExpiringTokenAuthentication(TokenAuthentication):  # type: ignore[misc]
    """knox's token authentication (it refuses expired tokens with 401) that also notes the
    token's expiry, for the ``Token-Expires`` header (middleware.TokenExpiryHeaderMiddleware)."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result: tuple[Any, Any] | None = super().authenticate(request)
        if result is not None and result[1].expiry is not None:
            # On Django's request, where the middleware finds it after DRF is done.
            setattr(request._request, "inbeeld_token_expires", result[1].expiry)  # noqa: B010
        return result


class ExpiringTokenScheme(KnoxTokenScheme):  # type: ignore[misc,no-untyped-call]
    """Describes the token in the OpenAPI schema, with its expiry header."""

    target_class = "inbeeld.accounts.authentication.ExpiringTokenAuthentication"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        definition: dict[str, Any] = super().get_security_definition(auto_schema)  # type: ignore[no-untyped-call]
        definition["description"] = (
            "`Authorization: Token <token>`. Tokens expire; responses carry `Token-Expires` "
            "(RFC 3339, UTC) with the expiry of the token used."
        )
        return definition
