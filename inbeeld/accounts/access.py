"""Getting regions, organisations and accounts by id or code, and the lists a user may manage.

The decisions are the permissions in accounts/rules.py and regions/rules.py (django-rules).
Every check answers "not found" (404) for an object outside the user's reach, so that a
user of one region cannot even learn that another region's object exists.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest

from inbeeld.accounts.models import Membership, Organisation, Role, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.regions.models import Region


def staff_user_of(request: HttpRequest) -> User:
    """The signed-in staff user of a request; views behind the login gate can rely on it."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def roles_of(user: User) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user).values_list("role", flat=True))


def regions_where(user: User, *roles: str) -> QuerySet[Region]:
    """Regions in which the user holds any of ``roles`` (any role when none are given)."""
    memberships = Membership.objects.filter(user=user)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return Region.objects.filter(organisations__in=memberships.values("organisation")).distinct()


def region_get_for(*, user: User, code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None or not user.has_perm("regions.view_region", region):
        raise Http404
    return region


def region_get_for_admin(*, user: User, code: str) -> Region:
    """A region the user administers (accounts.manage_region), else 404."""
    region = Region.objects.filter(code=code).first()
    if region is None or not user.has_perm("accounts.manage_region", region):
        raise Http404
    return region


def administered_regions(user: User) -> QuerySet[Region]:
    return regions_where(user, Role.BEHEERDER)


def organisations_administered_by(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(region__in=administered_regions(user)).select_related(
        "region", "municipality"
    )


def organisation_get_for_admin(*, user: User, organisation_id: int) -> Organisation:
    organisation = (
        Organisation.objects.select_related("region", "municipality")
        .filter(pk=organisation_id)
        .first()
    )
    if organisation is None or not user.has_perm("accounts.manage_organisation", organisation):
        raise Http404
    return organisation


def users_administered_by(user: User) -> QuerySet[User]:
    """Accounts the administrator manages: the rule ``accounts.manage_user`` as a filter.

    An account with roles only in regions the administrator runs, or without any role and
    with a home organisation in such a region. Never an account that also works elsewhere.
    """
    regions = administered_regions(user)
    memberships = Membership.objects.filter(user=OuterRef("pk"))
    has_role = Exists(memberships)
    has_role_elsewhere = Exists(memberships.exclude(organisation__region__in=regions))
    return User.objects.filter(
        (Q(has_role) & ~Q(has_role_elsewhere))
        | (~Q(has_role) & Q(organisation__region__in=regions))
    )


def user_get_for_admin(*, user: User, user_id: int) -> User:
    """An account the administrator manages; the read is audited (names, e-mail)."""
    account = User.objects.filter(pk=user_id).first()
    if account is None or not user.has_perm("accounts.manage_user", account):
        raise Http404
    audit_record(
        actor=user, action=Action.READ, target=account, purpose=Purpose.ACCOUNT_ADMINISTRATION
    )
    return account
