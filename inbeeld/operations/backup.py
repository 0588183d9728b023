"""Backup and restore with nothing lost: one file, a manifest, and checks on the way back.

A backup is one tar file (mode 0600) with
- ``manifest.json``: the format, InBeeld's version, the database engine, the applied
  migrations, the number of rows of every table, the audit trail's length and head, and the
  fingerprints of the keys the data needs (never the keys themselves);
- the database: SQLite through its online backup API (a consistent copy while InBeeld keeps
  running), PostgreSQL through ``pg_dump --format=custom``.

The keys are not in it on purpose: a stolen backup without them is ciphertext. Keep them
with — and apart from — the backups (docs/operations.md).

A restore refuses before it changes anything when the configured keys are not the ones the
data needs, when the backup's schema is newer than this InBeeld, or when the target
database already holds data (unless told to replace it). After it, it checks what a person
would otherwise have to trust: the audit chain is whole and every table holds the number of
rows the manifest says.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections

FORMAT = "inbeeld-backup/1"
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.dump"


class BackupError(Exception):
    """Why a backup or restore cannot go on; the message is one line for the person."""


def _inbeeld_version() -> str:
    try:
        return version("inbeeld")
    except PackageNotFoundError:
        return "unknown"


def table_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608 - a table name
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _applied_migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def _audit_head() -> dict[str, Any]:
    from inbeeld.audit.models import AuditEntry

    head = AuditEntry.objects.order_by("-id").values("id", "entry_hash").first()
    return {
        "entries": AuditEntry.objects.count(),
        "head_id": head["id"] if head else None,
        "head_hash": head["entry_hash"] if head else None,
    }


def _stored_fingerprints() -> dict[str, list[str]]:
    from inbeeld.privacy.models import KeyFingerprint

    found: dict[str, list[str]] = {}
    for row in KeyFingerprint.objects.order_by("name", "fingerprint"):
        found.setdefault(row.name, []).append(row.fingerprint)
    return found


def manifest() -> dict[str, Any]:
    return {
        "format": FORMAT,
        "inbeeld_version": _inbeeld_version(),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": connection.vendor,
        "migrations": _applied_migrations(),
        "tables": table_counts(),
        "audit": _audit_head(),
        "key_fingerprints": _stored_fingerprints(),
    }


# --- backup ---------------------------------------------------------------------------------


def backup(out: Path) -> dict[str, Any]:
    """Write a backup to ``out``; returns its manifest."""
    if out.exists():
        raise BackupError(f"{out} exists already; choose a new file name")
    with tempfile.TemporaryDirectory(prefix="inbeeld-backup-") as folder:
        work = Path(folder)
        if connection.vendor == "sqlite":
            member = SQLITE_MEMBER
            _sqlite_copy(Path(str(settings.DATABASES["default"]["NAME"])), work / member)
        elif connection.vendor == "postgresql":
            member = POSTGRES_MEMBER
            _pg_dump(settings.DATABASES["default"], work / member)
        else:
            raise BackupError(f"no backup for the {connection.vendor} database engine")
        # Counted after the copy: rows written meanwhile are in neither, or in both.
        content = manifest()
        (work / MANIFEST).write_text(json.dumps(content, indent=2), encoding="utf-8")
        descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle, tarfile.open(fileobj=handle, mode="w") as tar:
            tar.add(work / MANIFEST, arcname=MANIFEST)
            tar.add(work / member, arcname=member)
    return content


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup API: a consistent copy while others keep writing."""
    connections["default"].close()
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)
    copy.close()


def _pg_environment(database: Mapping[str, Any]) -> tuple[list[str], dict[str, str]]:
    arguments = ["--dbname", str(database["NAME"])]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            arguments += [flag, str(database[key])]
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])  # never on the command line
    return arguments, env


def _pg_dump(database: Mapping[str, Any], target: Path) -> None:
    arguments, env = _pg_environment(database)
    result = subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *arguments],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {_first_line(result.stderr)}")


def _first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else "no message"


# --- restore --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreReport:
    manifest: dict[str, Any]
    audit_entries: int
    audit_intact: bool
    audit_reason: str
    count_differences: dict[str, tuple[int, int]]  # table: (backup, restored)

    @property
    def whole(self) -> bool:
        return self.audit_intact and not self.count_differences


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        with tarfile.open(path, "r") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise BackupError(f"{path} holds no {MANIFEST}")
            content: dict[str, Any] = json.loads(member.read().decode("utf-8"))
    except (tarfile.TarError, OSError, KeyError, json.JSONDecodeError) as error:
        raise BackupError(f"{path} is not an InBeeld backup ({error})") from error
    if content.get("format") != FORMAT:
        raise BackupError(f"{path} is a backup of format {content.get('format')!r}, not {FORMAT}")
    return content


