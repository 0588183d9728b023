"""Is InBeeld alive, and is it ready? Two questions for the proxy and the orchestrator.

Liveness (/healthz) asks nothing of the database: under overload it must still answer at
once, or a load balancer restarts a server that is only busy. Readiness (/readyz) asks the
database and whether the background worker runs: the worker's heartbeat is a django-q2
schedule every few minutes (migration web/0001), and a schedule whose next run lies well
in the past means no worker has picked it up.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import DatabaseError, connection
from django.utils import timezone

HEARTBEAT = "inbeeld worker heartbeat"
HEARTBEAT_MINUTES = 5
# A run is late only when it is more than this behind: a busy worker takes a while.
GRACE = timedelta(minutes=HEARTBEAT_MINUTES * 2)


def worker_heartbeat() -> str:
    """The heartbeat schedule's task: running at all is the news."""
    return "ok"


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def worker_runs() -> bool:
    from django_q.models import Schedule

    next_run = Schedule.objects.filter(name=HEARTBEAT).values_list("next_run", flat=True).first()
    return next_run is not None and next_run > timezone.now() - GRACE
