"""Speed of the council report: the figures and the PDF of a region's year at full size.

    .venv/bin/python bench/council_bench.py                                  # goal size
    .venv/bin/python bench/council_bench.py --signals 20000 --cases 4000     # a small run

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust authentication; ``--postgres`` to
change). The bench creates and drops its own database ``inbeeld_bench_council`` (``--keep``
leaves it) and a temporary data folder; it touches no other database. Results go into
docs/performance.md, "## Council report".

Goal (issue #16): with 1,000,000 signals and 200,000 cases, the council report of a region
and year within 10 s.

Data (all fictitious): one region (VR19) with ``--signals`` signals made as the signals
bench makes them (spread over five years) and ``--cases`` cases with their person, events
and the rest as the cases bench makes them. Measured: ``released_figures`` (every count of
the report, insight/release.py) and ``council_report_pdf`` (the layout), ``--runs`` times
after one warm-up, for last year (a whole year of the five), as wall time and the process's
CPU time, and the number of SQL queries of one report.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from signals_bench import (  # noqa: E402  (after the path above)
    child_in_own_database,
    fill_region,
    load_average,
    machine,
    percentile,
)

BENCH_DATABASE = "inbeeld_bench_council"
GOAL_SECONDS = 10.0


def child(args: argparse.Namespace) -> dict[str, Any]:
    """In a process whose environment names the bench database: fill it, then time."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inbeeld.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from inbeeld.accounts.models import Role
    from inbeeld.insight.council_report import council_report_pdf
    from inbeeld.insight.release import released_figures
    from inbeeld.testing.factories import region, staff_user

    call_command("migrate", verbosity=0)
    home = region("VR19")
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code=home.code)
    started = time.perf_counter()
    fill_region(home, args.signals)
    fill_cases(home, coordinator, args.cases)
    fill_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        for table in ("signals_signal", "cases_case", "cases_caseperson", "cases_caseevent"):
            cursor.execute(f"VACUUM ANALYZE {table}")  # as autovacuum would have
    year = timezone.localdate().year - 1

    def one() -> tuple[float, float, float, int]:
        begin, begin_cpu = time.perf_counter(), time.process_time()
        release = released_figures(home, year)
        figures = time.perf_counter() - begin
        content = council_report_pdf(release)
        return time.perf_counter() - begin, figures, time.process_time() - begin_cpu, len(content)

    one()  # warm-up: the boundaries file, translations, the first connection
    captured: list[tuple[float, str]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        begin = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            captured.append((time.perf_counter() - begin, sql))

    with connection.execute_wrapper(record):
        one()
    runs = [one() for _ in range(args.runs)]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    walls = [run[0] for run in runs]
    return {
        "server": f"PostgreSQL {server}",
        "signals": args.signals,
        "cases": args.cases,
        "year": year,
        "fill_seconds": fill_seconds,
        "p50": percentile(walls, 0.5),
        "max": max(walls),
        "figures": sum(run[1] for run in runs) / len(runs),
        "cpu": sum(run[2] for run in runs) / len(runs),
        "bytes": runs[-1][3],
        "runs": len(runs),
        "queries": len(captured),
        "sql_seconds": sum(seconds for seconds, _sql in captured),
        "slowest_sql": [(t, sql[:300]) for t, sql in sorted(captured)[-3:]],
    }


def fill_cases(home: Any, owner: Any, count: int) -> None:
    """``count`` cases of ``home`` over five years, each with its person and one or two
    events (a tenth abroad), through the ORM in batches (defaults as the models give them)."""
    import random
    from datetime import timedelta

    from django.utils import timezone

    from inbeeld.cases.models import Case, CaseEvent, CasePerson
    from inbeeld.regions.models import Municipality

    rng = random.Random(16)
    now = timezone.now()
    places = list(Municipality.objects.filter(region=home))
    organisation = owner.memberships.get().organisation
    created = Case._meta.get_field("created_at")
    created.auto_now_add = False  # type: ignore[attr-defined]  # history needs its own dates
    for start in range(0, count, 5_000):
        cases = Case.objects.bulk_create(
            Case(
                region=home,
                reference=f"DS-C{number:07d}",
                owner=owner,
                owner_organisation=organisation,
                municipality=rng.choice(places),
                trafficking_status=rng.choice(("possible", "presumed", "actual")),
                exploitation_forms=[rng.choice(("sexual", "labour", "criminal", "other"))],
                sectors=[rng.choice(("agriculture", "construction", "hospitality"))],
                created_at=now - timedelta(minutes=rng.randint(0, 5 * 365 * 24 * 60)),
            )
            for number in range(start, min(start + 5_000, count))
        )
        CasePerson.objects.bulk_create(
            CasePerson(
                case=case,
                gender=rng.choice(("female", "male")),
                nationalities=[rng.choice(("NL", "RO", "BG", "PL", "NG", "UA", "VN"))],
                age_band="minor" if rng.random() < 0.1 else "24-49",
            )
            for case in cases
        )
        CaseEvent.objects.bulk_create(
            CaseEvent(
                case=case,
                kind=kind,
                municipality=None if abroad else rng.choice(places),
                country="RO" if abroad else "",
                start=(case.created_at - timedelta(days=30)).date(),
            )
            for case in cases
            for abroad in [rng.random() < 0.1]
            for kind in ("recruitment", "exploitation")[: rng.randint(1, 2)]
        )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--signals", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database", default=BENCH_DATABASE, help="the bench's own database")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args)))
        return 0

    print(f"# InBeeld council report bench — {machine()}")
    print(f"load average before: {load_average()}")
    result = child_in_own_database(
        __file__, argv, postgres=args.postgres, database=args.database, keep=args.keep
    )
    if result is None:
        return 2
    print(_report(result, io.StringIO()))
    print(f"load average after: {load_average()}")
    return 0 if result["max"] < GOAL_SECONDS else 1


def _report(result: dict[str, Any], out: io.StringIO) -> str:
    verdict = "met" if result["max"] < GOAL_SECONDS else "NOT met"
    out.write(
        f"{result['server']}, {result['signals']:,} signals and {result['cases']:,} cases in "
        f"one region (filled in {result['fill_seconds']:.0f} s); the report of "
        f"{result['year']}\n\n"
        "| measure | p50 | max | figures (mean) | CPU (mean) | queries | SQL time | goal |\n"
        "|---|---|---|---|---|---|---|---|\n"
        f"| council report, {result['runs']} runs ({result['bytes']:,} bytes) | "
        f"{result['p50']:.2f} s | {result['max']:.2f} s | {result['figures']:.2f} s | "
        f"{result['cpu']:.2f} s | {result['queries']} | {result['sql_seconds']:.2f} s | "
        f"< {GOAL_SECONDS:.0f} s: {verdict} |\n"
    )
    out.write("\nslowest SQL of one report:\n")
    for seconds, sql in result["slowest_sql"]:
        out.write(f"  {seconds * 1000:.0f} ms  {sql}\n")
    return out.getvalue()


if __name__ == "__main__":
    raise SystemExit(main())
