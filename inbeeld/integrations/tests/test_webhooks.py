"""Outbound webhooks against a real HTTP server on a loopback port: subscribed by the
region's beheerder, written in the event's transaction, signed, delivered at least once with
one event id per event, retried with backoff, never dropped, every attempt audited."""

from __future__ import annotations

import json
import socket
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.casetable.tests.helpers import world_action
from inbeeld.integrations import webhooks
from inbeeld.integrations.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from inbeeld.integrations.tests.helpers import webhook
from inbeeld.integrations.tests.receiver import signature_valid, webhook_receiver
from inbeeld.integrations.webhooks import webhook_endpoint_create
from inbeeld.lib import outbox
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.referrals.services import referral_revoke
from inbeeld.referrals.tests.helpers import CANARY_NAME, shelter, world_referral
from inbeeld.signals.triage import tip_pass
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import covenant_signed_by
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def _attempts(endpoint: WebhookEndpoint) -> list[dict[str, Any]]:
    return [
        entry.detail
        for entry in AuditEntry.objects.filter(
            action=Action.SHARE,
            object_type="integrations.webhookendpoint",
            object_id=str(endpoint.pk),
            actor="webhook outbox",
        ).order_by("pk")
    ]


def test_the_beheerder_subscribes_and_sees_the_secret_once(world: World) -> None:
    client = verified_client(world.user(Role.BEHEERDER, "A"))
    url = reverse("integrations:webhook_create", args=[world.partner("A").pk])
    response = client.post(
        url, {"url": "https://partner.example/hooks", "events": ["tip.received"]}
    )
    assert response.status_code == 200
    secret = response.context["new_secret"]
    assert secret.startswith("whsec_") and secret in response.content.decode()
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret == secret and endpoint.events == ["tip.received"]
    page = client.get(reverse("integrations:organisation", args=[world.partner("A").pk]))
    assert secret not in page.content.decode()
    assert AuditEntry.objects.filter(object_type="integrations.webhookendpoint").count() == 1


def test_http_is_refused_except_to_loopback_in_the_embedded_mode(
    world: World, settings: Any
) -> None:
    beheerder = world.user(Role.BEHEERDER, "A")
    for refused_url in ("http://partner.example/hooks", "ftp://x", "https://u:p@x.example/"):
        with pytest.raises(ValidationError) as caught:
            webhook_endpoint_create(
                by=beheerder,
                organisation=world.partner("A"),
                url=refused_url,
                events=["tip.received"],
            )
        assert "url" in caught.value.message_dict
    webhook_endpoint_create(
        by=beheerder,
        organisation=world.partner("A"),
        url="http://127.0.0.1:9/h",
        events=["tip.received"],
    )
    settings.MODE = "production"
    for internal in ("https://10.0.0.5/h", "https://127.0.0.1/h", "https://[::1]/h"):
        with pytest.raises(ValidationError) as caught:
            webhook_endpoint_create(
                by=beheerder, organisation=world.partner("A"), url=internal, events=["tip.received"]
            )
        assert "url" in caught.value.message_dict
    with pytest.raises(ValidationError):
        webhook_endpoint_create(
            by=beheerder,
            organisation=world.partner("A"),
            url="http://127.0.0.1:9/h",
            events=["tip.received"],
        )
    with pytest.raises(ValidationError) as caught:
        webhook_endpoint_create(
            by=beheerder, organisation=world.partner("A"), url="https://x.example", events=["all"]
        )
    assert "events" in caught.value.message_dict


def test_the_event_is_written_in_the_events_transaction(world: World) -> None:
    webhook(world, "A", organisation=shelter("A"))
    world_referral(world)  # build the case first: only the referral is rolled back
    before = WebhookDelivery.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        world_referral(world)
        assert WebhookDelivery.objects.count() == before + 1
        raise RuntimeError("the request failed after the referral")
    assert WebhookDelivery.objects.count() == before


def test_a_referral_is_delivered_signed_with_ids_only(world: World) -> None:
    with webhook_receiver() as receiver:
        receiver.secret, endpoint = webhook(world, "A", url=receiver.url, organisation=shelter("A"))
        referral = world_referral(world)
        [delivery] = WebhookDelivery.objects.filter(endpoint=endpoint)
        done = webhooks.deliver(delivery.pk)
    assert done is not None and done.status == DeliveryStatus.DELIVERED
    [request] = receiver.requests
    assert request["valid"]
    body = request["body"]
    assert body == {
        "id": str(delivery.event_id),
        "type": "referral.requested",
        "created": body["created"],
        "organisation": shelter("A").pk,
        "data": {"object": "referral", "id": referral.pk},
    }
    assert CANARY_NAME not in json.dumps(body)
    assert _attempts(endpoint)[0]["outcome"] == "delivered"


