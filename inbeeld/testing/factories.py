"""factory-boy factories: fixtures are built, never copied from production-like data."""

from __future__ import annotations

from datetime import date
from typing import Any

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from inbeeld.accounts.models import (
    Covenant,
    CovenantSignature,
    Membership,
    Organisation,
    OrganisationType,
    User,
)
from inbeeld.accounts.twofactor import totp_current_code
from inbeeld.regions.models import Region

TEST_PASSWORD = "correct-horse-battery-staple-7"


def region(code: str) -> Region:
    """Regions are reference data loaded by a migration; tests use the real ones."""
    return Region.objects.get(code=code)


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    type = OrganisationType.CARE
    region = factory.LazyFunction(lambda: region("VR19"))


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"medewerker{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "zorgcoordinator"


def staff_user(
    *,
    role: str,
    region_code: str = "VR19",
    organisation: Organisation | None = None,
    username: str | None = None,
    with_totp: bool = True,
) -> User:
    organisation = organisation or OrganisationFactory.create(region=region(region_code))
    kwargs = {"username": username} if username else {}
    user = UserFactory.create(**kwargs)
    MembershipFactory.create(user=user, organisation=organisation, role=role)
    if with_totp:
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def current_totp_code(user: User) -> str:
    return totp_current_code(TOTPDevice.objects.get(user=user, confirmed=True))


def covenant_signed_by(*organisations: Organisation) -> Covenant:
    """The region's test covenant, in force since 2020, signed by each of the organisations.

    Written directly: the covenant's services are tested in accounts/tests/test_covenant.py.
    Tests that share on the covenant basis need it (privacy/sharing.py refuses otherwise).
    Called again for the same region, it adds signatures to the same covenant.
    """
    regions = {organisation.region_id for organisation in organisations}
    if len(regions) != 1:
        raise ValueError("a covenant belongs to one region: pass organisations of one region")
    region_id = regions.pop()
    covenant = Covenant.objects.filter(region_id=region_id, version="test").first()
    if covenant is None:
        covenant = Covenant.objects.create(
            region_id=region_id,
            title="Intentieverklaring (test)",
            version="test",
            text="Testtekst.",
            in_force_from=date(2020, 1, 1),
            created_by=UserFactory.create(),
        )
    for organisation in organisations:
        CovenantSignature.objects.get_or_create(
            covenant=covenant,
            organisation=organisation,
            defaults={
                "signed_on": covenant.in_force_from,
                "signed_by_name": "Ondertekenaar (test)",
                "recorded_by": covenant.created_by,
            },
        )
    return covenant
