"""`inbeeld retention run`: remove what has passed its keeping period, now."""

from __future__ import annotations

import argparse
from typing import Any

from inbeeld.cli._django import setup_django


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("retention", help="apply the retention periods")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    run = actions.add_parser(
        "run", help="remove every record past its retention period (also runs nightly)"
    )
    run.add_argument("--dry-run", action="store_true", help="count what is due, remove nothing")
    run.set_defaults(handler=run_retention)


def run_retention(args: argparse.Namespace) -> int:
    setup_django()
    from inbeeld.privacy.retention import retention_rules, retention_run

    report = retention_run(dry_run=args.dry_run)
    verb = "due (trial run, nothing removed)" if args.dry_run else "removed"
    for rule in retention_rules():
        print(f"{rule.kind}: {report.removed.get(rule.kind, 0)} {verb}")
    return 0
