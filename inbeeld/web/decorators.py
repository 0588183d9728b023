from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from inbeeld.accounts.access import roles_of
from inbeeld.accounts.models import User


def role_required(
    *roles: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Only users holding one of ``roles`` may open the view; others get 404, not 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not isinstance(user, User) or not roles_of(user) & set(roles):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
