"""The consent panel on a signal's page: the zorgcoördinator writes, others only read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.privacy.consent import consent_record
from inbeeld.privacy.models import Consent
from inbeeld.signals.models import Signal
from inbeeld.signals.tests.test_triage import partner_signal
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import staff_user

pytestmark = pytest.mark.django_db


def page_of(signal: Signal) -> str:
    return reverse("signals:detail", kwargs={"signal_id": signal.pk})


def add_url(signal: Signal) -> str:
    return reverse("signals:consent_add", kwargs={"signal_id": signal.pk})


def withdraw_url(consent: Consent) -> str:
    return reverse(
        "signals:consent_withdraw",
        kwargs={"signal_id": consent.object_id, "consent_id": consent.pk},
    )


def test_the_coordinator_records_consent_and_its_withdrawal() -> None:
    signal = partner_signal()
    client = verified_client(staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19"))
    today = timezone.localdate()
    response = client.post(
        add_url(signal),
        {"consent-scope": "police", "consent-given_on": today.isoformat(), "consent-how": "Brief"},
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert (consent.target, consent.scope, consent.how) == (signal, "police", "Brief")
    page = client.get(page_of(signal)).content.decode()
    assert "Toestemming vastgelegd." in page
    assert "Brief" in page

    prefix = f"withdraw-{consent.pk}"
    client.post(withdraw_url(consent), {f"{prefix}-withdrawn_on": today.isoformat()})
    consent.refresh_from_db()
    assert consent.withdrawn_on == today


def test_refused_input_is_shown_again_next_to_its_field_and_nothing_is_written() -> None:
    signal = partner_signal()
    client = verified_client(staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19"))
    future = timezone.localdate() + timedelta(days=3)
    response = client.post(
        add_url(signal),
        {"consent-scope": "police", "consent-given_on": future.isoformat(), "consent-how": "Brief"},
    )
    assert response.status_code == 302
    assert not Consent.objects.exists()
    page = client.get(page_of(signal)).content.decode()
    assert 'id="id_consent-given_on_error"' in page
    assert "Brief" in page  # what was typed is kept
    # Shown once: the next visit shows an empty form again.
    assert 'id="id_consent-given_on_error"' not in client.get(page_of(signal)).content.decode()


def test_a_withdrawal_before_the_consent_was_given_is_refused_on_its_field() -> None:
    signal = partner_signal()
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    today = timezone.localdate()
    consent = consent_record(
        by=coordinator, target=signal, scope="police", given_on=today, how="Brief"
    )
    client = verified_client(coordinator)
    prefix = f"withdraw-{consent.pk}"
    early = (today - timedelta(days=1)).isoformat()
    client.post(withdraw_url(consent), {f"{prefix}-withdrawn_on": early})
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
    page = client.get(page_of(signal)).content.decode()
    assert f'id="id_{prefix}-withdrawn_on_error"' in page


def test_the_reporting_partner_reads_consents_but_cannot_record() -> None:
    signal = partner_signal()
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    consent = consent_record(
        by=coordinator, target=signal, scope="research", given_on=timezone.localdate(), how="Brief"
    )
    reporter = signal.source_organisation.memberships.get().user  # type: ignore[union-attr]
    client = verified_client(reporter)
    page = client.get(page_of(signal)).content.decode()
    assert "Gebruik in gepseudonimiseerd onderzoek" in page
    assert add_url(signal) not in page
    assert withdraw_url(consent) not in page
    assert client.post(add_url(signal), {"consent-scope": "police"}).status_code == 404
    assert client.post(withdraw_url(consent), {}).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_a_consent_of_another_signal_cannot_be_withdrawn_through_this_one() -> None:
    signal, other = partner_signal(), partner_signal()
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    consent = consent_record(
        by=coordinator, target=other, scope="police", given_on=timezone.localdate(), how="Brief"
    )
    url = reverse(
        "signals:consent_withdraw", kwargs={"signal_id": signal.pk, "consent_id": consent.pk}
    )
    assert verified_client(coordinator).post(url, {}).status_code == 404
