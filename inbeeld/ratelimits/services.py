"""Rate limits counted in the database, exact across server processes and restarts.

Why home-made: gunicorn runs several worker processes, so a count in each process's memory
lets through the limit times the number of workers, and forgets everything on a restart.
Django's database cache backend is shared, but its ``incr`` reads the value and writes it
back in two statements, so two requests at once both count from the same number and a
burst loses counts; django-ratelimit and DRF's throttles are built on exactly that
``incr``. Nothing maintained offers an atomic counter on the database, and InBeeld runs
without Redis in the embedded mode. So: one row per key, changed only by a single
INSERT ... ON CONFLICT DO UPDATE statement that the database applies one at a time per row
(SQLite takes its write lock, PostgreSQL the row lock).

A window starts with a key's first attempt and lasts ``window_seconds``; after it the next
attempt starts a new window at 1. Rows past their window are purged when a new window
starts (at most once a minute per process) and by a daily schedule (migration 0002), so
the table holds about one window's worth of keys.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from inbeeld.ratelimits.models import RateCounter

# One statement counts: insert the key's row, or, when it exists, add one within its window
# or start a new window at 1. The database applies it atomically per row (PostgreSQL takes
# the row lock and evaluates SET on the newest version; SQLite holds its write lock), so
# concurrent attempts never lose a count, in one round trip instead of the five statements
# an UPDATE-then-INSERT needs (the meldpunt's POST pays this for every report). In SET both
# CASEs see the row as it was before the statement.
_COUNT_SQL = """
INSERT INTO {table} ({key}, {count}, {window_end}) VALUES (%s, 1, %s)
ON CONFLICT ({key}) DO UPDATE SET
    {count} = CASE WHEN {table}.{window_end} > %s THEN {table}.{count} + 1 ELSE 1 END,
    {window_end} = CASE WHEN {table}.{window_end} > %s THEN {table}.{window_end} ELSE %s END
RETURNING {count}
"""

# Expired rows are purged when a new window starts, but at most once a minute per process:
# a purge per new visitor was one more statement on every first report; what it leaves
# behind for a minute only waits (an expired row restarts at 1 when its key comes back).
PURGE_INTERVAL_SECONDS = 60
_last_purge: list[datetime | None] = [None]


def rate_limit_hit(*, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt under ``key``; True while it is one of the first ``limit``.

    One statement, committed on its own when the caller holds no transaction, so the count
    stands before the caller does its real work.
    """
    now = timezone.now()
    count = _counted(key, now, now + timedelta(seconds=window_seconds))
    if count == 1:
        _purge_now_and_then(now)
    return count <= limit


def _counted(key: str, now: datetime, window_end: datetime) -> int:
    """The key's count including this attempt."""
    quote = connection.ops.quote_name
    sql = _COUNT_SQL.format(
        table=quote(RateCounter._meta.db_table),
        key=quote("key"),
        count=quote("count"),
        window_end=quote("window_end"),
    )
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, adapt(window_end), adapt(now), adapt(now), adapt(window_end)])
        row = cursor.fetchone()
    return int(row[0])


def _purge_now_and_then(now: datetime) -> None:
    last = _last_purge[0]
    # abs(): a clock set back (or a test's frozen clock) must not stop purging for good.
    if last is None or abs((now - last).total_seconds()) >= PURGE_INTERVAL_SECONDS:
        _last_purge[0] = now
        rate_counters_purge()


def rate_counters_purge() -> int:
    """Delete counters whose window has passed; returns how many."""
    deleted, _by_model = RateCounter.objects.filter(window_end__lte=timezone.now()).delete()
    return deleted


def rate_counters_purge_scheduled() -> str:
    """The entry point of the daily django-q2 schedule (a quiet day leaves rows behind)."""
    return f"rate counters purged: {rate_counters_purge()}"
