"""Speed of importing a partner's list of signals: 100,000 rows in under 60 s.

    .venv/bin/python bench/imports_bench.py                 # goal size: 100,000 rows
    .venv/bin/python bench/imports_bench.py --rows 10000    # a small run

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust authentication; ``--postgres`` to
change). The bench creates and drops its own database ``inbeeld_bench_imports`` and a
temporary data folder; it touches no other database. Results go into docs/performance.md,
"## Imports".

Goal (issue #15): importing a 100,000-row file < 60 s. Measured: the whole path of the
page and the CLI (imports/services.py ``import_file``) on a Windows-1252 CSV with ``;`` as
Dutch Excel saves it: the file's digest, reading and checking every cell, the signals'
rules for every row (risk score, age band, dates), the natural-key look-up, writing the
signals and their name hashes in batches, the audit entries and the run — one transaction.
Then the dry run of the same rows in a new file (reported), and the same file again (which
must create nothing; reported).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from signals_bench import (  # noqa: E402  (after the path above)
    child_in_own_database,
    database_backends_cpu,
    load_average,
    machine,
    spent,
)

BENCH_DATABASE = "inbeeld_bench_imports"
GOAL_S = 60.0
HEADER = (
    "reference;municipality;description;incident_date;exploitation_forms;indicators;acute;"
    "people_count;victim_name;victim_gender;victim_nationality;victim_age_band"
)


def list_file(rows: int, *, seed: int, prefix: str) -> bytes:
    """A made-up list: every tenth row names a (made-up) person, as partners' lists do."""
    rng = random.Random(seed)
    municipalities = ["GM0664", "GM0687", "GM0654", "GM0678", "GM0715", "GM1676"]
    forms = ["labour", "sexual", "criminal", "labour,sexual", ""]
    lines = [HEADER]
    for number in range(rows):
        named = number % 10 == 0
        lines.append(
            ";".join(
                [
                    f"{prefix}-{number:06d}",
                    rng.choice(municipalities),
                    f"Voorbeeldmelding {number}: werknemers slapen op het terrein, café.",
                    f"{rng.randint(1, 28):02d}-{rng.randint(1, 10):02d}-2026",
                    rng.choice(forms),
                    "",
                    rng.choice(["ja", "nee", "nee", "nee"]),
                    str(rng.randint(1, 9)),
                    f"Voorbeeld Persoon {number}" if named else "",
                    rng.choice(["", "female", "male"]),
                    rng.choice(["", "NL", "RO", "NG", "PL"]),
                    rng.choice(["", "24-49", "18-23"]),
                ]
            )
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def child(args: argparse.Namespace) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inbeeld.settings")
    os.environ.setdefault("IMPORT_MAX_MB", "50")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from inbeeld.accounts.models import Role
    from inbeeld.imports.services import import_file
    from inbeeld.signals.models import Signal
    from inbeeld.testing.factories import staff_user

    call_command("migrate", verbosity=0)
    partner = staff_user(role=Role.KETENPARTNER, region_code="VR19", with_totp=False)
    organisation = partner.memberships.get().organisation
    data = list_file(args.rows, seed=1, prefix="B")

    cpu: dict[str, float] = {}

    def timed(content: bytes, *, dry_run: bool) -> tuple[float, Any]:
        # Wall clock, and the CPU this process and its PostgreSQL backend spent: on a shared
        # machine the wall clock also counts the time others' work held the two cores.
        backends = database_backends_cpu(BENCH_DATABASE)
        process = time.process_time()
        started = time.perf_counter()
        report = import_file(
            by=partner,
            organisation=organisation,
            kind="signals",
            data=content,
            filename="lijst.csv",
            dry_run=dry_run,
        )
        seconds = time.perf_counter() - started
        cpu.setdefault("process", time.process_time() - process)
        cpu.setdefault("postgres", spent(backends, database_backends_cpu(BENCH_DATABASE)))
        return seconds, report

    seconds, report = timed(data, dry_run=False)
    assert report.outcome == "imported", [str(i) for i in report.issues[:5]]
    created = Signal.objects.count()
    dry_seconds, dry = timed(list_file(args.rows, seed=2, prefix="D"), dry_run=True)
    again_seconds, again = timed(data, dry_run=False)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return {
        "server": f"PostgreSQL {version}",
        "rows": args.rows,
        "bytes": len(data),
        "seconds": seconds,
        "cpu_process": cpu["process"],
        "cpu_postgres": cpu["postgres"],
        "created": created,
        "dry_seconds": dry_seconds,
        "dry_would_create": dry.created,
        "again_seconds": again_seconds,
        "again_outcome": again.outcome,
        "again_created": Signal.objects.count() - created,
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args)))
        return 0
    print(f"# InBeeld imports bench — {machine()}")
    print(f"load average before: {load_average()}")
    result = child_in_own_database(__file__, argv, postgres=args.postgres, database=BENCH_DATABASE)
    if result is None:
        return 2
    print(
        f"{result['server']}: {result['rows']:,} rows ({result['bytes'] / 1e6:.1f} MB) "
        f"imported in {result['seconds']:.1f} s (goal < {GOAL_S:.0f} s), "
        f"{result['created']:,} signals; CPU: this process {result['cpu_process']:.1f} s, "
        f"PostgreSQL {result['cpu_postgres']:.1f} s\n"
        f"dry run of another {result['rows']:,} rows: {result['dry_seconds']:.1f} s "
        f"(would create {result['dry_would_create']:,})\n"
        f"same file again: {result['again_seconds']:.2f} s, {result['again_outcome']}, "
        f"created {result['again_created']}"
    )
    print(f"load average after: {load_average()}")
    return 0 if result["seconds"] < GOAL_S and result["again_created"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
