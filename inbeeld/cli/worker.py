"""`inbeeld worker`: the background-task cluster (django-q2): retention, audit checkpoints."""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from typing import Any

from inbeeld.cli._django import keys_checked, setup_django


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "worker", help="run background tasks (retention, audit checkpoints); `serve` starts one too"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command

    from inbeeld.audit.services import audit_checkpoint_schedule_sync

    if not keys_checked("worker"):
        return 2
    from django.conf import settings

    from inbeeld.lib.single import WorkerLock, forked_children_die_with_their_parent

    lock = WorkerLock()
    if not lock.acquire(settings.DATABASES["default"]):
        print(
            "inbeeld worker: another worker already runs on this database; one is enough "
            "(it runs every scheduled task and queued job)",
            file=sys.stderr,
        )
        return 2
    audit_checkpoint_schedule_sync()  # AUDIT_CHECKPOINT_MINUTES may have changed since migrate
    forked_children_die_with_their_parent()
    print("inbeeld worker: running; it holds this database's worker lock", flush=True)
    call_command("qcluster")
    # qcluster returns as soon as its processes run. Stay until they end (SIGTERM stops them):
    # the lock lives as long as this process does, on PostgreSQL as on SQLite.
    while multiprocessing.active_children():
        time.sleep(1)
    lock.release()
    return 0
