"""Refused access is audited: a signed-in user who gets 404 for a record is recorded."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse

from inbeeld.audit.services import audit_refusal


class AuditDeniedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, Http404) and request.user.is_authenticated:
            audit_refusal(request=request, user=request.user)
