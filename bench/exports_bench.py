"""Speed and memory of `inbeeld export htcds` and `inbeeld export open-data` at 200,000 cases.

    .venv/bin/python bench/exports_bench.py                   # 200,000 cases (goal size)
    .venv/bin/python bench/exports_bench.py --cases 20000     # a small run that proves it works

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust authentication; ``--postgres`` to
change). The bench creates and drops its own database ``inbeeld_bench_exports`` (``--keep``
leaves it) and a temporary data folder; it touches no other database. Results go into
docs/performance.md, "## Exports".

Goals (issue #15): ``export htcds`` and ``export open-data`` over 200,000 cases each within
60 s and 1 GiB of memory.

Data (all fictitious). ``--cases`` cases in one region (VR19), written with PostgreSQL's
COPY as bench/cases_bench.py writes them, opened over the current year (so that the
open-data release of the year counts them all): each with its person (name and date of
birth encrypted as the app encrypts them: a few ciphertexts, reused), the coded victim
context (forms, sectors, methods, relationship; the age at exploitation for 70 %, so that
the rest needs the date of birth decrypted), one or two events (recruitment abroad,
exploitation in a municipality of the region) and for a third a service delivered.

Measured: the real console script as a subprocess (``inbeeld export htcds --region VR19
--out FILE.csv`` and ``.json``, pseudonymised, and ``inbeeld export open-data --year Y``),
its wall time, its CPU time (user + system of the export's process: what the other
processes on a shared machine disturb least; PostgreSQL's own CPU is not in it) and its peak
resident memory (the child's maximum RSS, getrusage), each run
from a fresh process: start-up, the reads, the file, the audit entries (htcds: one per
10,000 cases, each case indexed) and the rename.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from signals_bench import child_in_own_database, load_average, machine  # noqa: E402

BENCH_DATABASE = "inbeeld_bench_exports"
GOAL_SECONDS = 60.0
GOAL_BYTES = 1024**3
FORMS = ("sexual", "labour", "criminal", "other")
SECTORS = ("prostitution", "agriculture", "hospitality", "construction", "illicit_activities")
CONTROLS = ("debt_bondage", "withholds_documents", "physical_threats", "false_promises",
            "takes_earnings", "psychological_abuse", "excessive_working_hours")  # fmt: skip
NATIONALITIES = ("NL", "RO", "BG", "PL", "NG", "UA", "VN", "HU", "ER", "MA")
RELATIONS = ("", "intimate_partner", "family", "acquaintance", "unacquainted", "other")
INBEELD = str(Path(sys.executable).with_name("inbeeld"))


def child(args: argparse.Namespace) -> dict[str, Any]:
    """In a process whose environment names the bench database: fill it, then time."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inbeeld.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from inbeeld.accounts.models import Role
    from inbeeld.testing.factories import region, staff_user

    call_command("migrate", verbosity=0)
    home = region("VR19")
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code=home.code)
    started = time.perf_counter()
    _fill(args, home, coordinator)
    fill_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        for table in ("cases_case", "cases_caseperson", "cases_caseevent",
                      "referrals_servicedelivered"):  # fmt: skip
            cursor.execute(f"VACUUM ANALYZE {table}")  # as autovacuum would have
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    connection.close()  # the exports run in processes of their own
    year = str(time.localtime().tm_year)
    runs = {}
    with tempfile.TemporaryDirectory() as folder:
        for label, arguments in (
            ("htcds, CSV", ["htcds", "--region", "VR19", "--out", f"{folder}/cases.csv"]),
            ("htcds, JSON", ["htcds", "--region", "VR19", "--out", f"{folder}/cases.json"]),
            ("open-data (k = 11, length 3)", ["open-data", "--year", year, "--out",
                                              f"{folder}/open.csv"]),
        ):  # fmt: skip
            runs[label] = _measure(arguments, folder)
    return {
        "server": f"PostgreSQL {server}",
        "cases": args.cases,
        "fill_seconds": fill_seconds,
        "runs": runs,
    }


_MEASURE = (
    "import resource, subprocess, sys, time; begin = time.perf_counter(); "
    "answer = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
    "seconds = time.perf_counter() - begin; "
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(answer.returncode, seconds, usage.ru_maxrss, usage.ru_utime + usage.ru_stime); "
    "print(answer.stdout.strip()); "
    "print(answer.stderr[-2000:], file=sys.stderr)"
)


