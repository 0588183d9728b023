"""Who sees and changes a case: the rules (cases/rules.py) and the list (access.py) agree.

For every role in region A and B, in the owner organisation, in an invited organisation and
in an organisation that takes no part, ``case_get_for`` answers exactly when the case is in
``cases_visible_to``; the zorgcoördinator of the region alone may change it. A restricted case
is nobody's but the FG's. The two-region account's roles count only in their own region.
"""

from __future__ import annotations

import pytest
from django.http import Http404

from inbeeld.accounts.models import Organisation, OrganisationType, Role, User
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.cases import services
from inbeeld.cases.access import case_get_for, cases_visible_to
from inbeeld.cases.models import Case
from inbeeld.cases.roles import CASE_ROLES
from inbeeld.cases.tests.helpers import world_case
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.testing.factories import OrganisationFactory, region, staff_user
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db
ALL_ROLES = list(Role.values)


def sees(user: User, case: Case, need: str = "view") -> bool:
    try:
        case_get_for(user, case.pk, need=need)  # type: ignore[arg-type]
    except Http404:
        return False
    return True


def invited(world: World, case: Case) -> Organisation:
    shelter = OrganisationFactory.create(
        region=region("VR19"), type=OrganisationType.SHELTER, name="Opvang A"
    )
    services.case_invite(
        by=world.user(Role.ZORGCOORDINATOR, "A"),
        case=case,
        organisation=shelter,
        legal_basis=LegalBasis.PUBLIC_TASK,
        purpose="Opvang",
    )
    return shelter


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("letter", ["A", "B"])
def test_staff_of_the_owner_organisation(world: World, role: str, letter: str) -> None:
    case = world_case(world, "A")
    user = world.user(role, letter)
    in_owner = letter == "A" and role in CASE_ROLES
    assert sees(user, case) is in_owner
    assert (case in cases_visible_to(user)) is in_owner
    assert sees(user, case, "edit") is (letter == "A" and role == Role.ZORGCOORDINATOR)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_people_of_an_invited_organisation(world: World, role: str) -> None:
    case = world_case(world, "A")
    user = staff_user(role=role, organisation=invited(world, case))
    # A coordinator of the invited organisation coordinates the region anyway.
    expected = role in CASE_ROLES
    assert sees(user, case) is expected
    assert (case in cases_visible_to(user)) is expected
    assert sees(user, case, "edit") is (role == Role.ZORGCOORDINATOR)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_an_organisation_that_takes_no_part_sees_nothing(world: World, role: str) -> None:
    case = world_case(world, "A")
    invited(world, case)
    # The reporter's organisation reported the signal, but the case is not theirs.
    user = (
        world.reporter("A")
        if role == Role.KETENPARTNER
        else staff_user(role=role, organisation=world.partner("A"))
    )
    # Only a zorgcoördinator, who coordinates every case of her region, sees it.
    expected = role == Role.ZORGCOORDINATOR
    assert sees(user, case) is expected
    assert (case in cases_visible_to(user)) is expected


def test_the_two_region_account_counts_each_role_in_its_own_region(world: World) -> None:
    account = world.two_regions  # zorgcoördinator in A, chain partner in B
    case_a, case_b = world_case(world, "A"), world_case(world, "B")
    assert sees(account, case_a, "edit")
    # In B it is a chain partner of the owner organisation: it sees, it does not change.
    assert sees(account, case_b)
    assert not sees(account, case_b, "edit")
    assert set(cases_visible_to(account)) == {case_a, case_b}


def test_a_restricted_case_is_seen_by_nobody(world: World) -> None:
    case = world_case(world, "A")
    Case.objects.filter(pk=case.pk).update(restricted=True)
    assert not sees(world.user(Role.ZORGCOORDINATOR, "A"), case)
    assert case not in cases_visible_to(world.user(Role.ZORGCOORDINATOR, "A"))


def test_a_read_is_audited_and_a_refusal_reads_nothing(world: World) -> None:
    case = world_case(world, "A")
    case_get_for(world.user(Role.ZORGCOORDINATOR, "A"), case.pk)
    reads = AuditEntry.objects.filter(
        object_type="cases.case", object_id=str(case.pk), action=Action.READ
    )
    assert reads.count() == 1
    assert reads.get().region == "VR19"
    assert not sees(world.user(Role.ZORGCOORDINATOR, "B"), case)
    assert reads.count() == 1
