"""`inbeeld audit verify`: check that the audit trail is whole (exit 0) or name the break."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from inbeeld.cli._django import setup_django


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("audit", help="check the audit trail")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify",
        help="walk the hash chain: exit 0 and 'intact: N entries', or exit 1 naming the "
        "first broken entry",
    )
    verify.set_defaults(handler=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    setup_django()
    from inbeeld.audit.services import audit_chain_verify

    report = audit_chain_verify()
    if report.intact:
        print(f"intact: {report.entries} entries")
        return 0
    entry = report.broken_entry
    assert entry is not None  # noqa: S101 - intact is False exactly when an entry is named
    print(
        f"broken: entry {entry.pk} ({entry.occurred_at:%Y-%m-%d %H:%M:%S}, {entry.action}, "
        f"{entry.actor or '-'}) {report.reason}; {report.entries} entries before it are intact",
        file=sys.stderr,
    )
    return 1
