"""Referring, answering and ending referrals; recording services delivered.

One transaction per action; bad input raises ValidationError naming the field before
anything is written. A referral is a share with its legal basis (privacy/sharing.py,
ShareKind.REFERRAL); its answer is due within RESPONSE_WORKING_DAYS working days, a task of
the one task engine for the receiving organisation, closed when it is answered. Every
transition is audited and appears on the case's timeline (case_sections.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.models import Organisation, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.cases.models import Case
from inbeeld.integrations.models import WebhookEvent
from inbeeld.integrations.webhooks import webhook_event_emit
from inbeeld.lib.codes import readable_code
from inbeeld.privacy.models import ConsentScope, ShareKind
from inbeeld.privacy.sharing import share_end, share_record
from inbeeld.referrals.models import (
    ExitPhase,
    ProgrammePhase,
    Referral,
    ReferralStatus,
    ServiceDelivered,
    ServiceType,
    SharedField,
)
from inbeeld.tasks.models import TaskStatus
from inbeeld.tasks.services import task_cancel, task_complete, task_create, tasks_for_subject

# The receiving organisation answers within five working days (Monday to Friday): what the
# regional care coordination agrees with its partners; a region that agrees otherwise
# changes this one number.
RESPONSE_WORKING_DAYS = 5
RESPONSE_TASK = "referral.response"
MESSAGE_MAX = 5000
REASON_MAX = 2000

# Which status each action starts from and leads to.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "accept": (frozenset({ReferralStatus.REQUESTED}), ReferralStatus.ACCEPTED),
    "reject": (frozenset({ReferralStatus.REQUESTED}), ReferralStatus.REJECTED),
    "revoke": (
        frozenset({ReferralStatus.REQUESTED, ReferralStatus.ACCEPTED}),
        ReferralStatus.REVOKED,
    ),
    "complete": (frozenset({ReferralStatus.ACCEPTED}), ReferralStatus.COMPLETED),
}


@dataclass(frozen=True)
class ReferralInput:
    organisation: Organisation | None
    service: str
    message: str
    shared_fields: Sequence[str]
    legal_basis: str


@dataclass(frozen=True)
class ServiceInput:
    service: str
    provider: Organisation | None
    start: date | None
    end: date | None = None
    referral: Referral | None = None


def working_days_after(day: date, count: int) -> date:
    """The date ``count`` working days (Monday to Friday) after ``day``."""
    current = day
    while count > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            count -= 1
    return current


def in_directory(case: Case, organisation: Organisation) -> bool:
    """The organisation is an active partner in the directory of the case's region."""
    return organisation.active and organisation.region_id == case.region_id


def _referral_errors(case: Case, data: ReferralInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not case.is_open:
        errors["case"] = [_("The case is closed: reopen it before referring.")]
    if data.organisation is None or not in_directory(case, data.organisation):
        errors["organisation"] = [
            _("Choose an organisation from the partner directory of the case's region.")
        ]
    if data.service not in ServiceType.values:
        errors["service"] = [_("Choose the service from the list.")]
    unknown = [code for code in data.shared_fields if code not in SharedField.values]
    if unknown:
        errors["shared_fields"] = [_("Choose what to share from the list.")]
    message = data.message.strip()
    if not message:
        errors["message"] = [_("Write what you ask of the organisation.")]
    elif len(message) > MESSAGE_MAX:
        errors["message"] = [
            _("Write at most %(limit)d characters.") % {"limit": MESSAGE_MAX},
        ]
    return errors


@transaction.atomic
def referral_create(*, by: User, case: Case, data: ReferralInput) -> Referral:
    """Refer the case's person to an organisation of the region's directory for a service."""
    errors, organisation = _referral_errors(case, data), data.organisation
    if errors or organisation is None:
        raise ValidationError(errors)
    shared = [code for code in SharedField.values if code in set(data.shared_fields)]
    service_label = str(ServiceType(data.service).label)
    share = share_record(
        by=by,
        target=case,
        region=case.region,
        kind=ShareKind.REFERRAL,
        legal_basis=data.legal_basis,
        purpose=_("Referral for %(service)s") % {"service": service_label},
        consent_scope=ConsentScope.CARE_PARTNERS,
        to_organisation=organisation,
        from_organisation=case.owner_organisation,
        content=", ".join(str(SharedField(code).label) for code in shared),
    )
    referral = Referral.objects.create(
        case=case,
        region=case.region,
        reference=readable_code("VW"),
        from_organisation=case.owner_organisation,
        to_organisation=organisation,
        service=data.service,
        message=data.message.strip(),
        shared_fields=shared,
        legal_basis=data.legal_basis,
        share=share,
        answer_due=working_days_after(timezone.localdate(), RESPONSE_WORKING_DAYS),
        created_by=by,
    )
    task_create(
        subject=referral,
        source=RESPONSE_TASK,
        # No personal data in a title: the referral's reference and the service only.
        title=_("Answer referral %(reference)s (%(service)s)")
        % {"reference": referral.reference, "service": service_label},
        due=referral.answer_due,
        owner_organisation=organisation,
        by=by,
    )
    audit_record(
        actor=by,
        action=Action.CREATE,
        target=referral,
        purpose=Purpose.REFERRAL,
        detail={"case": case.pk, "to_organisation": organisation.pk, "share": share.pk},
    )
    # The receiving organisation's webhooks hear of it in this same transaction (outbox).
    webhook_event_emit(
        organisation=organisation, event=WebhookEvent.REFERRAL_REQUESTED, record=referral
    )
    return referral


def _close_response_task(referral: Referral, by: User, *, done: bool) -> None:
    for task in tasks_for_subject(referral).filter(source=RESPONSE_TASK, status=TaskStatus.OPEN):
        if done:
            task_complete(task=task, by=by)
        else:
            task_cancel(task=task, by=by)


@transaction.atomic
def _transition(*, by: User, referral: Referral, action: str, reason: str = "") -> Referral:
    allowed, target = TRANSITIONS[action]
    # Locked, then checked: two answers at once cannot both pass (the second sees the first).
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    if current.status not in allowed:
        raise ValidationError(
            {
                "status": [
                    _("This referral is %(status)s; that step is not possible now.")
                    % {"status": str(ReferralStatus(current.status).label).lower()}
                ]
            }
        )
    now = timezone.now()
    current.status = target
    if action in ("accept", "reject"):
        current.answered_by, current.answered_at = by, now
        current.reason = reason
    else:
        current.ended_by, current.ended_at = by, now
    current.save()
    if action in ("accept", "reject"):
        _close_response_task(current, by, done=True)
    elif action == "revoke":
        _close_response_task(current, by, done=False)
    # The organisation keeps nothing more of the case once the referral is over: its share
    # ends (the record of it stays). An accepted referral keeps its share while it runs.
    ended = (ReferralStatus.REJECTED, ReferralStatus.REVOKED, ReferralStatus.COMPLETED)
    if target in ended and current.share is not None:
        share_end(by=by, share=current.share)
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=current,
        purpose=Purpose.REFERRAL,
        detail={"status": target},
    )
    if action == "revoke":
        webhook_event_emit(
            organisation=current.to_organisation,
            event=WebhookEvent.REFERRAL_REVOKED,
            record=current,
        )
    return current


