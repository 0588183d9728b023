"""One background-task cluster per database, and a worker that ends with its server.

django-q2 would happily run two clusters on one database (each running the schedules, so
retention and checkpoints twice); and a worker started by ``inbeeld serve`` outlived a
server killed with -9, so a restart added a second one. Both are prevented here.
"""

from __future__ import annotations

import ctypes
import fcntl
import functools
import os
import signal
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

_PR_SET_PDEATHSIG = 1
# Any constant: names the advisory lock of the worker cluster on PostgreSQL.
_WORKER_LOCK = 0x1B_EE1D_5


@functools.cache
def _libc() -> ctypes.CDLL:
    # The running program's own symbols, libc's prctl among them: no ldconfig subprocess,
    # which matters because this runs in every process the worker forks.
    return ctypes.CDLL(None, use_errno=True)


def die_with_parent() -> None:
    """In a child process (preexec_fn, or after fork): get SIGTERM when its parent dies (Linux)."""
    _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def forked_children_die_with_their_parent() -> None:
    """From now on every process forked from this one (and from those) dies with its parent.

    The task cluster forks a sentinel, which forks the task processes; each inherits the
    worker lock. Were the worker killed with -9 they would run on as orphans, holding it.
    """
    _libc()  # loaded once here, before any fork
    os.register_at_fork(after_in_child=die_with_parent)


class WorkerLock:
    """Held for the worker's whole life; a second worker on the same database cannot take it.

    PostgreSQL: a session advisory lock on a connection of its own (released by the server
    when the process dies, however it dies). SQLite: an exclusive lock on a file beside the
    database (released by the kernel when the process dies).
    """

    def __init__(self) -> None:
        self._file: IO[str] | None = None
        self._connection: Any = None

    def acquire(self, database: Mapping[str, Any]) -> bool:
        if database["ENGINE"] == "django.db.backends.postgresql":
            return self._acquire_postgres(database)
        return self._acquire_file(Path(str(database["NAME"])).with_suffix(".worker.lock"))

    def _acquire_file(self, path: Path) -> bool:
        handle = path.open("a", encoding="ascii")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def _acquire_postgres(self, database: Mapping[str, Any]) -> bool:
        import psycopg

        self._connection = psycopg.connect(
            dbname=database["NAME"],
            user=database.get("USER") or None,
            password=database.get("PASSWORD") or None,
            host=database.get("HOST") or None,
            port=database.get("PORT") or None,
            autocommit=True,
        )
        row = self._connection.execute("SELECT pg_try_advisory_lock(%s)", [_WORKER_LOCK]).fetchone()
        return bool(row and row[0])

    def release(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._file is not None:
            self._file.close()
            self._file = None
