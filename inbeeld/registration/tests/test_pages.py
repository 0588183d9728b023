"""The registration's pages: a section on the case page, the form, the registration's page
and its actions; in Dutch, only for the case's coordinator (404 for anyone else), audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from inbeeld.accounts.models import Role
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.cases.privacy import case_export
from inbeeld.cases.sections import case_privacy_parts
from inbeeld.cases.tests.helpers import world_case
from inbeeld.registration.models import Registration, RegistrationStatus
from inbeeld.registration.services import registration_download, registration_save
from inbeeld.registration.tests.helpers import complete_input, coordinator, draft
from inbeeld.testing.clients import verified_client
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def form_post(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "registration_date": "2026-01-05",
        "reporter_type": "care_coordination",
        "police_unit": "zeeland_west_brabant",
        "dossier_type": "registration",
        "exploitation_forms": ["sexual"],
        "sectors": ["prostitution"],
        "nationalities": ["RO"],
        "age": "15",
        "minority": "minor",
        "gender": "female",
        "place_country": "BE",
        "control_methods": ["debt_bondage"],
        "legal_basis": "consent",
        "consent_signed_by": "parent_or_guardian",
        "consent_date": "2026-01-04",
    }
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


def test_the_coordinator_registers_from_the_case_page_and_downloads_the_file(
    world: World,
) -> None:
    case = world_case(world, "A")
    client = verified_client(coordinator(world))
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Registratie bij CoMensha" in page
    edit = reverse("registration:edit", args=[case.pk])
    assert edit in page
    assert client.get(edit).status_code == 200
    response = client.post(edit, form_post())
    registration = Registration.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == reverse("registration:detail", args=[registration.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "Concept" in detail and "België" in detail
    download = reverse("registration:download", args=[registration.pk])
    assert download in detail
    answer = client.post(download)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    assert "attachment" in answer["Content-Disposition"]
    text = answer.content.decode("utf-8-sig")
    assert text.startswith("format;registration_id;")
    assert ";BE;country;" in text and ";parent_or_guardian;" in text
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SENT
    assert (
        AuditEntry.objects.filter(
            action=Action.SHARE, object_type="registration.registration"
        ).count()
        == 1
    )
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Verstuurd" in page


def test_the_minors_rule_is_shown_on_the_form_at_its_field(world: World) -> None:
    case = world_case(world, "A")
    client = verified_client(coordinator(world))
    response = client.post(
        reverse("registration:edit", args=[case.pk]), form_post(consent_signed_by="person")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["consent_signed_by"]
    assert "onder de 16" in form.errors["consent_signed_by"][0]
    assert not Registration.objects.exists()


def test_sending_without_a_legal_basis_is_refused_naming_the_field(world: World) -> None:
    case = world_case(world, "A")
    registration = draft(world, case, legal_basis="")
    client = verified_client(coordinator(world))
    response = client.post(reverse("registration:download", args=[registration.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Grondslag" in page and "kan de aanmelding niet worden verstuurd" in page
    registration.refresh_from_db()
    assert registration.is_draft


def test_coordinator_records_acknowledgement_and_makes_a_correction(world: World) -> None:
    case = world_case(world, "A")
    registration = draft(world, case)
    registration_download(by=coordinator(world), registration=registration)
    client = verified_client(coordinator(world))
    response = client.post(
        reverse("registration:acknowledge", args=[registration.pk]),
        {"comensha_reference": "CM-77"},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ACKNOWLEDGED
    assert registration.comensha_reference == "CM-77"
    detail = client.get(reverse("registration:detail", args=[registration.pk])).content.decode()
    assert "Correctie maken" in detail
    form = client.get(reverse("registration:edit", args=[case.pk])).content.decode()
    assert "nieuwe versie" in form
    client.post(
        reverse("registration:edit", args=[case.pk]),
        form_post(dossier_type="registration_shelter"),
    )
    assert Registration.objects.filter(case=case).count() == 2


# --- who may ----------------------------------------------------------------------------


def _everyone_else(world: World) -> dict[str, Client]:
    return {
        "coordinator of another region": verified_client(coordinator(world, "B")),
        "partner who sees the case": verified_client(world.user(Role.KETENPARTNER, "A")),
        "reporter of the case's signal": verified_client(world.reporter("A")),
        "FG": verified_client(world.user(Role.FG, "A")),
        "anonymous": Client(),
    }


def test_nobody_but_the_case_coordinator_opens_the_registration(world: World) -> None:
    case = world_case(world, "A")
    registration = draft(world, case)
    pages = [
        ("get", reverse("registration:edit", args=[case.pk])),
        ("get", reverse("registration:detail", args=[registration.pk])),
        ("post", reverse("registration:edit", args=[case.pk])),
        ("post", reverse("registration:download", args=[registration.pk])),
        ("post", reverse("registration:send", args=[registration.pk])),
        ("post", reverse("registration:acknowledge", args=[registration.pk])),
    ]
    for who, client in _everyone_else(world).items():
        for method, url in pages:
            response = getattr(client, method)(url)
            if who == "anonymous":
                assert response.status_code == 302, (who, url)
                assert "/login" in response["Location"] or "inloggen" in response["Location"]
            else:
                assert response.status_code == 404, (who, url)
    registration.refresh_from_db()
    assert registration.is_draft and Registration.objects.count() == 1


def test_a_partner_who_sees_the_case_does_not_see_its_registration(world: World) -> None:
    case = world_case(world, "A")
    draft(world, case)
    page = verified_client(world.user(Role.KETENPARTNER, "A")).get(
        reverse("cases:detail", args=[case.pk])
    )
    assert page.status_code == 200
    assert 'data-testid="registration"' not in page.content.decode()


def test_an_account_with_roles_in_two_regions_registers_only_in_the_one_it_coordinates(
    world: World,
) -> None:
    both = world.two_regions  # zorgcoördinator in A, chain partner in B
    client = verified_client(both)
    own = world_case(world, "A")
    other = world_case(world, "B")
    theirs = draft(world, other, letter="B")
    assert client.get(reverse("registration:edit", args=[own.pk])).status_code == 200
    assert client.get(reverse("registration:edit", args=[other.pk])).status_code == 404
    assert client.get(reverse("registration:detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("registration:download", args=[theirs.pk])).status_code == 404


def test_reading_the_registration_is_audited(world: World) -> None:
    case = world_case(world, "A")
    registration = draft(world, case)
    verified_client(coordinator(world)).get(reverse("registration:detail", args=[registration.pk]))
    assert AuditEntry.objects.filter(
        action=Action.READ,
        object_type="registration.registration",
        object_id=str(registration.pk),
        actor_id=coordinator(world).pk,
    ).exists()


def test_registrations_are_in_the_case_export_and_erasure_removes_drafts(world: World) -> None:
    case = world_case(world, "A")
    sent = draft(world, case)
    registration_download(by=coordinator(world), registration=sent)
    parts = {part["name"]: part for part in case_export(case)["parts"]}
    exported = parts["registration"]["items"]
    assert exported[0]["plaats_delict"] == "GM0664" and exported[0]["status"] == "sent"
    assert exported[0]["legal_basis"] == "consent"
    registration_save(by=coordinator(world), case=case, data=complete_input(case))
    erase = next(p for p in case_privacy_parts() if p.name == "registration").erase
    assert erase(case) == 1
    assert list(Registration.objects.filter(case=case).values_list("status", flat=True)) == ["sent"]
