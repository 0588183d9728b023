"""Delivering sent registrations to CoMensha's API from the outbox (at least once).

The outbox message is written in the transaction that marks the version sent
(services.registration_send_api); after the commit a django-q2 task tries it at once, and a
schedule (every minute, migration 0001) tries what is due, so a worker that was down or a
lost task loses nothing. Each attempt:

1. claims the message with one conditional UPDATE (pending, due): the attempt count goes
   up and the next attempt is pushed past the request's timeout, so two workers never send
   the same message at the same time;
2. POSTs the document (comensha_file.as_document) with the header ``Idempotency-Key:
   <lineage>:<version>``: the same key for every attempt of a version, so a receiver that
   got an attempt whose answer was lost keeps one registration (at-least-once delivery,
   idempotent receiver);
3. records the outcome: a 2xx answer (or 409, "I have this one") delivers it and marks the
   version acknowledged (CoMensha's reference from the answer's ``reference`` when given);
   anything else waits ``backoff(attempts)`` — one minute, doubling, at most six hours —
   and after ``MAX_ATTEMPTS`` the message is marked failed and shown on the registration's
   page, never dropped.

Every attempt is audited on the registration (a share with CoMensha, by "CoMensha outbox").
Only https is used, except to a loopback address (a local test server).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.lib.outbox import BACKOFF_BASE, backoff, post
from inbeeld.registration.comensha_file import as_document
from inbeeld.registration.models import OutboxMessage, OutboxStatus, RegistrationStatus

TASK = "inbeeld.registration.transport.deliver_task"
MAX_ATTEMPTS = 12
ACTOR = "CoMensha outbox"
LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def enqueue(message_id: int) -> None:
    from django_q.tasks import async_task

    async_task(TASK, message_id, group="comensha")


def deliver_task(message_id: int) -> str:
    message = deliver(message_id)
    return "skipped" if message is None else str(message.status)


def deliver_due(now: datetime | None = None) -> int:
    """Try every pending message that is due (the schedule's task); how many were tried."""
    now = now or timezone.now()
    due = list(
        OutboxMessage.objects.filter(
            status=OutboxStatus.PENDING, next_attempt_at__lte=now
        ).values_list("pk", flat=True)[:100]
    )
    return sum(1 for pk in due if deliver(pk, now=now) is not None)


def _endpoint_refusal(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return ""
    if parts.scheme == "http" and parts.hostname in LOOPBACK:
        return ""
    return "the endpoint is not an https address"


def _post(url: str, key: str, body: bytes) -> tuple[int | None, str, dict[str, object]]:
    """The answer's status, an error in InBeeld's words, and a JSON answer's object."""
    headers = {"Content-Type": "application/json", "Idempotency-Key": key}
    if settings.COMENSHA_API_TOKEN:
        headers["Authorization"] = f"Bearer {settings.COMENSHA_API_TOKEN}"
    # The scheme is checked first (_endpoint_refusal: https, or http to a loopback address).
    status, error, raw = post(
        url, headers, body, timeout=settings.COMENSHA_API_TIMEOUT, read_limit=65536
    )
    if error:
        return status, error, {}
    try:
        parsed = json.loads(raw or b"{}")
    except ValueError:
        parsed = {}
    return status, "", parsed if isinstance(parsed, dict) else {}


def _claim(message_id: int, now: datetime) -> bool:
    lease = now + timedelta(seconds=settings.COMENSHA_API_TIMEOUT) + BACKOFF_BASE
    return bool(
        OutboxMessage.objects.filter(
            pk=message_id, status=OutboxStatus.PENDING, next_attempt_at__lte=now
        ).update(attempts=F("attempts") + 1, next_attempt_at=lease)
    )


def deliver(message_id: int, now: datetime | None = None) -> OutboxMessage | None:
    """One attempt at a message, if it is pending and due; None when there was nothing to do
    (delivered already, not due, or another worker holds it)."""
    from inbeeld.registration.services import record_of, registration_acknowledge

    now = now or timezone.now()
    if not _claim(message_id, now):
        return None
    message = OutboxMessage.objects.select_related(
        "registration__region", "registration__place_municipality"
    ).get(pk=message_id)
    registration = message.registration
    url = settings.COMENSHA_API_URL
    refusal = _endpoint_refusal(url) if url else "no CoMensha API is configured"
    status: int | None = None
    answer: dict[str, object] = {}
    if refusal:
        error = refusal
    else:
        body = json.dumps(as_document(record_of(registration))).encode()
        status, error, answer = _post(url, message.key, body)
    delivered = status is not None and (200 <= status < 300 or status == 409)
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id)
        message.last_status_code = status
        if delivered:
            message.status = OutboxStatus.DELIVERED
            message.delivered_at = timezone.now()
            message.last_error = ""
        else:
            message.last_error = error[:200]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
            else:
                message.next_attempt_at = now + backoff(message.attempts)
        message.save()
        audit_record(
            actor=None,
            actor_name=ACTOR,
            action=Action.SHARE,
            target=registration,
            purpose=Purpose.SHARING,
            detail={
                "outbox": message.pk,
                "key": message.key,
                "attempt": message.attempts,
                "outcome": str(message.status),
                "http_status": status,
                "error": message.last_error,
            },
        )
        if delivered and registration.status == RegistrationStatus.SENT:
            reference = answer.get("reference")
            registration_acknowledge(
                by=None,
                registration=registration,
                reference=str(reference)[:40] if isinstance(reference, str | int) else "",
            )
    return message
