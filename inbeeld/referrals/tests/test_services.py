"""Referring, answering and recording services: states, refusals, nothing half-written."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from inbeeld.accounts.models import Role
from inbeeld.audit.models import Action, AuditEntry, Purpose
from inbeeld.cases.services import case_close
from inbeeld.cases.tests.helpers import world_case
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.privacy.models import Share, ShareKind
from inbeeld.referrals.models import Referral, ReferralStatus, ServiceDelivered, ServiceType
from inbeeld.referrals.services import (
    RESPONSE_WORKING_DAYS,
    ReferralInput,
    ServiceInput,
    referral_accept,
    referral_complete,
    referral_create,
    referral_reject,
    referral_revoke,
    service_add,
    working_days_after,
)
from inbeeld.referrals.tests.helpers import shelter, shelter_staff, world_referral
from inbeeld.tasks.models import Task, TaskStatus
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def _nothing_written() -> None:
    assert not Referral.objects.exists()
    assert not Share.objects.filter(kind=ShareKind.REFERRAL).exists()
    assert not Task.objects.filter(source="referral.response").exists()


def test_a_referral_is_a_share_with_its_basis_and_a_task_for_the_answer(world: World) -> None:
    referral = world_referral(world)
    assert referral.status == ReferralStatus.REQUESTED
    share = referral.share
    assert share is not None
    assert (share.kind, share.legal_basis, share.to_organisation) == (
        ShareKind.REFERRAL,
        LegalBasis.PUBLIC_TASK,
        shelter("A"),
    )
    task = Task.objects.get(source="referral.response")
    assert task.owner_organisation == shelter("A") and task.status == TaskStatus.OPEN
    assert task.due == working_days_after(timezone.localdate(), RESPONSE_WORKING_DAYS)
    assert referral.reference in task.title and "Kanarie" not in task.title
    assert AuditEntry.objects.filter(
        action=Action.CREATE, object_type="referrals.referral", purpose=Purpose.REFERRAL
    ).exists()


def test_a_referral_does_not_invite_the_organisation_to_the_case(world: World) -> None:
    referral = world_referral(world)
    assert not shelter_staff("A").has_perm("cases.view_case", referral.case)


def test_working_days_skip_the_weekend() -> None:
    friday = date(2026, 11, 27)
    assert working_days_after(friday, 5) == date(2026, 12, 4)
    assert working_days_after(friday, 1) == date(2026, 11, 30)  # the Monday


@pytest.mark.parametrize("where", ["other region", "inactive"])
def test_an_organisation_outside_the_directory_is_refused_naming_the_field(
    world: World, where: str
) -> None:
    case = world_case(world, "A")
    organisation = shelter("B") if where == "other region" else shelter("A")
    if where == "inactive":
        organisation.active = False
        organisation.save()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        world_referral(world, case=case, to=organisation)
    assert "partner directory" in refused.value.message_dict["organisation"][0]
    _nothing_written()


def test_consent_as_the_basis_without_consent_writes_nothing(world: World) -> None:
    case = world_case(world, "A")
    with pytest.raises(ValidationError) as refused:
        referral_create(
            by=world.user(Role.ZORGCOORDINATOR, "A"),
            case=case,
            data=ReferralInput(
                organisation=shelter("A"),
                service=ServiceType.SHELTER,
                message="Opvang.",
                shared_fields=[],
                legal_basis=LegalBasis.CONSENT,
            ),
        )
    assert "legal_basis" in refused.value.message_dict
    _nothing_written()


def test_bad_input_names_every_field(world: World) -> None:
    case = world_case(world, "A")
    with pytest.raises(ValidationError) as refused:
        referral_create(
            by=world.user(Role.ZORGCOORDINATOR, "A"),
            case=case,
            data=ReferralInput(
                organisation=None,
                service="spa",
                message="  ",
                shared_fields=["bank_account"],
                legal_basis=LegalBasis.PUBLIC_TASK,
            ),
        )
    assert set(refused.value.message_dict) == {
        "organisation",
        "service",
        "message",
        "shared_fields",
    }
    _nothing_written()


def test_a_closed_case_cannot_refer(world: World) -> None:
    case = world_case(world, "A")
    case_close(
        by=world.user(Role.ZORGCOORDINATOR, "A"),
        case=case,
        version=case.version,
        reason="closed",
        outcome="Klaar.",
    )
    with pytest.raises(ValidationError) as refused:
        world_referral(world, case=case)
    assert "case" in refused.value.message_dict
    _nothing_written()


def test_accepting_closes_the_task_and_completing_ends_the_share(world: World) -> None:
    referral = world_referral(world)
    staff = shelter_staff("A")
    referral = referral_accept(by=staff, referral=referral)
    assert referral.status == ReferralStatus.ACCEPTED and referral.answered_by == staff
    assert Task.objects.get(source="referral.response").status == TaskStatus.DONE
    assert referral.share is not None and referral.share.ended_at is None
    referral = referral_complete(by=staff, referral=referral)
    assert referral.status == ReferralStatus.COMPLETED
    assert referral.share is not None
    referral.share.refresh_from_db()
    assert referral.share.ended_at is not None


def test_rejecting_needs_a_reason_and_keeps_it_encrypted(world: World) -> None:
    referral = world_referral(world)
    staff = shelter_staff("A")
    with pytest.raises(ValidationError) as refused:
        referral_reject(by=staff, referral=referral, reason=" ")
    assert "reason" in refused.value.message_dict
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REQUESTED
    referral = referral_reject(by=staff, referral=referral, reason="Geen plek tot maart.")
    assert referral.status == ReferralStatus.REJECTED
    assert Task.objects.get(source="referral.response").status == TaskStatus.DONE
    stored = Referral.objects.filter(pk=referral.pk).values_list("reason", flat=True).get()
    assert stored == "Geen plek tot maart."  # decrypted by the field
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM referrals_referral WHERE id = %s", [referral.pk])
        assert "Geen plek" not in cursor.fetchone()[0]


def test_revoking_a_waiting_referral_cancels_its_task(world: World) -> None:
    referral = world_referral(world)
    referral = referral_revoke(by=world.user(Role.ZORGCOORDINATOR, "A"), referral=referral)
    assert referral.status == ReferralStatus.REVOKED
    assert Task.objects.get(source="referral.response").status == TaskStatus.CANCELLED


@pytest.mark.parametrize(
    ("steps", "wrong"),
    [
        ([], "complete"),
        (["accept"], "accept"),
        (["accept"], "reject"),
        (["reject"], "accept"),
        (["reject"], "revoke"),
        (["revoke"], "accept"),
        (["accept", "complete"], "revoke"),
        (["accept", "complete"], "complete"),
    ],
)
def test_a_wrong_transition_is_refused_and_changes_nothing(
    world: World, steps: list[str], wrong: str
) -> None:
    referral = world_referral(world)
    staff, coordinator = shelter_staff("A"), world.user(Role.ZORGCOORDINATOR, "A")
    actions = {
        "accept": lambda r: referral_accept(by=staff, referral=r),
        "reject": lambda r: referral_reject(by=staff, referral=r, reason="Vol."),
        "revoke": lambda r: referral_revoke(by=coordinator, referral=r),
        "complete": lambda r: referral_complete(by=staff, referral=r),
    }
    for step in steps:
        referral = actions[step](referral)
    before = (referral.status, AuditEntry.objects.count())
    with pytest.raises(ValidationError) as refused:
        actions[wrong](referral)
    assert "status" in refused.value.message_dict
    referral.refresh_from_db()
    assert (referral.status, AuditEntry.objects.count()) == before


def test_a_service_is_recorded_with_type_provider_and_period(world: World) -> None:
    case = world_case(world, "A")
    today = timezone.localdate()
    service = service_add(
        by=world.user(Role.ZORGCOORDINATOR, "A"),
        case=case,
        data=ServiceInput(
            service=ServiceType.LEGAL_AID, provider=shelter("A"), start=today, end=None
        ),
    )
    assert service.htcds_type == "Legal"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"provider": "B"}, "provider"),
        ({"start": 1}, "start"),
        ({"end": -1}, "end"),
        ({"service": "spa"}, "service"),
    ],
)
def test_a_wrong_service_is_refused_naming_the_field(
    world: World, change: dict[str, object], field: str
) -> None:
    case = world_case(world, "A")
    today = timezone.localdate()
    values: dict[str, object] = {
        "service": ServiceType.DEBT_HELP,
        "provider": shelter("A"),
        "start": today - timedelta(days=10),
        "end": None,
    }
    if "provider" in change:
        values["provider"] = shelter("B")
    if "start" in change:
        values["start"] = today + timedelta(days=1)
    if "end" in change:
        values["end"] = today - timedelta(days=20)
    if "service" in change:
        values["service"] = "spa"
    with pytest.raises(ValidationError) as refused:
        service_add(
            by=world.user(Role.ZORGCOORDINATOR, "A"),
            case=case,
            data=ServiceInput(**values),  # type: ignore[arg-type]
        )
    assert field in refused.value.message_dict
    assert not ServiceDelivered.objects.exists()
