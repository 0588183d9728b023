"""Getting regions, organisations and accounts by id or code, and the lists a user may manage.

The decisions are the permissions in accounts/rules.py and regions/rules.py (django-rules).
Every check answers "not found" (404) for an object outside the user's reach, so that a
user of one region cannot even learn that another region's object exists.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest

from inbeeld.accounts.models import (
    ContactPerson,
    Covenant,
    CovenantSignature,
    Membership,
    Organisation,
    Role,
    User,
)
from inbeeld.accounts.rules import NETWORK_KEEPERS
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
    # Never an organisation token's own account (predicates._is_token_account).
    return User.objects.filter(
        (Q(has_role) & ~Q(has_role_elsewhere))
        | (~Q(has_role) & Q(organisation__region__in=regions)),
        organisation_token__isnull=True,
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


# --- The regional network: directory, contact persons, covenant ------------------------------
# Every colleague of a region sees its network (accounts.view_network_of); its keepers, the
# ketenregisseur and the beheerder, change it (accounts.manage_network_of).

NETWORK_NEEDS = {"view": "accounts.view_network_of", "manage": "accounts.manage_network_of"}


def network_regions(user: User, *, need: str = "view") -> QuerySet[Region]:
    """The regions whose network the user sees (``view``) or keeps (``manage``): the rule
    ``NETWORK_NEEDS[need]`` as a filter, kept equal to it by accounts/tests/test_rules.py."""
    if need == "manage":
        return regions_where(user, *NETWORK_KEEPERS)
    return regions_where(user)


def network_region_get_for(*, user: User, code: str, need: str = "view") -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None or not user.has_perm(NETWORK_NEEDS[need], region):
        raise Http404
    return region


def network_organisations(user: User, *, need: str = "view") -> QuerySet[Organisation]:
    return Organisation.objects.filter(region__in=network_regions(user, need=need)).select_related(
        "region", "municipality"
    )


def network_organisation_get_for(
    *, user: User, organisation_id: int, need: str = "view"
) -> Organisation:
    """An organisation of a region whose network the user sees or keeps, else 404."""
    organisation = (
        Organisation.objects.select_related("region", "municipality")
        .filter(pk=organisation_id)
        .first()
    )
    if organisation is None or not user.has_perm(NETWORK_NEEDS[need], organisation):
        raise Http404
    return organisation


def contact_person_get_for(*, user: User, contact_id: int, need: str = "manage") -> ContactPerson:
    """A contact person of a region the user keeps (to change it); the read is audited."""
    contact = (
        ContactPerson.objects.select_related("organisation__region", "user")
        .filter(pk=contact_id)
        .first()
    )
    if contact is None or not user.has_perm(NETWORK_NEEDS[need], contact):
        raise Http404
    audit_record(actor=user, action=Action.READ, target=contact, purpose=Purpose.NETWORK)
    return contact


def covenant_get_for(*, user: User, covenant_id: int, need: str = "view") -> Covenant:
    """A version of a covenant of the user's region (its document not loaded), else 404."""
    covenant = (
        Covenant.objects.select_related("region").defer("document").filter(pk=covenant_id).first()
    )
    if covenant is None or not user.has_perm(NETWORK_NEEDS[need], covenant):
        raise Http404
    return covenant


def covenant_signature_get_for(
    *, user: User, signature_id: int, need: str = "manage"
) -> CovenantSignature:
    """A signature of a covenant of a region the user keeps; the read is audited (a name)."""
    signature = (
        CovenantSignature.objects.select_related("covenant__region", "organisation")
        .filter(pk=signature_id)
        .first()
    )
    if signature is None or not user.has_perm(NETWORK_NEEDS[need], signature):
        raise Http404
    audit_record(actor=user, action=Action.READ, target=signature, purpose=Purpose.NETWORK)
    return signature
