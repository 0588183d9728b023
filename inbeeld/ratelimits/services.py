"""Rate limits counted in the database, exact across server processes and restarts.

Why home-made: gunicorn runs several worker processes, so a count in each process's memory
lets through the limit times the number of workers, and forgets everything on a restart.
Django's database cache backend is shared, but its ``incr`` reads the value and writes it
back in two statements, so two requests at once both count from the same number and a
burst loses counts; django-ratelimit and DRF's throttles are built on exactly that
``incr``. Nothing maintained offers an atomic counter on the database, and InBeeld runs
without Redis in the embedded mode. So: one row per key, changed only by single UPDATE
statements that the database applies one at a time per row (SQLite takes its write lock,
PostgreSQL its row lock and re-checks the WHERE clause after waiting).

A window starts with a key's first attempt and lasts ``window_seconds``; after it the next
attempt starts a new window at 1. Rows past their window are purged when a new key arrives
and by a daily schedule (migration 0002), so the table holds about one window's worth of
keys.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from inbeeld.ratelimits.models import RateCounter

# Each round either counts or meets a row another request changed at that very moment;
# the next round then finds that row. More rounds than this means something else is wrong.
_ROUNDS = 5


def rate_limit_hit(*, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt under ``key``; True while it is one of the first ``limit``.

    Runs in its own short transaction (a savepoint when the caller already holds one), so
    the count is committed before the caller does its real work.
    """
    for _round in range(_ROUNDS):
        count = _counted(key, window_seconds)
        if count is not None:
            return count <= limit
    raise RuntimeError(f"the rate counter did not settle after {_ROUNDS} rounds")


@transaction.atomic
def _counted(key: str, window_seconds: int) -> int | None:
    """The key's count including this attempt, or None when another request raced us."""
    now = timezone.now()
    counters = RateCounter.objects.filter(key=key)
    if counters.filter(window_end__gt=now).update(count=F("count") + 1):
        return _count_of(key)
    if counters.filter(window_end__lte=now).update(
        count=1, window_end=now + timedelta(seconds=window_seconds)
    ):
        return 1
    try:
        with transaction.atomic():
            RateCounter.objects.create(
                key=key, count=1, window_end=now + timedelta(seconds=window_seconds)
            )
    except IntegrityError:
        return None  # another request created the row first: count on it next round
    rate_counters_purge()
    return 1


def _count_of(key: str) -> int:
    # This transaction changed the row and holds its lock until commit: nobody else has
    # counted since our UPDATE, so this is exactly our attempt's number.
    return RateCounter.objects.values_list("count", flat=True).get(key=key)


def rate_counters_purge() -> int:
    """Delete counters whose window has passed; returns how many."""
    deleted, _by_model = RateCounter.objects.filter(window_end__lte=timezone.now()).delete()
    return deleted


def rate_counters_purge_scheduled() -> str:
    """The entry point of the daily django-q2 schedule (a quiet day leaves rows behind)."""
    return f"rate counters purged: {rate_counters_purge()}"
