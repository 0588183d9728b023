from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from inbeeld.accounts.models import User
from inbeeld.accounts.twofactor import is_verified
from inbeeld.web.navigation import menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not isinstance(user, User) or not is_verified(user):
        return {"menu": []}
    return {"menu": menu_for(user)}
