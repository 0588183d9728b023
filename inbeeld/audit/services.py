"""Writing to and checking the audit trail. Every app records through `audit_record`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from inbeeld.audit.chain import CHAINED_FIELDS, GENESIS, entry_hash, value_digest
from inbeeld.audit.models import Action, AuditEntry

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


def audit_record(
    *,
    actor: Any,
    action: Action | str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    region: str = "",
    purpose: str = "",
    detail: Mapping[str, Any] | None = None,
    actor_name: str = "",
) -> AuditEntry:
    """Append one entry. ``target`` names the record; ``detail`` must hold no personal data."""
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
    values: dict[str, Any] = {
        **_actor_values(actor),
        "occurred_at": timezone.now(),
        "action": str(action),
        "object_type": object_type,
        "object_id": object_id,
        "region": region,
        "purpose": purpose,
        "detail": dict(detail or {}),
    }
    if actor_name and not values["actor"]:
        values["actor"] = actor_name
    with transaction.atomic():
        _lock_chain()
        previous = (
            AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
            or GENESIS
        )
        # Stored and hashed from the same values, after a round trip through JSON types.
        entry = AuditEntry(previous_hash=previous, **values)
        entry.entry_hash = entry_hash(previous, values)
        entry.save()
    return entry


def changed_fields(
    before: Mapping[str, Any], after: Mapping[str, Any], fields: Iterable[str]
) -> dict[str, dict[str, str]]:
    """Which fields changed, with keyed digests of old and new values (never plain text)."""
    return {
        name: {"old": value_digest(before.get(name)), "new": value_digest(after.get(name))}
        for name in fields
        if before.get(name) != after.get(name)
    }


@dataclass(frozen=True)
class ChainReport:
    entries: int
    broken_entry: AuditEntry | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_entry is None


def audit_chain_verify() -> ChainReport:
    """Walk the whole trail in order and report the first entry whose link does not hold."""
    previous = GENESIS
    count = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        values = {name: getattr(entry, name) for name in CHAINED_FIELDS}
        if entry.previous_hash != previous:
            return ChainReport(
                count,
                entry,
                "does not follow the entry before it (an entry was removed or inserted)",
            )
        if entry.entry_hash != entry_hash(previous, values):
            return ChainReport(count, entry, "its content does not match its hash (edited)")
        previous = entry.entry_hash
        count += 1
    return ChainReport(count)
