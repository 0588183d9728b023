"""`inbeeld audit verify` and `inbeeld audit checkpoint`: check and anchor the audit trail."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from inbeeld.cli._django import setup_django


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("audit", help="check and anchor the audit trail")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify",
        help="walk the hash chain and hold it against the checkpoints: exit 0 and "
        "'intact: N entries', or exit 1 naming the first broken entry; a second line says "
        "how far the check reached",
    )
    verify.set_defaults(handler=run_verify)
    checkpoint = actions.add_parser(
        "checkpoint",
        help="append a signed checkpoint of the trail's head to AUDIT_CHECKPOINT_FILE and "
        "print it (the worker writes one every AUDIT_CHECKPOINT_MINUTES)",
    )
    checkpoint.set_defaults(handler=run_checkpoint)


def run_verify(args: argparse.Namespace) -> int:
    setup_django()
    from inbeeld.audit.services import audit_chain_verify
    from inbeeld.privacy.fingerprints import key_problems_or_none

    # A wrong AUDIT_KEY makes every entry look edited: say that, not "tampered".
    wrong_key = [p for p in key_problems_or_none() or [] if p.name == "AUDIT_KEY"]
    if wrong_key:
        print(f"inbeeld audit verify: {wrong_key[0]}", file=sys.stderr)
        return 2
    report = audit_chain_verify()
    if report.intact:
        print(f"intact: {report.entries} entries")
        print(report.anchor)
        return 0
    entry = report.broken_entry
    if entry is None:  # entries are missing that a checkpoint saw, or a checkpoint is damaged
        first = f"broken: {report.reason}; {report.entries} entries are whole"
    else:
        first = (
            f"broken: entry {entry.pk} ({entry.occurred_at:%Y-%m-%d %H:%M:%S}, {entry.action}, "
            f"{entry.actor or '-'}) {report.reason}; {report.entries} entries before it are "
            "intact"
        )
    print(first, file=sys.stderr)
    print(report.anchor, file=sys.stderr)
    return 1


def run_checkpoint(args: argparse.Namespace) -> int:
    setup_django()
    from inbeeld.audit.checkpoint import checkpoint_line
    from inbeeld.audit.services import audit_checkpoint_write, checkpoint_path

    try:
        checkpoint = audit_checkpoint_write()
    except OSError as error:
        print(f"cannot write {checkpoint_path()}: {error.strerror}", file=sys.stderr)
        return 1
    print(checkpoint_line(checkpoint))
    return 0
