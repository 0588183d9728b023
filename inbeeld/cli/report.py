"""`inbeeld report council --region CODE --year YYYY --out FILE.pdf [--lang nl|en]`.

The council report (raadsrapportage) of a region and year as a PDF: the same report the
dashboard's button downloads (insight/council_report.py), suppressed in the same way
(insight/release.py). Writing it is audited as an export of aggregate figures, without a
user (the person at the server's console). An unknown region or year, or a file that cannot
be written: one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from inbeeld.cli._django import keys_checked, setup_django

LANGUAGES = ("nl", "en")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("report", help="make reports from the figures")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    council = actions.add_parser(
        "council",
        help="write the council report (raadsrapportage) of a region and year as a PDF; "
        "small counts are suppressed as in every figure that leaves InBeeld",
    )
    council.add_argument("--region", required=True, help="the region's code, e.g. VR19")
    council.add_argument("--year", required=True, help="the year, e.g. 2025")
    council.add_argument("--out", required=True, help="the PDF file to write")
    council.add_argument("--lang", default="nl", help="the report's language: nl (default) or en")
    council.set_defaults(handler=run_council)


def _fail(message: str) -> int:
    print(f"inbeeld report council: {message}", file=sys.stderr)
    return 2


def run_council(args: argparse.Namespace) -> int:
    if args.lang not in LANGUAGES:
        return _fail(f"unknown language {args.lang!r}: use nl or en")
    if not (args.year.isascii() and args.year.isdigit()):
        return _fail(f"the year must be a number such as 2025, not {args.year!r}")
    setup_django()
    if not keys_checked("report council"):
        return 2
    from inbeeld.audit.models import Action, Purpose
    from inbeeld.audit.services import audit_record
    from inbeeld.insight.council_report import council_report_pdf
    from inbeeld.insight.release import UnknownYearError, released_figures, report_years
    from inbeeld.regions.models import Region

    region = Region.objects.filter(code=args.region.upper()).first()
    if region is None:
        return _fail(f"no region with the code {args.region!r} (e.g. VR19)")
    try:
        release = released_figures(region, int(args.year))
    except UnknownYearError:
        years = report_years(region)
        return _fail(
            f"no figures for {args.year} in {region.code}: "
            f"give a year from {years[0]} to {years[-1]}"
        )
    content = council_report_pdf(release, language=args.lang)
    out = Path(args.out)
    try:
        out.write_bytes(content)
    except OSError as error:
        return _fail(f"cannot write {out}: {error.strerror}")
    audit_record(
        actor=None,
        actor_name="inbeeld report (console)",
        action=Action.EXPORT,
        object_type="insight.council_report",
        object_id=f"{region.code}-{release.year}",
        region=region.code,
        purpose=Purpose.FIGURES_EXPORT,
        detail={"region": region.code, "year": str(release.year), "language": args.lang},
    )
    print(f"{out}: council report {region.code} {release.year} ({len(content)} bytes)")
    return 0
