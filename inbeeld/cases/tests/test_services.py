"""Opening, changing, inviting to and closing a case: what the zorgcoördinator notices."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.cases import services
from inbeeld.cases.access import case_get_for
from inbeeld.cases.concurrency import CaseChangedError
from inbeeld.cases.models import Case, CaseStatus, EventKind, TraffickingStatus
from inbeeld.cases.services import CaseInput, EventInput, PersonInput
from inbeeld.cases.tests.helpers import world_case
from inbeeld.cases.timeline import case_timeline
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.regions.models import Municipality
from inbeeld.signals.models import Signal
from inbeeld.testing.factories import OrganisationFactory, region, staff_user
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def vlissingen() -> Municipality:
    return Municipality.objects.get(code="GM0718")


def test_a_case_opened_from_a_signal_takes_over_what_the_signal_says(world: World) -> None:
    signal = world.signal("A")
    Signal.objects.filter(pk=signal.pk).update(
        victim_name="Anna Test", victim_nationality="RO", exploitation_forms=["sexual"]
    )
    signal.refresh_from_db()
    case = services.case_open_from_signals(
        by=world.user(Role.ZORGCOORDINATOR, "A"), signals=[signal]
    )
    assert case.reference.startswith("DS-")
    assert case.region == signal.region
    assert case.owner == world.user(Role.ZORGCOORDINATOR, "A")
    assert case.owner_organisation == world.organisation("A")
    assert case.trafficking_status == TraffickingStatus.PRESUMED
    assert case.exploitation_forms == ["sexual"]
    assert case.person.name == "Anna Test"
    assert case.person.nationalities == ["RO"]
    assert list(signal.case_links.values_list("case", flat=True)) == [case.pk]


def test_the_name_is_encrypted_at_rest_with_a_blind_index(world: World) -> None:
    case = world_case(world)
    data = CaseInput(person=PersonInput(name="Maria Voorbeeld"))
    services.case_update(
        by=world.user(Role.ZORGCOORDINATOR, "A"), case=case, version=case.version, data=data
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, name_index FROM cases_caseperson WHERE case_id = %s", [case.pk]
        )
        stored, index = cursor.fetchone()
    assert "Maria" not in stored
    assert index and index != "Maria Voorbeeld"


def test_signals_of_two_regions_make_no_case(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        services.case_open_from_signals(
            by=world.two_regions, signals=[world.signal("A"), world.signal("B")]
        )
    assert "signals" in error.value.message_dict
    assert not Case.objects.exists()


def test_only_a_coordinator_of_the_region_opens_a_case_from_its_signals(world: World) -> None:
    # The two-region account coordinates A only: its chain-partner role in B does not count.
    with pytest.raises(ValidationError):
        services.case_open_from_signals(by=world.two_regions, signals=[world.signal("B")])
    assert not Case.objects.exists()


def test_bad_input_names_the_field_and_writes_nothing(world: World) -> None:
    case = world_case(world)
    before = case.version
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = CaseInput(
        exploitation_forms=["sexual", "nonsense"],
        person=PersonInput(nationalities=["XX"], date_of_birth=date(2000, 1, 1)),
        events=[
            EventInput(kind=EventKind.EXPLOITATION, municipality=vlissingen(), start=tomorrow),
            EventInput(kind=EventKind.RECRUITMENT, country="RO", start=date(1999, 5, 1)),
            EventInput(kind=EventKind.TRANSIT),
        ],
    )
    with pytest.raises(ValidationError) as error:
        services.case_update(
            by=world.user(Role.ZORGCOORDINATOR, "A"), case=case, version=before, data=data
        )
    assert set(error.value.message_dict) == {
        "exploitation_forms",
        "person.nationalities",
        "events.0.start",
        "events.1.start",
        "events.2.municipality",
    }
    case.refresh_from_db()
    assert case.version == before
    assert not case.events.exists()


def test_the_age_band_follows_the_date_of_birth_and_a_minor_is_marked(world: World) -> None:
    case = world_case(world)
    born = timezone.localdate().replace(year=timezone.localdate().year - 16) - timedelta(days=1)
    services.case_update(
        by=world.user(Role.ZORGCOORDINATOR, "A"),
        case=case,
        version=case.version,
        data=CaseInput(person=PersonInput(date_of_birth=born)),
    )
    case.person.refresh_from_db()
    assert case.person.age_band == "minor"
    assert case.person.is_minor
    with pytest.raises(ValidationError) as error:
        services.case_update(
            by=world.user(Role.ZORGCOORDINATOR, "A"),
            case=case,
            version=case.version,
            data=CaseInput(person=PersonInput(date_of_birth=born, age_band="24-49")),
        )
    assert "person.age_band" in error.value.message_dict


def test_a_stale_version_is_refused_as_changed_by_someone_else(world: World) -> None:
    case = world_case(world)
    seen = case.version
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    services.case_update(by=coordinator, case=case, version=seen, data=CaseInput())
    with pytest.raises(CaseChangedError):
        services.case_close(
            by=coordinator, case=case, version=seen, reason=CaseStatus.CLOSED, outcome="x"
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_close_and_reopen_are_audited_and_on_the_timeline(world: World) -> None:
    case = world_case(world)
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    with pytest.raises(ValidationError) as error:
        services.case_close(by=coordinator, case=case, version=case.version, reason="x", outcome="")
    assert set(error.value.message_dict) == {"reason", "outcome"}
    services.case_close(
        by=coordinator,
        case=case,
        version=case.version,
        reason=CaseStatus.CLOSED_REFERRED,
        outcome="Doorverwezen naar opvang.",
    )
    assert case.status == CaseStatus.CLOSED_REFERRED and case.closed_at is not None
    services.case_reopen(by=coordinator, case=case, version=case.version)
    assert case.status == CaseStatus.OPEN and case.closed_at is None
    updates = AuditEntry.objects.filter(
        object_type="cases.case", object_id=str(case.pk), action=Action.UPDATE
    )
    assert updates.count() == 2
    kinds = [item.kind for item in case_timeline(case)]
    assert kinds.count("status") == 3  # opened, closed, reopened
    assert "signal" in kinds


def test_an_invited_organisation_sees_the_case_until_the_invitation_ends(world: World) -> None:
    case = world_case(world)
    shelter = OrganisationFactory.create(region=region("VR19"), type=OrganisationType.SHELTER)
    worker = staff_user(role=Role.KETENPARTNER, organisation=shelter)
    with pytest.raises(Http404):
        case_get_for(worker, case.pk)
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    with pytest.raises(ValidationError) as error:
        services.case_invite(
            by=coordinator, case=case, organisation=shelter, legal_basis="", purpose="Opvang"
        )
    assert "legal_basis" in error.value.message_dict
    share = services.case_invite(
        by=coordinator,
        case=case,
        organisation=shelter,
        legal_basis=LegalBasis.PUBLIC_TASK,
        purpose="Opvang regelen",
    )
    assert case_get_for(worker, case.pk) == case
    kinds = [item.kind for item in case_timeline(case)]
    assert "participant" in kinds
    services.case_invite_end(by=coordinator, case=case, share=share)
    with pytest.raises(Http404):
        case_get_for(worker, case.pk)


def test_notes_are_encrypted_and_on_the_timeline(world: World) -> None:
    case = world_case(world)
    services.note_add(by=world.user(Role.ZORGCOORDINATOR, "A"), case=case, text="Gesprek gehad.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM cases_casenote WHERE case_id = %s", [case.pk])
        (stored,) = cursor.fetchone()
    assert "Gesprek" not in stored
    notes = [item for item in case_timeline(case) if item.kind == "note"]
    assert notes[0].text == "Gesprek gehad."
    with pytest.raises(ValidationError) as error:
        services.note_add(by=world.user(Role.ZORGCOORDINATOR, "A"), case=case, text=" ")
    assert "text" in error.value.message_dict


def test_an_organisation_of_another_region_is_not_invited(world: World) -> None:
    case = world_case(world)
    elsewhere = world.partner("B")
    with pytest.raises(ValidationError) as error:
        services.case_invite(
            by=world.user(Role.ZORGCOORDINATOR, "A"),
            case=case,
            organisation=elsewhere,
            legal_basis=LegalBasis.PUBLIC_TASK,
            purpose="Begeleiding",
        )
    assert "organisation" in error.value.message_dict
    with pytest.raises(Http404):
        case_get_for(world.reporter("B"), case.pk)
