"""Exit programmes: a referral of the kind exit programme whose organisation records the
programme's phases, seen by the case's coordinator on the case, its timeline and the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.audit.models import AuditEntry
from inbeeld.referrals.models import ExitPhase, ProgrammePhase, Referral, ServiceType
from inbeeld.referrals.privacy import _export_referrals
from inbeeld.referrals.services import programme_phase_record, referral_accept
from inbeeld.referrals.tests.helpers import shelter_staff, world_referral
from inbeeld.testing.clients import verified_client
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def _programme(world: World, letter: str = "A") -> Referral:
    referral = world_referral(world, letter, service=ServiceType.EXIT_PROGRAMME)
    return referral_accept(by=shelter_staff(letter), referral=referral)


def _phase_url(referral: Referral) -> str:
    return reverse("referrals:phase", args=[referral.pk])


def test_the_programme_records_phases_and_the_coordinator_sees_the_current_one(
    world: World,
) -> None:
    referral = _programme(world)
    staff = verified_client(shelter_staff("A"))
    today = timezone.localdate()
    page = staff.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert 'data-testid="phase-form"' in page
    for phase in (ExitPhase.INTAKE, ExitPhase.STABILISATION):
        response = staff.post(
            _phase_url(referral), {"phase": phase, "started_on": today.isoformat()}
        )
        assert response.status_code == 302
    assert [p.phase for p in referral.phases.all()] == ["intake", "stabilisation"]
    coordinator = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    case_page = coordinator.get(reverse("cases:detail", args=[referral.case_id])).content
    text = case_page.decode()
    assert 'data-testid="referral-phase"' in text and "Fase: Stabilisatie, sinds" in text
    assert f"Uitstapprogramma {referral.reference}: fase stabilisatie" in text  # timeline
    assert AuditEntry.objects.filter(detail__phase="stabilisation").count() == 1


def test_the_api_shows_the_phases_oldest_first(world: World) -> None:
    referral = _programme(world)
    today = timezone.localdate()
    staff = shelter_staff("A")
    programme_phase_record(by=staff, referral=referral, phase=ExitPhase.INTAKE, started_on=today)
    programme_phase_record(by=staff, referral=referral, phase=ExitPhase.EXIT, started_on=today)
    body = verified_client(staff).get(f"/api/v1/referrals/{referral.pk}/").json()
    assert body["phases"] == [
        {"phase": "intake", "started_on": today.isoformat()},
        {"phase": "exit", "started_on": today.isoformat()},
    ]


@pytest.mark.parametrize(
    ("phase", "days_from_today", "field"),
    [
        ("", 0, "phase"),
        ("graduation", 0, "phase"),
        ("intake", 1, "started_on"),
        ("intake", -400, "started_on"),  # before the referral was accepted
    ],
)
def test_a_wrong_phase_or_date_is_refused_naming_the_field(
    world: World, phase: str, days_from_today: int, field: str
) -> None:
    referral = _programme(world)
    day = timezone.localdate() + timedelta(days=days_from_today)
    response = verified_client(shelter_staff("A")).post(
        _phase_url(referral), {"phase": phase, "started_on": day.isoformat()}
    )
    assert response.status_code == 200
    assert field in response.context["phase_form"].errors
    assert not ProgrammePhase.objects.exists()


def test_a_phase_cannot_start_before_the_current_one_nor_repeat_it(world: World) -> None:
    referral = _programme(world)
    staff = shelter_staff("A")
    today = timezone.localdate()
    programme_phase_record(by=staff, referral=referral, phase=ExitPhase.INTAKE, started_on=today)
    with pytest.raises(ValidationError) as repeated:
        programme_phase_record(
            by=staff, referral=referral, phase=ExitPhase.INTAKE, started_on=today
        )
    assert "phase" in repeated.value.message_dict
    Referral.objects.filter(pk=referral.pk).update(answered_at=timezone.now() - timedelta(days=30))
    referral.refresh_from_db()
    with pytest.raises(ValidationError) as earlier:
        programme_phase_record(
            by=staff,
            referral=referral,
            phase=ExitPhase.STABILISATION,
            started_on=today - timedelta(days=5),
        )
    assert "started_on" in earlier.value.message_dict
    assert referral.phases.count() == 1


def test_only_an_accepted_exit_programme_has_phases(world: World) -> None:
    shelter_referral = referral_accept(by=shelter_staff("A"), referral=world_referral(world))
    waiting = world_referral(world, "A", service=ServiceType.EXIT_PROGRAMME)
    for referral in (shelter_referral, waiting):
        with pytest.raises(ValidationError) as refused:
            programme_phase_record(
                by=shelter_staff("A"),
                referral=referral,
                phase=ExitPhase.INTAKE,
                started_on=timezone.localdate(),
            )
        assert "phase" in refused.value.message_dict
    assert not ProgrammePhase.objects.exists()


def test_another_organisation_cannot_record_a_phase(world: World) -> None:
    referral = _programme(world)
    for outsider in (
        shelter_staff("B"),
        world.user(Role.ZORGCOORDINATOR, "A"),
        world.user(Role.KETENPARTNER, "A"),
    ):
        response = verified_client(outsider).post(
            _phase_url(referral),
            {"phase": "intake", "started_on": timezone.localdate().isoformat()},
        )
        assert response.status_code in (403, 404), outsider
    assert not ProgrammePhase.objects.exists()


def test_the_phases_are_in_the_case_export(world: World) -> None:
    referral = _programme(world)
    today = timezone.localdate()
    programme_phase_record(
        by=shelter_staff("A"), referral=referral, phase=ExitPhase.INTAKE, started_on=today
    )
    exported = _export_referrals(referral.case)
    assert exported[0]["phases"] == [{"phase": "intake", "started_on": today.isoformat()}]
    assert "Fase Intake vanaf" in exported[0]["text"]
