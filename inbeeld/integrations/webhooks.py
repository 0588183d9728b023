"""Outbound webhooks: an organisation's endpoint hears of events about that organisation.

Subscribing (the region's beheerder, as for tokens): an https address and the events
(models.WebhookEvent); http only to a loopback address in the embedded mode (tests, a
laptop). The signing secret is shown once and kept encrypted (signing needs it).

Emitting (``webhook_event_emit``): called by the app whose event it is, inside the
transaction that records the event, so the outbox row (models.WebhookDelivery) exists if and
only if the event does. One row per subscribed endpoint of the organisation the event is for.

Delivering (``deliver``, a django-q2 task after the commit, and ``deliver_due`` every minute
from a schedule, migration 0001): claim the row with one conditional UPDATE, POST the
payload signed, and on a 2xx mark it delivered; on anything else wait ``backoff(attempts)``
(1 minute doubling, at most 6 hours) and try again, for ever: a failing endpoint keeps its
events until it answers. Every attempt is audited. At least once: the same ``id`` for every
attempt, so receivers deduplicate.

Signature (docs/api.md): ``InBeeld-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
"<t>.<body>" with the secret>``, as Stripe's; ``InBeeld-Event-Id`` and ``InBeeld-Event-Type``
repeat the payload's ``id`` and ``type``.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.models import Organisation, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.integrations.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from inbeeld.lib.outbox import BACKOFF_BASE, backoff, post

TASK = "inbeeld.integrations.webhooks.deliver_task"
ACTOR = "webhook outbox"
LOOPBACK = {"localhost", "127.0.0.1", "::1"}
SIGNATURE_HEADER = "InBeeld-Signature"
EVENT_ID_HEADER = "InBeeld-Event-Id"
EVENT_TYPE_HEADER = "InBeeld-Event-Type"


@dataclass(frozen=True)
class SubscribedEndpoint:
    secret: str  # shown once
    endpoint: WebhookEndpoint


def _internal_host(host: str) -> bool:
    """A host written as a loopback, private or link-local address (or ``localhost``)."""
    if host in LOOPBACK:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local


def url_refusal(url: str) -> str:
    """Why ``url`` may not receive events ("" when it may)."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        return _("The address may not hold a user name or password.")
    # Outside the embedded mode, an address written as an internal one is refused: events go
    # to partners, not to the server's own network. (A name that resolves inward is not
    # caught here; docs/api.md.)
    if settings.MODE != "embedded" and _internal_host(parts.hostname or ""):
        return _("The address may not be an internal network address.")
    if parts.scheme == "https" and parts.hostname:
        return ""
    if parts.scheme == "http" and parts.hostname in LOOPBACK and settings.MODE == "embedded":
        return ""
    return _("The address must start with https://.")


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value: ``t=<timestamp>,v1=<hex HMAC-SHA256>``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


# --- subscribing ---------------------------------------------------------------------------


@transaction.atomic
def webhook_endpoint_create(
    *, by: User, organisation: Organisation, url: str, events: list[str]
) -> SubscribedEndpoint:
    if not by.has_perm("integrations.manage_of", organisation) or not organisation.active:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    refusal = url_refusal(url.strip())
    if refusal:
        errors["url"] = [refusal]
    unknown = [event for event in events if event not in WebhookEvent.values]
    if not events:
        errors["events"] = [_("Choose at least one event.")]
    elif unknown:
        errors["events"] = [_("Unknown event: %(event)s.") % {"event": ", ".join(unknown)}]
    if errors:
        raise ValidationError(errors)
    secret = "whsec_" + secrets.token_hex(32)
    endpoint = WebhookEndpoint.objects.create(
        organisation=organisation,
        url=url.strip(),
        events=sorted(set(events)),
        secret=secret,
        created_by=by,
    )
    audit_record(
        actor=by,
        action=Action.CREATE,
        target=endpoint,
        purpose=Purpose.ORGANISATION_ADMINISTRATION,
        detail={"webhook": endpoint.pk, "url": endpoint.url, "events": endpoint.events},
    )
    return SubscribedEndpoint(secret, endpoint)


@transaction.atomic
def webhook_endpoint_remove(*, by: User, endpoint: WebhookEndpoint) -> None:
    """No new events go to it; what is waiting is still delivered (nothing is lost)."""
    if not by.has_perm("integrations.manage_of", endpoint.organisation):
        raise PermissionDenied
    locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if locked.revoked_at is not None:
        return
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    audit_record(
        actor=by,
        action=Action.DELETE,
        target=locked,
        purpose=Purpose.ORGANISATION_ADMINISTRATION,
        detail={"webhook_removed": locked.pk},
    )


def webhook_endpoint_get_for(*, user: User, organisation: Organisation, pk: int) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(pk=pk, organisation=organisation).first()
    if endpoint is None or not user.has_perm("integrations.manage_of", organisation):
        raise Http404
    return endpoint


