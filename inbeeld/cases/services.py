"""Writing cases: opening (from signals or on its own), changing, inviting, closing, notes.

One transaction per action; bad input raises ValidationError naming the field (``person.
nationalities``, ``events.0.start``) before anything is written. Every change is audited with
the changed fields as keyed digests only. Changes that overwrite (the case, its person and
events, its status) claim the version the person saw (cases/concurrency.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.models import Membership, Organisation, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record, changed_fields
from inbeeld.cases.codes import (
    AGE_AT_EXPLOITATION_MAX,
    CODED_LISTS,
    CONTEXT_FIELDS,
    Relationship,
)
from inbeeld.cases.concurrency import case_claim, case_version_bump
from inbeeld.cases.models import (
    Case,
    CaseChange,
    CaseEvent,
    CaseNote,
    CasePerson,
    CaseSignal,
    CaseStatus,
    CaseTransfer,
    DecidedBy,
    EventKind,
    TraffickingStatus,
    TransferStatus,
)
from inbeeld.cases.participants import case_invites
from inbeeld.cases.roles import COORDINATOR_ROLES
from inbeeld.lib.codes import readable_code
from inbeeld.privacy.models import ConsentScope, Share, ShareKind
from inbeeld.privacy.sharing import share_end, share_record
from inbeeld.regions.models import Municipality, Region
from inbeeld.signals.ages import age_band_of, age_on
from inbeeld.signals.identifiers import name_index
from inbeeld.signals.models import AgeBand, ExploitationForm, Gender, Signal
from inbeeld.signals.nationality import is_nationality_code

CLOSE_REASONS = (CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED)
Errors = dict[str, list[str]]


@dataclass(frozen=True)
class PersonInput:
    name: str = ""
    date_of_birth: date | None = None
    gender: str = ""
    nationalities: Sequence[str] = ()  # ISO 3166-1 alpha-2
    age_band: str = ""


@dataclass(frozen=True)
class EventInput:
    kind: str
    municipality: Municipality | None = None
    country: str = ""  # ISO 3166-1 alpha-2, abroad
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class CaseInput:
    municipality: Municipality | None = None
    exploitation_forms: Sequence[str] = ()
    trafficking_status: str = TraffickingStatus.POSSIBLE
    decided_by: str = ""
    person: PersonInput = field(default_factory=PersonInput)
    events: Sequence[EventInput] = ()
    # HTCDS's victim context (cases/codes.py): one list of codes per CODED_LISTS name.
    sectors: Sequence[str] = ()
    recruitment_methods: Sequence[str] = ()
    control_methods: Sequence[str] = ()
    recruitment_channels: Sequence[str] = ()
    recruiter_relationship: str = ""
    age_at_exploitation: int | None = None


# --- validation ---------------------------------------------------------------------------


def _person_errors(person: PersonInput) -> tuple[Errors, str]:
    """Errors of the person's fields, and the age band to store."""
    errors: Errors = {}
    today = timezone.localdate()
    band = person.age_band
    if person.gender not in Gender.values:
        errors["person.gender"] = [_("Choose the gender from the list.")]
    if band not in AgeBand.values:
        errors["person.age_band"] = [_("Choose the age from the list.")]
    bad = [code for code in person.nationalities if not is_nationality_code(str(code))]
    if bad:
        errors["person.nationalities"] = [
            _("Unknown country code: %(codes)s. Use ISO 3166-1 alpha-2 codes, such as NL.")
            % {"codes": ", ".join(str(code) for code in bad)}
        ]
    born = person.date_of_birth
    if born is not None and born > today:
        errors["person.date_of_birth"] = [
            _("The date of birth lies in the future. Give a date up to today.")
        ]
    elif born is not None and "person.age_band" not in errors:
        derived = age_band_of(age_on(born, today))
        if band and band != derived:
            errors["person.age_band"] = [
                _(
                    "The age “%(given)s” does not fit the date of birth (%(derived)s). Correct "
                    "one of the two, or leave the age empty: it is worked out from the date of "
                    "birth."
                )
                % {"given": AgeBand(band).label, "derived": AgeBand(derived).label}
            ]
        band = derived
    return errors, band


