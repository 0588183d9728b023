"""The outbox to CoMensha's API, against a real HTTP server on a loopback port: written in
the transaction that marks the version sent, delivered at least once with the same
Idempotency-Key for every attempt, retried with exponential backoff, every attempt audited,
and never dropped."""

from __future__ import annotations

import socket
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from inbeeld.audit.models import Action, AuditEntry
from inbeeld.cases.tests.helpers import world_case
from inbeeld.lib import outbox
from inbeeld.registration import transport
from inbeeld.registration.models import OutboxMessage, OutboxStatus, RegistrationStatus
from inbeeld.registration.services import registration_save, registration_send_api
from inbeeld.registration.tests.helpers import complete_input, coordinator, draft
from inbeeld.registration.tests.receiver import comensha_receiver
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def attempts_audited(registration_id: int) -> list[dict[str, Any]]:
    return [
        entry.detail
        for entry in AuditEntry.objects.filter(
            action=Action.SHARE,
            object_type="registration.registration",
            object_id=str(registration_id),
            actor="CoMensha outbox",
        ).order_by("pk")
    ]


def test_without_an_endpoint_the_api_is_off_and_sending_is_refused(
    world: World, settings: Any
) -> None:
    settings.COMENSHA_API_URL = ""
    registration = draft(world, world_case(world, "A"))
    with pytest.raises(ValidationError) as caught:
        registration_send_api(by=coordinator(world), registration=registration)
    assert "transport" in caught.value.message_dict
    assert not OutboxMessage.objects.exists()


def test_sent_and_delivered_once_then_acknowledged_with_comensha_reference(
    world: World, settings: Any
) -> None:
    with comensha_receiver() as receiver:
        settings.COMENSHA_API_URL = receiver.url
        settings.COMENSHA_API_TOKEN = "geheim-token"
        registration = draft(world, world_case(world, "A"))
        message = registration_send_api(by=coordinator(world), registration=registration)
        registration.refresh_from_db()
        assert registration.status == RegistrationStatus.SENT and registration.transport == "api"
        assert message.key == f"{registration.lineage}:1"
        delivered = transport.deliver(message.pk)
        assert delivered is not None and delivered.status == OutboxStatus.DELIVERED
        # Delivered is done: another attempt sends nothing.
        assert transport.deliver(message.pk) is None
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert request["key"] == message.key
    assert request["authorization"] == "Bearer geheim-token"
    assert request["body"]["plaats_delict"] == "GM0664"
    assert request["body"]["registration_id"] == str(registration.lineage)
    assert "name" not in request["body"] and "date_of_birth" not in request["body"]
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ACKNOWLEDGED
    assert registration.comensha_reference == "CM-0001"
    assert [d["outcome"] for d in attempts_audited(registration.pk)] == ["delivered"]


def test_failures_are_retried_with_exponential_backoff_and_each_attempt_audited(
    world: World, settings: Any
) -> None:
    with comensha_receiver(script=[503, 503]) as receiver:
        settings.COMENSHA_API_URL = receiver.url
        registration = draft(world, world_case(world, "A"))
        message = registration_send_api(by=coordinator(world), registration=registration)
        start = timezone.now()
        first = transport.deliver(message.pk, now=start)
        assert first is not None and first.status == OutboxStatus.PENDING
        assert first.attempts == 1 and first.last_status_code == 503
        assert first.next_attempt_at == start + timedelta(minutes=1)
        # Not due yet: nothing is sent.
        assert transport.deliver(message.pk, now=start + timedelta(seconds=30)) is None
        second = transport.deliver(message.pk, now=start + timedelta(minutes=1))
        assert second is not None and second.status == OutboxStatus.PENDING
        assert second.next_attempt_at == start + timedelta(minutes=1) + timedelta(minutes=2)
        assert transport.deliver_due(now=start + timedelta(minutes=3)) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED and message.attempts == 3
    assert len(receiver.requests) == 3
    assert {request["key"] for request in receiver.requests} == {message.key}
    audited = attempts_audited(registration.pk)
    assert [(d["attempt"], d["outcome"], d["http_status"]) for d in audited] == [
        (1, "pending", 503),
        (2, "pending", 503),
        (3, "delivered", 201),
    ]


def test_a_lost_answer_is_sent_again_and_the_receiver_keeps_one_registration(
    world: World, settings: Any
) -> None:
    with comensha_receiver(script=["lost"]) as receiver:
        settings.COMENSHA_API_URL = receiver.url
        registration = draft(world, world_case(world, "A"))
        message = registration_send_api(by=coordinator(world), registration=registration)
        start = timezone.now()
        transport.deliver(message.pk, now=start)
        transport.deliver(message.pk, now=start + timedelta(minutes=1))
    assert len(receiver.requests) == 2 and len(receiver.kept) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED


def test_a_correction_is_its_own_delivery_with_its_own_key(world: World, settings: Any) -> None:
    with comensha_receiver() as receiver:
        settings.COMENSHA_API_URL = receiver.url
        case = world_case(world, "A")
        first = registration_send_api(by=coordinator(world), registration=draft(world, case))
        transport.deliver(first.pk)
        correction = registration_save(
            by=coordinator(world),
            case=case,
            data=complete_input(case, dossier_type="registration_advice"),
        )
        second = registration_send_api(by=coordinator(world), registration=correction)
        transport.deliver(second.pk)
        with pytest.raises(ValidationError):  # sending the same version twice: refused
            registration_send_api(by=coordinator(world), registration=correction)
    assert [r["body"]["version"] for r in receiver.requests] == [1, 2]
    assert receiver.requests[1]["body"]["corrects_version"] == 1
    assert len(receiver.kept) == 2 and OutboxMessage.objects.count() == 2


def test_no_connection_keeps_the_message_and_after_the_last_attempt_it_is_failed_not_lost(
    world: World, settings: Any
) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.COMENSHA_API_URL = f"http://127.0.0.1:{port}/aanmeldingen"
    registration = draft(world, world_case(world, "A"))
    message = registration_send_api(by=coordinator(world), registration=registration)
    now = timezone.now()
    for _attempt in range(transport.MAX_ATTEMPTS):
        tried = transport.deliver(message.pk, now=now)
        assert tried is not None
        now = tried.next_attempt_at
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == transport.MAX_ATTEMPTS
    assert message.last_error.startswith("no connection")
    assert len(attempts_audited(registration.pk)) == transport.MAX_ATTEMPTS
    assert transport.deliver(message.pk, now=now + timedelta(days=1)) is None


def test_the_backoff_doubles_up_to_six_hours() -> None:
    waits = [outbox.backoff(n) for n in range(1, 12)]
    assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert waits[-1] == timedelta(hours=6)


def test_an_endpoint_that_is_not_https_gets_nothing(world: World, settings: Any) -> None:
    settings.COMENSHA_API_URL = "http://comensha.example.org/aanmeldingen"
    registration = draft(world, world_case(world, "A"))
    message = registration_send_api(by=coordinator(world), registration=registration)
    tried = transport.deliver(message.pk)
    assert tried is not None and tried.status == OutboxStatus.PENDING
    assert tried.last_error == "the endpoint is not an https address"


def test_the_outbox_message_is_written_in_the_same_transaction_as_the_status(
    world: World, settings: Any
) -> None:
    settings.COMENSHA_API_URL = "https://comensha.example.org/aanmeldingen"
    registration = draft(world, world_case(world, "A"))
    with pytest.raises(RuntimeError), transaction.atomic():
        registration_send_api(by=coordinator(world), registration=registration)
        raise RuntimeError("the request failed after sending")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.DRAFT
    assert not OutboxMessage.objects.exists()