def endpoints_of(organisation: Organisation) -> list[tuple[WebhookEndpoint, int]]:
    """The organisation's endpoints with the number of events each still waits to deliver."""
    endpoints = WebhookEndpoint.objects.filter(organisation=organisation).annotate(
        waiting=models.Count(
            "deliveries", filter=models.Q(deliveries__status=DeliveryStatus.PENDING)
        )
    )
    return [(endpoint, int(endpoint.waiting)) for endpoint in endpoints]


# --- emitting ------------------------------------------------------------------------------


def webhook_event_emit(
    *, organisation: Organisation, event: WebhookEvent, record: models.Model
) -> int:
    """Write the event for ``organisation``'s subscribed endpoints; how many rows.

    Call it inside the transaction that records the event. The payload is the event's
    share only: its id, type, time, and the record's type and id, which the organisation
    may already see (a referral to it, a tip to it, an action of its own). Never a name, a
    text or any other field of the record.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("webhook_event_emit belongs inside the event's transaction")
    # An organisation has a handful of endpoints: the events are filtered here, the same on
    # SQLite and PostgreSQL.
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(
            organisation=organisation, revoked_at__isnull=True
        )
        if str(event) in endpoint.events
    ]
    if not endpoints:
        return 0
    now = timezone.now()
    rows = []
    for endpoint in endpoints:
        delivery = WebhookDelivery(endpoint=endpoint, event_type=str(event), next_attempt_at=now)
        delivery.payload = {
            "id": str(delivery.event_id),
            "type": str(event),
            "created": now.isoformat(),
            "organisation": organisation.pk,
            "data": {"object": record._meta.model_name, "id": record.pk},
        }
        rows.append(delivery)
    for row in rows:
        row.save()
    ids = [row.pk for row in rows]

    def enqueue_all() -> None:
        for pk in ids:
            enqueue(pk)

    transaction.on_commit(enqueue_all)
    return len(rows)


# --- delivering ----------------------------------------------------------------------------


def enqueue(delivery_id: int) -> None:
    from django_q.tasks import async_task

    async_task(TASK, delivery_id, group="webhooks")


def deliver_task(delivery_id: int) -> str:
    delivery = deliver(delivery_id)
    return "skipped" if delivery is None else str(delivery.status)


def deliver_due(now: datetime | None = None) -> int:
    """Try every pending delivery that is due (the schedule's task); how many were tried."""
    now = now or timezone.now()
    due = list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now
        ).values_list("pk", flat=True)[:200]
    )
    return sum(1 for pk in due if deliver(pk, now=now) is not None)


def _post(url: str, headers: dict[str, str], body: bytes) -> tuple[int | None, str]:
    # The address is checked first (url_refusal: https, or http to loopback when embedded).
    status, error, _answer = post(
        url, headers, body, timeout=settings.WEBHOOK_TIMEOUT, read_limit=1024
    )
    return status, error


def _claim(delivery_id: int, now: datetime) -> bool:
    lease = now + timedelta(seconds=settings.WEBHOOK_TIMEOUT) + BACKOFF_BASE
    return bool(
        WebhookDelivery.objects.filter(
            pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
        ).update(attempts=F("attempts") + 1, next_attempt_at=lease)
    )


def deliver(delivery_id: int, now: datetime | None = None) -> WebhookDelivery | None:
    """One attempt, if the delivery is pending and due; None when there was nothing to do."""
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint__organisation__region").get(
        pk=delivery_id
    )
    endpoint = delivery.endpoint
    refusal = url_refusal(endpoint.url)
    status: int | None = None
    if refusal:
        error = "address refused"
    else:
        body = json.dumps(delivery.payload, separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "InBeeld-Webhooks/1",
            SIGNATURE_HEADER: sign(str(endpoint.secret), int(timezone.now().timestamp()), body),
            EVENT_ID_HEADER: str(delivery.event_id),
            EVENT_TYPE_HEADER: delivery.event_type,
        }
        status, error = _post(endpoint.url, headers, body)
    delivered = status is not None and 200 <= status < 300
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        delivery.last_status_code = status
        if delivered:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.last_error = ""
        else:
            delivery.last_error = error[:200]
            delivery.next_attempt_at = now + backoff(delivery.attempts)
        delivery.save()
        audit_record(
            actor=None,
            actor_name=ACTOR,
            action=Action.SHARE,
            target=endpoint,
            purpose=Purpose.SHARING,
            detail={
                "event": str(delivery.event_id),
                "type": delivery.event_type,
                "attempt": delivery.attempts,
                "outcome": str(delivery.status),
                "http_status": status,
                "error": delivery.last_error,
            },
        )
    return delivery
