"""Writing to and checking the audit trail. Every app records through `audit_record`."""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from inbeeld.audit.chain import CHAINED_FIELDS, GENESIS, entry_hash, value_digest
from inbeeld.audit.checkpoint import Checkpoint, checkpoint_append, checkpoints_read
from inbeeld.audit.models import Action, AuditEntry, AuditRecordRef, Purpose

# Any constant will do: it names the lock that serialises appends on PostgreSQL.
_CHAIN_LOCK = 0x1B_EE1D


def _lock_chain() -> None:
    """One writer at a time appends, so that no two entries claim the same predecessor.

    SQLite needs nothing: InBeeld opens its write transactions IMMEDIATE, which already
    serialises writers.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])


def _actor_values(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor_id": None, "actor": "", "organisations": ""}
    names = sorted(set(actor.memberships.values_list("organisation__name", flat=True)))
    return {"actor_id": actor.pk, "actor": actor.get_username(), "organisations": "; ".join(names)}


def region_code_of(record: models.Model | None) -> str:
    """The code of the region a record belongs to ("" when it has none).

    The audit entry's region is derived from the record, never passed by hand: it decides
    which FG supervises the entry, so it must not depend on each caller remembering it.
    """
    if record is None:
        return ""
    if record._meta.label_lower == "regions.region":
        return str(getattr(record, "code", ""))
    region = getattr(record, "region", None)
    code = getattr(region, "code", None)
    if isinstance(code, str):
        return code
    # A part of a signal (note, attachment) lies in its signal's region; a share or a
    # consent in the region of the record it is about.
    for owner in ("signal", "target"):
        if any(f.name == owner for f in record._meta.get_fields()) or hasattr(type(record), owner):
            return region_code_of(getattr(record, owner, None))
    return ""


def _checked_purpose(purpose: Purpose | str) -> str:
    # A closed list: a purpose outside it is a programming error, caught by any test that
    # passes through the call (and by mypy for literals of the enum).
    if purpose not in Purpose.values:
        raise ValueError(f"not an audit purpose: {purpose!r} (see audit.models.Purpose)")
    return str(purpose)


def _append(values: dict[str, Any]) -> AuditEntry:
    """Add one entry at the head of the chain; the caller holds the chain's lock."""
    previous = (
        AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first() or GENESIS
    )
    # Stored and hashed from the same values, after a round trip through JSON types.
    entry = AuditEntry(previous_hash=previous, **values)
    entry.entry_hash = entry_hash(previous, values)
    entry.save()
    return entry


def _values(
    *,
    actor: Any,
    action: Action | str,
    object_type: str,
    object_id: str,
    region: str,
    purpose: Purpose | str,
    detail: Mapping[str, Any] | None,
    actor_name: str = "",
) -> dict[str, Any]:
    values: dict[str, Any] = {
        **_actor_values(actor),
        "occurred_at": timezone.now(),
        "action": str(action),
        "object_type": object_type,
        "object_id": object_id,
        "region": region,
        "purpose": _checked_purpose(purpose),
        "detail": dict(detail or {}),
    }
    if actor_name and not values["actor"]:
        values["actor"] = actor_name
    return values


def audit_record(
    *,
    actor: Any,
    action: Action | str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    region: str | None = None,
    purpose: Purpose | str = Purpose.NONE,
    detail: Mapping[str, Any] | None = None,
    actor_name: str = "",
) -> AuditEntry:
    """Append one entry. ``target`` names the record and gives the entry its region;
    ``detail`` must hold no personal data. ``region`` only where the record has no region of
    its own (an account's role in a region, a record named by type and id after removal)."""
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
        derived = region_code_of(target)
        if derived and region is not None and region != derived:
            raise ValueError(f"the entry's region {region!r} is not its record's {derived!r}")
        region = derived or region
    values = _values(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        region=region or "",
        purpose=purpose,
        detail=detail,
        actor_name=actor_name,
    )
    # No savepoint inside a caller's transaction: an entry that fails fails the caller's
    # whole action anyway, and on PostgreSQL the savepoint's RELEASE was one more round trip
    # while holding the chain's lock, which every other writer waits for.
    with transaction.atomic(savepoint=False):
        _lock_chain()
        return _append(values)