def _measure(arguments: list[str], folder: str) -> dict[str, Any]:
    """Run one export in a fresh process, measuring its wall time and peak memory there
    (ru_maxrss of that process's only child: this bench's own memory is not in it)."""
    answer = subprocess.run(
        [sys.executable, "-c", _MEASURE, INBEELD, "export", *arguments],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    first, summary = [*answer.stdout.splitlines(), "", ""][:2]
    code, seconds, peak_kib, cpu = first.split()
    if code != "0":
        raise RuntimeError(f"inbeeld export {arguments[0]} failed: {answer.stderr}")
    out = Path(arguments[arguments.index("--out") + 1])
    return {
        "seconds": float(seconds),
        "cpu_seconds": float(cpu),
        "peak_bytes": int(peak_kib) * 1024,
        "file_bytes": out.stat().st_size,
        "summary": summary,
    }


def _copy(table: str, columns: tuple[str, ...], rows: Any) -> None:
    from django.db import connection

    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.connection.cursor().copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _fill(args: argparse.Namespace, home: Any, coordinator: Any) -> None:
    from django.db import connection
    from django.utils import timezone

    from inbeeld.accounts.models import Organisation
    from inbeeld.privacy.encryption import encrypt
    from inbeeld.regions.models import Municipality
    from inbeeld.signals.identifiers import name_index

    rng = random.Random(15)
    now = timezone.now()
    start_of_year = now.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    span = int((now - start_of_year).total_seconds() // 60)
    organisation = Organisation.objects.get(memberships__user=coordinator).pk
    places = list(Municipality.objects.filter(region=home).values_list("pk", flat=True))
    names = [(encrypt(f"Bench Persoon {n}"), name_index(f"Bench Persoon {n}")) for n in range(20)]
    births = [encrypt(f"19{70 + n}-0{1 + n % 9}-1{n % 10}") for n in range(20)]

    def some(items: tuple[str, ...], most: int) -> str:
        return json.dumps(sorted(rng.sample(items, rng.randint(0, most))))

    opened = sorted(start_of_year + timedelta(minutes=rng.randint(0, span))
                    for _ in range(args.cases))  # fmt: skip
    _copy(
        "cases_case",
        ("region_id", "reference", "status", "outcome", "owner_organisation_id", "owner_id",
         "municipality_id", "trafficking_status", "decided_by", "exploitation_forms",
         "sectors", "recruitment_methods", "control_methods", "recruitment_channels",
         "recruiter_relationship", "age_at_exploitation", "restricted",
         "restriction_reason", "created_at", "updated_at", "version"),
        ((home.pk, f"DS-E{n:07d}", "open" if rng.random() < 0.3 else "closed", "",
          organisation, coordinator.pk, rng.choice(places),
          rng.choice(("possible", "presumed", "actual")), rng.choice(("", "police", "ngo")),
          json.dumps([rng.choice(FORMS)]), some(SECTORS, 1),
          json.dumps(["social_networks"] if rng.random() < 0.4 else []),
          some(CONTROLS, 3), json.dumps(["whatsapp"] if rng.random() < 0.2 else []),
          rng.choice(RELATIONS), rng.randint(12, 60) if rng.random() < 0.7 else None,
          False, "", at, at, 1)
         for n, at in enumerate(opened)),
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, created_at FROM cases_case ORDER BY id")
        rows = cursor.fetchall()
    _copy(
        "cases_caseperson",
        ("case_id", "name", "name_index", "date_of_birth", "gender", "nationalities",
         "age_band"),
        ((pk, *rng.choice(names), rng.choice(births), rng.choice(("female", "male", "")),
          json.dumps([rng.choice(NATIONALITIES)]), "minor" if rng.random() < 0.1 else "24-49")
         for pk, _at in rows),
    )  # fmt: skip
    _copy(
        "cases_caseevent",
        ("case_id", "kind", "municipality_id", "country", "start", "created_at"),
        ((pk, kind, None if kind == "recruitment" else rng.choice(places),
          rng.choice(NATIONALITIES[1:]) if kind == "recruitment" else "",
          (at - timedelta(days=30)).date(), at)
         for pk, at in rows
         for kind in ("exploitation", "recruitment")[: rng.randint(1, 2)]),
    )  # fmt: skip
    _copy(
        "referrals_servicedelivered",
        ("case_id", "service", "provider_id", "start", '"end"', "created_by_id", "created_at"),
        ((pk, rng.choice(("shelter", "health", "legal_aid", "exit_programme")), organisation,
          at.date(), None, coordinator.pk, at)
         for pk, at in rows if rng.random() < 1 / 3),
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--database", default=BENCH_DATABASE, help="the bench's own database")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args)))
        return 0

    print(f"# InBeeld exports bench — {machine()}")
    print(f"load average before: {load_average()}")
    result = child_in_own_database(
        __file__, argv, postgres=args.postgres, database=args.database, keep=args.keep
    )
    if result is None:
        return 2
    print(_report(result))
    print(f"load average after: {load_average()}")
    return 0 if _met(result) else 1


def _met(result: dict[str, Any]) -> bool:
    return all(
        run["seconds"] < GOAL_SECONDS and run["peak_bytes"] < GOAL_BYTES
        for run in result["runs"].values()
    )


def _report(result: dict[str, Any]) -> str:
    lines = [
        f"{result['server']}, {result['cases']:,} cases (filled in {result['fill_seconds']:.0f} s)",
        "",
        "| export | wall time | CPU time | peak memory (RSS) | file | goal (< 60 s, < 1 GiB) |",
        "|---|---|---|---|---|---|",
    ]
    for label, run in result["runs"].items():
        met = run["seconds"] < GOAL_SECONDS and run["peak_bytes"] < GOAL_BYTES
        lines.append(
            f"| {label} | {run['seconds']:.1f} s | {run['cpu_seconds']:.1f} s | "
            f"{run['peak_bytes'] / 2**20:.0f} MiB | "
            f"{run['file_bytes'] / 2**20:.1f} MiB | {'met' if met else 'NOT met'} |"
        )
    lines.append("")
    lines.extend(f"{label}: {run['summary']}" for label, run in result["runs"].items())
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
