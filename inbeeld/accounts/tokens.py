"""API tokens on django-rest-knox: only a digest is stored, the token itself is shown once."""

from __future__ import annotations

from knox.models import AuthToken

from inbeeld.accounts.models import User


def api_token_create(*, user: User) -> str:
    _instance, token = AuthToken.objects.create(user=user, expiry=None)
    return str(token)
