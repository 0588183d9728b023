"""Changing the network's activities: planning (create, update, cancel), registering
participants, taking attendance. Only the region's keepers (network/rules.py).

One transaction per action; bad input raises ValidationError naming every field at fault,
before anything is written. Every change is audited; an activity holds no personal data, so
its values may stand in the entry; a participant's name and function only as keyed digests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inbeeld.accounts.models import Organisation, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record, audit_record_reads, changed_fields
from inbeeld.network.models import Activity, ActivityKind, Participant, TargetGroup, Topic
from inbeeld.privacy.identifiers import name_index
from inbeeld.regions.models import Municipality

PURPOSE = Purpose.NETWORK
MAX_CAPACITY = 100_000
ACTIVITY_FIELDS = (
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "place",
    "municipality_id",
    "organiser_id",
    "target_groups",
    "topics",
    "description",
    "materials",
    "capacity",
    "public",
    "grants_certificate",
    "cancelled",
)


@dataclass(frozen=True)
class ActivityInput:
    kind: str
    title: str
    starts_at: datetime | None
    municipality: Municipality | None
    organiser: Organisation | None
    target_groups: Sequence[str] = ()
    topics: Sequence[str] = ()
    ends_at: datetime | None = None
    place: str = ""
    description: str = ""
    materials: str = ""
    capacity: int | None = None
    public: bool = False
    grants_certificate: bool = False
    cancelled: bool = False


@dataclass(frozen=True)
class ParticipantInput:
    organisation: Organisation | None
    name: str
    target_group: str
    function: str = ""


@dataclass
class AttendanceResult:
    activity: Activity
    attended: int
    over_capacity: bool = False
    warnings: list[str] = field(default_factory=list)


def _check_activity(
    by: User, data: ActivityInput, activity: Activity | None = None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def refuse(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.kind not in ActivityKind.values:
        refuse("kind", _("Choose the kind of activity."))
    if not data.title.strip():
        refuse("title", _("Give the activity a title."))
    if data.starts_at is None:
        refuse("starts_at", _("Give the date and time the activity starts."))
    elif data.ends_at is not None and data.ends_at < data.starts_at:
        refuse("ends_at", _("The end lies before the start."))
    if not data.target_groups:
        refuse("target_groups", _("Choose at least one target group."))
    unknown = [g for g in data.target_groups if g not in TargetGroup.values]
    if unknown:
        refuse(
            "target_groups", _("Unknown target group: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    unknown = [t for t in data.topics if t not in Topic.values]
    if unknown:
        refuse("topics", _("Unknown topic: %(codes)s.") % {"codes": ", ".join(unknown)})
    if data.capacity is not None and not 1 <= data.capacity <= MAX_CAPACITY:
        refuse("capacity", _("Give a capacity of at least 1, or leave it empty."))
    organiser = data.organiser
    if organiser is None:
        refuse("organiser", _("Choose the organisation that organises the activity."))
    elif not organiser.active or not by.has_perm("network.manage_activity", organiser):
        refuse("organiser", _("Choose an active organisation of a region whose network you keep."))
    if (
        activity is not None
        and organiser is not None
        and organiser.region_id != activity.region_id
        and activity.participants.exists()
    ):
        refuse("organiser", _("Choose an organiser of the activity's region: it has participants."))
    if data.municipality is None:
        refuse("municipality", _("Choose the municipality where the activity takes place."))
    elif organiser is not None and data.municipality.region_id != organiser.region_id:
        refuse("municipality", _("Choose a municipality of the organiser's region."))
    return errors


def _apply(activity: Activity, data: ActivityInput) -> None:
    activity.kind = data.kind
    activity.title = data.title.strip()
    if data.starts_at is not None:
        activity.starts_at = data.starts_at
    activity.ends_at = data.ends_at
    activity.place = data.place.strip()
    if data.municipality is not None:
        activity.municipality = data.municipality
    if data.organiser is not None:
        activity.organiser = data.organiser
        activity.region_id = data.organiser.region_id
    # Kept in the order of the code lists, each once: the same choice reads the same.
    activity.target_groups = [g for g in TargetGroup.values if g in data.target_groups]
    activity.topics = [t for t in Topic.values if t in data.topics]
    activity.description = data.description.strip()
    activity.materials = data.materials.strip()
    activity.capacity = data.capacity
    activity.public = data.public
    activity.grants_certificate = data.grants_certificate
    activity.cancelled = data.cancelled


def _validated(activity: Activity, data: ActivityInput, by: User) -> None:
    errors = _check_activity(by, data, activity if activity.pk else None)
    if not errors:
        _apply(activity, data)
        try:
            activity.full_clean(exclude=["created_by", "target_groups", "topics"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _values(activity: Activity) -> dict[str, object]:
    values = {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in values.items()}


@transaction.atomic
def activity_create(*, by: User, data: ActivityInput) -> Activity:
    activity = Activity(created_by=by)
    _validated(activity, data, by)
    activity.save()
    after = _values(activity)
    audit_record(
        actor=by,
        action=Action.CREATE,
        target=activity,
        purpose=PURPOSE,
        detail={"fields": {k: {"old": None, "new": v} for k, v in after.items()}},
    )
    return activity


@transaction.atomic
def activity_update(*, by: User, activity: Activity, data: ActivityInput) -> Activity:
    if not by.has_perm("network.manage_activity", activity):
        raise PermissionDenied
    before = _values(activity)
    _validated(activity, data, by)
    activity.save()
    after = _values(activity)
    if before != after:
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=activity,
            purpose=PURPOSE,
            detail={
                "fields": {
                    k: {"old": before[k], "new": after[k]} for k in after if before[k] != after[k]
                }
            },
        )
    return activity


# --- Participants ------------------------------------------------------------------------------


def registered_count(activity: Activity) -> int:
    return activity.participants.count()


def attended_count(activity: Activity) -> int:
    return activity.participants.filter(attended=True).count()


def is_full(activity: Activity) -> bool:
    return activity.capacity is not None and registered_count(activity) >= activity.capacity


def is_over_capacity(activity: Activity) -> bool:
    """More people attended (professionals and members of the public) than the capacity."""
    return (
        activity.capacity is not None
        and attended_count(activity) + activity.public_attendees > activity.capacity
    )


@transaction.atomic
def participant_register(*, by: User, activity: Activity, data: ParticipantInput) -> Participant:
    """Register a professional. Refused (naming the field): no name, an organisation of
    another region, an unknown target group, the same person of the same organisation twice.
    A full activity is not refused (the page says so): walk-ins happen."""
    if not by.has_perm("network.manage_activity", activity):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    name = " ".join(data.name.split())
    if not name:
        errors["name"] = [_("Give the participant's name.")]
    elif len(name) > 200:
        errors["name"] = [_("Shorten the name to 200 characters.")]
    if len(data.function.strip()) > 200:
        errors["function"] = [_("Shorten the function to 200 characters.")]
    if (
        data.target_group not in TargetGroup.values
        or data.target_group == TargetGroup.GENERAL_PUBLIC
    ):
        errors["target_group"] = [
            _("Choose the participant's professional group (the public is counted, not named).")
        ]
    organisation = data.organisation
    if organisation is None:
        errors["organisation"] = [_("Choose the organisation the participant works for.")]
    elif organisation.region_id != activity.region_id:
        errors["organisation"] = [_("Choose an organisation of the activity's region.")]
    index = name_index(name) if name else ""
    if (
        not errors
        and Participant.objects.filter(
            activity=activity, organisation=organisation, name_index=index
        ).exists()
    ):
        errors["name"] = [_("This person of this organisation is already registered.")]
    if errors or organisation is None:
        raise ValidationError(errors)
    participant = Participant.objects.create(
        activity=activity,
        organisation=organisation,
        name=name,
        name_index=index,
        function=data.function.strip(),
        target_group=data.target_group,
    )
    audit_record(
        actor=by,
        action=Action.CREATE,
        target=participant,
        purpose=PURPOSE,
        detail={
            "fields": changed_fields(
                {}, {"name": name, "function": participant.function}, ("name", "function")
            ),
            "values": {
                "activity": activity.pk,
                "organisation": organisation.pk,
                "target_group": data.target_group,
            },
        },
    )
    return participant


@transaction.atomic
def participant_remove(*, by: User, participant: Participant) -> None:
    """Remove a registration (cancelled, or entered by mistake)."""
    if not by.has_perm("network.manage_activity", participant.activity):
        raise PermissionDenied
    audit_record(
        actor=by,
        action=Action.DELETE,
        target=participant,
        purpose=PURPOSE,
        detail={"values": {"activity": participant.activity_id}},
    )
    participant.delete()


@transaction.atomic
def attendance_record(
    *,
    by: User,
    activity: Activity,
    present: Mapping[int, bool],
    public_attendees: int | None,
) -> AttendanceResult:
    """The attendance of the day: per registered participant present or not, and the number
    of members of the public. Refused: a participant of another activity, a negative count.
    Above the capacity is recorded and flagged (AttendanceResult.over_capacity)."""
    if not by.has_perm("network.manage_activity", activity):
        raise PermissionDenied
    if public_attendees is not None and not 0 <= public_attendees <= MAX_CAPACITY:
        raise ValidationError(
            {"public_attendees": [_("Give the number of members of the public (0 or more).")]}
        )
    participants = {p.pk: p for p in activity.participants.select_for_update()}
    strangers = set(present) - set(participants)
    if strangers:
        raise ValidationError({"present": [_("Only participants of this activity can attend.")]})
    changed: dict[str, object] = {}
    for pk, was_there in present.items():
        participant = participants[pk]
        if participant.attended != was_there:
            changed[str(pk)] = {"old": participant.attended, "new": was_there}
            participant.attended = was_there
            participant.save(update_fields=["attended"])
    if public_attendees is not None and public_attendees != activity.public_attendees:
        changed["public_attendees"] = {"old": activity.public_attendees, "new": public_attendees}
        activity.public_attendees = public_attendees
        activity.save(update_fields=["public_attendees", "updated_at"])
    result = AttendanceResult(activity, attended_count(activity))
    result.over_capacity = is_over_capacity(activity)
    if result.over_capacity:
        result.warnings.append(
            _("More people attended (%(count)d) than the capacity (%(capacity)d).")
            % {"count": result.attended + activity.public_attendees, "capacity": activity.capacity}
        )
    if changed:
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=activity,
            purpose=PURPOSE,
            detail={"attendance": changed, "over_capacity": result.over_capacity},
        )
    return result


def participants_shown(*, by: User, participants: Sequence[Participant]) -> None:
    """Record that a page showed these participants' names, one entry per region."""
    if participants:
        audit_record_reads(actor=by, records=list(participants), purpose=PURPOSE)
