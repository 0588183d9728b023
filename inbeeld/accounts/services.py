"""Writes in the accounts domain. Views and the CLI call these; nothing saves models directly."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone

from inbeeld.accounts.models import Membership, Organisation, User
from inbeeld.accounts.twofactor import second_factor_reset
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record, changed_fields
from inbeeld.regions.models import Region

USER_FIELDS = ("username", "first_name", "last_name", "email", "organisation_id", "is_active")


def initial_password() -> str:
    """A random first password, shown once to the administrator who hands it over."""
    return secrets.token_urlsafe(12)


@transaction.atomic
def user_create(
    *,
    by: User | None = None,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    password: str | None = None,
    is_active: bool = True,
    organisation: Organisation | None = None,
) -> tuple[User, str]:
    """Create a staff account; returns it with the password to hand over.

    ``organisation`` is the home organisation: its region's administrators manage the account
    while it holds no role. Without one (the command line) no web administrator does.
    """
    password = password or initial_password()
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_active=is_active,
        organisation=organisation,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(
        actor=by,
        action=Action.CREATE,
        target=user,
        purpose=Purpose.ACCOUNT_ADMINISTRATION,
        detail={"fields": changed_fields({}, _user_values(user), USER_FIELDS)},
    )
    return user, password


def _user_values(user: User) -> dict[str, object]:
    return {name: getattr(user, name) for name in USER_FIELDS}


@transaction.atomic
def user_update(*, by: User, user: User, before: dict[str, object]) -> User:
    """Save an edited account; ``before`` holds its values as loaded, for the audit trail."""
    user.full_clean()
    user.save()
    _audit_changes(by=by, user=user, before=before)
    return user


def user_snapshot(user: User) -> dict[str, object]:
    return _user_values(user)


def _account_action(by: User, user: User, what: str) -> None:
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=user,
        purpose=Purpose.ACCOUNT_ADMINISTRATION,
        detail={"action": what},
    )


@transaction.atomic
def user_password_reset(*, by: User, user: User) -> str:
    password = initial_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    _account_action(by, user, "password reset")
    return password


@transaction.atomic
def user_unlock(*, by: User, user: User) -> int:
    """Lift every lock-out before its cool-off ends: per address and the per-user back-off."""
    removed: int = axes_reset(username=user.username)
    user.login_backoff_lifted_at = timezone.now()
    user.save(update_fields=["login_backoff_lifted_at"])
    _account_action(by, user, "unlocked")
    return removed


@transaction.atomic
def user_second_factor_reset(*, by: User, user: User) -> None:
    second_factor_reset(user)
    _account_action(by, user, "second factor reset")


@transaction.atomic
def membership_add(
    *, user: User, organisation: Organisation, role: str, by: User | None = None
) -> Membership:
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=user,
        region=organisation.region.code,
        purpose=Purpose.ACCOUNT_ADMINISTRATION,
        detail={"role_added": role, "organisation": organisation.pk},
    )
    return membership


@transaction.atomic
def membership_remove(*, by: User, membership: Membership) -> None:
    user = membership.user
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=user,
        region=membership.organisation.region.code,
        purpose=Purpose.ACCOUNT_ADMINISTRATION,
        detail={"role_removed": membership.role, "organisation": membership.organisation_id},
    )
    membership.delete()
    if not user.memberships.exists() and user.organisation_id != membership.organisation_id:
        # Without roles the home organisation decides who manages the account: it stays with
        # the region whose administrator removed its last role, not with an older region.
        before = _user_values(user)
        user.organisation = membership.organisation
        user.save(update_fields=["organisation"])
        _audit_changes(by=by, user=user, before=before)


def _audit_changes(*, by: User, user: User, before: dict[str, object]) -> None:
    changes = changed_fields(before, _user_values(user), USER_FIELDS)
    if changes:
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=user,
            purpose=Purpose.ACCOUNT_ADMINISTRATION,
            detail={"fields": changes},
        )


# --- regions and organisations: their names, and whether an organisation is active, decide
# who sees what (an inactive organisation's members lose their access), so every change is
# audited. These values are not personal data: the entry shows them as they were and are.

REGION_FIELDS = ("name",)
ORGANISATION_FIELDS = ("name", "type", "region", "municipality", "active")


def record_values(record: models.Model, fields: Sequence[str]) -> dict[str, object]:
    """The record's values as stored (a foreign key as its id), for comparing before/after."""
    return {name: getattr(record, record._meta.get_field(name).attname) for name in fields}  # type: ignore[union-attr]


def _changes(
    before: Mapping[str, object], after: Mapping[str, object]
) -> dict[str, dict[str, object]]:
    return {
        name: {"old": before.get(name), "new": value}
        for name, value in after.items()
        if before.get(name) != value
    }


@transaction.atomic
def region_update(*, by: User, region: Region, before: Mapping[str, object]) -> Region:
    """Save an edited region; ``before`` holds its values as loaded."""
    if not by.has_perm("accounts.manage_region", region):
        raise PermissionDenied
    region.full_clean()
    region.save()
    changes = _changes(before, record_values(region, REGION_FIELDS))
    if changes:
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=region,
            purpose=Purpose.ORGANISATION_ADMINISTRATION,
            detail={"fields": changes},
        )
    return region


@transaction.atomic
def organisation_save(
    *, by: User, organisation: Organisation, before: Mapping[str, object] | None
) -> Organisation:
    """Create (``before`` is None) or save an edited organisation, in a region ``by`` runs."""
    if not by.has_perm("accounts.manage_organisation", organisation):
        raise PermissionDenied
    organisation.full_clean()
    organisation.save()
    after = record_values(organisation, ORGANISATION_FIELDS)
    changes = _changes(before or {}, after)
    if changes:
        audit_record(
            actor=by,
            action=Action.CREATE if before is None else Action.UPDATE,
            target=organisation,
            purpose=Purpose.ORGANISATION_ADMINISTRATION,
            detail={"fields": changes},
        )
    return organisation
