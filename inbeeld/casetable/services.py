"""Writing the case table: meetings, attendance, the agenda, notes, decisions and actions.

One transaction per action; bad input raises ValidationError naming the field before
anything is written. Every change is audited (no notes or names in the entry). Shares to the
partners a decision gives a role go through privacy/sharing.py on the covenant basis, so an
organisation that has not signed the covenant in force is refused with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.covenants import covenant_share_refusal
from inbeeld.accounts.models import Membership, Organisation, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.cases.models import Case, CaseStatus
from inbeeld.casetable.models import (
    AgendaItem,
    Attendance,
    Decision,
    DecisionRole,
    Guest,
    Invitation,
    Meeting,
    MinutesSent,
    Outcome,
    PartnerRole,
    same_subject,
)
from inbeeld.casetable.roles import CHAIR_ROLES
from inbeeld.integrations.models import WebhookEvent
from inbeeld.integrations.webhooks import webhook_event_emit
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.privacy.models import ConsentScope, ShareKind
from inbeeld.privacy.sharing import share_end, share_record
from inbeeld.regions.models import Region
from inbeeld.signals.models import AgeBand, Signal, Status
from inbeeld.tasks.models import Task, TaskStatus
from inbeeld.tasks.services import task_create

ACTION_SOURCE = "casetable.action"
PURPOSE = Purpose.CASE_TABLE_MEETING
# Read out at the start of the meeting; an occasional attendee accepts it before taking part.
CONFIDENTIALITY_STATEMENT = (
    "Ik verklaar dat ik alles wat ik tijdens dit overleg hoor of lees over personen geheim "
    "houd, het niet vastleg of doorgeef en het alleen gebruik voor het doel van dit overleg."
)
Errors = dict[str, list[str]]


def _audit(by: User, action: Action, target: models.Model, what: str) -> None:
    audit_record(actor=by, action=action, target=target, purpose=PURPOSE, detail={"what": what})


def _has_role_in(user: User, region: Region, roles: Sequence[str] = ()) -> bool:
    memberships = Membership.objects.filter(user=user, organisation__region=region)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return memberships.exists()


def _require_chair_region(by: User, region: Region) -> None:
    if not _has_role_in(by, region, CHAIR_ROLES):
        raise ValidationError({"region": [_("You do not chair the case table of this region.")]})


def _require_runs(by: User, meeting: Meeting) -> None:
    if not by.has_perm("casetable.run_meeting", meeting):
        raise ValidationError({"meeting": [_("You do not prepare or chair this meeting.")]})


# --- meetings ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingInput:
    date: date | None
    chair: User | None
    secretary: User | None
    organisations: Sequence[Organisation] = ()


def _invitation_refusal(region: Region, organisation: Organisation) -> str:
    if organisation.region_id != region.pk:
        return _("%(organisation)s is not an organisation of this region.") % {
            "organisation": organisation.name
        }
    return covenant_share_refusal(region=region, organisation=organisation, user=None)


def _meeting_errors(region: Region, data: MeetingInput) -> Errors:
    errors: Errors = {}
    if data.date is None:
        errors["date"] = [_("Give the date of the meeting.")]
    if data.chair is None:
        errors["chair"] = [_("Choose the chair of the meeting.")]
    elif not _has_role_in(data.chair, region, CHAIR_ROLES):
        errors["chair"] = [_("The chair is a care coordinator of the region.")]
    if data.secretary is None:
        errors["secretary"] = [_("Choose the secretary of the meeting.")]
    elif not _has_role_in(data.secretary, region):
        errors["secretary"] = [_("The secretary works for an organisation of the region.")]
    refusals = [_invitation_refusal(region, org) for org in data.organisations]
    if any(refusals):
        errors["organisations"] = [text for text in refusals if text]
    return errors


@transaction.atomic
def meeting_plan(*, by: User, region: Region, data: MeetingInput) -> Meeting:
    """A new meeting with its invitations (signatories of the covenant in force only)."""
    _require_chair_region(by, region)
    errors = _meeting_errors(region, data)
    if errors or data.date is None or data.chair is None or data.secretary is None:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(
        region=region,
        date=data.date,
        chair=data.chair,
        secretary=data.secretary,
        created_by=by,
    )
    for organisation in data.organisations:
        Invitation.objects.create(meeting=meeting, organisation=organisation, invited_by=by)
    _audit(by, Action.CREATE, meeting, "meeting")
    return meeting


@transaction.atomic
def meeting_invite(*, by: User, meeting: Meeting, organisation: Organisation) -> Invitation:
    _require_runs(by, meeting)
    refusal = _invitation_refusal(meeting.region, organisation)
    if refusal:
        raise ValidationError({"organisation": [refusal]})
    invitation, _new = Invitation.objects.get_or_create(
        meeting=meeting, organisation=organisation, defaults={"invited_by": by}
    )
    _audit(by, Action.UPDATE, meeting, "invitation")
    return invitation


@transaction.atomic
def attendance_record(*, by: User, meeting: Meeting, users: Sequence[User]) -> int:
    """Record who was present (people of the chair's or an invited organisation)."""
    _require_runs(by, meeting)
    allowed = set(
        Membership.objects.filter(
            Q(organisation__in=meeting.invitations.values("organisation"))
            | Q(organisation__region=meeting.region, user__in=[meeting.chair, meeting.secretary])
        ).values_list("user_id", flat=True)
    )
    outsiders = [user for user in users if user.pk not in allowed]
    if outsiders:
        raise ValidationError(
            {"users": [_("Only people of the invited organisations can be recorded as present.")]}
        )
    added = 0
    for user in users:
        _row, new = Attendance.objects.get_or_create(
            meeting=meeting, user=user, defaults={"recorded_by": by}
        )
        added += int(new)
    _audit(by, Action.UPDATE, meeting, "attendance")
    return added


@transaction.atomic
def guest_add(*, by: User, meeting: Meeting, name: str, affiliation: str, accepted: bool) -> Guest:
    """An occasional attendee, recorded with the confidentiality statement they accepted."""
    _require_runs(by, meeting)
    errors: Errors = {}
    if not name.strip():
        errors["name"] = [_("Give the name of the attendee.")]
    if not accepted:
        errors["accepted"] = [
            _(
                "An occasional attendee takes part only after accepting the confidentiality "
                "statement."
            )
        ]
    if errors:
        raise ValidationError(errors)
    guest = Guest.objects.create(
        meeting=meeting,
        name=name.strip(),
        affiliation=affiliation.strip(),
        statement=CONFIDENTIALITY_STATEMENT,
        accepted_at=timezone.now(),
        recorded_by=by,
    )
    _audit(by, Action.CREATE, guest.meeting, "guest")
    return guest


# --- the agenda ----------------------------------------------------------------------------


def _decided_earlier(meeting: Meeting) -> set[int]:
    """Signals with a decision in force from an earlier meeting: not new on the agenda."""
    return set(
        Decision.objects.filter(
            superseded_at__isnull=True,
            item__signal__isnull=False,
            item__meeting__region=meeting.region,
            item__meeting__date__lt=meeting.date,
        ).values_list("item__signal_id", flat=True)
    )


def _items_with_open_actions(meeting: Meeting) -> list[AgendaItem]:
    """Items of the region's earlier meetings whose actions are still open."""
    earlier = AgendaItem.objects.filter(
        meeting__region=meeting.region, meeting__date__lt=meeting.date
    ).select_related("meeting")
    open_ids = set(
        Task.objects.filter(
            source=ACTION_SOURCE,
            status=TaskStatus.OPEN,
            subject_type=_item_type(),
            subject_id__in=earlier.values("pk"),
        ).values_list("subject_id", flat=True)
    )
    return list(earlier.filter(pk__in=open_ids).order_by("meeting__date", "position"))


def _signal_urgency(signal: Signal) -> tuple[int, float, float]:
    # Acute first, then the risk score, then the oldest: waiting longer is more urgent.
    return (-int(signal.acute), -float(signal.risk_score or 0), signal.created_at.timestamp())


def _case_urgency(case: Case) -> tuple[int, float, float]:
    person = getattr(case, "person", None)
    minor = bool(person and person.age_band == AgeBand.MINOR)
    return (-int(minor), 0.0, case.created_at.timestamp())


@transaction.atomic
def agenda_build(*, by: User, meeting: Meeting) -> int:
    """Fill the agenda: the region's signals marked for the table and not decided before,
    the cases put on it, by urgency and age; then earlier items with open actions. Adding
    twice adds nothing twice. Returns the number of items added."""
    _require_runs(by, meeting)
    present_signals = set(
        meeting.items.filter(signal__isnull=False).values_list("signal_id", flat=True)
    )
    present_cases = set(meeting.items.filter(case__isnull=False).values_list("case_id", flat=True))
    decided = _decided_earlier(meeting)
    signals = [
        signal
        for signal in Signal.objects.filter(
            region=meeting.region, status=Status.CASE_TABLE, restricted=False
        )
        if signal.pk not in present_signals and signal.pk not in decided
    ]
    signals.sort(key=_signal_urgency)
    position = meeting.items.order_by("-position").values_list("position", flat=True).first() or 0
    added = 0
    for signal in signals:
        position += 1
        AgendaItem.objects.create(meeting=meeting, signal=signal, position=position, added_by=by)
        present_signals.add(signal.pk)
        added += 1
    for earlier in _items_with_open_actions(meeting):
        if earlier.signal_id in present_signals or earlier.case_id in present_cases:
            meeting.items.filter(
                Q(signal_id=earlier.signal_id) if earlier.signal_id else Q(case_id=earlier.case_id),
                follow_up_of__isnull=True,
            ).update(follow_up_of=earlier)
            continue
        position += 1
        AgendaItem.objects.create(
            meeting=meeting,
            signal_id=earlier.signal_id,
            case_id=earlier.case_id,
            follow_up_of=earlier,
            position=position,
            added_by=by,
        )
        if earlier.signal_id:
            present_signals.add(earlier.signal_id)
        else:
            present_cases.add(int(earlier.case_id or 0))
        added += 1
    if added:
        _audit(by, Action.UPDATE, meeting, "agenda")
    return added


@transaction.atomic
def item_add_case(*, by: User, meeting: Meeting, case: Case) -> AgendaItem:
    """Put a case of the region on the table (before the follow-ups of earlier meetings)."""
    _require_runs(by, meeting)
    if case.region_id != meeting.region_id or case.restricted or case.status != CaseStatus.OPEN:
        raise ValidationError({"case": [_("Choose an open case of this region.")]})
    if meeting.items.filter(case=case).exists():
        raise ValidationError({"case": [_("This case is already on the agenda.")]})
    position = meeting.items.order_by("-position").values_list("position", flat=True).first() or 0
    item = AgendaItem.objects.create(meeting=meeting, case=case, position=position + 1, added_by=by)
    _audit(by, Action.CREATE, item, "item")
    return item


@transaction.atomic
def item_notes_save(*, by: User, item: AgendaItem, notes: str) -> AgendaItem:
    _require_runs(by, item.meeting)
    item.notes = notes.strip()
    item.save(update_fields=["notes"])
    _audit(by, Action.UPDATE, item, "notes")
    return item


# --- decisions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionInput:
    outcome: str
    reason: str = ""
    lead: Organisation | None = None
    supporting: Sequence[Organisation] = field(default_factory=tuple)
    # What the table passes on to the partners it gives a role: no more than they need.
    shared: str = ""


def decision_in_force(item: AgendaItem) -> Decision | None:
    return item.decisions.filter(superseded_at__isnull=True).first()


def _decision_errors(meeting: Meeting, data: DecisionInput) -> Errors:
    errors: Errors = {}
    if data.outcome not in Outcome.values:
        errors["outcome"] = [_("Choose what the table decided.")]
        return errors
    if data.outcome == Outcome.LEAD_PARTNER:
        if data.lead is None:
            errors["lead"] = [_("Choose the lead partner: the organisation best placed to act.")]
        if not data.shared.strip():
            errors["shared"] = [_("Say what the table passes on to the partners it gives a role.")]
        invited = set(meeting.invitations.values_list("organisation_id", flat=True))
        for name, organisations in (("lead", [data.lead]), ("supporting", data.supporting)):
            for organisation in organisations:
                if organisation is None:
                    continue
                refusal = covenant_share_refusal(
                    region=meeting.region, organisation=organisation, user=None
                )
                if not refusal and organisation.pk not in invited:
                    refusal = _("%(organisation)s is not invited to this meeting.") % {
                        "organisation": organisation.name
                    }
                if refusal:
                    errors.setdefault(name, []).append(refusal)
        if data.lead is not None and data.lead in data.supporting:
            errors.setdefault("supporting", []).append(
                _("The lead partner is not also a supporting partner.")
            )
    elif not data.reason.strip():
        errors["reason"] = [_("Give the reason for this decision.")]
    return errors


def _end_shares(by: User, decision: Decision) -> None:
    for role in decision.roles.select_related("share__content_type", "share__region"):
        if role.share is not None:
            share_end(by=by, share=role.share)


@transaction.atomic
def decision_record(*, by: User, item: AgendaItem, data: DecisionInput) -> Decision:
    """The table's decision on an item; a decision in force is revised (kept, superseded,
    its shares ended) and the new one shares what it says with the partners it names."""
    meeting = item.meeting
    _require_runs(by, meeting)
    errors = _decision_errors(meeting, data)
    if errors:
        raise ValidationError(errors)
    subject = item.subject
    earlier = Decision.objects.select_for_update().filter(
        same_subject(item, "item__"), superseded_at__isnull=True
    )
    revised: Decision | None = None
    for old in earlier:
        _end_shares(by, old)
        old.superseded_at = timezone.now()
        old.save(update_fields=["superseded_at"])
        revised = old
    decision = Decision.objects.create(
        item=item,
        outcome=data.outcome,
        reason=data.reason.strip() if data.outcome != Outcome.LEAD_PARTNER else "",
        revises=revised,
        decided_by=by,
    )
    if data.outcome == Outcome.LEAD_PARTNER:
        lead = [(data.lead, PartnerRole.LEAD)] if data.lead is not None else []
        roles = lead + [(o, PartnerRole.SUPPORT) for o in data.supporting]
        for organisation, role in roles:
            share = share_record(
                by=by,
                target=subject,
                region=meeting.region,
                kind=ShareKind.CASE_TABLE,
                legal_basis=LegalBasis.COVENANT,
                purpose=str(PartnerRole(role).label),
                consent_scope=ConsentScope.CARE_PARTNERS,
                to_organisation=organisation,
                content=data.shared.strip(),
            )
            DecisionRole.objects.create(
                decision=decision, organisation=organisation, role=role, share=share
            )
    _audit(by, Action.CREATE, item, "decision")
    return decision


# --- actions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionInput:
    title: str
    owner_organisation: Organisation | None
    due: date | None
    owner: User | None = None
    details: str = ""


@transaction.atomic
def action_add(*, by: User, item: AgendaItem, data: ActionInput) -> Task:
    """An action agreed on an item: a task of the task engine, owned by an organisation."""
    meeting = item.meeting
    _require_runs(by, meeting)
    errors: Errors = {}
    if not data.title.strip():
        errors["title"] = [_("Say what is to be done (no names: the title is shown in lists).")]
    if data.owner_organisation is None:
        errors["owner_organisation"] = [_("Choose the organisation that owns the action.")]
    elif data.owner_organisation.region_id != meeting.region_id:
        errors["owner_organisation"] = [_("Choose an organisation of this region.")]
    if data.due is None:
        errors["due"] = [_("Give the date by which the action is done.")]
    if (
        data.owner is not None
        and data.owner_organisation is not None
        and not (
            Membership.objects.filter(
                user=data.owner, organisation=data.owner_organisation
            ).exists()
        )
    ):
        errors["owner"] = [_("The person works for another organisation than the owner.")]
    if errors:
        raise ValidationError(errors)
    task = task_create(
        subject=item,
        source=ACTION_SOURCE,
        title=data.title.strip(),
        due=data.due,  # type: ignore[arg-type]  # checked above
        owner=data.owner,
        owner_organisation=data.owner_organisation,
        details=data.details.strip(),
        by=by,
    )
    # The owner organisation's webhooks hear of its action (the task's id only).
    webhook_event_emit(
        organisation=data.owner_organisation,  # type: ignore[arg-type]  # checked above
        event=WebhookEvent.ACTION_ASSIGNED,
        record=task,
    )
    return task


def actions_of(item: AgendaItem) -> list[Task]:
    """Actions agreed on this item and on the earlier items it follows up."""
    ids = [item.pk]
    earlier = item.follow_up_of
    while earlier is not None and len(ids) < 20:
        ids.append(earlier.pk)
        earlier = earlier.follow_up_of
    return list(
        Task.objects.filter(source=ACTION_SOURCE, subject_id__in=ids, subject_type=_item_type())
        .select_related("owner", "owner_organisation")
        .order_by("due", "pk")
    )


def _item_type() -> ContentType:
    return ContentType.objects.get_for_model(AgendaItem)


# --- minutes -------------------------------------------------------------------------------


@transaction.atomic
def minutes_send(*, by: User, meeting: Meeting) -> int:
    """Send each invited organisation its own minutes (recorded and audited per recipient)."""
    _require_runs(by, meeting)
    sent = 0
    for invitation in meeting.invitations.select_related("organisation"):
        _row, new = MinutesSent.objects.get_or_create(
            meeting=meeting, organisation=invitation.organisation, defaults={"sent_by": by}
        )
        if new:
            audit_record(
                actor=by,
                action=Action.SHARE,
                target=meeting,
                purpose=PURPOSE,
                detail={"what": "minutes", "to_organisation": invitation.organisation_id},
            )
            sent += 1
    return sent
