"""`inbeeld serve`: InBeeld behind gunicorn, a production-grade WSGI server."""

from __future__ import annotations

import argparse
import errno
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from inbeeld.cli._django import keys_checked, migrate_quietly, setup_django


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("serve", help="start the web application")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    # One process per core (at least 2, at most 4), 4 threads each: measured with
    # bench/signals_bench.py --cpu-only (docs/performance.md, "Signals"), 2 per core cost
    # the meldpunt about a fifth more CPU per report on 2 cores for the same concurrency.
    parser.add_argument(
        "--workers",
        type=int,
        default=max(2, min(4, os.cpu_count() or 1)),
        help="worker processes (1 per core, at least 2, at most 4)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=4,
        help="threads per worker (4); 1 runs gunicorn's plain sync workers (no load shedding)",
    )
    # Beyond this many waiting requests per worker process a request is answered 503 at once
    # (inbeeld/operations/shedding.py): at 4 threads and ~50 ms a request, 8 waiting is about
    # 100 ms of wait; a queue of seconds only serves clients that have given up.
    parser.add_argument(
        "--queue",
        type=int,
        default=8,
        help="requests that may wait for a thread, per worker process (8); more: 503",
    )
    parser.add_argument(
        "--retry-after",
        type=int,
        default=5,
        help="seconds a refused client is told to wait (Retry-After, 5)",
    )
    parser.add_argument(
        "--no-worker",
        dest="worker",
        action="store_false",
        help="do not start the background-task worker (run `inbeeld worker` elsewhere)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # Before anything imports prometheus-client: every process then keeps its counters in a
    # file of this folder, and /metrics adds them up (inbeeld/lib/metrics.py).
    metrics_dir = _metrics_folder()
    master = os.getpid()
    try:
        return _serve(args)
    finally:
        # gunicorn's worker processes are forked inside _serve() and leave it by SystemExit,
        # through this block: only the master may remove the folder (a reload's old worker
        # process removed it, and the new one's requests failed).
        if os.getpid() == master and metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)


def _serve(args: argparse.Namespace) -> int:
    setup_django()
    from django.conf import settings

    if settings.PRODUCTION:
        # Collected when InBeeld is installed or its image built (docs/operations.md), not at
        # every start: collecting made a restart refuse connections for half a minute.
        manifest = Path(str(settings.STATIC_ROOT)) / "staticfiles.json"
        if not manifest.exists():
            print(
                "inbeeld serve: static files are not collected yet: run "
                "`inbeeld manage collectstatic --noinput` once after installing",
                file=sys.stderr,
            )
            return 2
    else:
        # The embedded database is InBeeld's own: bring it up to date on every start.
        migrate_quietly()
    if not keys_checked("serve"):
        return 2
    problem = _address_problem(args.host, args.port)
    if problem:
        print(f"inbeeld serve: {args.host}:{args.port} {problem}", file=sys.stderr)
        return 2
    worker = _start_worker() if args.worker else None
    master = os.getpid()
    try:
        _gunicorn(args).run()
    finally:
        # Only the master stops the background worker: a gunicorn worker process leaving
        # through here (a reload, a restart after max requests) stopped it too.
        if worker is not None and os.getpid() == master:
            worker.terminate()
            worker.wait(timeout=30)
    return 0


def _metrics_folder() -> Path | None:
    """A fresh folder for the worker processes' metrics, unless the operator named one (then
    emptied: counters of an earlier run must not be added to this one's)."""
    configured = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "").strip()
    if configured:
        folder = Path(configured)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for stale in folder.glob("*.db"):
            stale.unlink()
        return None
    created = Path(tempfile.mkdtemp(prefix="inbeeld-metrics-"))
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(created)
    return created


def _worker_exited(server: Any, worker: Any) -> None:
    """gunicorn's child_exit hook: a finished process's gauges leave the sum."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def _address_problem(host: str, port: int) -> str:
    """Why the server could not listen there ("" when it can), asked before anything starts:
    gunicorn would otherwise try five times and print five tracebacks."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            return "is already in use (another InBeeld, or another program?)"
        return f"cannot be used: {error.strerror}"
    return ""


def _announce(server: Any) -> None:
    """gunicorn's when_ready hook: the address is printed once the server really listens."""
    print(f"InBeeld draait op / is running at {_address_of(server)}", flush=True)


def _address_of(server: Any) -> str:
    host, port = server.cfg.address[0]
    return f"http://{host}:{port}/"


def _warm_up(worker: Any) -> None:
    """gunicorn's post_worker_init hook: load what the first request would otherwise load
    (every URL pattern and its views, the indicator catalogue, the meldpunt's templates), so
    that the first visitor of each worker does not wait seconds for imports."""
    from django.template.loader import get_template
    from django.urls import get_resolver

    from inbeeld.signals.scoring import current_catalogue

    get_resolver().url_patterns  # noqa: B018 - imports every app's views
    current_catalogue()
    for template in ("signals/public_form.html", "accounts/login.html", "base.html"):
        get_template(template)


def _start_worker() -> subprocess.Popen[bytes]:
    """The background-task cluster beside the web server, so one command runs everything.

    It gets SIGTERM when this process dies, even by kill -9 (Linux's parent-death signal),
    so a restarted server never finds an orphaned worker still running.
    """
    from inbeeld.lib.single import die_with_parent

    return subprocess.Popen([sys.executable, "-m", "inbeeld", "worker"], preexec_fn=die_with_parent)


def _gunicorn(args: argparse.Namespace) -> Any:
    from gunicorn.app.base import BaseApplication

    from inbeeld.lib.logs import gunicorn_logger_class
    from inbeeld.operations import shedding
    from inbeeld.wsgi import application

    shedding.QUEUE_PER_PROCESS = args.queue
    shedding.RETRY_AFTER_SECONDS = args.retry_after

    class InBeeldServer(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options = {
                "bind": f"{args.host}:{args.port}",
                "workers": args.workers,
                "threads": args.threads,
                # gthread with a bounded queue and a fast lane for /healthz (shedding.py); one
                # thread: gunicorn's plain sync worker (for comparisons; it sheds nothing)
                "worker_class": shedding.SheddingWorker if args.threads > 1 else "sync",
                "accesslog": None,  # no IP addresses in logs by default
                "errorlog": "-",
                # gunicorn's own lines go through InBeeld's handler: one format, LOG_LEVEL
                "logger_class": gunicorn_logger_class(),
                "timeout": 60,
                "graceful_timeout": 20,
                "control_socket_disable": True,
                "when_ready": _announce,
                "post_worker_init": _warm_up,
                "child_exit": _worker_exited,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    return InBeeldServer()
