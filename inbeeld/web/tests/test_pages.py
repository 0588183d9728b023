"""What every page promises: Dutch first, English on request, strict headers, no inline script."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from inbeeld.accounts.models import Role
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import staff_user

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy() -> None:
    response = Client().get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "base-uri 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"


def test_no_page_has_an_inline_script_or_style() -> None:
    client = verified_client(staff_user(role=Role.BEHEERDER))
    for url in [reverse("web:home"), reverse("accounts:users"), reverse("web:regions")]:
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "<style" not in html and " style=" not in html, url


def test_the_interface_is_dutch_by_default_and_english_on_request() -> None:
    client = Client()
    assert "Inloggen" in client.get(reverse("accounts:login")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log in" in client.get(reverse("accounts:login")).content.decode()


def test_region_page_lists_its_real_municipalities() -> None:
    client = verified_client(staff_user(role=Role.AANDACHTSFUNCTIONARIS, region_code="VR19"))
    html = client.get(reverse("web:region_detail", kwargs={"code": "VR19"})).content.decode()
    assert "Goes" in html and "GM0664" in html and "Vlissingen" in html
    assert "Zwolle" not in html
    assert "13 gemeenten" in html


def test_administrator_creates_an_organisation_only_in_their_region() -> None:
    from inbeeld.accounts.models import Organisation
    from inbeeld.regions.models import Region

    client = verified_client(staff_user(role=Role.BEHEERDER, region_code="VR19"))
    url = reverse("accounts:organisation_create")
    other_region = Region.objects.get(code="VR04")
    refused = client.post(url, {"name": "Elders", "type": "care", "region": other_region.pk})
    assert refused.status_code == 200
    assert 'id="id_region_error"' in refused.content.decode()
    assert not Organisation.objects.filter(name="Elders").exists()
    own_region = Region.objects.get(code="VR19")
    created = client.post(
        url, {"name": "Stichting Hier", "type": "shelter", "region": own_region.pk, "active": "on"}
    )
    assert created.status_code == 302
    assert Organisation.objects.get(name="Stichting Hier").region == own_region


def test_administrator_creates_a_user_and_gives_a_role() -> None:
    from inbeeld.accounts.models import User

    beheerder = staff_user(role=Role.BEHEERDER, region_code="VR19")
    organisation = beheerder.memberships.get().organisation
    client = verified_client(beheerder)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "nieuwe.collega",
            "first_name": "Nieuwe",
            "organisation": organisation.pk,
            "is_active": "on",
        },
    )
    created = User.objects.get(username="nieuwe.collega")
    assert response["Location"] == reverse("accounts:user_edit", kwargs={"user_id": created.pk})
    client.post(
        reverse("accounts:user_membership_add", kwargs={"user_id": created.pk}),
        {"organisation": organisation.pk, "role": Role.ZORGCOORDINATOR},
    )
    assert created.memberships.get().role == Role.ZORGCOORDINATOR


def test_an_english_browser_still_gets_dutch_until_english_is_chosen() -> None:
    client = Client(headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Inloggen" in client.get(reverse("accounts:login")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log in" in client.get(reverse("accounts:login")).content.decode()
