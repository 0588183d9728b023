"""`inbeeld demo`: fill an empty embedded database with a realistic demo."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from inbeeld.cli._django import migrate_quietly, setup_django


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo", help="load demo regions, partners and staff (embedded mode only)"
    )
    parser.add_argument(
        "--if-empty",
        action="store_true",
        help="load only when the database is empty; otherwise show the existing demo logins",
    )
    parser.add_argument(
        "--code", metavar="USERNAME", help="print the current second-factor code of a demo user"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    setup_django()
    from django.conf import settings

    from inbeeld.accounts import demo

    if settings.PRODUCTION:
        print("inbeeld demo: refused in production mode (INBEELD_MODE=production)", file=sys.stderr)
        return 2
    migrate_quietly()
    if args.code:
        code = demo.demo_current_code(args.code)
        if code is None:
            print(f"inbeeld demo: {args.code!r} is not a demo account", file=sys.stderr)
            return 2
        print(code)
        return 0
    if demo.demo_is_loaded():
        if not args.if_empty:
            print("inbeeld demo: the database is not empty; nothing loaded", file=sys.stderr)
            return 1
        saved = settings.DATA_DIR / "demo-logins.txt"
        if saved.exists():
            print(saved.read_text(encoding="utf-8"))
        return 0
    result = demo.demo_create()
    text = demo.demo_logins_text(result)
    demo.demo_logins_save(text, settings.DATA_DIR)
    print(text)
    return 0
