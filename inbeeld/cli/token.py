"""`inbeeld token create USERNAME [--days N]`: a new API token acting with that user's rights.

A stable interface for scripts: the token alone on stdout; its expiry, and any error as one
line, on stderr. Exit status 2 for an unknown user or a bad --days.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from inbeeld.cli._django import setup_django


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("token", help="manage API tokens")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser(
        "create",
        help="print a new API token for USERNAME on stdout (shown only once); its expiry on stderr",
    )
    create.add_argument("username")
    # Read as text and checked below, so that a bad value gives one line, not argparse's usage.
    create.add_argument(
        "--days", help="days until the token expires (1-366; default API_TOKEN_DAYS, 90)"
    )
    create.set_defaults(handler=run_create)


def run_create(args: argparse.Namespace) -> int:
    setup_django()
    from django.utils import timezone

    from inbeeld.accounts.models import User
    from inbeeld.accounts.tokens import api_token_issue, token_days_checked

    try:
        days = token_days_checked(args.days)
    except ValueError as error:
        print(f"inbeeld token: {error}", file=sys.stderr)
        return 2
    user = User.objects.filter(username=args.username, is_active=True).first()
    if user is None:
        print(f"inbeeld token: no active user named {args.username!r}", file=sys.stderr)
        return 2
    issued = api_token_issue(user=user, days=days)
    print(issued.token)
    expires = timezone.localtime(issued.expires).strftime("%Y-%m-%d %H:%M %Z")
    print(f"inbeeld token: expires {expires} (in {days} days)", file=sys.stderr)
    return 0
