"""The API's permission class (kept apart from the views: DRF imports it while loading itself)."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from inbeeld.accounts.models import User


class RulePermission(BasePermission):
    """The API's gate: each view names, per HTTP method, the rule (rules.py) it needs.

    ``required_permissions = {"GET": "signals.list_signals", "POST": "signals.add_signal"}``.
    A view or method without a named rule is refused (fail closed); an authenticated caller
    without the rule gets 404, as on the pages, so a refusal reveals nothing.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not isinstance(user, User):
            return False  # unauthenticated: 401 from the authentication classes
        method = (request.method or "").upper()
        if method not in view.allowed_methods:
            return True  # DRF answers 405 Method Not Allowed, as the schema says
        required: dict[str, str] = getattr(view, "required_permissions", {})
        # HEAD is a GET without the body; OPTIONS describes the endpoint to any staff member.
        permission = required.get("GET" if method == "HEAD" else method)
        if method == "OPTIONS":
            permission = "accounts.use_staff_pages"
        if not _opened_by_token(request, "GET" if method == "HEAD" else method):
            raise NotFound
        if permission is None or not user.has_perm(permission):
            raise NotFound
        return True


def _opened_by_token(request: Request, method: str) -> bool:
    """An organisation token (integrations/) also needs a scope that opens the operation.

    Such a token names the operations its scopes open (``api_operations``: URL name and
    method); a personal token or a session has no such attribute and is not narrowed.
    OPTIONS is opened with any operation of the same URL.
    """
    opened: frozenset[tuple[str, str]] | None = getattr(request.auth, "api_operations", None)
    if opened is None:
        return True
    match = request._request.resolver_match
    name = match.url_name if match is not None else None
    if method == "OPTIONS":
        return any(url_name == name for url_name, _method in opened)
    return (name, method) in opened
