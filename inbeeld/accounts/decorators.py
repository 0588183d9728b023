"""The one gate of every staff page: the permission it needs, from an app's rules.py.

A view declares ``@permission_required("signals.handle_signals")``; the rule (django-rules,
in the app's ``rules.py``) decides, and a user without it gets 404 — a refused page looks
like one that does not exist, and the refusal is audited (audit/middleware.py). The name is
kept on the view (``required_permission``) so that the menu and the authorisation matrix
read the same rule the page enforces.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from inbeeld.accounts.models import User

View = Callable[..., HttpResponse]
REQUIRED_PERMISSION = "required_permission"


def permission_required(permission: str) -> Callable[[View], View]:
    """Only users with ``permission`` (a page rule, asked without an object) may open the view."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not isinstance(user, User) or not user.has_perm(permission):
                raise Http404
            return view(request, *args, **kwargs)

        setattr(wrapped, REQUIRED_PERMISSION, permission)
        return wrapped

    return decorator


def required_permission(view: Callable[..., Any]) -> str | None:
    """The permission a view declared with ``permission_required`` (None: it declared none)."""
    found = getattr(view, REQUIRED_PERMISSION, None)
    return found if isinstance(found, str) else None
