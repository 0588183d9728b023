"""Speed of the task engine: "Mijn taken" and the daily overdue run at 2,000,000 tasks.

    .venv/bin/python bench/tasks_bench.py                  # 2,000,000 tasks (goal size)
    .venv/bin/python bench/tasks_bench.py --tasks 20000    # a small run that proves it works

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust authentication; ``--postgres`` to
change). The bench creates and drops its own database ``inbeeld_bench_tasks`` and a
temporary data folder; it touches no other database. Results go into docs/performance.md,
"## Tasks".

Goals (issue #12): the first page of "Mijn taken" (``/taken/``) within 200 ms at the 95th
percentile, and the daily overdue run within 60 s, with 2,000,000 tasks.

Data. One region (VR19) with ``--people`` accounts (default 1,000) in 20 organisations and
``--tasks`` tasks written with PostgreSQL's COPY: 25 % open, 70 % done, 5 % cancelled; due
dates spread over two years before and one year after today (so about a third of the open
ones are overdue); 90 % owned by a person, 10 % by an organisation only; every task on one
of the region's signals (``--signals``, default tasks / 200, at most 10,000, made as the
signals bench makes them). The measured person holds ``--own`` tasks (default 2 % of all)
and works for an organisation that owns its share as well: a heavy user, not an average
one. A tenth of the tasks carry encrypted details (a few ciphertexts, reused).

Measured. That person requests ``/taken/`` through Django's test client with a verified
session (middleware, session, queries, template, the audit entry of the read), 5 warm-up
requests and then ``--requests`` timed ones (p50, p95, max), and the same for the second
keyset page. Then the overdue run (``overdue_mail_send``) with Django's in-memory mail
backend, once for real (every owner with an overdue task mailed) and once more the same
day (nothing to send, the idempotency check), each timed as a whole.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
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

BENCH_DATABASE = "inbeeld_bench_tasks"
PAGE_GOAL_MS = 200.0
OVERDUE_GOAL_S = 60.0
COPY_COLUMNS = (
    "region_id", "title", "details", "owner_id", "owner_organisation_id", "due", "status",
    "done_at", "done_by_id", "subject_type_id", "subject_id", "source", "synced",
    "created_by_id", "created_at",
)  # fmt: skip
TITLES = ("Terugbellen", "Evaluatie plannen", "Huisbezoek", "Verslag afronden", "Nabellen")
SOURCES = ("signal.follow_up", "case.review", "referral.response", "permit.deadline")


def child(args: argparse.Namespace) -> dict[str, Any]:
    """In a process whose environment names the bench database: fill it, then time."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inbeeld.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse

    from inbeeld.accounts.models import Role
    from inbeeld.testing.clients import verified_client
    from inbeeld.testing.factories import region, staff_user

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)
    home = region("VR19")
    me = staff_user(role=Role.ZORGCOORDINATOR, region_code=home.code)
    started = time.perf_counter()
    signals = args.signals or max(100, min(10_000, args.tasks // 200))
    fill_region(home, signals)
    people, organisations = _people(home, args.people, me)
    _copy_tasks(args, home, me, people, organisations)
    fill_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE tasks_task")  # as autovacuum would have

    client = verified_client(me)
    url = reverse("tasks:mine")
    timings = {}
    first = client.get(url)
    found = re.search(rb'[?&;]na=([^"&]+)"', first.content)
    if found is None:
        raise RuntimeError("/taken/ offers no next page")
    pages = {"first page": url, "second page": f"{url}?na={found.group(1).decode()}"}
    for label, address in pages.items():
        for _ in range(5):
            client.get(address)
        measured = []
        for _ in range(args.requests):
            begin = time.perf_counter()
            answer = client.get(address)
            measured.append((time.perf_counter() - begin) * 1000)
            if answer.status_code != 200 or answer.content.count(b'<tr id="task-') != 50:
                raise RuntimeError(f"/taken/ did not show a full page ({answer.status_code})")
        timings[label] = measured

    from inbeeld.tasks.overdue import overdue_mail_send

    runs = {}
    for label in ("overdue run", "overdue run again (same day)"):
        begin = time.perf_counter()
        run = overdue_mail_send()
        runs[label] = {"seconds": time.perf_counter() - begin, "mailed": run.mailed,
                       "owners": run.owners}  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    return {
        "server": f"PostgreSQL {server}",
        "tasks": args.tasks,
        "signals": signals,
        "fill_seconds": fill_seconds,
        "pages": {
            label: {
                "p50": percentile(v, 0.5),
                "p95": percentile(v, 0.95),
                "max": max(v),
                "n": len(v),
            }
            for label, v in timings.items()
        },
        "runs": runs,
    }


def _people(home: Any, count: int, me: Any) -> tuple[list[int], list[int]]:
    """``count`` accounts with an e-mail address in 20 organisations of the region."""
    from django.contrib.auth.hashers import make_password

    from inbeeld.accounts.models import Membership, Organisation, Role, User
    from inbeeld.testing.factories import OrganisationFactory

    organisations = [OrganisationFactory.create(region=home) for _ in range(19)]
    organisations.append(Organisation.objects.get(memberships__user=me))
    password = make_password(None)
    users = User.objects.bulk_create(
        User(username=f"bench{n}", email=f"bench{n}@example.org", password=password)
        for n in range(count)
    )
    Membership.objects.bulk_create(
        Membership(user=u, organisation=organisations[n % 20], role=Role.KETENPARTNER)
        for n, u in enumerate(users)
    )
    User.objects.filter(pk=me.pk).update(email="me@example.org")
    return [u.pk for u in users], [o.pk for o in organisations]


def _copy_tasks(
    args: argparse.Namespace, home: Any, me: Any, people: list[int], organisations: list[int]
) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone

    from inbeeld.privacy.encryption import encrypt
    from inbeeld.signals.models import Signal

    rng = random.Random(12)
    signal_type = ContentType.objects.get_for_model(Signal).pk
    signal_ids = list(Signal.objects.values_list("pk", flat=True))
    details = [encrypt(f"Bench-toelichting {n}") for n in range(20)]
    today = timezone.localdate()
    now = timezone.now()
    mine = args.own if args.own is not None else args.tasks // 50
    sql = f"COPY tasks_task ({', '.join(COPY_COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.connection.cursor().copy(sql) as copy:
        for n in range(args.tasks):
            owner: int | None = me.pk if n < mine else rng.choice(people)
            organisation: int | None = None
            if n >= mine and rng.random() < 0.10:
                owner, organisation = None, rng.choice(organisations)
            roll = rng.random()
            status = "open" if roll < 0.25 else "done" if roll < 0.95 else "cancelled"
            due = today + timedelta(days=rng.randint(-730, 365))
            done_at = now - timedelta(days=rng.randint(0, 700)) if status == "done" else None
            copy.write_row((
                home.pk, rng.choice(TITLES), rng.choice(details) if rng.random() < 0.1 else "",
                owner, organisation, due, status, done_at,
                (owner or me.pk) if status == "done" else None, signal_type,
                rng.choice(signal_ids), rng.choice(SOURCES), False, me.pk, now,
            ))  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tasks", type=int, default=2_000_000)
    parser.add_argument("--people", type=int, default=1_000)
    parser.add_argument("--own", type=int, default=None, help="the measured person's tasks")
    parser.add_argument("--signals", type=int, default=None)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args)))
        return 0

    print(f"# InBeeld tasks bench — {machine()}")
    print(f"load average before: {load_average()}")
    result = child_in_own_database(__file__, argv, postgres=args.postgres, database=BENCH_DATABASE)
    if result is None:
        return 2
    print(_report(result, io.StringIO()))
    print(f"load average after: {load_average()}")
    page_ok = result["pages"]["first page"]["p95"] < PAGE_GOAL_MS
    run_ok = result["runs"]["overdue run"]["seconds"] < OVERDUE_GOAL_S
    return 0 if page_ok and run_ok else 1


def _report(result: dict[str, Any], out: io.StringIO) -> str:
    out.write(
        f"{result['server']}, {result['tasks']:,} tasks on {result['signals']:,} signals "
        f"(filled in {result['fill_seconds']:.0f} s)\n\n"
        "| measure | p50 | p95 | max | goal |\n|---|---|---|---|---|\n"
    )
    for label, row in result["pages"].items():
        goal = f"p95 < {PAGE_GOAL_MS:.0f} ms" if label == "first page" else "—"
        out.write(f"| /taken/ {label} ({row['n']} requests) | {row['p50']:.0f} ms | "
                  f"{row['p95']:.0f} ms | {row['max']:.0f} ms | {goal} |\n")  # fmt: skip
    for label, run in result["runs"].items():
        goal = f"< {OVERDUE_GOAL_S:.0f} s" if label == "overdue run" else "—"
        out.write(f"| {label}: {run['mailed']} of {run['owners']} owners mailed | "
                  f"{run['seconds']:.2f} s | | | {goal} |\n")  # fmt: skip
    return out.getvalue()


if __name__ == "__main__":
    sys.exit(main())