def audit_record_reads(
    *,
    actor: Any,
    records: Sequence[models.Model],
    purpose: Purpose | str,
    detail: Mapping[str, Any] | None = None,
    action: Action | str = Action.READ,
    actor_name: str = "",
) -> list[AuditEntry]:
    """One entry per region for a list that was read, naming every record shown.

    ``action`` is READ, or EXPORT for a list that left InBeeld as a file. ``actor_name``
    names the actor that is no user (a CLI command), as for `audit_record`.

    A page of the API's list, the case table or the duplicate proposals shows many records
    at once: one entry (per region, so that each region's FG sees its own) lists their ids,
    written together under one hold of the chain's lock instead of one lock per row. Each
    record is also indexed (AuditRecordRef), so that a search for one record finds the read.
    """
    by_region: dict[str, list[models.Model]] = {}
    for record in records:
        by_region.setdefault(region_code_of(record), []).append(record)
    entries = []
    with transaction.atomic(savepoint=False):  # as in audit_record
        _lock_chain()
        for region, shown in sorted(by_region.items()):
            object_type = shown[0]._meta.label_lower
            ids = [str(record.pk) for record in shown]
            values = _values(
                actor=actor,
                action=action,
                object_type=object_type,
                object_id="",
                region=region,
                purpose=purpose,
                detail={**dict(detail or {}), "records": ids},
                actor_name=actor_name,
            )
            entry = _append(values)
            AuditRecordRef.objects.bulk_create(
                AuditRecordRef(entry=entry, object_type=record._meta.label_lower, object_id=pk)
                for record, pk in zip(shown, ids, strict=True)
            )
            entries.append(entry)
    return entries


def audit_refusal(*, request: Any, user: Any) -> AuditEntry:
    """Record a refused request (404) of a signed-in user: pages and API alike."""
    match = getattr(request, "resolver_match", None)
    return audit_record(
        actor=user,
        action=Action.DENIED,
        detail={
            "path": getattr(request, "path", ""),
            "view": match.view_name if match else "",
            "method": getattr(request, "method", "") or "",
        },
    )


def changed_fields(
    before: Mapping[str, Any], after: Mapping[str, Any], fields: Iterable[str]
) -> dict[str, dict[str, str]]:
    """Which fields changed, with keyed digests of old and new values (never plain text)."""
    return {
        name: {"old": value_digest(before.get(name)), "new": value_digest(after.get(name))}
        for name in fields
        if before.get(name) != after.get(name)
    }


# --- Deleting entries: refused by the database, except for the trail's own retention ---------

# Whether this thread may delete entries now; asked by the SQLite trigger (receivers.py).
_deletion_permitted: ContextVar[bool] = ContextVar("audit_deletion_permitted", default=False)
_POSTGRES_FLAG = "inbeeld.audit_delete"


def audit_deletion_is_permitted() -> bool:
    return _deletion_permitted.get()


