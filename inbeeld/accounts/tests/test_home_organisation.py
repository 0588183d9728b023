"""The home organisation: who manages an account while it holds no role."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from inbeeld.accounts.models import Membership, Role, User
from inbeeld.accounts.services import membership_remove
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import OrganisationFactory, region, staff_user

pytestmark = pytest.mark.django_db


def test_the_create_form_offers_only_the_administrators_organisations_and_requires_one() -> None:
    beheerder = staff_user(role=Role.BEHEERDER, region_code="VR04")
    own = beheerder.memberships.get().organisation
    elsewhere = OrganisationFactory.create(region=region("VR19"), name="Elders")
    client = verified_client(beheerder)
    form = client.get(reverse("accounts:user_create")).context["form"]
    assert list(form.fields["organisation"].queryset) == [own]
    assert form.fields["organisation"].initial == own  # the sole option, preselected
    url = reverse("accounts:user_create")
    refused = client.post(url, {"username": "nieuw", "organisation": elsewhere.pk})
    assert 'id="id_organisation_error"' in refused.content.decode()
    missing = client.post(url, {"username": "nieuw"})
    assert 'id="id_organisation_error"' in missing.content.decode()
    assert not User.objects.filter(username="nieuw").exists()
    client.post(url, {"username": "nieuw", "organisation": own.pk, "is_active": "on"})
    assert User.objects.get(username="nieuw").organisation == own


def test_removing_the_last_role_leaves_the_account_with_the_region_that_removed_it() -> None:
    ijsselland = OrganisationFactory.create(region=region("VR04"))
    zeeland = OrganisationFactory.create(region=region("VR19"))
    account = staff_user(role=Role.KETENPARTNER, organisation=zeeland)
    account.organisation = ijsselland  # an older home, from a role it no longer holds
    account.save()
    beheerder = staff_user(role=Role.BEHEERDER, organisation=zeeland)
    membership_remove(by=beheerder, membership=account.memberships.get())
    account.refresh_from_db()
    assert account.organisation == zeeland
    assert beheerder.has_perm("accounts.manage_user", account)


def test_the_data_migration_takes_the_oldest_membership() -> None:
    migration = importlib.import_module(
        "inbeeld.accounts.migrations.0003_home_organisation_from_oldest_membership"
    )
    first = OrganisationFactory.create(region=region("VR04"))
    later = OrganisationFactory.create(region=region("VR19"))
    account = staff_user(role=Role.FG, organisation=first)
    Membership.objects.create(user=account, organisation=later, role=Role.FG)
    role_less = User.objects.create(username="zonder.rol")
    migration.home_from_oldest_membership(apps, None)
    account.refresh_from_db()
    role_less.refresh_from_db()
    assert account.organisation == first
    assert role_less.organisation is None