def referral_accept(*, by: User, referral: Referral) -> Referral:
    return _transition(by=by, referral=referral, action="accept")


def referral_reject(*, by: User, referral: Referral, reason: str) -> Referral:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for rejecting the referral.")]})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": [_("Write at most %(limit)d characters.") % {"limit": REASON_MAX}]}
        )
    return _transition(by=by, referral=referral, action="reject", reason=reason)


def referral_revoke(*, by: User, referral: Referral) -> Referral:
    return _transition(by=by, referral=referral, action="revoke")


def referral_complete(*, by: User, referral: Referral) -> Referral:
    return _transition(by=by, referral=referral, action="complete")


@transaction.atomic
def service_add(*, by: User, case: Case, data: ServiceInput) -> ServiceDelivered:
    """Record a service the person got (HTCDS support plan: type, provider, period)."""
    errors: dict[str, list[str]] = {}
    if data.service not in ServiceType.values:
        errors["service"] = [_("Choose the service from the list.")]
    if data.provider is None or not in_directory(case, data.provider):
        errors["provider"] = [
            _("Choose an organisation from the partner directory of the case's region.")
        ]
    today = timezone.localdate()
    if data.start is None:
        errors["start"] = [_("Give the date the service started.")]
    elif data.start > today:
        errors["start"] = [_("This date lies in the future. Give a date up to today.")]
    if data.end is not None and data.start is not None and data.end < data.start:
        errors["end"] = [_("The end lies before the start.")]
    if data.referral is not None and data.referral.case_id != case.pk:
        errors["referral"] = [_("Choose a referral of this case.")]
    if errors or data.provider is None or data.start is None:
        raise ValidationError(errors)
    service = ServiceDelivered.objects.create(
        case=case,
        service=data.service,
        provider=data.provider,
        start=data.start,
        end=data.end,
        referral=data.referral,
        created_by=by,
    )
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=case,
        purpose=Purpose.CASE_WORK,
        detail={"service": service.pk, "type": data.service, "provider": data.provider.pk},
    )
    return service


@transaction.atomic
def programme_phase_record(
    *, by: User, referral: Referral, phase: str, started_on: date | None
) -> ProgrammePhase:
    """Record that the person of an accepted exit-programme referral entered a phase. The
    programme's organisation records it; the case's coordinator sees it on the case."""
    # Locked: two phases recorded at once are checked against each other's dates.
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    if current.service != ServiceType.EXIT_PROGRAMME:
        raise ValidationError({"phase": [_("Only an exit programme has phases.")]})
    if current.status != ReferralStatus.ACCEPTED:
        raise ValidationError(
            {"phase": [_("Phases are recorded while the accepted programme runs.")]}
        )
    errors: dict[str, list[str]] = {}
    if phase not in ExitPhase.values:
        errors["phase"] = [_("Choose the phase from the list.")]
    latest = current.phases.order_by("-started_on", "-pk").first()
    if latest is not None and latest.phase == phase:
        errors["phase"] = [_("The programme is in this phase already.")]
    if started_on is None:
        errors["started_on"] = [_("Give the date the phase started.")]
    elif started_on > timezone.localdate():
        errors["started_on"] = [_("This date lies in the future. Give a date up to today.")]
    elif current.answered_at is not None and started_on < timezone.localdate(current.answered_at):
        errors["started_on"] = [_("The phase cannot start before the referral was accepted.")]
    elif latest is not None and started_on < latest.started_on:
        errors["started_on"] = [
            _("The current phase started on %(day)s; a new phase cannot start before it.")
            % {"day": latest.started_on.isoformat()}
        ]
    if errors or started_on is None:
        raise ValidationError(errors)
    recorded = ProgrammePhase.objects.create(
        referral=current, phase=phase, started_on=started_on, recorded_by=by
    )
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=current,
        purpose=Purpose.REFERRAL,
        detail={"phase": phase, "started_on": started_on.isoformat()},
    )
    return recorded
