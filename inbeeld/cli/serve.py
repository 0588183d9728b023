"""`inbeeld serve`: InBeeld behind gunicorn, a production-grade WSGI server."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from typing import Any

from inbeeld.cli._django import migrate_quietly, setup_django


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("serve", help="start the web application")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    parser.add_argument(
        "--workers",
        type=int,
        default=max(2, min(4, (os.cpu_count() or 1) * 2)),
        help="worker processes (2 per core, at most 4)",
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (4)")
    parser.add_argument(
        "--no-worker",
        dest="worker",
        action="store_false",
        help="do not start the background-task worker (run `inbeeld worker` elsewhere)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    if settings.PRODUCTION:
        call_command("collectstatic", interactive=False, verbosity=0)
    else:
        # The embedded database is InBeeld's own: bring it up to date on every start.
        migrate_quietly()
    print(f"InBeeld draait op / is running at http://{args.host}:{args.port}/", flush=True)
    worker = _start_worker() if args.worker else None
    try:
        _gunicorn(args).run()
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
    return 0


def _start_worker() -> subprocess.Popen[bytes]:
    """The background-task cluster beside the web server, so one command runs everything."""
    return subprocess.Popen([sys.executable, "-m", "inbeeld", "worker"])


def _gunicorn(args: argparse.Namespace) -> Any:
    from gunicorn.app.base import BaseApplication

    from inbeeld.wsgi import application

    class InBeeldServer(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options = {
                "bind": f"{args.host}:{args.port}",
                "workers": args.workers,
                "threads": args.threads,
                "worker_class": "gthread",
                "accesslog": None,  # no IP addresses in logs by default
                "errorlog": "-",
                "timeout": 60,
                "graceful_timeout": 20,
                "control_socket_disable": True,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    return InBeeldServer()
