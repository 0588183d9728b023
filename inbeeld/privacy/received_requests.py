"""Data-subject requests as they arrive, each with the date by which it must be answered.

AVG art. 12(3): the controller answers "without undue delay and in any event within one month
of receipt"; that period "may be extended by two further months where necessary", and the
person is told so, with the reasons, within the first month. So a request gets its due date
when it is registered; it can be extended once, to at most three months after receipt, with
a reason; and it stays on the FG's home page, overdue first, until it is answered or refused.

The FG sees and handles the requests of the regions in which she is FG, nobody else's.
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.access import regions_where
from inbeeld.accounts.models import Role, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.privacy.models import ReceivedRequest, ReceivedRequestStatus, RequestKind
from inbeeld.regions.models import Region

PURPOSE = Purpose.DATA_SUBJECT_REQUEST
ANSWER_WITHIN = relativedelta(months=1)
LONGEST = relativedelta(months=3)  # one month plus at most two further months


def answer_due(received_on: date) -> date:
    """One calendar month after receipt (31 January → 28 or 29 February)."""
    return received_on + ANSWER_WITHIN


def received_requests_for(user: User) -> QuerySet[ReceivedRequest]:
    """The requests of the regions in which ``user`` is FG; the open ones due first."""
    return ReceivedRequest.objects.filter(region__in=regions_where(user, Role.FG)).select_related(
        "region"
    )


def received_requests_open_for(user: User) -> QuerySet[ReceivedRequest]:
    return received_requests_for(user).filter(status=ReceivedRequestStatus.OPEN)


def received_request_get_for(*, user: User, pk: int) -> ReceivedRequest:
    found = received_requests_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def received_request_register(
    *, by: User, region: Region, kind: str, received_on: date, reference: str = ""
) -> ReceivedRequest:
    if not regions_where(by, Role.FG).filter(pk=region.pk).exists():
        raise ValidationError({"region": _("You are not the FG of this region.")})
    if kind not in RequestKind.values:
        raise ValidationError({"kind": _("Choose a kind of request.")})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("A request cannot be received in the future.")})
    with transaction.atomic():
        request = ReceivedRequest.objects.create(
            region=region,
            kind=kind,
            received_on=received_on,
            due_on=answer_due(received_on),
            reference=reference,
            registered_by=by,
        )
        audit_record(actor=by, action=Action.CREATE, target=request, purpose=PURPOSE)
    return request


def received_request_extend(
    *, by: User, request: ReceivedRequest, due_on: date, reason: str
) -> ReceivedRequest:
    if request.status != ReceivedRequestStatus.OPEN:
        raise ValidationError(_("This request has been closed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the answer needs more time.")})
    if due_on <= request.due_on:
        raise ValidationError({"due_on": _("An extension moves the date later.")})
    if due_on > request.received_on + LONGEST:
        latest = request.received_on + LONGEST
        raise ValidationError(
            {
                "due_on": _(
                    "At most three months after receipt (AVG art. 12(3)): %(latest)s at the latest."
                )
                % {"latest": latest.isoformat()}
            }
        )
    with transaction.atomic():
        request.due_on = due_on
        request.extended_because = reason
        request.save(update_fields=["due_on", "extended_because"])
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=request,
            purpose=PURPOSE,
            detail={"due_on": due_on.isoformat()},
        )
    return request


def received_request_close(
    *, by: User, request: ReceivedRequest, status: str, outcome: str
) -> ReceivedRequest:
    if request.status != ReceivedRequestStatus.OPEN:
        raise ValidationError(_("This request has been closed."))
    if status not in (ReceivedRequestStatus.ANSWERED, ReceivedRequestStatus.REFUSED):
        raise ValidationError({"status": _("Choose answered or refused.")})
    if not outcome.strip():
        raise ValidationError({"outcome": _("Say what the person was told.")})
    with transaction.atomic():
        request.status = status
        request.outcome = outcome
        request.closed_at = timezone.now()
        request.save(update_fields=["status", "outcome", "closed_at"])
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=request,
            purpose=PURPOSE,
            detail={"status": status},
        )
    return request
