"""Removing audit entries: the database refuses it, and the checkpoints show what went missing."""

from __future__ import annotations

import json
import os
import pydoc
import stat
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import DatabaseError, connection, transaction

from inbeeld.audit.checkpoint import checkpoint_mac, checkpoints_read
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.audit.services import (
    CHECKPOINT_SCHEDULE,
    audit_chain_verify,
    audit_checkpoint_schedule_sync,
    audit_checkpoint_write,
    audit_deletion_permitted,
    audit_record,
)

pytestmark = pytest.mark.django_db


def record(count: int) -> list[AuditEntry]:
    return [
        audit_record(actor=None, action=Action.READ, object_type="test", object_id=str(number))
        for number in range(count)
    ]


def checkpoint_file() -> Path:
    return Path(django_settings.AUDIT_CHECKPOINT_FILE)


def remove(entries: list[AuditEntry]) -> None:
    """As the retention of the audit trail may; here: as an attacker who got past the trigger."""
    with audit_deletion_permitted():
        AuditEntry.objects.filter(pk__in=[entry.pk for entry in entries]).delete()


# --- The database refuses ------------------------------------------------------------------


def test_the_database_refuses_to_delete_an_entry() -> None:
    entry = record(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_database_refuses_a_delete_in_plain_sql() -> None:
    record(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_postgresql_refuses_to_truncate_the_trail() -> None:
    record(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditentry")
    assert AuditEntry.objects.exists()


def test_the_permission_ends_with_its_block() -> None:
    entries = record(3)
    remove(entries[:1])
    assert AuditEntry.objects.count() == 2
    # Still inside the test's transaction: PostgreSQL's SET LOCAL must not outlive the block.
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entries[1].pk).delete()
    assert AuditEntry.objects.count() == 2


def test_both_triggers_exist_after_every_migration() -> None:
    """Django rebuilds a SQLite table for some schema changes, and the rebuild drops triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditentry'::regclass "
                "AND NOT tgisinternal"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'audit_auditentry'"
            )
        names = {name for (name,) in cursor.fetchall()}
    assert {"audit_entry_append_only", "audit_entry_no_delete"} <= names
    if connection.vendor == "postgresql":
        assert "audit_entry_no_truncate" in names


@pytest.mark.django_db(transaction=True)
def test_in_a_transactional_test_only_the_final_flush_may_delete() -> None:
    """The conftest lets the flush at the end of this test empty the trail; nothing else."""
    record(2)
    with pytest.raises(DatabaseError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 2


# --- Checkpoints ---------------------------------------------------------------------------


def test_a_checkpoint_is_one_signed_line_in_a_private_file(tmp_path: Path, settings) -> None:
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "new" / "folder" / "checkpoints.jsonl"
    entries = record(3)
    first = audit_checkpoint_write()
    record(1)
    audit_checkpoint_write()
    lines = checkpoint_file().read_text().splitlines()
    assert len(lines) == 2
    written = json.loads(lines[0])
    assert list(written) == ["at", "entries", "head_id", "head_hash", "mac"]
    assert (written["entries"], written["head_id"]) == (3, entries[-1].pk)
    assert written["head_hash"] == entries[-1].entry_hash == first.head_hash
    assert stat.S_IMODE(os.stat(checkpoint_file()).st_mode) == 0o600


def test_without_a_checkpoint_the_report_says_removal_at_the_end_is_undetectable() -> None:
    record(3)
    report = audit_chain_verify()
    assert report.intact and report.entries == 3
    assert report.anchor == "no checkpoint yet: removal of the newest entries cannot be detected"


def test_the_report_says_how_far_the_checkpoint_reaches() -> None:
    entries = record(5)
    audit_checkpoint_write()
    record(2)
    report = audit_chain_verify()
    assert report.intact and report.entries == 7
    assert report.anchor.startswith("anchored: checkpoint of ")
    assert report.anchor.endswith(
        f"at entry {entries[-1].pk}; 2 newer entries are protected by the chain only"
    )


def test_removing_the_newest_entries_is_reported() -> None:
    entries = record(30)
    audit_checkpoint_write()
    remove(entries[-20:])
    report = audit_chain_verify()
    assert not report.intact and report.broken_entry is None
    assert f"the trail ends at entry {entries[9].pk}" in report.reason
    assert f"saw 30 entries up to entry {entries[-1].pk}: entries were removed" in report.reason


def test_removing_every_entry_is_reported() -> None:
    entries = record(5)
    audit_checkpoint_write()
    remove(entries)
    report = audit_chain_verify()
    assert not report.intact
    assert report.reason.startswith("the trail is empty but the checkpoint of ")


def test_removing_the_newest_entries_and_carrying_on_is_reported() -> None:
    """New entries follow the last one left and the chain is whole: an older checkpoint shows."""
    entries = record(10)
    audit_checkpoint_write()
    remove(entries[-4:])
    record(6)
    audit_checkpoint_write()  # the next checkpoint sees a whole, shorter trail
    report = audit_chain_verify()
    assert not report.intact
    assert f"entry {entries[-1].pk} is missing" in report.reason


def test_entries_removed_after_the_last_checkpoint_cannot_be_seen() -> None:
    """What the documentation promises not to detect: the gap between two checkpoints."""
    record(5)
    audit_checkpoint_write()
    remove(record(3))
    assert audit_chain_verify().intact


def test_an_edited_checkpoint_line_is_reported() -> None:
    record(4)
    audit_checkpoint_write()
    audit_checkpoint_write()
    lines = checkpoint_file().read_text().splitlines()
    forged = json.loads(lines[1])
    forged["entries"] = 3  # to hide one removed entry
    checkpoint_file().write_text(lines[0] + "\n" + json.dumps(forged) + "\n")
    report = audit_chain_verify()
    assert not report.intact
    assert report.reason == (
        "checkpoint file line 2 does not match its MAC (edited, forged, or written under "
        "another AUDIT_KEY)"
    )
    assert len(checkpoints_read(checkpoint_file()).checkpoints) == 1


def test_a_damaged_checkpoint_line_is_reported() -> None:
    record(1)
    checkpoint_file().write_text('{"at": "yesterday"}\n')
    report = audit_chain_verify()
    assert report.reason == "checkpoint file line 1 is not a checkpoint (damaged)"


def test_a_checkpoint_of_a_rewritten_trail_is_reported() -> None:
    entries = record(3)
    audit_checkpoint_write()
    line = json.loads(checkpoint_file().read_text())
    assert line["head_id"] == entries[-1].pk
    other = resigned(line, head_hash="ab" * 32)
    checkpoint_file().write_text(other + "\n")
    report = audit_chain_verify()
    assert f"entry {entries[-1].pk} differs from what the checkpoint of " in report.reason


def resigned(line: dict[str, object], **changes: object) -> str:
    """A checkpoint line re-signed with AUDIT_KEY, as only a holder of the key can make."""
    payload = {key: value for key, value in line.items() if key != "mac"} | changes
    return json.dumps({**payload, "mac": checkpoint_mac(payload)})


def test_the_worker_writes_checkpoints_on_a_schedule_that_follows_the_setting(settings) -> None:
    from django_q.models import Schedule

    newest = record(2)[-1]
    schedule = Schedule.objects.get(name=CHECKPOINT_SCHEDULE)
    task = pydoc.locate(schedule.func)
    assert callable(task)
    assert task() == f"audit checkpoint: 2 entries up to entry {newest.pk}"
    assert len(checkpoints_read(checkpoint_file()).checkpoints) == 1
    settings.AUDIT_CHECKPOINT_MINUTES = 3
    audit_checkpoint_schedule_sync()
    schedule.refresh_from_db()
    assert (schedule.schedule_type, schedule.minutes) == (Schedule.MINUTES, 3)
