"""`inbeeld tasks overdue-mail`: mail the owners of overdue tasks now (also runs daily)."""

from __future__ import annotations

import argparse
from typing import Any

from inbeeld.cli._django import setup_django


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("tasks", help="tasks and deadlines")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    mail = actions.add_parser(
        "overdue-mail",
        help="mail each owner of overdue tasks their number (once a day; also runs daily)",
    )
    mail.add_argument(
        "--dry-run", action="store_true", help="count who would be mailed, send nothing"
    )
    mail.set_defaults(handler=run_overdue_mail)


def run_overdue_mail(args: argparse.Namespace) -> int:
    setup_django()
    from inbeeld.tasks.overdue import overdue_mail_send

    run = overdue_mail_send(dry_run=args.dry_run)
    if args.dry_run:
        print(f"{run.owners - run.already} owners would be mailed (trial run, nothing sent)")
    else:
        print(f"{run.mailed} owners mailed")
    print(f"{run.already} owners already mailed on {run.day.isoformat()}")
    return 0
