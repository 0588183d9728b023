"""Where a meldpunt report's CPU goes: milliseconds per GET of the form and per POST, by part.

    .venv/bin/python bench/meldpunt_cpu.py                 # 300 reporters, PostgreSQL
    .venv/bin/python bench/meldpunt_cpu.py --reports 100 --profile 25

Why CPU time and not latency: on a machine that other work shares, wall-clock latency
measures the neighbours as much as the code; the CPU a request burns in its own process
barely moves with the load (a few per cent from cache misses), and at a given rate it is
what decides whether the server keeps up (50 reports a second × (GET + POST) CPU must fit
in 2 cores with PostgreSQL beside it).

How: one process, Django as the server runs it (``WSGIHandler``, the whole middleware
stack, CSRF enforced, real cookies; no test client shortcuts), on a fresh PostgreSQL
database ``inbeeld_cpu_bench`` (created and dropped; ``--postgres`` for another server).
Each reporter comes from its own address (so the throttle counts a new visitor, as in a
campaign), GETs the form, and after the minimum fill time POSTs a report with two ticked
questions; all GETs first, one wait of 3.1 s, then all POSTs. Both phases run twice and
only the second counts (the first warms imports, caches and the connection).

Each part is timed by wrapping the function that does it with a CPU clock
(``time.process_time``); time is charged to the innermost running part only, so the parts
add up to the request's total ("rest" is what no part claims: Django's request handling,
URL resolving, the view's own lines). The same wrapper counts the SQL statements each
part sends. "PostgreSQL backend" is the CPU the database server process spent for this
connection (from /proc, 10 ms ticks, divided over the requests): not in the total, but
on the same 2 cores. ``--profile N`` prints cProfile's N most expensive functions of
one extra POST phase as well.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import os
import platform
import pstats
import re
import subprocess
import sys
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DATABASE = "inbeeld_cpu_bench"
FILL_SECONDS = 3.1  # the form refuses anything sent within 3 s of opening it


# --- the part clock -----------------------------------------------------------------------


@dataclass
class Parts:
    """CPU seconds and SQL statements per part, charged to the innermost running part."""

    cpu: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    queries: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    stack: list[str] = field(default_factory=list)
    statements: list[tuple[str, str]] = field(default_factory=list)  # of the last request
    mark: float = 0.0

    def enter(self, name: str) -> None:
        now = time.process_time()
        if self.stack:
            self.cpu[self.stack[-1]] += now - self.mark
        self.stack.append(name)
        self.mark = now

    def leave(self) -> None:
        now = time.process_time()
        self.cpu[self.stack.pop()] += now - self.mark
        self.mark = now

    def reset(self) -> None:
        self.statements.clear()
        self.cpu.clear()
        self.queries.clear()


PARTS = Parts()


def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        PARTS.enter(name)
        try:
            return function(*args, **kwargs)
        finally:
            PARTS.leave()

    wrapper.__bench_wrapped__ = True  # type: ignore[attr-defined]
    return wrapper


def wrap(owner: Any, attribute: str, name: str) -> None:
    """Time ``owner.attribute`` as part ``name`` (a module global or a class attribute)."""
    function = getattr(owner, attribute, None)
    if function is None or getattr(function, "__bench_wrapped__", False):
        return
    setattr(owner, attribute, timed(name, function))


# What each part is. The order is the table's order; a name may be wrapped at several places.
def instrument() -> None:
    from django.conf import settings
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.core.handlers.wsgi import WSGIHandler
    from django.middleware import csrf
    from django.middleware.csrf import CsrfViewMiddleware
    from django.template import context_processors
    from django.utils.module_loading import import_string

    from inbeeld.audit import services as audit_services
    from inbeeld.privacy import encryption
    from inbeeld.signals import forms, services, throttle
    from inbeeld.signals.views import public

    wrap(WSGIHandler, "__call__", "rest: request handling")
    # Session and CSRF first: their hooks get their own part, not their middleware's.
    for hook in ("process_request", "process_response"):
        wrap(SessionMiddleware, hook, "session")
    for hook in ("process_request", "process_view", "process_response"):
        wrap(CsrfViewMiddleware, hook, "CSRF")
    wrap(csrf, "get_token", "CSRF")
    wrap(context_processors, "get_token", "CSRF")
    # Every middleware: what it does around the view, and its process_view hook (which
    # Django's handler calls, outside the middleware's own __call__).
    for dotted in settings.MIDDLEWARE:
        middleware = import_string(dotted)
        label = f"middleware: {middleware.__name__}"
        wrap(middleware, "__call__", label)
        wrap(middleware, "process_view", label)
    wrap(public, "meldpunt", "view: own lines")
    wrap(throttle, "allow", "throttle (rate counter)")
    wrap(forms.PublicSignalForm, "__init__", "form: build")
    wrap(forms.PublicSignalForm, "full_clean", "form: validation")
    wrap(services, "_validated", "risk score and checks")
    wrap(services, "score_fields", "risk score and checks")
    for name in (
        "submission_digest_of",
        "public_secret_for",
        "receipt_secret_digest",
        "name_index",
    ):
        wrap(services, name, "identifiers and blind indexes")
    wrap(services, "identifiers_record", "identifiers and blind indexes")
    wrap(encryption, "encrypt", "encryption")
    wrap(encryption, "decrypt", "encryption")
    wrap(services, "signal_create_public", "service: transaction, lookups")
    wrap(services, "_receipt_code", "service: transaction, lookups")
    from inbeeld.signals.models import Signal

    wrap(Signal, "save", "insert of the signal")
    wrap(services, "audit_record", "audit entry")
    wrap(audit_services, "_lock_chain", "audit: chain lock")
    wrap(public, "render", "page render")


@contextmanager
def measuring() -> Iterator[None]:
    from django.db import connection

    with connection.execute_wrapper(_count):
        yield


def _count(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    part = PARTS.stack[-1] if PARTS.stack else "outside a request"
    PARTS.queries[part] += 1
    PARTS.statements.append((part, sql))
    return execute(sql, params, many, context)


# --- the reporters ------------------------------------------------------------------------


HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')
MUNICIPALITY = re.compile(r'<option value="(\d+)"')
INDICATOR = re.compile(r'name="indicators" value="([\w.-]+)"')


@dataclass
class Opened:
    address: str
    cookies: dict[str, str]
    fields: dict[str, str]
    municipality: str
    indicators: list[str]


def call(
    handler: Any, method: str, address: str, cookies: dict[str, str], body: bytes = b""
) -> Any:
    from django.test import RequestFactory

    extra: dict[str, Any] = {"REMOTE_ADDR": address, "HTTP_ACCEPT_LANGUAGE": "nl"}
    if cookies:
        extra["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    factory = RequestFactory()
    if method == "GET":
        environ = factory.get("/meldpunt/", **extra).environ
    else:
        environ = factory.generic(
            "POST", "/meldpunt/", body, "application/x-www-form-urlencoded", **extra
        ).environ
    status: list[str] = []
    headers: list[tuple[str, str]] = []

    def start_response(code: str, answer_headers: list[tuple[str, str]]) -> None:
        status.append(code)
        headers.extend(answer_headers)

    response = handler(environ, start_response)
    content = b"".join(response)
    response.close()  # request_finished, as a WSGI server does
    return status[0], headers, content.decode()


def set_cookies(headers: list[tuple[str, str]]) -> dict[str, str]:
    cookies = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            cookies[key] = rest.split(";", 1)[0]
    return cookies


def open_form(handler: Any, number: int) -> Opened:
    address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
    status, headers, page = call(handler, "GET", address, {})
    if not status.startswith("200"):
        raise RuntimeError(f"GET answered {status}")
    return Opened(
        address,
        set_cookies(headers),
        dict(HIDDEN.findall(page)),
        MUNICIPALITY.findall(page)[number % 300],
        INDICATOR.findall(page)[:2],
    )


def send_report(handler: Any, opened: Opened) -> str:
    data = [
        ("csrfmiddlewaretoken", opened.fields["csrfmiddlewaretoken"]),
        ("form_token", opened.fields["form_token"]),
        ("started", opened.fields["started"]),
        ("website", ""),
        ("description", "In de nagelstudio werken meisjes tot laat en ze slapen er ook."),
        ("municipality", opened.municipality),
        ("place_text", "Voorbeeldstraat"),
        *[("indicators", code) for code in opened.indicators],
    ]
    body = urllib.parse.urlencode(data).encode()
    PARTS.statements.clear()
    status, headers, page = call(handler, "POST", opened.address, opened.cookies, body)
    if not status.startswith("200") or 'data-testid="receipt-secret"' not in page:
        raise RuntimeError(f"POST answered {status} without a receipt")
    return "".join(f"{n}={v}" for n, v in headers if n.lower() == "set-cookie")


# --- measuring ------------------------------------------------------------------------------


def backend_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend so far (user + system)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


@dataclass
class Phase:
    count: int
    total: float  # CPU seconds of the whole phase in this process
    parts: dict[str, float]
    queries: dict[str, int]
    database: float  # CPU seconds of the PostgreSQL backend
    cookies: str = ""


def run_phase(label: str, step: Callable[[int], Any], count: int) -> Phase:
    from django.db import connection

    connection.ensure_connection()
    database_before = backend_cpu()
    PARTS.reset()
    started = time.process_time()
    results = []
    with measuring():
        for number in range(count):
            results.append(step(number))
    total = time.process_time() - started
    database = backend_cpu() - database_before
    phase = Phase(count, total, dict(PARTS.cpu), dict(PARTS.queries), database)
    if label == "POST":
        phase.cookies = results[-1]
    return phase


def one_round(handler: Any, reports: int, offset: int) -> tuple[Phase, Phase]:
    opened: list[Opened] = []

    def get(number: int) -> None:
        opened.append(open_form(handler, offset + number))

    gets = run_phase("GET", get, reports)
    time.sleep(FILL_SECONDS)
    posts = run_phase("POST", lambda number: send_report(handler, opened[number]), reports)
    return gets, posts


def table(gets: Phase, posts: Phase) -> str:
    names = sorted(
        set(gets.parts) | set(posts.parts),
        key=lambda n: -(posts.parts.get(n, 0.0) + gets.parts.get(n, 0.0)),
    )
    lines = [
        "| part | GET ms | GET queries | POST ms | POST queries |",
        "|---|---|---|---|---|",
    ]

    def cell(phase: Phase, name: str) -> tuple[str, str]:
        ms = phase.parts.get(name, 0.0) * 1000 / phase.count
        queries = phase.queries.get(name, 0) / phase.count
        return (f"{ms:.2f}" if ms else "—", f"{queries:.1f}" if queries else "—")

    for name in names:
        g_ms, g_q = cell(gets, name)
        p_ms, p_q = cell(posts, name)
        lines.append(f"| {name} | {g_ms} | {g_q} | {p_ms} | {p_q} |")
    g_all = sum(gets.queries.values()) / gets.count
    p_all = sum(posts.queries.values()) / posts.count
    lines.append(
        f"| **total (this process)** | **{gets.total * 1000 / gets.count:.2f}** | "
        f"**{g_all:.1f}** | **{posts.total * 1000 / posts.count:.2f}** | **{p_all:.1f}** |"
    )
    lines.append(
        f"| PostgreSQL backend (its own process) | {gets.database * 1000 / gets.count:.2f} | | "
        f"{posts.database * 1000 / posts.count:.2f} | |"
    )
    return "\n".join(lines)


def profile(handler: Any, reports: int, offset: int, top: int) -> str:
    opened = [open_form(handler, offset + number) for number in range(reports)]
    time.sleep(FILL_SECONDS)
    profiler = cProfile.Profile(time.process_time)  # CPU, not waiting for PostgreSQL
    profiler.enable()
    for item in opened:
        send_report(handler, item)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


# --- main -------------------------------------------------------------------------------------


def postgres_admin(base_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as connection:
        connection.execute(sql)  # type: ignore[arg-type]


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
            check=True,
        ).stdout.strip() + (" (+ uncommitted changes)" if _dirty() else "")  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "?"


def _dirty() -> bool:
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO, capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    return bool(status.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=300, help="reporters per phase (300)")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default=DATABASE, help=f"created and dropped ({DATABASE})")
    parser.add_argument("--sql", action="store_true", help="list the last POST's SQL too")
    parser.add_argument("--profile", type=int, default=0, help="print cProfile's top N too")
    args = parser.parse_args(argv)

    load = os.getloadavg()
    print(f"# Meldpunt CPU per request — commit {commit()}, {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(
        f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
        f"load average before {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}"
    )
    postgres_admin(args.postgres, f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
    postgres_admin(args.postgres, f"CREATE DATABASE {args.database}")
    try:
        return _measure(args)
    finally:
        from django.db import connections

        connections.close_all()
        postgres_admin(args.postgres, f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")


def _measure(args: argparse.Namespace) -> int:
    os.environ["DATABASE_URL"] = f"{args.postgres}/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inbeeld.settings")
    os.environ["MELDPUNT_SUBMISSIONS_PER_HOUR"] = "1000"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    # One backend for the whole run, so that its CPU can be read from /proc (the server
    # recycles a connection after 60 s; a new backend would start counting from zero).
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = None
    instrument()
    handler = WSGIHandler()
    one_round(handler, args.reports, 0)  # warm-up
    gets, posts = one_round(handler, args.reports, args.reports)
    print(
        f"\n{args.reports} GETs of the form and {args.reports} POSTs of a report, "
        "CPU ms per request:\n"
    )
    print(table(gets, posts))
    print(f"\nSet-Cookie on the last POST: {posts.cookies or '(none)'}")
    if args.sql:
        print("\nSQL of the last POST, by part:\n")
        for part, sql in PARTS.statements:
            print(f"- {part}: `{sql[:110]}`")
    from django.contrib.sessions.models import Session

    print(f"session rows after {4 * args.reports} anonymous requests: {Session.objects.count()}")
    if args.profile:
        print("\ncProfile of one more POST phase (tottime):\n")
        print(profile(handler, args.reports, 2 * args.reports, args.profile))
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
