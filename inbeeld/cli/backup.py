"""`inbeeld backup` and `inbeeld restore`: one file with a manifest, checked on the way back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from inbeeld.cli._django import keys_checked, migrate_quietly, setup_django


def register(subparsers: Any) -> None:
    backup = subparsers.add_parser(
        "backup", help="write the database and a manifest to one file (the keys stay apart)"
    )
    backup.add_argument("--out", required=True, type=Path, help="the backup file to write")
    backup.set_defaults(handler=run_backup)
    restore = subparsers.add_parser(
        "restore",
        help="put a backup in place (into an empty database), then verify the audit chain "
        "and the row counts",
    )
    restore.add_argument("file", type=Path, help="a file written by `inbeeld backup`")
    restore.add_argument(
        "--replace", action="store_true", help="overwrite a database that already holds data"
    )
    restore.set_defaults(handler=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    setup_django()
    from inbeeld.operations.backup import BackupError, backup

    if not keys_checked("backup"):
        return 2
    try:
        content = backup(args.out)
    except BackupError as error:
        print(f"inbeeld backup: {error}", file=sys.stderr)
        return 2
    rows = sum(content["tables"].values())
    print(
        f"backup written to {args.out}: {len(content['tables'])} tables, {rows} rows, "
        f"audit trail {content['audit']['entries']} entries"
    )
    print("keep the keys (SECRET_KEY, AUDIT_KEY, FIELD_ENCRYPTION_KEYS, BLIND_INDEX_KEY) apart")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    setup_django()
    from django.conf import settings

    from inbeeld.operations.backup import BackupError, restore

    if not settings.PRODUCTION:
        migrate_quietly()  # an empty embedded database gets its tables, as serve does
    try:
        report = restore(args.file, replace=args.replace)
    except BackupError as error:
        print(f"inbeeld restore: {error}", file=sys.stderr)
        return 2
    rows = sum(report.manifest["tables"].values())
    if report.whole:
        print(
            f"restored {len(report.manifest['tables'])} tables, {rows} rows; "
            f"audit trail intact: {report.audit_entries} entries"
        )
        return 0
    if not report.audit_intact:
        print(
            f"inbeeld restore: the audit trail is not whole: {report.audit_reason}", file=sys.stderr
        )
    for table, (expected, found) in sorted(report.count_differences.items()):
        print(f"inbeeld restore: {table}: {found} rows, the backup had {expected}", file=sys.stderr)
    return 1