def _postgres_flag(value: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # set_config(..., true) is SET LOCAL: it lasts until the transaction ends.
            cursor.execute("SELECT set_config(%s, %s, true)", [_POSTGRES_FLAG, value])


@contextmanager
def audit_deletion_permitted() -> Iterator[None]:
    """Let the database delete audit entries inside this block, in one transaction.

    Only for the retention of the audit trail itself (entries past their legal keeping
    period), which does not exist yet: the triggers of migration 0003 refuse every other
    DELETE (and TRUNCATE). A deletion inside the trail still breaks the hash chain, and
    removing the oldest entries makes the chain start elsewhere than at its origin, so that
    retention must also record where the kept trail begins (docs/privacy.md). The test suite
    uses it for the flush after a transactional test (conftest.py).
    """
    token = _deletion_permitted.set(True)
    try:
        with transaction.atomic():
            _postgres_flag("retention")
            yield
            # Within an outer transaction SET LOCAL would outlive this block: end it here.
            # (On an error the savepoint's rollback undoes it.)
            _postgres_flag("")
    finally:
        _deletion_permitted.reset(token)


# --- Checkpoints: the head of the chain, anchored outside the database ---------------------


def checkpoint_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


def audit_checkpoint_write() -> Checkpoint:
    """Append a signed checkpoint of the trail as it is now (count, newest id and hash)."""
    head = AuditEntry.objects.order_by("-id").values_list("id", "entry_hash").first()
    # Appends are serialised and commit in id order (audit_record), so counting up to the
    # head gives one consistent state even while entries are being added meanwhile.
    entries = AuditEntry.objects.filter(id__lte=head[0]).count() if head else 0
    checkpoint = Checkpoint(
        at=timezone.now(),
        entries=entries,
        head_id=head[0] if head else None,
        head_hash=head[1] if head else GENESIS,
    )
    checkpoint_append(checkpoint_path(), checkpoint)
    return checkpoint


CHECKPOINT_SCHEDULE = "inbeeld audit checkpoint"


def audit_checkpoint_scheduled() -> str:
    """The entry point of the django-q2 schedule (every AUDIT_CHECKPOINT_MINUTES)."""
    checkpoint = audit_checkpoint_write()
    return f"audit checkpoint: {checkpoint.entries} entries up to entry {checkpoint.head_id}"


def audit_checkpoint_schedule_sync() -> None:
    """Make the schedule follow AUDIT_CHECKPOINT_MINUTES (the migration set it once)."""
    from django_q.models import Schedule

    Schedule.objects.filter(name=CHECKPOINT_SCHEDULE).exclude(
        minutes=settings.AUDIT_CHECKPOINT_MINUTES
    ).update(minutes=settings.AUDIT_CHECKPOINT_MINUTES)


# --- Verifying ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    entries: int  # entries found whole (before the break, if there is one)
    broken_entry: AuditEntry | None = None  # the first entry whose link does not hold
    reason: str = ""  # empty exactly when the trail is whole
    anchor: str = ""  # how far the check could reach: the checkpoint it was held against

    @property
    def intact(self) -> bool:
        return not self.reason


@dataclass
class _Walk:
    """What the walk along the chain saw of the entries the checkpoints name."""

    count: int = 0
    last_id: int | None = None
    seen: dict[int, tuple[int, str]] = field(default_factory=dict)  # id → (position, hash)


def _shown(checkpoint: Checkpoint) -> str:
    return f"checkpoint of {timezone.localtime(checkpoint.at):%Y-%m-%d %H:%M}"


def _anchor(newest: Checkpoint | None, walk: _Walk | None) -> str:
    """The second line of `inbeeld audit verify`; ``walk`` only when the trail held whole."""
    if newest is None:
        return "no checkpoint yet: removal of the newest entries cannot be detected"
    where = f"at entry {newest.head_id}" if newest.head_id else "of the empty trail"
    line = f"anchored: {_shown(newest)} {where}"
    if walk is None:
        return line
    up_to_head = walk.seen[newest.head_id][0] if newest.head_id else 0
    return f"{line}; {walk.count - up_to_head} newer entries are protected by the chain only"


def _checkpoint_problem(checkpoint: Checkpoint, walk: _Walk) -> str:
    """Why the table does not hold what ``checkpoint`` saw, or "" when it does."""
    head = checkpoint.head_id
    if head is None:
        return ""
    saw = f"the {_shown(checkpoint)} saw {checkpoint.entries} entries up to entry {head}"
    if head not in walk.seen:
        if walk.last_id is None:
            return f"the trail is empty but {saw}: entries were removed"
        if walk.last_id < head:
            return f"the trail ends at entry {walk.last_id} but {saw}: entries were removed"
        return f"entry {head} is missing but {saw}: entries were removed"
    position, found_hash = walk.seen[head]
    if not hmac.compare_digest(found_hash, checkpoint.head_hash):
        return (
            f"entry {head} differs from what the {_shown(checkpoint)} saw: the trail was "
            "rewritten, or the checkpoint file belongs to another database"
        )
    if position < checkpoint.entries:
        return f"only {position} entries lie up to entry {head} but {saw}: entries were removed"
    return ""


def audit_chain_verify() -> ChainReport:
    """Walk the trail in order, then hold it against every checkpoint in the checkpoint file.

    Reports the first entry whose link does not hold; else entries missing that a checkpoint
    saw (the newest entries removed); else a damaged or forged checkpoint line.
    """
    anchors = checkpoints_read(checkpoint_path())
    named = {checkpoint.head_id for checkpoint in anchors.checkpoints}
    walk = _Walk()
    previous = GENESIS
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        values = {name: getattr(entry, name) for name in CHAINED_FIELDS}
        reason = ""
        if entry.previous_hash != previous:
            reason = "does not follow the entry before it (an entry was removed or inserted)"
        elif entry.entry_hash != entry_hash(previous, values):
            reason = "its content does not match its hash (edited)"
        if reason:
            return ChainReport(walk.count, entry, reason, _anchor(anchors.newest, None))
        previous = entry.entry_hash
        walk.count += 1
        walk.last_id = entry.pk
        if entry.pk in named:
            walk.seen[entry.pk] = (walk.count, entry.entry_hash)
    # The newest checkpoint that the table no longer matches says the most about what is gone.
    for checkpoint in reversed(anchors.checkpoints):
        problem = _checkpoint_problem(checkpoint, walk)
        if problem:
            return ChainReport(walk.count, reason=problem, anchor=_anchor(anchors.newest, None))
    anchor = _anchor(anchors.newest, walk)
    if anchors.problems:
        return ChainReport(walk.count, reason=anchors.problems[0], anchor=anchor)
    return ChainReport(walk.count, anchor=anchor)
