"""The partner directory: contact persons, coverage per municipality, and who keeps them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.directory import (
    ContactInput,
    contact_person_create,
    contact_person_update,
    coverage,
)
from inbeeld.accounts.models import ContactPerson, ContactRole, Organisation, OrganisationType, Role
from inbeeld.audit.models import Action, AuditEntry, Purpose
from inbeeld.privacy.retention import retention_run
from inbeeld.regions.models import Municipality
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import OrganisationFactory, region, staff_user

pytestmark = pytest.mark.django_db

ZEELAND, IJSSELLAND = "VR19", "VR04"
NAME, PHONE, EMAIL = "Pietje Contactmans", "06 0000 0042", "pietje@gemeente.example"


def today() -> date:
    return timezone.localdate()


def municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def keeper(code: str = ZEELAND) -> Any:
    return staff_user(role=Role.KETENREGISSEUR, region_code=code)


def organisation(
    code: str = ZEELAND, kind: str = OrganisationType.MUNICIPALITY, **extra: Any
) -> Organisation:
    return OrganisationFactory.create(region=region(code), type=kind, **extra)


def contact(
    by: Any,
    where: Organisation | None,
    *codes: str,
    name: str = NAME,
    start: date | None = None,
    until: date | None = None,
    **extra: Any,
) -> ContactPerson:
    return contact_person_create(
        by=by,
        data=ContactInput(
            organisation=where,
            name=name,
            role=ContactRole.AANDACHTSFUNCTIONARIS,
            active_from=start or date(2024, 1, 1),
            active_until=until,
            municipalities=[municipality(code) for code in codes],
            **extra,
        ),
    )


# --- coverage ---------------------------------------------------------------------------------


def test_coverage_counts_the_municipalities_with_a_contact_of_the_day() -> None:
    by = keeper()
    goes = organisation()
    contact(by, goes, "GM0664", "GM0678", name="Goes en Kapelle")  # Goes, Kapelle
    contact(by, organisation(), "GM0664", name="Ook Goes")  # Goes twice: still one
    contact(by, goes, "GM0717", name="Veere tot gisteren", until=today() - timedelta(days=1))
    contact(by, goes, "GM1714", name="Sluis vanaf morgen", start=today() + timedelta(days=1))
    closed = organisation(active=False)
    contact(by, closed, "GM0716", name="Tholen, opgeheven organisatie")
    regional = organisation(kind=OrganisationType.POLICE)
    contact(by, regional, name="Hele regio")  # no municipality: covers none
    by_b = keeper(IJSSELLAND)
    contact(by_b, organisation(IJSSELLAND), "GM0193", name="Zwolle")  # another region

    found = coverage(region(ZEELAND))
    assert len(found.rows) == 13  # Zeeland's municipalities (CBS 2022)
    assert [row.municipality.name for row in found.covered] == ["Goes", "Kapelle"]
    assert len(found.gaps) == 11
    assert {"Veere", "Sluis", "Tholen", "Borsele"} <= {m.name for m in found.gaps}
    goes_row = next(row for row in found.rows if row.municipality.code == "GM0664")
    assert sorted(c.name for c in goes_row.contacts) == ["Goes en Kapelle", "Ook Goes"]
    # Tomorrow the Sluis contact starts; the day after Veere ended it was already a gap.
    assert "Sluis" in {
        r.municipality.name
        for r in coverage(region(ZEELAND), on=today() + timedelta(days=1)).covered
    }
    assert "Veere" in {
        r.municipality.name
        for r in coverage(region(ZEELAND), on=today() - timedelta(days=1)).covered
    }


def test_the_coverage_page_shows_the_counts_and_the_gaps_to_the_region_only() -> None:
    by = keeper()
    contact(by, organisation(), "GM0664")
    colleague = staff_user(role=Role.AANDACHTSFUNCTIONARIS, region_code=ZEELAND)
    client = verified_client(colleague)
    response = client.get(reverse("accounts:coverage", kwargs={"code": ZEELAND}))
    page = response.content.decode()
    assert response.context["coverage"].covered[0].municipality.name == "Goes"
    assert "Met contactpersoon" in page and "Zonder contactpersoon" in page
    assert 'data-testid="covered-count">1<' in page
    assert 'data-testid="gap-count"><strong>12</strong>' in page
    assert NAME in page and PHONE not in page  # no phone was given
    assert "Contactpersoon voor Borsele toevoegen" not in page  # a colleague does not keep it
    assert client.get(reverse("accounts:coverage", kwargs={"code": IJSSELLAND})).status_code == 404
    read = AuditEntry.objects.filter(action=Action.READ, purpose=Purpose.NETWORK).last()
    assert read is not None and read.actor == colleague.username and NAME not in str(read.detail)


# --- the directory ----------------------------------------------------------------------------


def test_the_directory_filters_by_type_and_municipality() -> None:
    by = keeper()
    goes = organisation(name="Gemeente Goes", municipality=municipality("GM0664"))
    contact(by, goes, "GM0664", name="Contact Goes")
    police = organisation(kind=OrganisationType.POLICE, name="Politie")
    contact(by, police, "GM0664", name="Wijkagent Goes")
    contact(by, police, "GM0718", name="Wijkagent Vlissingen")
    organisation(kind=OrganisationType.SCHOOL, name="Scholengemeenschap")
    organisation(IJSSELLAND, name="Gemeente Zwolle")
    client = verified_client(staff_user(role=Role.KETENPARTNER, organisation=police))

    def listed(**filters: Any) -> dict[str, list[str]]:
        response = client.get(reverse("accounts:directory"), filters)
        (section,) = response.context["sections"]
        return {e.organisation.name: [c.name for c in e.contacts] for e in section["entries"]}

    everything = listed()
    assert {"Gemeente Goes", "Politie", "Scholengemeenschap"} <= set(everything)
    assert "Gemeente Zwolle" not in everything
    assert everything["Politie"] == ["Wijkagent Goes", "Wijkagent Vlissingen"]
    assert set(listed(type=OrganisationType.POLICE)) == {"Politie"}
    by_goes = listed(municipality=municipality("GM0664").pk)
    assert by_goes == {"Gemeente Goes": ["Contact Goes"], "Politie": ["Wijkagent Goes"]}
    page = client.get(reverse("accounts:directory")).content.decode()
    assert "Netwerk" in page and "Politie" in page


def test_former_contacts_are_shown_only_to_the_keepers() -> None:
    by, goes = keeper(), organisation()
    contact(by, goes, "GM0664", name="Huidig")
    contact(by, goes, "GM0664", name="Vertrokken", until=today() - timedelta(days=10))
    url = reverse("accounts:network_organisation", kwargs={"organisation_id": goes.pk})
    colleague = staff_user(role=Role.ZORGCOORDINATOR, region_code=ZEELAND)
    seen = verified_client(colleague).get(url).content.decode()
    assert "Huidig" in seen and "Vertrokken" not in seen
    kept = verified_client(by).get(url).content.decode()
    assert "Huidig" in kept and "Vertrokken" in kept


# --- bad input --------------------------------------------------------------------------------


def test_a_contact_person_without_organisation_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as refusal:
        contact(keeper(), None, "GM0664")
    assert "organisation" in refusal.value.message_dict
    assert not ContactPerson.objects.exists()


def test_the_page_refuses_a_contact_without_organisation_and_keeps_the_input() -> None:
    by = keeper()
    response = verified_client(by).post(
        reverse("accounts:contact_create"),
        {"name": NAME, "role": ContactRole.AANDACHTSFUNCTIONARIS, "active_from": "2025-01-01"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["organisation"]
    assert f'value="{NAME}"' in response.content.decode()
    assert not ContactPerson.objects.exists()


def test_municipalities_of_another_region_and_another_organisations_account_are_refused() -> None:
    by, goes = keeper(), organisation()
    stranger = staff_user(role=Role.KETENPARTNER, region_code=ZEELAND)
    with pytest.raises(ValidationError) as refusal:
        contact(by, goes, "GM0193", user=stranger, email="geen-adres", phone="bel me")
    assert set(refusal.value.message_dict) == {"municipalities", "user", "email", "phone"}
    assert "Zwolle" in refusal.value.message_dict["municipalities"][0]
    assert not ContactPerson.objects.exists()


def test_an_end_before_the_start_is_refused() -> None:
    with pytest.raises(ValidationError) as refusal:
        contact(keeper(), organisation(), start=date(2025, 1, 2), until=date(2025, 1, 1))
    assert refusal.value.message_dict
    assert not ContactPerson.objects.exists()


def test_a_colleague_without_the_keepers_role_cannot_add_a_contact() -> None:
    goes = organisation()
    partner = staff_user(role=Role.KETENPARTNER, organisation=goes)
    response = verified_client(partner).post(
        reverse("accounts:contact_create"),
        {
            "organisation": goes.pk,
            "name": NAME,
            "role": ContactRole.AANDACHTSFUNCTIONARIS,
            "active_from": "2025-01-01",
        },
    )
    assert response.status_code == 404
    assert not ContactPerson.objects.exists()


def test_a_keeper_of_another_region_cannot_add_to_this_one() -> None:
    goes = organisation()
    response = verified_client(keeper(IJSSELLAND)).post(
        reverse("accounts:contact_create"),
        {
            "organisation": goes.pk,
            "name": NAME,
            "role": ContactRole.AANDACHTSFUNCTIONARIS,
            "active_from": "2025-01-01",
        },
    )
    assert "organisation" in response.context["form"].errors  # not a choice offered
    assert not ContactPerson.objects.exists()


# --- personal data ----------------------------------------------------------------------------


def test_name_phone_and_email_are_encrypted_at_rest_and_never_in_the_audit_trail() -> None:
    by, goes = keeper(), organisation()
    account = staff_user(role=Role.AANDACHTSFUNCTIONARIS, organisation=goes)
    entry = contact(by, goes, "GM0664", phone=PHONE, email=EMAIL, user=account, function="Adviseur")
    data = ContactInput(
        organisation=goes,
        name="Pietje Nieuwenaam",
        role=ContactRole.TRAFFICKING_CONTACT,
        active_from=date(2024, 1, 1),
        phone=PHONE,
        email=EMAIL,
        municipalities=[municipality("GM0664"), municipality("GM0678")],
    )
    contact_person_update(by=by, contact=entry, data=data)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, phone, email, function FROM accounts_contactperson")
        stored = " ".join(str(value) for value in cursor.fetchone())
    for plain in ("Pietje", "0042", "gemeente.example", "Adviseur"):
        assert plain not in stored
    entries = AuditEntry.objects.filter(object_type="accounts.contactperson")
    assert [e.action for e in entries] == [Action.CREATE, Action.UPDATE]
    for audit in entries:
        assert all(word not in str(audit.detail) for word in ("Pietje", "0042", "example"))
    update = entries.last()
    assert update is not None and set(update.detail["fields"]) == {"name", "function", "user_id"}
    assert update.detail["values"]["role"] == {"old": "aandachtsfunctionaris", "new": "contact"}
    assert update.region == ZEELAND


def test_a_contact_ended_longer_than_the_retention_period_ago_is_removed() -> None:
    by, goes = keeper(), organisation()
    gone = contact(by, goes, "GM0664", name="Lang weg", until=today() - timedelta(days=400))
    recent = contact(by, goes, "GM0664", name="Net weg", until=today() - timedelta(days=30))
    current = contact(by, goes, "GM0664", name="Huidig")
    run = retention_run()
    assert run.removed["contact_person"] == 1
    assert set(ContactPerson.objects.values_list("pk", flat=True)) == {recent.pk, current.pk}
    removal = AuditEntry.objects.get(action=Action.DELETE, object_id=str(gone.pk))
    assert (removal.region, removal.purpose) == (ZEELAND, Purpose.RETENTION)


def test_a_keeper_removes_an_entry_at_once() -> None:
    by, goes = keeper(), organisation()
    entry = contact(by, goes, "GM0664")
    response = verified_client(by).post(
        reverse("accounts:contact_delete", kwargs={"contact_id": entry.pk})
    )
    assert response.status_code == 302
    assert not ContactPerson.objects.exists()
    removal = AuditEntry.objects.get(action=Action.DELETE, object_id=str(entry.pk))
    assert removal.region == ZEELAND and NAME not in str(removal.detail)


def test_the_ketenregisseur_adds_an_organisation_to_the_regions_network() -> None:
    by = keeper()
    response = verified_client(by).post(
        reverse("accounts:network_organisation_add", kwargs={"code": ZEELAND}),
        {
            "name": "Gemeente Borsele",
            "type": OrganisationType.MUNICIPALITY,
            "municipality": municipality("GM0654").pk,
        },
    )
    assert response.status_code == 302
    added = Organisation.objects.get(name="Gemeente Borsele")
    assert (added.region.code, added.active, added.memberships.count()) == (ZEELAND, True, 0)
    refused = verified_client(by).post(
        reverse("accounts:network_organisation_add", kwargs={"code": ZEELAND}),
        {
            "name": "Gemeente Zwolle",
            "type": OrganisationType.MUNICIPALITY,
            "municipality": municipality("GM0193").pk,
        },
    )
    assert "municipality" in refused.context["form"].errors
    assert not Organisation.objects.filter(name="Gemeente Zwolle").exists()


# --- the API ----------------------------------------------------------------------------------


def test_the_api_lists_the_directory_with_work_contacts_but_no_names() -> None:
    from inbeeld.accounts.tokens import api_token_create

    by = keeper()
    goes = organisation(name="Gemeente Goes", municipality=municipality("GM0664"))
    contact(by, goes, "GM0664", phone=PHONE, email=EMAIL, function="Adviseur")
    contact(by, goes, "GM0664", name="Vertrokken", until=today() - timedelta(days=1))
    organisation(IJSSELLAND, name="Gemeente Zwolle")
    token = api_token_create(user=staff_user(role=Role.ONDERZOEKER, region_code=ZEELAND))
    response = Client().get(
        reverse("v1:organisations"), headers={"Authorization": f"Token {token}"}
    )
    assert response.status_code == 200
    listed = {item["name"]: item for item in response.json()["results"]}
    assert "Gemeente Zwolle" not in listed
    assert listed["Gemeente Goes"]["municipality"] == "GM0664"
    assert listed["Gemeente Goes"]["contacts"] == [
        {
            "role": "aandachtsfunctionaris",
            "function": "Adviseur",
            "phone": PHONE,
            "email": EMAIL,
            "municipalities": ["GM0664"],
        }
    ]
    assert NAME not in response.content.decode()
    read = AuditEntry.objects.filter(action=Action.READ, purpose=Purpose.API_READ).last()
    assert read is not None and read.object_type == "accounts.contactperson"


def test_the_contact_of_an_organisation_that_became_inactive_still_gets_its_last_day() -> None:
    by, closed = keeper(), organisation()
    entry = contact(by, closed, "GM0664")
    busy = organisation()  # an active organisation with two contacts is offered once
    contact(by, busy, "GM0678", name="Een")
    contact(by, busy, "GM0678", name="Twee")
    closed.active = False
    closed.save()
    response = verified_client(by).post(
        reverse("accounts:contact_edit", kwargs={"contact_id": entry.pk}),
        {
            "organisation": closed.pk,
            "name": NAME,
            "role": ContactRole.AANDACHTSFUNCTIONARIS,
            "municipalities": [municipality("GM0664").pk],
            "active_from": "2024-01-01",
            "active_until": today().isoformat(),
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.active_until == today()
    url = reverse("accounts:contact_edit", kwargs={"contact_id": entry.pk})
    page = verified_client(by).get(url)
    options = page.content.decode()
    assert options.count(f'<option value="{closed.pk}"') == 1
    assert options.count(f'<option value="{busy.pk}"') == 1