def _event_errors(events: Sequence[EventInput], born: date | None) -> Errors:
    errors: Errors = {}
    today = timezone.localdate()
    for number, event in enumerate(events):
        prefix = f"events.{number}"
        if event.kind not in EventKind.values:
            errors[f"{prefix}.kind"] = [_("Choose recruitment, transit or exploitation.")]
        if (event.municipality is None) == (not event.country):
            errors[f"{prefix}.municipality"] = [
                _("Give either a municipality in the Netherlands or a country abroad.")
            ]
        elif event.country and not is_nationality_code(event.country):
            errors[f"{prefix}.country"] = [_("Choose the country from the list of countries.")]
        for name in ("start", "end"):
            day = getattr(event, name)
            if day is not None and day > today:
                errors[f"{prefix}.{name}"] = [
                    _("This date lies in the future. Give a date up to today.")
                ]
            elif day is not None and born is not None and day < born:
                errors[f"{prefix}.{name}"] = [
                    _("This date lies before the person's date of birth. Check both dates.")
                ]
        if event.start and event.end and event.end < event.start and f"{prefix}.end" not in errors:
            errors[f"{prefix}.end"] = [_("The end lies before the start.")]
        if event.end and not event.start:
            errors[f"{prefix}.start"] = [_("Give the start of the period.")]
    return errors


def _context_errors(data: CaseInput) -> Errors:
    """Errors of the coded victim context: codes from their lists, a possible age."""
    errors: Errors = {}
    for name, choices in CODED_LISTS.items():
        unknown = [str(code) for code in getattr(data, name) if code not in choices.values]
        if unknown:
            errors[name] = [
                _("Unknown code: %(codes)s. Choose from the list.") % {"codes": ", ".join(unknown)}
            ]
    if data.recruiter_relationship not in Relationship.values:
        errors["recruiter_relationship"] = [_("Choose the relationship from the list.")]
    age, born, today = data.age_at_exploitation, data.person.date_of_birth, timezone.localdate()
    if age is not None and not 0 <= age <= AGE_AT_EXPLOITATION_MAX:
        errors["age_at_exploitation"] = [
            _("Give an age between 0 and %(max)s.") % {"max": AGE_AT_EXPLOITATION_MAX}
        ]
    elif age is not None and born and born <= today and age > age_on(born, today):
        errors["age_at_exploitation"] = [
            _("This age is higher than the person's age today. Check it and the date of birth.")
        ]
    return errors


def _age_at_exploitation(data: CaseInput) -> int | None:
    """The age given, or else the age at the first exploitation's start when the date of birth
    is known (as the age band follows from the date of birth)."""
    born = data.person.date_of_birth
    starts = [e.start for e in data.events if e.kind == EventKind.EXPLOITATION and e.start]
    if data.age_at_exploitation is not None or born is None or not starts:
        return data.age_at_exploitation
    return age_on(born, min(starts))


def _context_values(data: CaseInput) -> dict[str, Any]:
    """The coded victim context as the case stores it: each list sorted and once."""
    values: dict[str, Any] = {name: sorted(set(getattr(data, name))) for name in CODED_LISTS}
    values["recruiter_relationship"] = data.recruiter_relationship
    values["age_at_exploitation"] = _age_at_exploitation(data)
    return values