def key_mismatches(content: Mapping[str, Any]) -> list[str]:
    """The configured keys that cannot read this backup's data, by setting name."""
    from inbeeld.privacy.fingerprints import FIELD_KEYS, SINGLE_KEYS, fingerprint

    wanted: Mapping[str, list[str]] = content.get("key_fingerprints", {})
    problems = []
    for name in SINGLE_KEYS:
        if wanted.get(name) and fingerprint(name, str(getattr(settings, name))) not in wanted[name]:
            problems.append(name)
    configured = {fingerprint(FIELD_KEYS, key) for key in settings.FIELD_ENCRYPTION_KEYS}
    if set(wanted.get(FIELD_KEYS, [])) - configured:
        problems.append(FIELD_KEYS)
    return problems


def _newer_migrations(content: Mapping[str, Any]) -> list[str]:
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [
        f"{app}.{name}"
        for app, name in content.get("migrations", {}).items()
        if (app, name) not in known
    ]


def _holds_data() -> bool:
    from inbeeld.audit.models import AuditEntry

    try:
        return AuditEntry.objects.exists()
    except Exception:
        return False


def restore_check(path: Path, *, replace: bool) -> dict[str, Any]:
    """Everything that must hold before a restore changes anything; the manifest if it does."""
    content = read_manifest(path)
    if content["engine"] != connection.vendor:
        raise BackupError(
            f"the backup is of a {content['engine']} database; this InBeeld uses "
            f"{connection.vendor} (restore it into a {content['engine']} database)"
        )
    wrong = key_mismatches(content)
    if wrong:
        raise BackupError(
            f"the configured {', '.join(wrong)} cannot read this backup's data: configure the "
            "keys that were in use when it was made (they are kept apart from backups)"
        )
    newer = _newer_migrations(content)
    if newer:
        raise BackupError(
            f"the backup was made by a newer InBeeld (migrations {', '.join(newer[:3])} are "
            "unknown here): install that version first"
        )
    if _holds_data() and not replace:
        raise BackupError(
            "the database already holds data; restore into an empty database, or give "
            "--replace to overwrite it"
        )
    return content


def restore(path: Path, *, replace: bool = False) -> RestoreReport:
    """Put the backup's database in place, then verify the audit chain and the row counts."""
    content = restore_check(path, replace=replace)
    with tempfile.TemporaryDirectory(prefix="inbeeld-restore-") as folder:
        with tarfile.open(path, "r") as tar:
            tar.extractall(folder, filter="data")
        if connection.vendor == "sqlite":
            _sqlite_restore(Path(folder) / SQLITE_MEMBER)
        else:
            _pg_restore(settings.DATABASES["default"], Path(folder) / POSTGRES_MEMBER)
    _checkpoints_set_aside()
    report = _verify(content)
    if report.whole:
        from inbeeld.audit.services import audit_checkpoint_write

        audit_checkpoint_write()  # the restored trail's head, anchored anew
    return report


def _checkpoints_set_aside() -> None:
    """The checkpoints written after the backup was made name entries the restored trail
    never had: kept, renamed, so that verify holds the trail against its own history."""
    from inbeeld.audit.services import checkpoint_path

    current = checkpoint_path()
    if current.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        current.rename(current.with_name(f"{current.name}.before-restore-{stamp}"))


def _sqlite_restore(source: Path) -> None:
    target = Path(str(settings.DATABASES["default"]["NAME"]))
    connections["default"].close()
    with sqlite3.connect(source) as backup_copy, sqlite3.connect(target) as live:
        backup_copy.backup(live)


def _pg_restore(database: Mapping[str, Any], source: Path) -> None:
    connections["default"].close()
    arguments, env = _pg_environment(database)
    result = subprocess.run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            *arguments,
            str(source),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {_first_line(result.stderr)}")


def _verify(content: Mapping[str, Any]) -> RestoreReport:
    from inbeeld.audit.services import audit_chain_verify

    counts = table_counts()
    expected: Mapping[str, int] = content["tables"]
    differences = {
        table: (count, counts.get(table, -1))
        for table, count in expected.items()
        if counts.get(table, -1) != count
    }
    chain = audit_chain_verify()
    return RestoreReport(
        manifest=dict(content),
        audit_entries=chain.entries,
        audit_intact=chain.intact,
        audit_reason=chain.reason,
        count_differences=differences,
    )
