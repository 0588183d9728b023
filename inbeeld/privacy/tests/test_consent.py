"""Consent per scope: recorded with its date, withdrawn, asked about, audited without content."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from inbeeld.accounts.models import Role, User
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.privacy.consent import (
    consent_in_force,
    consent_record,
    consent_withdraw,
    consents_for,
)
from inbeeld.privacy.models import Consent, ConsentScope
from inbeeld.regions.models import Municipality
from inbeeld.signals.models import Signal
from inbeeld.signals.services import SignalInput, signal_create_partner
from inbeeld.testing.factories import staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator() -> User:
    return staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")


@pytest.fixture
def signal(coordinator: User) -> Signal:
    created, _new = signal_create_partner(
        data=SignalInput(
            municipality=Municipality.objects.get(code="GM0664"), description="Uitbuiting."
        ),
        by=coordinator,
        organisation=coordinator.memberships.get().organisation,
    )
    return created


def today() -> date:
    return timezone.localdate()


def test_consent_is_in_force_from_the_day_given_until_the_day_withdrawn(
    coordinator: User, signal: Signal
) -> None:
    given = today() - timedelta(days=10)
    consent = consent_record(
        by=coordinator, target=signal, scope=ConsentScope.POLICE, given_on=given, how="Formulier"
    )
    assert consent_in_force(signal, ConsentScope.POLICE)
    assert consent_in_force(signal, ConsentScope.POLICE, on=given)
    assert not consent_in_force(signal, ConsentScope.POLICE, on=given - timedelta(days=1))
    assert not consent_in_force(signal, ConsentScope.RESEARCH)

    consent_withdraw(by=coordinator, consent=consent, withdrawn_on=today() - timedelta(days=2))
    assert not consent_in_force(signal, ConsentScope.POLICE)
    assert consent_in_force(signal, ConsentScope.POLICE, on=today() - timedelta(days=3))
    assert not consent_in_force(signal, ConsentScope.POLICE, on=today() - timedelta(days=2))
    stored = consents_for(signal).get()
    assert (stored.withdrawn_on, stored.withdrawal_recorded_by) == (
        today() - timedelta(days=2),
        coordinator,
    )


def test_after_a_withdrawal_consent_can_be_given_again(coordinator: User, signal: Signal) -> None:
    first = consent_record(
        by=coordinator, target=signal, scope="police", given_on=today(), how="Mondeling"
    )
    consent_withdraw(by=coordinator, consent=first, withdrawn_on=today())
    consent_record(by=coordinator, target=signal, scope="police", given_on=today(), how="Brief")
    assert consents_for(signal).count() == 2
    assert consent_in_force(signal, "police", on=today() + timedelta(days=1))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"given_on": date(2999, 1, 1)}, "given_on"),  # in the future
        ({"scope": "everything"}, "scope"),
        ({"how": "  "}, "how"),
    ],
)
def test_wrong_consent_names_the_field_and_writes_nothing(
    coordinator: User, signal: Signal, changes: dict[str, object], field: str
) -> None:
    values: dict[str, object] = {"scope": "police", "given_on": today(), "how": "Mondeling"}
    values.update(changes)
    with pytest.raises(ValidationError) as refused:
        consent_record(by=coordinator, target=signal, **values)  # type: ignore[arg-type]
    assert field in refused.value.message_dict
    assert not Consent.objects.exists()


def test_a_second_active_consent_for_the_same_scope_is_refused(
    coordinator: User, signal: Signal
) -> None:
    consent_record(by=coordinator, target=signal, scope="police", given_on=today(), how="Brief")
    with pytest.raises(ValidationError) as refused:
        consent_record(
            by=coordinator, target=signal, scope="police", given_on=today(), how="Mondeling"
        )
    assert "scope" in refused.value.message_dict
    consent_record(by=coordinator, target=signal, scope="research", given_on=today(), how="Brief")
    assert consents_for(signal).count() == 2


@pytest.mark.parametrize("days", [-1, 1])  # before it was given; in the future
def test_a_withdrawal_outside_the_consents_life_is_refused(
    coordinator: User, signal: Signal, days: int
) -> None:
    given = today() - timedelta(days=5)
    consent = consent_record(
        by=coordinator, target=signal, scope="police", given_on=given, how="Brief"
    )
    moment = given - timedelta(days=1) if days < 0 else today() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        consent_withdraw(by=coordinator, consent=consent, withdrawn_on=moment)
    assert "withdrawn_on" in refused.value.message_dict
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_a_consent_is_withdrawn_once(coordinator: User, signal: Signal) -> None:
    consent = consent_record(
        by=coordinator, target=signal, scope="police", given_on=today(), how="Brief"
    )
    consent_withdraw(by=coordinator, consent=consent, withdrawn_on=today())
    with pytest.raises(ValidationError) as refused:
        consent_withdraw(by=coordinator, consent=consent, withdrawn_on=today())
    assert "withdrawn_on" in refused.value.message_dict


def test_recording_and_withdrawing_are_audited_without_how(
    coordinator: User, signal: Signal
) -> None:
    consent = consent_record(
        by=coordinator, target=signal, scope="comensha", given_on=today(), how="Getekend bij Fier"
    )
    consent_withdraw(by=coordinator, consent=consent, withdrawn_on=today())
    entries = AuditEntry.objects.filter(purpose="consent", object_id=str(consent.pk))
    assert [(e.action, e.region, e.actor) for e in entries] == [
        (Action.CREATE, "VR19", coordinator.username),
        (Action.UPDATE, "VR19", coordinator.username),
    ]
    assert entries[0].detail == {
        "scope": "comensha",
        "about": "signals.signal",
        "about_id": signal.pk,
    }
    assert all("Fier" not in str(entry.detail) for entry in entries)
