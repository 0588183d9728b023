"""Page gates on the permissions the apps declare: 404 for whoever may not open the page.

On the base floor (accounts), so that every app can gate its pages, privacy/ included.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from inbeeld.accounts.models import User
from inbeeld.accounts.predicates import holds_role

View = Callable[..., HttpResponse]


def _gate(allowed: Callable[[User], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            # 404, not 403: a refused page looks like one that does not exist (and is audited).
            if not isinstance(user, User) or not allowed(user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def permission_required(permission: str) -> Callable[[View], View]:
    """Only users with ``permission`` (a rule in an app's rules.py) may open the view; 404."""
    return _gate(lambda user: user.has_perm(permission))


def role_required(*roles: str) -> Callable[[View], View]:
    """Only users holding one of ``roles`` may open the view; others get 404, not 403.

    The same predicate as the page permissions in the apps' rules.py (holds_role).
    """
    rule = holds_role(*roles)
    return _gate(lambda user: rule.test(user))
