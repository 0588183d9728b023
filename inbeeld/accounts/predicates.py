"""The building blocks of every access decision: small yes/no questions about a user and a record.

Each app combines them into named permissions in its own ``rules.py`` (django-rules); views,
the API, exports and services then ask ``user.has_perm("signals.view_signal", signal)``.
Everything here answers "no" for an anonymous user and for a record it does not understand,
so that a mistake refuses rather than reveals.

Lists cannot be filtered by a predicate one object at a time; they stay querysets in each
app's ``access.py``, and tests prove for every role that the queryset and the permission agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rules.permissions import permissions
from rules.predicates import Predicate

from inbeeld.accounts.models import Membership, Organisation, Role, User
from inbeeld.regions.models import Region


def permission(name: str, rule: Predicate) -> None:
    """Register the permission ``name``; every app's rules.py calls this once per name."""
    permissions.add_rule(name, rule)  # type: ignore[no-untyped-call]


def _staff(user: Any) -> User | None:
    return user if isinstance(user, User) and user.is_active else None


def region_id_of(record: Any) -> int | None:
    """The region a record belongs to: the tenant boundary every regional rule starts from."""
    if isinstance(record, Region):
        return int(record.pk)
    region_id = getattr(record, "region_id", None)
    return region_id if isinstance(region_id, int) else None


def _named(name: str, fn: Callable[..., bool]) -> Predicate:
    return Predicate(fn, name=name)


def _is_staff_member(user: Any) -> bool:
    return _staff(user) is not None


# Any active staff account, with or without a role: its own pages (overview, account).
is_staff_member = _named("is_staff_member", _is_staff_member)


# Where roles_of keeps a user's roles on the user object: one query per request, not one per
# menu item and page gate (the menu asks about twenty). As Django's own ModelBackend keeps
# ``_perm_cache`` on the user: the request's user is loaded anew for every request, so a
# changed membership counts from the next request on.
_ROLES_CACHE = "_inbeeld_roles_cache"


def roles_of(staff: User) -> frozenset[str]:
    """The roles ``staff`` holds in any organisation, read once per user object."""
    cached: frozenset[str] | None = getattr(staff, _ROLES_CACHE, None)
    if cached is None:
        cached = frozenset(Membership.objects.filter(user=staff).values_list("role", flat=True))
        setattr(staff, _ROLES_CACHE, cached)
    return cached


def holds_role(*roles: str) -> Predicate:
    """The user holds one of ``roles`` in some organisation (the gate of a page or a menu)."""

    def check(user: Any) -> bool:
        staff = _staff(user)
        return staff is not None and not roles_of(staff).isdisjoint(roles)

    return _named(f"holds_role({', '.join(roles)})", check)


def holds_role_in_region(*roles: str) -> Predicate:
    """The user holds one of ``roles`` (any role when none are given) in the record's region."""

    def check(user: Any, record: Any) -> bool:
        staff, region_id = _staff(user), region_id_of(record)
        if staff is None or region_id is None:
            return False
        memberships = Membership.objects.filter(user=staff, organisation__region_id=region_id)
        if roles:
            memberships = memberships.filter(role__in=roles)
        return memberships.exists()

    return _named(f"holds_role_in_region({', '.join(roles) or 'any'})", check)


def holds_role_in_active_organisation(*roles: str) -> Predicate:
    """The user acts for an active organisation in one of ``roles``: without a record, any such
    organisation; with one, the record itself (an Organisation) or the record's organisation."""

    def check(user: Any, record: Any) -> bool:
        staff = _staff(user)
        if staff is None:
            return False
        memberships = Membership.objects.filter(
            user=staff, role__in=roles, organisation__active=True
        )
        if record is not None:
            organisation_id = (
                record.pk
                if isinstance(record, Organisation)
                else getattr(record, "organisation_id", None)
            )
            if organisation_id is None:
                return False
            memberships = memberships.filter(organisation_id=organisation_id)
        return memberships.exists()

    return _named(f"holds_role_in_active_organisation({', '.join(roles)})", check)


def _is_member_of_source_organisation(user: Any, record: Any) -> bool:
    staff = _staff(user)
    organisation_id = getattr(record, "source_organisation_id", None)
    return (
        staff is not None
        and organisation_id is not None
        and Membership.objects.filter(user=staff, organisation_id=organisation_id).exists()
    )


# The user works (in any role) for the organisation that reported the record.
is_member_of_source_organisation = _named(
    "is_member_of_source_organisation", _is_member_of_source_organisation
)


def _is_assigned(user: Any, record: Any) -> bool:
    staff = _staff(user)
    assigned = getattr(record, "assigned_to", None)
    return staff is not None and assigned is not None and assigned.filter(pk=staff.pk).exists()


# The record was explicitly assigned (shared) to the user: need-to-know by name.
is_assigned = _named("is_assigned", _is_assigned)


def _is_restricted(user: Any, record: Any) -> bool:
    # Unknown means restricted: a record without the flag is not a record this rule is for.
    return bool(getattr(record, "restricted", True))


# Processing is restricted (AVG art. 18): the record is kept, but nobody works with it.
is_restricted = _named("is_restricted", _is_restricted)


def _administers_account(user: Any, account: Any) -> bool:
    staff = _staff(user)
    if staff is None or not isinstance(account, User):
        return False
    if _is_token_account(account):
        return False  # an organisation token's own account: managed as the token only
    administered = set(
        Membership.objects.filter(user=staff, role=Role.BEHEERDER).values_list(
            "organisation__region_id", flat=True
        )
    )
    if not administered:
        return False
    account_regions = set(
        Membership.objects.filter(user=account).values_list("organisation__region_id", flat=True)
    )
    if account_regions:
        # Every region in which the account works must be the administrator's: managing it
        # (password, second factor) means being able to act as it in all of them.
        return account_regions <= administered
    # Without a role the account belongs to its home organisation's region; without a home
    # organisation (made on the command line) to no administrator on the web.
    home = account.organisation_id
    return home is not None and (
        Organisation.objects.filter(pk=home, region_id__in=administered).exists()
    )


def _is_token_account(account: User) -> bool:
    """The account of an organisation API token (integrations/models.py: OrganisationToken).

    Its roles are the ones its scopes need, set when the token is issued; no one gives it a
    password, a second factor or another role on the account pages. Named by the reverse
    relation so that accounts/ imports nothing of integrations/.
    """
    return User.objects.filter(pk=account.pk, organisation_token__isnull=False).exists()


# The user is functioneel beheerder of every region in which the account holds a role (of the
# home organisation's region when it holds none). Kept equal to access.users_administered_by.
administers_account = _named("administers_account", _administers_account)
