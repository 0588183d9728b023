"""`inbeeld manage ...`: Django's management commands (migrate, check --deploy, ...)."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "manage",
        help="run a Django management command, e.g. `inbeeld manage check --deploy`",
        add_help=False,
    )
    parser.add_argument("arguments", nargs=argparse.REMAINDER)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import os

    from django.core.management import execute_from_command_line

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inbeeld.settings")
    execute_from_command_line(["inbeeld manage", *args.arguments])
    return 0
