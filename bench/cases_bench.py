"""Speed of the cases: the case list and a case page with 200 timeline entries at 200,000.

    .venv/bin/python bench/cases_bench.py                   # 200,000 cases (goal size)
    .venv/bin/python bench/cases_bench.py --cases 20000     # a small run that proves it works

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust authentication; ``--postgres`` to
change). The bench creates and drops its own database ``inbeeld_bench_cases`` (``--keep``
leaves it for EXPLAIN by hand) and a temporary data folder; it touches no other database.
Results go into docs/performance.md, "## Cases".

Goals (issue #12): with 200,000 cases, the first page of the case list (``/dossiers/``)
within 200 ms at the 95th percentile, and a case page with 200 timeline entries within
300 ms at the 95th percentile.

Data (all fictitious). One region (VR19) with 20 organisations and 200 accounts, and
``--cases`` cases written with PostgreSQL's COPY: 30 % open, the rest closed (a few closed
and referred); opened over five years; each owned by one of the organisations; each with
its person (name and date of birth encrypted as the app encrypts them: a few ciphertexts,
reused, and a blind index), one or two events, one linked signal (of ``--cases`` / 40
signals, at most 5,000, made as the signals bench makes them), one encrypted note and its
status changes. A tenth of the cases have another organisation invited (a CASE_INVITE
share); the measured partner's organisation owns none and is invited to ``--share`` of the
cases (default 1 %). One more case, owned by another of the organisations and
with the partner invited, has exactly 200 timeline entries: 40 signals, 50 events, 60
notes, 35 status changes and 10 invitations of which 5 ended (15 entries).

Measured, through Django's test client with a verified session (middleware, session,
permission, queries, template, the audit entries of the read): 5 warm-up requests, then
``--requests`` timed ones (p50, p95, max of wall time, and the mean process CPU time of
the Django process, which the other processes on a shared machine disturb less; the
PostgreSQL server's own CPU time is not in it), plus the number of SQL queries of one
request. The case list's first page as the zorgcoördinator (sees every case of the region)
and as the partner (sees the ``--share`` they are invited to); the case page as both.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import time
from datetime import timedelta
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

BENCH_DATABASE = "inbeeld_bench_cases"
LIST_GOAL_MS = 200.0
PAGE_GOAL_MS = 300.0
FORMS = ("sexual", "labour", "criminal", "other")
NATIONALITIES = ("NL", "RO", "BG", "PL", "NG", "UA", "VN")


def child(args: argparse.Namespace) -> dict[str, Any]:
    """In a process whose environment names the bench database: fill it, then time."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inbeeld.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse

    from inbeeld.accounts.models import Role
    from inbeeld.testing.clients import verified_client
    from inbeeld.testing.factories import OrganisationFactory, region, staff_user

    call_command("migrate", verbosity=0)
    home = region("VR19")
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code=home.code)
    partner_org = OrganisationFactory.create(region=home, name="Bench Zorgpartner")
    partner = staff_user(role=Role.KETENPARTNER, organisation=partner_org)
    started = time.perf_counter()
    signals = args.signals or max(100, min(5_000, args.cases // 40))
    fill_region(home, signals)
    organisations, people = _organisations(home, coordinator)
    fill = _Filler(args, home, coordinator, partner_org.pk, organisations, people)
    fill.cases()
    heavy = fill.heavy_case()
    fill_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        for table in ("cases_case", "cases_caseperson", "cases_caseevent", "cases_casesignal",
                      "cases_casenote", "cases_casechange", "privacy_share"):  # fmt: skip
            cursor.execute(f"VACUUM ANALYZE {table}")  # as autovacuum would have
        for statement in args.sql or []:  # e.g. an index to try, created by hand
            cursor.execute(statement)
            cursor.execute("ANALYZE")

    pages = {
        "case list, zorgcoördinator": (coordinator, reverse("cases:list"), b'href="/dossiers/'),
        "case list, partner": (partner, reverse("cases:list"), b'href="/dossiers/'),
        "case page (200 entries), zorgcoördinator": (
            coordinator, reverse("cases:detail", args=[heavy]), b'<li data-kind="'),
        "case page (200 entries), partner": (
            partner, reverse("cases:detail", args=[heavy]), b'<li data-kind="'),
    }  # fmt: skip
    results = {}
    for label, (user, url, marker) in pages.items():
        results[label] = _time(verified_client(user), url, marker, args.requests)
    explains = _explain(coordinator, partner) if args.explain else {}
    if args.profile:
        for label, (user, url, _marker) in pages.items():
            explains[f"profile {label}"] = _profile(verified_client(user), url)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    return {
        "server": f"PostgreSQL {server}",
        "cases": args.cases,
        "signals": signals,
        "partner_cases": fill.partner_cases,
        "fill_seconds": fill_seconds,
        "pages": results,
        "explain": explains,
    }


def _time(client: Any, url: str, marker: bytes, requests: int) -> dict[str, Any]:
    from django.db import connection

    for _ in range(5):
        client.get(url)
    captured: list[tuple[float, str]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        begin = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            captured.append((time.perf_counter() - begin, sql))

    with connection.execute_wrapper(record):
        shown = client.get(url)
    if shown.status_code != 200:
        raise RuntimeError(f"{url} answered {shown.status_code}")
    wall, cpu = [], []
    for _ in range(requests):
        begin, begin_cpu = time.perf_counter(), time.process_time()
        answer = client.get(url)
        cpu.append((time.process_time() - begin_cpu) * 1000)
        wall.append((time.perf_counter() - begin) * 1000)
        if answer.status_code != 200:
            raise RuntimeError(f"{url} answered {answer.status_code}")
    return {
        "p50": percentile(wall, 0.5),
        "p95": percentile(wall, 0.95),
        "max": max(wall),
        "cpu": sum(cpu) / len(cpu),
        "n": len(wall),
        "queries": len(captured),
        "rows": shown.content.count(marker),
        "slowest_sql": [(t, sql[:300]) for t, sql in sorted(captured)[-3:]],
    }


def _profile(client: Any, url: str) -> str:
    """Where one request's time goes in Python (cProfile, top 30 by own time)."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(client.get, url)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
    return out.getvalue()


class _Keep:
    """An execute wrapper that keeps each statement and its parameters."""

    def __init__(self, seen: list[tuple[str, Any]]) -> None:
        self.seen = seen

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.seen.append((sql, params))
        return execute(sql, params, many, context)


def _explain(coordinator: Any, partner: Any) -> dict[str, str]:
    """The plans of the queries the list's first page runs (cases/access.py)."""
    from django.db import connection

    from inbeeld.cases.access import case_list_page

    plans = {}
    for label, user in (("zorgcoördinator", coordinator), ("partner", partner)):
        seen: list[tuple[str, Any]] = []
        with connection.execute_wrapper(_Keep(seen)):
            case_list_page(user, status="open", size=50)
        for number, (sql, params) in enumerate(seen, start=1):
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            plans[f"EXPLAIN ANALYZE, list first page, {label}, query {number}"] = plan
    return plans


def _organisations(home: Any, coordinator: Any) -> tuple[list[int], list[int]]:
    """20 organisations of the region (the coordinator's among them), 200 accounts."""
    from django.contrib.auth.hashers import make_password

    from inbeeld.accounts.models import Membership, Organisation, Role, User
    from inbeeld.testing.factories import OrganisationFactory

    organisations = [OrganisationFactory.create(region=home) for _ in range(19)]
    organisations.append(Organisation.objects.get(memberships__user=coordinator))
    password = make_password(None)
    users = User.objects.bulk_create(
        User(username=f"bench{n}", password=password) for n in range(200)
    )
    Membership.objects.bulk_create(
        Membership(user=u, organisation=organisations[n % 20], role=Role.KETENPARTNER)
        for n, u in enumerate(users)
    )
    return [o.pk for o in organisations], [u.pk for u in users]


class _Filler:
    """Writes the cases and their parts with COPY, a table at a time."""

    def __init__(
        self,
        args: argparse.Namespace,
        home: Any,
        coordinator: Any,
        partner_org: int,
        organisations: list[int],
        people: list[int],
    ) -> None:
        from django.contrib.contenttypes.models import ContentType
        from django.utils import timezone

        from inbeeld.cases.models import Case
        from inbeeld.privacy.encryption import encrypt
        from inbeeld.regions.models import Municipality
        from inbeeld.signals.identifiers import name_index
        from inbeeld.signals.models import Signal

        self.args, self.home, self.me = args, home, coordinator
        self.partner_org, self.organisations, self.people = partner_org, organisations, people
        self.rng = random.Random(13)
        self.now = timezone.now()
        self.places = list(Municipality.objects.filter(region=home).values_list("pk", flat=True))
        self.signal_ids = list(Signal.objects.values_list("pk", flat=True))
        self.case_type = ContentType.objects.get_for_model(Case).pk
        names = [f"Bench Persoon {n}" for n in range(20)]
        self.names = [(encrypt(name), name_index(name)) for name in names]
        self.births = [encrypt(f"19{70 + n}-0{1 + n % 9}-1{n % 10}") for n in range(20)]
        self.notes = [encrypt(f"Bench-notitie {n}: gesprek gevoerd, vervolg afgesproken.")
                      for n in range(20)]  # fmt: skip
        self.purposes = [encrypt(f"Bench-doel {n}: begeleiding") for n in range(5)]
        self.partner_cases = 0

    def _copy(self, table: str, columns: tuple[str, ...], rows: Any) -> None:
        from django.db import connection

        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.connection.cursor().copy(sql) as copy:
            for row in rows:
                copy.write_row(row)

    def cases(self) -> None:
        from django.db import connection

        rng, now = self.rng, self.now
        opened = [now - timedelta(minutes=rng.randint(0, 5 * 365 * 24 * 60))
                  for _ in range(self.args.cases)]  # fmt: skip
        statuses = [("open" if r < 0.30 else "closed" if r < 0.95 else "closed_referred")
                    for r in (rng.random() for _ in range(self.args.cases))]  # fmt: skip
        self._copy(
            "cases_case",
            ("region_id", "reference", "status", "outcome", "closed_at", "owner_organisation_id",
             "owner_id", "municipality_id", "trafficking_status", "decided_by",
             "exploitation_forms", "restricted", "restriction_reason", "created_at",
             "updated_at", "version"),
            ((self.home.pk, f"DS-B{n:07d}", status, "",
              None if status == "open" else at + timedelta(days=90),
              rng.choice(self.organisations), self.me.pk, rng.choice(self.places),
              rng.choice(("possible", "presumed", "actual")), "",
              json.dumps([rng.choice(FORMS)]), False, "", at, at, 1)
             for n, (at, status) in enumerate(zip(opened, statuses, strict=True))),
        )  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, created_at, status FROM cases_case ORDER BY id")
            rows = cursor.fetchall()
        self._copy(
            "cases_caseperson",
            ("case_id", "name", "name_index", "date_of_birth", "gender", "nationalities",
             "age_band"),
            ((pk, *rng.choice(self.names), rng.choice(self.births), rng.choice(("female", "male")),
              json.dumps([rng.choice(NATIONALITIES)]),
              "minor" if rng.random() < 0.1 else "24-49")
             for pk, _at, _status in rows),
        )  # fmt: skip
        self._copy(
            "cases_caseevent",
            ("case_id", "kind", "municipality_id", "country", "start", "created_at"),
            ((pk, kind, rng.choice(self.places), "", (at - timedelta(days=30)).date(), at)
             for pk, at, _status in rows
             for kind in ("recruitment", "exploitation")[: rng.randint(1, 2)]),
        )  # fmt: skip
        self._copy(
            "cases_casesignal",
            ("case_id", "signal_id", "linked_by_id", "linked_at"),
            ((pk, rng.choice(self.signal_ids), self.me.pk, at) for pk, at, _status in rows),
        )
        self._copy(
            "cases_casenote",
            ("case_id", "text", "author_id", "created_at"),
            ((pk, rng.choice(self.notes), self.me.pk, at + timedelta(days=1))
             for pk, at, _status in rows),
        )  # fmt: skip
        self._copy(
            "cases_casechange",
            ("case_id", "what", "value", "by_id", "at"),
            ((pk, what, value, self.me.pk, at + timedelta(days=days))
             for pk, at, status in rows
             for what, value, days in (("opened", "", 0),)
             + ((("closed", status, 90),) if status != "open" else ())),
        )  # fmt: skip
        invited = []
        for pk, at, _status in rows:
            if rng.random() < self.args.share:
                invited.append((pk, self.partner_org, at))
                self.partner_cases += 1
            elif rng.random() < 0.10:
                invited.append((pk, rng.choice(self.organisations), at))
        self._shares(invited)

    def _shares(self, invited: list[tuple[int, int, Any]], ended: int = 0) -> None:
        rng = self.rng
        self._copy(
            "privacy_share",
            ("content_type_id", "object_id", "region_id", "kind", "from_organisation_id",
             "to_organisation_id", "legal_basis", "purpose", "content", "shared_by_id",
             "shared_at", "ended_at", "ended_by_id"),
            ((self.case_type, pk, self.home.pk, "case_invite", self.organisations[-1], org,
              "covenant", rng.choice(self.purposes), "", self.me.pk, at + timedelta(days=2),
              (at + timedelta(days=60)) if n < ended else None,
              self.me.pk if n < ended else None)
             for n, (pk, org, at) in enumerate(invited)),
        )  # fmt: skip

    def heavy_case(self) -> int:
        """One open case with exactly 200 timeline entries; the partner is invited to it.

        40 signals + 50 events + 60 notes + 35 status changes + 10 invitations of which 5
        ended (15 entries) = 200.
        """
        from django.db import connection

        rng, start = self.rng, self.now - timedelta(days=400)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO cases_case (region_id, reference, status, outcome,"
                " owner_organisation_id, owner_id, municipality_id, trafficking_status,"
                " decided_by, exploitation_forms, restricted, restriction_reason, created_at,"
                " updated_at, version) VALUES (%s, 'DS-BZWAAR1', 'open', '', %s, %s, %s,"
                " 'presumed', 'police', '[\"sexual\", \"labour\"]', false, '', %s, %s, 1)"
                " RETURNING id",
                [self.home.pk, self.organisations[0], self.me.pk, self.places[0], start, start],
            )
            pk = cursor.fetchone()[0]
        name, index = self.names[0]
        self._copy(
            "cases_caseperson",
            ("case_id", "name", "name_index", "date_of_birth", "gender", "nationalities",
             "age_band"),
            [(pk, name, index, self.births[0], "female", '["RO", "BG"]', "24-49")],
        )  # fmt: skip
        at = [start + timedelta(days=n * 2, hours=rng.randint(0, 23)) for n in range(200)]
        self._copy(
            "cases_casesignal",
            ("case_id", "signal_id", "linked_by_id", "linked_at"),
            ((pk, signal, self.me.pk, at[n]) for n, signal in
             enumerate(rng.sample(self.signal_ids, 40))),
        )  # fmt: skip
        self._copy(
            "cases_caseevent",
            ("case_id", "kind", "municipality_id", "country", "start", "created_at"),
            ((pk, ("recruitment", "transit", "exploitation")[n % 3],
              self.places[n % len(self.places)] if n % 4 else None, "" if n % 4 else "RO",
              at[40 + n].date(), at[40 + n]) for n in range(50)),
        )  # fmt: skip
        self._copy(
            "cases_casenote",
            ("case_id", "text", "author_id", "created_at"),
            ((pk, self.notes[n % 20], self.me.pk, at[90 + n]) for n in range(60)),
        )
        changes = (
            [("opened", "")]
            + [("trafficking_status", s) for s in ("possible", "presumed", "actual") * 11]
            + [("reopened", "")]
        )
        self._copy(
            "cases_casechange",
            ("case_id", "what", "value", "by_id", "at"),
            ((pk, what, value, self.me.pk, at[150 + n])
             for n, (what, value) in enumerate(changes)),
        )  # fmt: skip
        others = [o for o in self.organisations[1:-1]][:9]
        invited = [(pk, org, at[185 + n]) for n, org in enumerate(others)]
        invited.append((pk, self.partner_org, at[194]))
        self._shares(invited, ended=5)
        return int(pk)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--share", type=float, default=0.01,
                        help="share of the cases the partner is invited to")  # fmt: skip
    parser.add_argument("--signals", type=int, default=None)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--explain", action="store_true", help="print the list query's plans")
    parser.add_argument("--sql", action="append", help="run before timing (e.g. CREATE INDEX)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile per page")
    parser.add_argument("--database", default=BENCH_DATABASE, help="the bench's own database")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args)))
        return 0

    print(f"# InBeeld cases bench — {machine()}")
    print(f"load average before: {load_average()}")
    result = child_in_own_database(
        __file__, argv, postgres=args.postgres, database=args.database, keep=args.keep
    )
    if result is None:
        return 2
    print(_report(result, io.StringIO()))
    print(f"load average after: {load_average()}")
    return 0 if _met(result) else 1


