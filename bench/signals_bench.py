"""Speed of the signals: the public meldpunt under load, and the triage queue at 100,000.

    .venv/bin/python bench/signals_bench.py              # both parts, about 5 minutes
    .venv/bin/python bench/signals_bench.py --quick      # 15 s of load, 20,000 signals
    .venv/bin/python bench/signals_bench.py --only meldpunt   (or --only queue)

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust authentication; ``--postgres`` to
change) and the ``bench`` extra (``pip install -e '.[bench]'``: aiohttp). The bench creates
and drops its own database ``inbeeld_bench`` and a temporary SQLite file; it touches no
other database. Results go into docs/performance.md, "## Signals".

Meldpunt (goal: p95 < 150 ms at 50 submissions/s for a minute). The real server is started
as a person starts it: ``python -m inbeeld serve`` (gunicorn, its default workers and
threads, the background worker beside it) on the bench database, with a fresh data folder
and ``MELDPUNT_SUBMISSIONS_PER_HOUR`` raised, because all load comes from 127.0.0.1 and the
meldpunt otherwise refuses an address after 10 reports an hour. The load comes from a
second process (this file's hidden ``_load`` command). Each simulated reporter does what a
browser does: GET the form (CSRF cookie and token, one-time form token, signed start
time), wait the minimum fill time, POST a report with a few ticked questions and read the
receipt. Reporters arrive on a fixed schedule (open model): reporter i opens the form at
t0 + i/rate and sends it 3.2 s later, whether or not earlier reports were answered, and a
POST's time runs from that planned moment, so a server that falls behind is charged for
the waiting (no coordinated omission). The first ``--warmup`` seconds are not counted.

Why a small script with aiohttp rather than locust: locust (2.x) simulates users in a
closed loop (a user waits for its answer before its next task), so when the server slows
down the load drops with it, which hides exactly the queueing this goal is about; its
arrival-rate shapes still schedule per user. A fixed arrival schedule of 50 reporters a
second with their 3-second pause is a few lines of asyncio, and aiohttp (maintained, fast
on one core) keeps the ~200 requests in flight from one process without threads.

Queue (goal: first page p95 < 300 ms with 100,000 signals in the region). The bench
fills the region with signals built the way services.py builds them (risk score from the
catalogue, encrypted fields encrypted on save, unique receipt codes, a receipt digest)
with ``bulk_create``, on PostgreSQL and on SQLite, and requests ``/signalen/`` as a
zorgcoördinator through Django's test client with a verified session (the whole
middleware stack, session save, query, template), ``--requests`` times after warm-up. It
runs in a child process per database (hidden ``_queue`` command) because Django reads
its database from the environment once.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

BENCH_DATABASE = "inbeeld_bench"
FILL_SECONDS = 3.2  # the form refuses anything sent within 3 s of opening it
POST_GOAL_MS = 150.0
QUEUE_GOAL_MS = 300.0


# --- shared helpers -------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (no interpolation: the value some request really took)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def machine() -> str:
    return (
        f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
        f"{platform.platform()}"
    )


def child_in_own_database(
    script: str, argv: list[str], *, postgres: str, database: str, keep: bool = False
) -> dict[str, Any] | None:
    """Run ``script --child ARGV`` in a fresh PostgreSQL database and data folder of its own,
    dropped afterwards (unless ``keep``); its last line of output is its JSON result. None,
    with the child's error shown, when it failed. Shared by the tasks and cases benches."""
    postgres_admin(postgres, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    postgres_admin(postgres, f"CREATE DATABASE {database}")
    scratch = Path(tempfile.mkdtemp(prefix=f"{database}-"))
    env = {**os.environ, "DATABASE_URL": f"{postgres}/{database}",
           "INBEELD_DATA_DIR": str(scratch), "LOG_LEVEL": "WARNING"}  # fmt: skip
    try:
        answer = subprocess.run(
            [sys.executable, script, "--child", *argv],
            check=False, capture_output=True, text=True, cwd=REPO, env=env,
        )  # fmt: skip
        if answer.returncode != 0:
            print(answer.stderr[-4000:], file=sys.stderr)
            return None
        result: dict[str, Any] = json.loads(answer.stdout.strip().splitlines()[-1])
        return result
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if not keep:
            postgres_admin(postgres, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def postgres_admin(base_url: str, sql: str) -> None:
    """Run one statement on the server's maintenance database (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as connection:
        connection.execute(sql)  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of one process so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def group_cpu(group: int) -> dict[int, float]:
    """CPU seconds of every live process in process group ``group`` (the server's)."""
    seconds = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:
            seconds[int(entry.name)] = (int(fields[11]) + int(fields[12])) / os.sysconf(
                "SC_CLK_TCK"
            )
    return seconds


def _is_task_worker(pid: int) -> bool:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return command[-3:-1] == [b"inbeeld", b"worker"] or b"worker" in command[-2:]


def database_backends_cpu(database: str) -> dict[int, float]:
    """CPU seconds of the PostgreSQL backends serving ``database`` (same machine only)."""
    seconds = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if command.startswith("postgres:") and f" {database} " in command:
            seconds[int(entry.name)] = process_cpu(int(entry.name))
    return seconds


def spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU used between two snapshots by the processes alive at the second one."""
    return sum(value - before.get(pid, 0.0) for pid, value in after.items())


def load_refusal(limit: float) -> str:
    """Why latencies measured now would mean nothing ("" when the machine is quiet)."""
    one_minute = os.getloadavg()[0]
    if one_minute <= limit:
        return ""
    return (
        f"The load average is {one_minute:.2f} (above {limit:g}): other work shares the "
        "cores, so latencies measured now would measure it too. No latency result is "
        "written. Run again on a quiet machine, or with --cpu-only for the CPU per report "
        "(which the load barely changes)."
    )


# --- part 1: the meldpunt under load ------------------------------------------------------


def run_meldpunt(args: argparse.Namespace, database_url: str, data_dir: Path) -> dict[str, Any]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "INBEELD_DATA_DIR": str(data_dir),
        "MELDPUNT_SUBMISSIONS_PER_HOUR": "1000000000",
        "LOG_LEVEL": "WARNING",
    }
    log = (data_dir / "serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "inbeeld", "serve", "--port", str(port), *_serve_options(args)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: gunicorn's workers stop with it
    )
    try:
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(f"{base}/healthz", server)
        except RuntimeError:
            print((data_dir / "serve.log").read_text(errors="replace")[-3000:], file=sys.stderr)
            raise
        time.sleep(2)  # let the background worker finish starting
        server_before = group_cpu(server.pid)
        database_before = database_backends_cpu(BENCH_DATABASE)
        load = subprocess.run(
            [sys.executable, __file__, "_load", "--url", base, "--rate", str(args.rate),
             "--seconds", str(args.seconds), "--warmup", str(args.warmup)],
            check=True, capture_output=True, text=True, cwd=REPO,
        )  # fmt: skip
        result: dict[str, Any] = json.loads(load.stdout)
        # CPU per reporter (a GET and a POST each), warm-up included: the server's processes
        # (gunicorn's master and workers, the background worker) and the database's backends.
        reporters = result["reporters"]
        server_after = group_cpu(server.pid)
        result["server_cpu_ms"] = spent(server_before, server_after) * 1000 / reporters
        background = {pid: cpu for pid, cpu in server_after.items() if _is_task_worker(pid)}
        result["task_worker_cpu_ms"] = spent(server_before, background) * 1000 / reporters
        database_after = database_backends_cpu(BENCH_DATABASE)
        result["database_cpu_ms"] = spent(database_before, database_after) * 1000 / reporters
        result["workers"] = args.workers or _serve_default("workers")
        result["threads"] = args.threads or _serve_default("threads")
        return result
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        # The background worker `serve` started may outlive it: end the whole group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


def _serve_options(args: argparse.Namespace) -> list[str]:
    options = []
    for name in ("workers", "threads"):
        value = getattr(args, name, None)
        if value:
            options += [f"--{name}", str(value)]
    return options


def _serve_default(option: str) -> int:
    """The worker/thread count `inbeeld serve` uses by default on this machine."""
    from inbeeld.cli import serve

    parser = argparse.ArgumentParser()
    serve.register(parser.add_subparsers())
    value: int = getattr(parser.parse_args(["serve"]), option)
    return value


def _wait_until_up(url: str, server: subprocess.Popen[bytes], limit: float = 180) -> None:
    """Until /healthz answers; the first start migrates the fresh database (about 30 s)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"`inbeeld serve` stopped with exit code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 (loopback)
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {limit:.0f} s")


@dataclass
class Outcome:
    planned: float  # when the POST was due (loop time)
    get_ms: float  # the GET of the form, from its planned moment
    latency: float  # seconds from the planned moment to the complete answer
    sent_late: float  # seconds the POST left after its planned moment (client or GET lag)
    ok: bool
    problem: str = ""


HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')
MUNICIPALITY = re.compile(r'<option value="(\d+)"')
INDICATOR = re.compile(r'name="indicators" value="([\w.-]+)"')
DESCRIPTIONS = (
    "Bij de buren wonen acht mannen in één kamer; ze worden om vijf uur opgehaald met een busje.",
    "In de nagelstudio werken meisjes tot laat in de avond en ze slapen er ook, denk ik.",
    "Een jongen bij het station moet van een oudere man pakketjes rondbrengen en is bang.",
)


async def reporter(session: Any, base: str, get_at: float, rng: random.Random) -> Outcome:
    """One person: open the form, take the minimum fill time, send a report."""
    loop = asyncio.get_running_loop()
    post_at = get_at + FILL_SECONDS
    await asyncio.sleep(max(0.0, get_at - loop.time()))
    try:
        async with session.get(f"{base}/meldpunt/") as answer:
            page = await answer.text()
            cookies = {name: morsel.value for name, morsel in answer.cookies.items()}
        opened = loop.time()
        fields = dict(HIDDEN.findall(page))
        municipalities = MUNICIPALITY.findall(page)
        indicators = INDICATOR.findall(page)
        if answer.status != 200 or "form_token" not in fields or not municipalities:
            return Outcome(post_at, 0.0, 0.0, 0.0, ok=False, problem=f"GET {answer.status}")
        # Wait for the planned moment, and never less than the fill time after the form came.
        await asyncio.sleep(max(post_at, opened + 3.0) - loop.time())
        sent = loop.time()
        data = [
            ("csrfmiddlewaretoken", fields["csrfmiddlewaretoken"]),
            ("form_token", fields["form_token"]),
            ("started", fields["started"]),
            ("website", ""),
            ("description", rng.choice(DESCRIPTIONS)),
            ("municipality", rng.choice(municipalities)),
            ("place_text", "Voorbeeldstraat"),
            *[("indicators", code) for code in rng.sample(indicators, min(2, len(indicators)))],
        ]
        cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        async with session.post(
            f"{base}/meldpunt/", data=data, headers={"Cookie": cookie, "Referer": base}
        ) as answer:
            receipt = await answer.text()
        done = loop.time()
        ok = answer.status == 200 and 'data-testid="receipt-secret"' in receipt
        problem = "" if ok else f"POST {answer.status}"
        get_ms = (opened - get_at) * 1000
        return Outcome(post_at, get_ms, done - post_at, sent - post_at, ok=ok, problem=problem)
    except Exception as error:  # every failure is counted, none may stop the run
        late = loop.time() - post_at
        return Outcome(post_at, 0.0, late, 0.0, ok=False, problem=type(error).__name__)


async def generate_load(base: str, rate: float, seconds: float, warmup: float) -> dict[str, Any]:
    import aiohttp

    # A new connection per request, as separate browsers 3 s apart would make; no shared
    # cookie jar: each reporter carries only the cookies its own GET received.
    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    timeout = aiohttp.ClientTimeout(total=60)
    rng = random.Random(7)
    cpu_start = time.process_time()
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as session:
        loop = asyncio.get_running_loop()
        start = loop.time() + 0.5
        count = int((warmup + seconds) * rate)
        tasks = [
            asyncio.create_task(reporter(session, base, start + i / rate, rng))
            for i in range(count)
        ]
        outcomes = await asyncio.gather(*tasks)
    counted = [o for o in outcomes if o.planned >= start + FILL_SECONDS + warmup]
    latencies = [o.latency * 1000 for o in counted if o.ok]
    gets = [o.get_ms for o in counted if o.ok]
    problems: dict[str, int] = {}
    for outcome in counted:
        if not outcome.ok:
            problems[outcome.problem] = problems.get(outcome.problem, 0) + 1
    return {
        "rate": rate,
        "seconds": seconds,
        "reporters": len(outcomes),
        "load_cpu_ms": (time.process_time() - cpu_start) * 1000 / max(len(outcomes), 1),
        "posts": len(counted),
        "errors": sum(problems.values()),
        "problems": problems,
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "max": max(latencies),
        "get_p50": percentile(gets, 0.50),
        "get_p95": percentile(gets, 0.95),
        "latest_send_ms": max(o.sent_late for o in counted) * 1000,
    }


# --- part 2: the triage queue at 100,000 signals -------------------------------------------


def run_queue(args: argparse.Namespace, database_url: str, data_dir: Path) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": database_url, "INBEELD_DATA_DIR": str(data_dir)}
    child = subprocess.run(
        [sys.executable, __file__, "_queue", "--signals", str(args.signals),
         "--requests", str(args.requests)],
        check=True, capture_output=True, text=True, cwd=REPO, env=env,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(child.stdout)
    return result


def queue_child(signals: int, requests: int) -> dict[str, Any]:
    """In a process whose environment names the database: fill it, then time the queue."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inbeeld.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse

    from inbeeld.accounts.models import Role
    from inbeeld.testing.clients import verified_client
    from inbeeld.testing.factories import region, staff_user

    call_command("migrate", verbosity=0)
    home = region("VR19")
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code=home.code)
    started = time.perf_counter()
    fill_region(home, signals)
    fill_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give

    client = verified_client(coordinator)
    url = reverse("signals:queue")
    timings: dict[str, list[float]] = {}
    costs: dict[str, dict[str, Any]] = {}
    for label, query in (("first page", ""), ("first page, status new", "?status=nieuw")):
        for _ in range(5):  # warm-up: connections, template cache, database cache
            client.get(url + query)
        measured = []
        for _ in range(requests):
            begin = time.perf_counter()
            answer = client.get(url + query)
            measured.append((time.perf_counter() - begin) * 1000)
            if answer.status_code != 200 or answer.content.count(b"<tr") != 51:
                raise RuntimeError(f"the queue did not show a full page ({answer.status_code})")
        timings[label] = measured
        costs[label] = _queue_costs(client, url + query, requests)
    return {
        "vendor": connection.vendor,
        "server": _database_version(),
        "signals": signals,
        "fill_seconds": fill_seconds,
        "results": {
            label: {
                **costs[label],
                "p50": percentile(values, 0.5),
                "p95": percentile(values, 0.95),
                "max": max(values),
                "n": len(values),
            }
            for label, values in timings.items()
        },
    }


def _queue_costs(client: Any, url: str, requests: int) -> dict[str, Any]:
    """What a queue page costs apart from waiting: CPU in Django and in the database
    backend (per request), its statements, and the plans of the two that read the region."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.ensure_connection()
    backend = _backend_pid()
    database_before = process_cpu(backend) if backend else 0.0
    cpu = []
    for _ in range(requests):
        begin = time.process_time()
        client.get(url)
        cpu.append((time.process_time() - begin) * 1000)
    database_ms = (process_cpu(backend) - database_before) * 1000 / requests if backend else 0.0
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    plans = {}
    for statement in captured.captured_queries:
        sql = statement["sql"]
        if (
            "signals_signal" in sql and sql.startswith("SELECT") and "ORDER BY" in sql
        ) or sql.startswith("SELECT COUNT(*)"):
            plans[f"{len(plans) + 1}. {sql[:60]}"] = _plan(sql)  # numbered: parts look alike
    return {
        "cpu_p50": percentile(cpu, 0.5),
        "database_cpu_ms": database_ms,
        "statements": len(captured.captured_queries),
        "plans": plans,
    }


def _backend_pid() -> int:
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid: int = cursor.fetchone()[0]
        return pid


def _plan(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(" | ".join(str(cell) for cell in row) for row in cursor.fetchall())


def _database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def fill_region(home: Any, count: int) -> None:
    """``count`` signals in ``home``, as the intake services would have made them.

    Spread over five years, about 3 % acute, most closed; a few assigned to a colleague so
    that the queue's "assigned to me" branch has rows to look at.
    """
    from django.utils import timezone

    from inbeeld.accounts.models import Role
    from inbeeld.regions.models import Municipality
    from inbeeld.signals.indicators import load_catalogue, risk_score
    from inbeeld.signals.models import ExploitationForm, Signal, Source, Status
    from inbeeld.signals.services import (
        RECEIPT_ALPHABET,
        public_secret_for,
        receipt_secret_digest,
    )
    from inbeeld.testing.factories import staff_user

    catalogue = load_catalogue()
    codes = [item.code for item in catalogue.indicators]
    places = list(Municipality.objects.filter(region=home))
    colleague = staff_user(role=Role.KETENPARTNER, region_code=home.code)
    rng = random.Random(11)
    now = timezone.now()
    used: set[str] = set(Signal.objects.values_list("receipt_code", flat=True))
    statuses = [Status.CLOSED] * 17 + [Status.NEW, Status.IN_PROGRESS, Status.CASE_TABLE]
    # created_at is auto_now_add; history needs its own dates (this process only).
    created = Signal._meta.get_field("created_at")
    created.auto_now_add = False  # type: ignore[attr-defined]
    batch: list[Signal] = []
    for number in range(count):
        code = _unique_receipt_code(rng, used, RECEIPT_ALPHABET)
        indicators = sorted(rng.sample(codes, rng.randint(0, 4)))
        public = rng.random() < 0.4
        status = rng.choice(statuses)
        batch.append(
            Signal(
                region=home,
                municipality=rng.choice(places),
                place_text="Voorbeeldstraat",
                description=rng.choice(DESCRIPTIONS),
                exploitation_forms=[rng.choice(ExploitationForm.values)],
                indicators=indicators,
                risk_score=risk_score(catalogue, indicators, []).total,
                acute=rng.random() < 0.03,
                anonymous=public,
                source=Source.PUBLIC if public else Source.PARTNER,
                status=status,
                outcome="geen_mensenhandel" if status == Status.CLOSED else "",
                receipt_code=code,
                receipt_secret_hash=(
                    receipt_secret_digest(public_secret_for(secrets.token_urlsafe(24)))
                    if public
                    else ""
                ),
                created_at=now - timedelta(minutes=number * 26 + rng.randint(0, 25)),
            )
        )
        if len(batch) == 2000:
            _save(batch, colleague, rng)
            batch = []
    if batch:
        _save(batch, colleague, rng)


def _save(batch: list[Any], colleague: Any, rng: random.Random) -> None:
    from inbeeld.signals.models import Signal

    saved = Signal.objects.bulk_create(batch)
    through = Signal.assigned_to.through
    chosen = [signal for signal in saved if rng.random() < 0.01]
    through.objects.bulk_create(
        [through(signal_id=signal.pk, user_id=colleague.pk) for signal in chosen]
    )


def _unique_receipt_code(rng: random.Random, used: set[str], alphabet: str) -> str:
    while True:
        raw = "".join(rng.choice(alphabet) for _position in range(8))
        code = f"MH-{raw[:4]}-{raw[4:]}"
        if code not in used:
            used.add(code)
            return code


# --- main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_load":
        return _load_command(argv[1:])
    if argv and argv[0] == "_queue":
        return _queue_command(argv[1:])
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="15 s of load, 20,000 signals")
    parser.add_argument("--only", choices=("meldpunt", "queue"))
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--rate", type=float, default=50.0, help="submissions per second")
    parser.add_argument("--seconds", type=float, default=None, help="measured load (60)")
    parser.add_argument("--warmup", type=float, default=10.0, help="load not counted (10)")
    parser.add_argument("--signals", type=int, default=None, help="in the region (100,000)")
    parser.add_argument("--requests", type=int, default=50, help="timed queue requests (50)")
    parser.add_argument("--workers", type=int, help="`inbeeld serve --workers` (its default)")
    parser.add_argument("--threads", type=int, help="`inbeeld serve --threads` (its default)")
    parser.add_argument(
        "--max-load", type=float, default=1.5, help="refuse above this load average (1.5)"
    )
    parser.add_argument(
        "--cpu-only",
        action="store_true",
        help="CPU ms per report and per queue page, no latencies (at any load)",
    )
    args = parser.parse_args(argv)
    args.seconds = args.seconds or (15.0 if args.quick else 60.0)
    args.signals = args.signals or (20_000 if args.quick else 100_000)

    print(f"# InBeeld signals bench — {machine()}")
    print(f"commit {_commit()}, {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(f"load average before: {load_average()}")
    refusal = load_refusal(args.max_load)
    if refusal and not args.cpu_only:
        print(f"\nNOT RUN. {refusal}")
        return 2
    postgres_admin(args.postgres, f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
    postgres_admin(args.postgres, f"CREATE DATABASE {BENCH_DATABASE}")
    database_url = f"{args.postgres}/{BENCH_DATABASE}"
    scratch = Path(tempfile.mkdtemp(prefix="inbeeld-bench-"))
    verdicts = []
    try:
        if args.only in (None, "meldpunt"):
            result = run_meldpunt(args, database_url, scratch)
            if args.cpu_only:
                verdicts.append(_report_cpu(result, refusal))
            else:
                verdicts.append(_report_meldpunt(result))
        if args.only in (None, "queue"):
            for url in (database_url, f"sqlite:///{scratch / 'queue.sqlite3'}"):
                result = run_queue(args, url, scratch)
                if args.cpu_only:
                    _report_queue_header(result)
                    _report_queue_costs(result)
                    verdicts.append(True)
                else:
                    verdicts.append(_report_queue(result))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        postgres_admin(args.postgres, f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
    print(f"\nload average after: {load_average()}")
    return 0 if all(verdicts) else 1


def _report_meldpunt(result: dict[str, Any]) -> bool:
    met = bool(result["p95"] < POST_GOAL_MS and result["errors"] == 0)
    print(
        f"\n## Meldpunt: {result['rate']:g} submissions/s for {result['seconds']:g} s, "
        f"`inbeeld serve` ({result['workers']} workers × {result['threads']} threads), "
        "PostgreSQL\n"
    )
    print("| POSTs | errors | p50 ms | p95 ms | p99 ms | max ms | goal | met? |")
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {result['posts']:,} | {result['errors']} | {result['p50']:.0f} | "
        f"{result['p95']:.0f} | {result['p99']:.0f} | {result['max']:.0f} | "
        f"p95 < {POST_GOAL_MS:.0f} ms, no errors | {'yes' if met else 'no'} |"
    )
    if result["problems"]:
        print(f"errors by kind: {result['problems']}")
    print(_cpu_line(result))
    print(
        f"GET of the form (not part of the goal): p50 {result['get_p50']:.0f} ms, "
        f"p95 {result['get_p95']:.0f} ms; latest POST departure after its planned moment "
        f"{result['latest_send_ms']:.0f} ms"
    )
    return met


def _cpu_line(result: dict[str, Any]) -> str:
    return (
        f"CPU per reporter (one GET and one POST), warm-up included: server "
        f"{result['server_cpu_ms']:.1f} ms (gunicorn, and the background-task worker's "
        f"{result['task_worker_cpu_ms']:.1f} ms), PostgreSQL "
        f"backends {result['database_cpu_ms']:.1f} ms, load generator "
        f"{result['load_cpu_ms']:.1f} ms; {result['reporters']:,} reporters"
    )


def _report_cpu(result: dict[str, Any], refusal: str) -> bool:
    print(
        f"\n## Meldpunt CPU: {result['rate']:g} submissions/s for {result['seconds']:g} s, "
        f"`inbeeld serve` ({result['workers']} workers × {result['threads']} threads), "
        "PostgreSQL\n"
    )
    print(_cpu_line(result))
    print(f"errors: {result['errors']} {result['problems'] or ''}")
    if refusal:
        print(f"Latencies not reported. {refusal}")
    return bool(result["errors"] == 0)


def _commit() -> str:
    try:
        answer = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
            check=True,
        )  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return answer.stdout.strip()


def _report_queue_header(result: dict[str, Any]) -> None:
    print(
        f"\n## Triage queue: {result['signals']:,} signals in the region, {result['server']} "
        f"(filled in {result['fill_seconds']:.0f} s)\n"
    )


def _report_queue(result: dict[str, Any]) -> bool:
    _report_queue_header(result)
    print("| page | requests | p50 ms | p95 ms | max ms | goal | met? |")
    print("|---|---|---|---|---|---|---|")
    met_all = True
    for label, row in result["results"].items():
        met = row["p95"] < QUEUE_GOAL_MS
        met_all = met_all and met
        print(
            f"| {label} | {row['n']} | {row['p50']:.0f} | {row['p95']:.0f} | {row['max']:.0f} | "
            f"p95 < {QUEUE_GOAL_MS:.0f} ms | {'yes' if met else 'no'} |"
        )
    _report_queue_costs(result)
    return met_all


def _report_queue_costs(result: dict[str, Any]) -> None:
    print("\n| page | CPU ms in Django (p50) | CPU ms in the database backend | statements |")
    print("|---|---|---|---|")
    for label, row in result["results"].items():
        print(
            f"| {label} | {row['cpu_p50']:.1f} | {row['database_cpu_ms']:.1f} | "
            f"{row['statements']} |"
        )
    for label, row in result["results"].items():
        for sql, plan in row["plans"].items():
            print(f"\nPlan, {label}: `{sql}…`\n```\n{plan}\n```")


def _load_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="signals_bench.py _load")
    parser.add_argument("--url", required=True)
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--warmup", type=float, required=True)
    args = parser.parse_args(argv)
    result = asyncio.run(generate_load(args.url, args.rate, args.seconds, args.warmup))
    print(json.dumps(result))
    return 0


def _queue_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="signals_bench.py _queue")
    parser.add_argument("--signals", type=int, required=True)
    parser.add_argument("--requests", type=int, required=True)
    args = parser.parse_args(argv)
    print(json.dumps(queue_child(args.signals, args.requests)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
