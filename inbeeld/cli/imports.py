"""`inbeeld import signals|registrations FILE --organisation ORG --user USERNAME [--dry-run]`.

The import page's path (imports/services.py) for a file on the server: the whole file is
checked first, every error printed as ``line N, column X: message``; all or nothing; the
same file twice creates nothing the second time. ``--dry-run`` shows what would be created.

Organisations have no short code in InBeeld: ORG is the organisation's number (shown in the
beheerder's pages) or its exact name. The rows are imported as USERNAME, with that user's
rights (as on the page), and audited in that name.

Exit status: 0 imported, checked or already imported; 1 refused (the errors on stdout);
2 an unknown organisation or user, a user who may not import for it, or no such file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from inbeeld.cli._django import setup_django


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import", help="import a partner's list of signals or registrations (CSV or .xlsx)"
    )
    parser.add_argument("kind", choices=["signals", "registrations"])
    parser.add_argument("file", help="the CSV (UTF-8 or Windows-1252) or .xlsx file")
    parser.add_argument(
        "--organisation", required=True, help="the organisation's number or exact name"
    )
    parser.add_argument("--user", required=True, help="the user importing (their rights)")
    parser.add_argument(
        "--dry-run", action="store_true", help="check the whole file and create nothing"
    )
    parser.set_defaults(handler=run)


def _fail(message: str) -> int:
    print(f"inbeeld import: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        return _fail(f"no such file: {args.file}")
    setup_django()
    from django.http import Http404
    from django.utils import translation

    from inbeeld.accounts.models import Organisation, User
    from inbeeld.imports.services import import_file

    user = User.objects.filter(username=args.user, is_active=True).first()
    if user is None:
        return _fail(f"no active user named {args.user!r}")
    wanted = str(args.organisation).strip()
    found = Organisation.objects.filter(pk=int(wanted)) if wanted.isdigit() else None
    if found is None or not found.exists():
        found = Organisation.objects.filter(name=wanted)
    if found.count() != 1:
        return _fail(f"no single organisation with the number or name {wanted!r}")
    organisation = found.get()
    try:
        # English, as every line of the console script (the page shows them in Dutch).
        with translation.override("en"):
            report = import_file(
                by=user,
                organisation=organisation,
                kind=args.kind,
                data=path.read_bytes(),
                filename=path.name,
                dry_run=args.dry_run,
            )
    except Http404:
        return _fail(f"{args.user} may not import {args.kind} for {organisation.name}")
    for issue in report.issues:
        print(issue.text())
    if report.issues:
        print(f"{report.outcome}: nothing imported, errors {len(report.issues)}")
        return 1
    verb = "would create" if args.dry_run else "created"
    print(
        f"{report.outcome}: {report.rows} rows, {verb} {report.created}, "
        f"imported before {report.existing}, errors 0"
    )
    return 0
