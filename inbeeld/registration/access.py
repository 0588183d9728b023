"""The door to a registration: exactly the case's change door (cases/access.py).

``registration_get_for`` answers 404 for anyone who may not change the registration's case
(another region's coordinator, a partner, a restricted case), audits the case's read there
and the registration's read here.
"""

from __future__ import annotations

from django.http import Http404

from inbeeld.accounts.models import User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record, audit_record_reads
from inbeeld.cases.access import case_get_for
from inbeeld.registration.models import Registration


def registrations_read(user: User, registrations: list[Registration]) -> None:
    if registrations:
        audit_record_reads(actor=user, records=registrations, purpose=Purpose.CASE_WORK)


def registration_get_for(user: User, registration_id: int) -> Registration:
    found = Registration.objects.filter(pk=registration_id).only("pk", "case_id").first()
    if found is None:
        raise Http404
    case = case_get_for(user, found.case_id, need="edit")
    registration = Registration.objects.select_related(
        "case", "region", "place_municipality", "created_by", "sent_by"
    ).get(pk=found.pk)
    registration.case = case
    audit_record(actor=user, action=Action.READ, target=registration, purpose=Purpose.CASE_WORK)
    return registration
