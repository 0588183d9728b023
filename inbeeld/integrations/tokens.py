"""Organisation API tokens: issued and revoked by the region's functioneel beheerder.

The token is shown once; only its SHA-256 digest is stored (the token is 192 random bits, so
a plain digest suffices: nothing to guess, unlike a password). It acts for the organisation
through its own account (models.OrganisationToken): no password, inactive for every login,
holding in that organisation only the roles its scopes need, and only roles a member of the
organisation holds, so it sees no more than such a member. docs/api.md.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.models import Membership, Organisation, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.integrations.models import OrganisationToken
from inbeeld.integrations.scopes import SCOPES

PREFIX = "ibo_"  # tells an organisation token from a personal (knox) one
MAX_DAYS = 366


@dataclass(frozen=True)
class IssuedOrganisationToken:
    token: str  # shown once
    record: OrganisationToken


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def organisation_get_for_manager(*, user: User, organisation_id: int) -> Organisation:
    """The organisation whose tokens and webhooks ``user`` manages; 404 otherwise."""
    organisation = Organisation.objects.select_related("region").filter(pk=organisation_id).first()
    if organisation is None or not user.has_perm("integrations.manage_of", organisation):
        raise Http404
    return organisation


def _member_role(organisation: Organisation, roles: tuple[str, ...]) -> str | None:
    """The first of ``roles`` that a person (not a token) of the organisation holds."""
    held = set(
        Membership.objects.filter(
            organisation=organisation,
            role__in=roles,
            user__is_active=True,
            user__organisation_token__isnull=True,
        ).values_list("role", flat=True)
    )
    return next((role for role in roles if role in held), None)


def token_roles(organisation: Organisation, scopes: list[str]) -> dict[str, list[str]]:
    """The role each scope needs; ValidationError naming ``scopes`` or ``days`` otherwise."""
    errors: list[str] = []
    roles: dict[str, list[str]] = {}
    if not scopes:
        errors.append(_("Choose at least one scope."))
    for name in scopes:
        scope = SCOPES.get(name)
        if scope is None:
            errors.append(_("Unknown scope: %(scope)s.") % {"scope": name})
            continue
        role = _member_role(organisation, scope.roles)
        if role is None:
            errors.append(
                _(
                    "%(scope)s: no one at this organisation holds the role it needs, so a "
                    "token may not have it either."
                )
                % {"scope": name}
            )
            continue
        roles.setdefault(role, []).append(name)
    if errors:
        raise ValidationError({"scopes": errors})
    return roles


def _days_checked(days: int | None) -> int:
    number = int(settings.API_TOKEN_DAYS) if days is None else days
    if not 1 <= number <= MAX_DAYS:
        raise ValidationError(
            {"days": [_("Give a number of days from 1 to %(max)d.") % {"max": MAX_DAYS}]}
        )
    return number


@transaction.atomic
def organisation_token_issue(
    *,
    by: User,
    organisation: Organisation,
    name: str,
    scopes: list[str],
    days: int | None = None,
) -> IssuedOrganisationToken:
    """A new token for ``organisation``; the token itself is returned once, never stored."""
    if not by.has_perm("integrations.manage_of", organisation) or not organisation.active:
        raise PermissionDenied
    if not name.strip():
        raise ValidationError({"name": [_("Name the token (the system that uses it).")]})
    lifetime = timedelta(days=_days_checked(days))
    roles = token_roles(organisation, scopes)
    token = PREFIX + secrets.token_hex(24)
    key = token[len(PREFIX) : len(PREFIX) + 8]
    account = User(
        username=f"api-token.{key}",
        first_name="API-token",
        last_name=name.strip()[:150],
        organisation=organisation,
        # Never a login: inactive in the database (the token's authentication activates the
        # loaded object for its request only) and without a usable password.
        is_active=False,
    )
    account.set_unusable_password()
    account.save()
    for role in roles:
        Membership.objects.create(user=account, organisation=organisation, role=role)
    record = OrganisationToken.objects.create(
        organisation=organisation,
        name=name.strip()[:100],
        key=key,
        digest=token_digest(token),
        scopes=sorted(set(scopes)),
        account=account,
        created_by=by,
        expires_at=timezone.now() + lifetime,
    )
    audit_record(
        actor=by,
        action=Action.CREATE,
        target=record,
        purpose=Purpose.ORGANISATION_ADMINISTRATION,
        detail={
            "token": key,
            "scopes": record.scopes,
            "roles": sorted(roles),
            "expires": record.expires_at.isoformat(),
        },
    )
    return IssuedOrganisationToken(token, record)


@transaction.atomic
def organisation_token_revoke(*, by: User, token: OrganisationToken) -> None:
    """Revoke at once: refused with 401 from the next request on; its roles are removed."""
    if not by.has_perm("integrations.manage_of", token.organisation):
        raise PermissionDenied
    locked = OrganisationToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        return
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    Membership.objects.filter(user_id=locked.account_id).delete()
    audit_record(
        actor=by,
        action=Action.DELETE,
        target=locked,
        purpose=Purpose.ORGANISATION_ADMINISTRATION,
        detail={"token_revoked": locked.key},
    )


def organisation_token_get_for(
    *, user: User, organisation: Organisation, pk: int
) -> OrganisationToken:
    token = OrganisationToken.objects.filter(pk=pk, organisation=organisation).first()
    if token is None or not user.has_perm("integrations.manage_of", organisation):
        raise Http404
    return token


def tokens_of(organisation: Organisation) -> list[OrganisationToken]:
    return list(OrganisationToken.objects.filter(organisation=organisation))
