"""`inbeeld token create USERNAME`: a new API token acting with that user's rights."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from inbeeld.cli._django import setup_django


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("token", help="manage API tokens")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser(
        "create", help="print a new API token for USERNAME on stdout (shown only once)"
    )
    create.add_argument("username")
    create.set_defaults(handler=run_create)


def run_create(args: argparse.Namespace) -> int:
    setup_django()
    from inbeeld.accounts.models import User
    from inbeeld.accounts.tokens import api_token_create

    user = User.objects.filter(username=args.username, is_active=True).first()
    if user is None:
        print(f"inbeeld token: no active user named {args.username!r}", file=sys.stderr)
        return 2
    print(api_token_create(user=user))
    return 0