def _goal(label: str) -> float:
    return LIST_GOAL_MS if label.startswith("case list") else PAGE_GOAL_MS


def _met(result: dict[str, Any]) -> bool:
    return all(row["p95"] < _goal(label) for label, row in result["pages"].items())


def _report(result: dict[str, Any], out: io.StringIO) -> str:
    out.write(
        f"{result['server']}, {result['cases']:,} cases on {result['signals']:,} signals, "
        f"the partner invited to {result['partner_cases']:,} "
        f"(filled in {result['fill_seconds']:.0f} s)\n\n"
        "| measure | p50 | p95 | max | CPU/request | queries | goal |\n"
        "|---|---|---|---|---|---|---|\n"
    )
    for label, row in result["pages"].items():
        goal = _goal(label)
        verdict = "met" if row["p95"] < goal else "NOT met"
        out.write(
            f"| {label} ({row['n']} requests, {row['rows']} rows) | {row['p50']:.0f} ms | "
            f"{row['p95']:.0f} ms | {row['max']:.0f} ms | {row['cpu']:.0f} ms | "
            f"{row['queries']} | p95 < {goal:.0f} ms: {verdict} |\n"
        )
    for label, row in result["pages"].items():
        out.write(f"\nslowest SQL of one request, {label}:\n")
        for seconds, sql in row["slowest_sql"]:
            out.write(f"  {float(seconds) * 1000:.1f} ms  {sql}\n")
    for label, plan in result["explain"].items():
        out.write(f"\n{label}:\n{plan}\n")
    return out.getvalue()


if __name__ == "__main__":
    sys.exit(main())
