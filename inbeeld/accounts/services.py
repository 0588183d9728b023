"""Writes in the accounts domain. Views and the CLI call these; nothing saves models directly."""

from __future__ import annotations

import secrets

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from inbeeld.accounts.models import Membership, Organisation, User
from inbeeld.accounts.twofactor import second_factor_reset


def initial_password() -> str:
    """A random first password, shown once to the administrator who hands it over."""
    return secrets.token_urlsafe(12)


@transaction.atomic
def user_create(
    *,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    password: str | None = None,
    is_active: bool = True,
) -> tuple[User, str]:
    """Create a staff account; returns it with the password to hand over."""
    password = password or initial_password()
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_active=is_active,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user, password


@transaction.atomic
def user_password_reset(*, user: User) -> str:
    password = initial_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    return password


def user_unlock(*, user: User) -> int:
    """Lift a lock-out after repeated failed logins before its cool-off ends."""
    removed: int = axes_reset(username=user.username)
    return removed


def user_second_factor_reset(*, user: User) -> None:
    second_factor_reset(user)


@transaction.atomic
def membership_add(*, user: User, organisation: Organisation, role: str) -> Membership:
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    return membership


def membership_remove(*, membership: Membership) -> None:
    membership.delete()