def _validated(data: CaseInput) -> str:
    """The person's age band to store, or ValidationError naming every wrong field."""
    errors, band = _person_errors(data.person)
    errors.update(_event_errors(data.events, data.person.date_of_birth))
    unknown = [code for code in data.exploitation_forms if code not in ExploitationForm.values]
    if unknown:
        errors["exploitation_forms"] = [
            _("Unknown form of exploitation: %(forms)s") % {"forms": ", ".join(unknown)}
        ]
    if data.trafficking_status not in TraffickingStatus.values:
        errors["trafficking_status"] = [_("Choose the trafficking status from the list.")]
    if data.decided_by not in DecidedBy.values:
        errors["decided_by"] = [_("Choose who decided the status from the list.")]
    errors.update(_context_errors(data))
    if errors:
        raise ValidationError(errors)
    return band


def _reference() -> str:
    return readable_code("DS")


def _coordinator_organisation(by: User, region: Region) -> Organisation:
    """The organisation in which ``by`` coordinates ``region``: the case's owner."""
    membership = (
        Membership.objects.filter(user=by, role__in=COORDINATOR_ROLES, organisation__region=region)
        .select_related("organisation")
        .order_by("organisation_id")
        .first()
    )
    if membership is None:
        raise ValidationError({"region": [_("You do not coordinate cases in this region.")]})
    return membership.organisation


# --- writing the parts -----------------------------------------------------------------------


def _person_write(case: Case, person: PersonInput, band: str) -> None:
    CasePerson.objects.update_or_create(
        case=case,
        defaults={
            "name": person.name.strip(),
            "name_index": name_index(person.name),
            "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
            "gender": person.gender,
            "nationalities": sorted({code.upper() for code in person.nationalities}),
            "age_band": band,
        },
    )


def _events_write(case: Case, events: Iterable[EventInput]) -> None:
    case.events.all().delete()
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            kind=event.kind,
            municipality=event.municipality,
            country=event.country.upper(),
            start=event.start,
            end=event.end,
        )
        for event in events
    )


def _change(case: Case, by: User, what: str, value: str = "") -> None:
    CaseChange.objects.create(case=case, what=what, value=value, by=by)


def _fields_of(case: Case) -> dict[str, Any]:
    person = CasePerson.objects.filter(case=case).first()
    values: dict[str, Any] = {
        "municipality": case.municipality_id,
        "exploitation_forms": list(case.exploitation_forms),
        "trafficking_status": case.trafficking_status,
        "decided_by": case.decided_by,
        **{name: getattr(case, name) for name in CONTEXT_FIELDS},
        "events": [
            (e.kind, e.municipality_id, e.country, str(e.start), str(e.end))
            for e in case.events.all()
        ],
    }
    if person is not None:
        values.update(
            {
                "person.name": person.name,
                "person.date_of_birth": person.date_of_birth,
                "person.gender": person.gender,
                "person.nationalities": list(person.nationalities),
                "person.age_band": person.age_band,
            }
        )
    return values


# --- the actions -----------------------------------------------------------------------------


@transaction.atomic
def case_open(*, by: User, region: Region, data: CaseInput) -> Case:
    """Open a case in ``region``, owned by the coordinator's organisation there."""
    band = _validated(data)
    if data.municipality is not None and data.municipality.region_id != region.pk:
        raise ValidationError({"municipality": [_("Choose a municipality of the case's region.")]})
    owner_organisation = _coordinator_organisation(by, region)
    case = Case.objects.create(
        region=region,
        reference=_reference(),
        owner_organisation=owner_organisation,
        owner=by,
        municipality=data.municipality,
        trafficking_status=data.trafficking_status,
        decided_by=data.decided_by,
        exploitation_forms=sorted(set(data.exploitation_forms)),
        **_context_values(data),
    )
    _person_write(case, data.person, band)
    _events_write(case, data.events)
    _change(case, by, "opened", CaseStatus.OPEN)
    audit_record(actor=by, action=Action.CREATE, target=case, purpose=Purpose.CASE_WORK)
    return case


