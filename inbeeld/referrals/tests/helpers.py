"""Referrals for tests: a shelter in a world region with its staff, and a referral to it made
through the service like the zorgcoördinator would."""

from __future__ import annotations

from collections.abc import Sequence

from inbeeld.accounts.models import Organisation, OrganisationType, Role, User
from inbeeld.cases.models import Case
from inbeeld.cases.tests.helpers import world_case
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.referrals.models import Referral, ServiceType, SharedField
from inbeeld.referrals.services import ReferralInput, referral_create
from inbeeld.testing.factories import region, staff_user
from inbeeld.testing.world import REGION_CODES, World

# A value of the case that no referral in these tests shares: it must never be on the page of
# the receiving organisation.
CANARY_NAME = "Kanarie Geheimnaam"


def shelter(letter: str = "A") -> Organisation:
    organisation, _new = Organisation.objects.get_or_create(
        region=region(REGION_CODES[letter]),
        name=f"Opvang {letter}",
        defaults={"type": OrganisationType.SHELTER},
    )
    return organisation


def shelter_staff(letter: str = "A") -> User:
    username = f"opvang.{letter.lower()}"
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    return staff_user(role=Role.KETENPARTNER, organisation=shelter(letter), username=username)


def named_case(world: World, letter: str = "A") -> Case:
    """The world's case of ``letter`` with the canary as the person's name."""
    case = world_case(world, letter)
    case.person.name = CANARY_NAME
    case.person.save()
    return case


def world_referral(
    world: World,
    letter: str = "A",
    *,
    case: Case | None = None,
    shared: Sequence[str] = (SharedField.AGE_BAND, SharedField.MUNICIPALITY),
    to: Organisation | None = None,
    service: str = ServiceType.SHELTER,
) -> Referral:
    """A referral to the region's shelter of its (canary-named) case, sharing no name."""
    return referral_create(
        by=world.user(Role.ZORGCOORDINATOR, letter),
        case=case or named_case(world, letter),
        data=ReferralInput(
            organisation=to or shelter(letter),
            service=service,
            message="Veilige opvang gevraagd.",
            shared_fields=list(shared),
            legal_basis=LegalBasis.PUBLIC_TASK,
        ),
    )
