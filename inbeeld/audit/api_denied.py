"""Refused API requests are audited like refused pages.

Django REST framework turns a 404 into a response inside the view, so the page middleware
(audit/middleware.py) never sees it; and a token user is only known inside DRF. This
exception handler (REST_FRAMEWORK["EXCEPTION_HANDLER"]) records the refusal, then answers as
DRF always does.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from inbeeld.audit.services import audit_refusal


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    request = context.get("request")
    user = getattr(request, "user", None)
    if isinstance(exc, Http404 | NotFound) and user is not None and user.is_authenticated:
        audit_refusal(request=request, user=user)
    return drf_exception_handler(exc, context)