def input_from_signals(signals: Sequence[Signal]) -> CaseInput:
    """What the signals already say about the person and the place, to start the case with."""
    first = signals[0]
    named = next((s for s in signals if s.victim_name), first)
    born = date.fromisoformat(named.victim_date_of_birth) if named.victim_date_of_birth else None
    forms = sorted({code for s in signals for code in s.exploitation_forms})
    nationalities = sorted({s.victim_nationality.code for s in signals if s.victim_nationality})
    return CaseInput(
        municipality=first.municipality,
        exploitation_forms=forms,
        trafficking_status=TraffickingStatus.PRESUMED,
        person=PersonInput(
            name=named.victim_name,
            date_of_birth=born,
            gender=named.victim_gender,
            nationalities=nationalities,
            # Derived again from the date of birth when there is one (the band on the signal
            # was the age at the incident).
            age_band="" if born else named.victim_age_band,
        ),
    )


def case_input_of(case: Case, events: Sequence[EventInput] | None = None) -> CaseInput:
    """The case as it is, as input for a change of some of it (``events`` replacing its
    events when given)."""
    person = CasePerson.objects.filter(case=case).first()
    born = person.date_of_birth if person else ""
    return CaseInput(
        municipality=case.municipality,
        exploitation_forms=case.exploitation_forms,
        trafficking_status=case.trafficking_status,
        decided_by=case.decided_by,
        person=PersonInput(
            name=person.name,
            date_of_birth=date.fromisoformat(born) if born else None,
            gender=person.gender,
            nationalities=person.nationalities,
            age_band=person.age_band,
        )
        if person
        else PersonInput(),
        events=[
            EventInput(e.kind, e.municipality, e.country, e.start, e.end)
            for e in case.events.select_related("municipality")
        ]
        if events is None
        else events,
        **{name: getattr(case, name) for name in CONTEXT_FIELDS},
    )


@transaction.atomic
def case_open_from_signals(
    *, by: User, signals: Sequence[Signal], data: CaseInput | None = None
) -> Case:
    """Open a case from signals of one region that ``by`` may triage; each signal keeps its
    own history and shows a link to the case."""
    if not signals:
        raise ValidationError({"signals": [_("Choose at least one signal.")]})
    regions = {signal.region_id for signal in signals}
    if len(regions) != 1:
        raise ValidationError({"signals": [_("The signals must all be of the same region.")]})
    if not all(by.has_perm("signals.triage_signal", signal) for signal in signals):
        raise ValidationError({"signals": [_("You cannot open a case from these signals.")]})
    case = case_open(by=by, region=signals[0].region, data=data or input_from_signals(signals))
    for signal in sorted(signals, key=lambda s: s.pk):
        CaseSignal.objects.create(case=case, signal=signal, linked_by=by)
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=signal,
            purpose=Purpose.CASE_WORK,
            detail={"case": case.pk},
        )
    return case


@transaction.atomic
def case_update(*, by: User, case: Case, version: int, data: CaseInput) -> Case:
    """Change the case, its person and its events; CaseChangedError when it changed since
    ``version``."""
    band = _validated(data)
    if data.municipality is not None and data.municipality.region_id != case.region_id:
        raise ValidationError({"municipality": [_("Choose a municipality of the case's region.")]})
    case_claim(case, seen_version=version)
    before = _fields_of(case)
    old_status = case.trafficking_status
    case.municipality = data.municipality
    case.exploitation_forms = sorted(set(data.exploitation_forms))
    case.trafficking_status = data.trafficking_status
    case.decided_by = data.decided_by
    for name, value in _context_values(data).items():
        setattr(case, name, value)
    case.save()
    _person_write(case, data.person, band)
    _events_write(case, data.events)
    if old_status != case.trafficking_status:
        _change(case, by, "trafficking_status", case.trafficking_status)
    after = _fields_of(case)
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=case,
        purpose=Purpose.CASE_WORK,
        detail={"fields": changed_fields(before, after, sorted(after))},
    )
    return case


