"""`inbeeld worker`: the background-task cluster (django-q2) for retention and reminders."""

from __future__ import annotations

import argparse
from typing import Any

from inbeeld.cli._django import setup_django


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "worker", help="run background tasks (retention, reminders); `serve` starts one too"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command

    call_command("qcluster")
    return 0