def test_a_failing_endpoint_keeps_its_events_until_it_answers_and_receivers_deduplicate(
    world: World,
) -> None:
    with webhook_receiver(script=[500, "lost", 503]) as receiver:
        receiver.secret, endpoint = webhook(world, "A", url=receiver.url, organisation=shelter("A"))
        world_referral(world)
        [delivery] = WebhookDelivery.objects.filter(endpoint=endpoint)
        now = timezone.now()
        waits = []
        for _ in range(3):
            tried = webhooks.deliver(delivery.pk, now=now)
            assert tried is not None and tried.status == DeliveryStatus.PENDING
            waits.append(tried.next_attempt_at - now)
            assert webhooks.deliver(delivery.pk, now=now) is None  # not due yet
            now = tried.next_attempt_at
        assert waits == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
        assert webhooks.deliver_due(now=now) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 4
    # Four requests, one event id; the receiver kept it once.
    assert {request["event_id"] for request in receiver.requests} == {str(delivery.event_id)}
    assert len(receiver.requests) == 4 and list(receiver.kept) == [str(delivery.event_id)]
    assert [attempt["outcome"] for attempt in _attempts(endpoint)] == [
        "pending",
        "pending",
        "pending",
        "delivered",
    ]


def test_an_endpoint_that_is_down_is_never_given_up(world: World) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    _secret, endpoint = webhook(
        world, "A", url=f"http://127.0.0.1:{port}/h", organisation=shelter("A")
    )
    world_referral(world)
    [delivery] = WebhookDelivery.objects.filter(endpoint=endpoint)
    now = timezone.now()
    for _ in range(15):
        tried = webhooks.deliver(delivery.pk, now=now)
        assert tried is not None and tried.status == DeliveryStatus.PENDING
        assert tried.last_error.startswith("no connection")
        now = tried.next_attempt_at
    assert outbox.backoff(15) == timedelta(hours=6)
    assert WebhookDelivery.objects.get(pk=delivery.pk).status == DeliveryStatus.PENDING


def test_a_removed_endpoint_gets_no_new_events_but_its_waiting_ones(world: World) -> None:
    with webhook_receiver() as receiver:
        receiver.secret, endpoint = webhook(world, "A", url=receiver.url, organisation=shelter("A"))
        referral = world_referral(world)
        client = verified_client(world.user(Role.BEHEERDER, "A"))
        remove = reverse("integrations:webhook_remove", args=[shelter("A").pk, endpoint.pk])
        assert client.post(remove).status_code == 302
        referral_revoke(by=world.user(Role.ZORGCOORDINATOR, "A"), referral=referral)
        assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 1
        assert webhooks.deliver_due() == 1
    assert len(receiver.kept) == 1


def test_a_tip_and_a_case_table_action_reach_their_organisation_only(world: World) -> None:
    _secret, police = webhook(world, "A")
    _secret_b, police_b = webhook(world, "B")
    covenant_signed_by(world.partner("A"))
    share = tip_pass(
        by=world.user(Role.ZORGCOORDINATOR),
        signal=world.signal("A"),
        to_organisation=world.partner("A"),
        text="Mogelijke uitbuiting in een kas.",
        legal_basis=LegalBasis.POLICE_DATA,
        purpose="opsporing",
    )
    [tip] = WebhookDelivery.objects.filter(endpoint=police)
    assert tip.payload["type"] == "tip.received"
    assert tip.payload["data"] == {"object": "share", "id": share.pk}
    assert "kas" not in json.dumps(tip.payload)
    # The action is for the personas' own organisation: subscribe it too.
    _secret_own, own = webhook(world, "A", organisation=world.organisation("A"))
    action = world_action(world, "A")
    [assigned] = WebhookDelivery.objects.filter(endpoint=own)
    assert assigned.payload["type"] == "casetable_action.assigned"
    assert assigned.payload["data"] == {"object": "task", "id": action.pk}
    assert not WebhookDelivery.objects.filter(endpoint=police_b).exists()


def test_the_signature_covers_timestamp_and_body() -> None:
    header = webhooks.sign("whsec_x", 1700000000, b'{"a":1}')
    assert header.startswith("t=1700000000,v1=")
    assert signature_valid("whsec_x", header, b'{"a":1}')
    assert not signature_valid("whsec_x", header, b'{"a":2}')
    assert not signature_valid("whsec_y", header, b'{"a":1}')