@transaction.atomic
def case_close(*, by: User, case: Case, version: int, reason: str, outcome: str) -> Case:
    errors: Errors = {}
    if reason not in CLOSE_REASONS:
        errors["reason"] = [_("Choose closed or closed and referred.")]
    if not outcome.strip():
        errors["outcome"] = [_("Describe the outcome of the case.")]
    if not errors and not case.is_open:
        errors["reason"] = [_("The case is already closed.")]
    if errors:
        raise ValidationError(errors)
    case_claim(case, seen_version=version)
    case.status, case.outcome, case.closed_at = reason, outcome.strip(), timezone.now()
    case.save(update_fields=["status", "outcome", "closed_at", "updated_at"])
    _change(case, by, "closed", reason)
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=case,
        purpose=Purpose.CASE_WORK,
        detail={"status": reason},
    )
    return case


@transaction.atomic
def case_reopen(*, by: User, case: Case, version: int) -> Case:
    if case.is_open:
        raise ValidationError({"status": [_("The case is open already.")]})
    case_claim(case, seen_version=version)
    case.status, case.closed_at = CaseStatus.OPEN, None
    case.save(update_fields=["status", "closed_at", "updated_at"])
    _change(case, by, "reopened", CaseStatus.OPEN)
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=case,
        purpose=Purpose.CASE_WORK,
        detail={"status": CaseStatus.OPEN, "reopened": True},
    )
    return case


@transaction.atomic
def case_invite(
    *, by: User, case: Case, organisation: Organisation, legal_basis: str, purpose: str
) -> Share:
    """Invite another organisation to take part, on a legal basis (a recorded share)."""
    if not organisation.active:
        raise ValidationError({"organisation": [_("This organisation is no longer active.")]})
    # The region's partner directory: another region's organisation comes in by a transfer,
    # never by an invitation that would carry the case across the border unrecorded.
    if organisation.region_id != case.region_id:
        raise ValidationError({"organisation": [_("Choose an organisation of the case's region.")]})
    if (
        organisation.pk == case.owner_organisation_id
        or case_invites(case.pk)
        .filter(to_organisation=organisation, ended_at__isnull=True)
        .exists()
    ):
        raise ValidationError({"organisation": [_("This organisation takes part already.")]})
    share = share_record(
        by=by,
        target=case,
        region=case.region,
        kind=ShareKind.CASE_INVITE,
        legal_basis=legal_basis,
        purpose=purpose,
        consent_scope=ConsentScope.CARE_PARTNERS,
        to_organisation=organisation,
        from_organisation=case.owner_organisation,
    )
    case_version_bump(case)
    return share


@transaction.atomic
def case_invite_end(*, by: User, case: Case, share: Share) -> Share:
    """End an organisation's part in the case; the record of the share stays."""
    ended = share_end(by=by, share=share)
    case_version_bump(case)
    return ended


@transaction.atomic
def note_add(*, by: User, case: Case, text: str) -> CaseNote:
    if not text.strip():
        raise ValidationError({"text": [_("Write the note.")]})
    note = CaseNote.objects.create(case=case, text=text.strip(), author=by)
    case_version_bump(case)
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=case,
        purpose=Purpose.CASE_WORK,
        detail={"note": note.pk},
    )
    return note


# --- linking a signal, and moving a case to another region -----------------------------------


@transaction.atomic
def case_link_signal(*, by: User, case: Case, signal: Signal) -> CaseSignal:
    """Link a signal to an open case of its region; the signal keeps its own history."""
    if signal.region_id != case.region_id:
        raise ValidationError({"case": [_("Choose a case of the signal's region.")]})
    if not case.is_open:
        raise ValidationError({"case": [_("Choose an open case.")]})
    if not by.has_perm("signals.triage_signal", signal) or not by.has_perm(
        "cases.change_case", case
    ):
        raise ValidationError({"case": [_("You cannot link this signal to this case.")]})
    if CaseSignal.objects.filter(case=case, signal=signal).exists():
        raise ValidationError({"case": [_("The signal is part of this case already.")]})
    link = CaseSignal.objects.create(case=case, signal=signal, linked_by=by)
    case_version_bump(case)
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=signal,
        purpose=Purpose.CASE_WORK,
        detail={"case": case.pk},
    )
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=case,
        purpose=Purpose.CASE_WORK,
        detail={"signal": signal.pk},
    )
    return link


