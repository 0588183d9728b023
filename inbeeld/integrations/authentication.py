"""The API's authentication of organisation tokens (``Authorization: Token ibo_…``).

Kept apart from the views: DRF imports it while loading itself, so models are imported in
the function. Listed before knox's personal tokens (settings.REST_FRAMEWORK); a token
without the ``ibo_`` prefix is left to them.

Each request: an unknown, expired or revoked token, or one of an inactive organisation, is
refused with 401; beyond ``ORG_TOKEN_RATE_LIMIT`` requests per minute per token, 429 with
``Retry-After`` (counted in the database by ratelimits/, exact over all workers); otherwise
the request acts as the token's account, and one audit entry names the token and the
operation (every entry the request writes after it names the token's account too).
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.request import Request

PREFIX = "ibo_"
RATE_WINDOW_SECONDS = 60


def _retry_after(key: str) -> int:
    from inbeeld.ratelimits.models import RateCounter

    window_end = RateCounter.objects.filter(key=key).values_list("window_end", flat=True).first()
    if window_end is None:
        return 1
    return max(1, math.ceil((window_end - timezone.now()).total_seconds()))


class OrganisationTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        parts = get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].lower() != b"token":
            return None
        raw = parts[1].decode("latin-1")
        if not raw.startswith(PREFIX):
            return None  # a personal token: knox's
        from inbeeld.integrations.models import OrganisationToken
        from inbeeld.integrations.tokens import token_digest
        from inbeeld.ratelimits.services import rate_limit_hit

        token = (
            OrganisationToken.objects.select_related("account", "organisation__region")
            .filter(digest=token_digest(raw))
            .first()
        )
        if token is None or not token.is_usable() or not token.organisation.active:
            raise AuthenticationFailed(_("Invalid, expired or revoked token."))
        key = f"orgtoken:{token.pk}"
        if not rate_limit_hit(
            key=key, limit=settings.ORG_TOKEN_RATE_LIMIT, window_seconds=RATE_WINDOW_SECONDS
        ):
            raise Throttled(wait=_retry_after(key))
        account = token.account
        account.is_active = True  # for this request only; the row stays inactive (no login)
        _record_use(request, token)
        setattr(request._request, "inbeeld_token_expires", token.expires_at)  # noqa: B010
        return account, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


def _record_use(request: Request, token: Any) -> None:
    from inbeeld.audit.models import Action, Purpose
    from inbeeld.audit.services import audit_record
    from inbeeld.integrations.models import OrganisationToken

    match = request._request.resolver_match
    operation = match.url_name if match is not None else ""
    object_id = match.kwargs.get("pk") if match is not None else None
    audit_record(
        actor=token.account,
        action=Action.LOGIN,
        target=token,
        purpose=Purpose.NONE,
        detail={
            "api_token": token.key,
            "method": request.method,
            "operation": operation or "",
            **({"id": int(object_id)} if isinstance(object_id, int) else {}),
        },
    )
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        OrganisationToken.objects.filter(pk=token.pk).update(last_used_at=now)


class OrganisationTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[misc,no-untyped-call]
    target_class = "inbeeld.integrations.authentication.OrganisationTokenAuthentication"
    name = "organisationToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Authorization: Token ibo_…`: an organisation's token with scopes "
                "(docs/api.md). Expired or revoked: 401; too many requests: 429 with "
                "`Retry-After`."
            ),
        }