def coordinates(user: User, region: Region) -> bool:
    return Membership.objects.filter(
        user=user, role__in=COORDINATOR_ROLES, organisation__region=region
    ).exists()


@transaction.atomic
def case_transfer_propose(
    *, by: User, case: Case, to_region: Region | None, message: str
) -> CaseTransfer:
    """Propose moving the case to another region; nothing changes until that region's
    coordinator accepts."""
    errors: Errors = {}
    if to_region is None or to_region.pk == case.region_id:
        errors["to_region"] = [_("Choose another region.")]
    if not message.strip():
        errors["message"] = [_("Say why the case should move to the other region.")]
    if not case.is_open:
        errors["to_region"] = [_("Only an open case can be transferred.")]
    elif case.transfers.filter(status=TransferStatus.PROPOSED).exists():
        errors["to_region"] = [_("A transfer of this case waits for an answer already.")]
    if errors or to_region is None:
        raise ValidationError(errors)
    transfer = CaseTransfer.objects.create(
        case=case,
        from_region=case.region,
        to_region=to_region,
        message=message.strip(),
        proposed_by=by,
    )
    _change(case, by, "transfer_proposed", to_region.code)
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=case,
        purpose=Purpose.CASE_WORK,
        detail={"transfer": transfer.pk, "to_region": to_region.code},
    )
    return transfer


def _transfer_claim(transfer: CaseTransfer, by: User) -> CaseTransfer:
    current = CaseTransfer.objects.select_for_update().get(pk=transfer.pk)
    if current.status != TransferStatus.PROPOSED:
        raise ValidationError({"status": [_("This transfer has been answered already.")]})
    if not coordinates(by, current.to_region):
        raise ValidationError({"status": [_("You do not coordinate cases in that region.")]})
    return current


@transaction.atomic
def case_transfer_accept(*, by: User, transfer: CaseTransfer) -> Case:
    """The receiving region takes the case over: its region and owner change, the old
    region's invitations end (their need-to-know went with the region)."""
    current = _transfer_claim(transfer, by)
    case = Case.objects.select_for_update().get(pk=current.case_id)
    old_region = case.region
    current.status, current.answered_by, current.answered_at = (
        TransferStatus.ACCEPTED,
        by,
        timezone.now(),
    )
    current.save()
    for share in case_invites(case.pk).filter(ended_at__isnull=True):
        share_end(by=by, share=share)
    case.region = current.to_region
    case.owner_organisation = _coordinator_organisation(by, current.to_region)
    case.owner = by
    if case.municipality is not None and case.municipality.region_id != current.to_region.pk:
        case.municipality = None
    case.save(update_fields=["region", "owner_organisation", "owner", "municipality"])
    case_version_bump(case)
    _change(case, by, "transfer_accepted", current.to_region.code)
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=case,
        purpose=Purpose.CASE_WORK,
        detail={"transfer": current.pk, "from_region": old_region.code, "accepted": True},
    )
    return case


@transaction.atomic
def case_transfer_reject(*, by: User, transfer: CaseTransfer, reason: str) -> CaseTransfer:
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for rejecting the transfer.")]})
    current = _transfer_claim(transfer, by)
    current.status, current.answered_by, current.answered_at, current.reason = (
        TransferStatus.REJECTED,
        by,
        timezone.now(),
        reason.strip(),
    )
    current.save()
    _change(current.case, by, "transfer_rejected", current.to_region.code)
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=current,
        purpose=Purpose.CASE_WORK,
        detail={"transfer": current.pk, "rejected": True},
    )
    return current
