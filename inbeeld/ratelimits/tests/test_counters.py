"""The shared counter: exact under concurrency, windows that end, nothing kept for long."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from inbeeld.ratelimits.models import RateCounter
from inbeeld.ratelimits.services import (
    rate_counters_purge_scheduled,
    rate_limit_hit,
)

HOUR = 3600


def at(moment: datetime) -> Any:
    """The counter's clock stands still at ``moment``."""
    return mock.patch("inbeeld.ratelimits.services.timezone.now", return_value=moment)


@pytest.mark.django_db
def test_the_first_attempts_up_to_the_limit_pass_then_none() -> None:
    answers = [rate_limit_hit(key="k", limit=3, window_seconds=HOUR) for _ in range(5)]
    assert answers == [True, True, True, False, False]
    assert rate_limit_hit(key="other", limit=3, window_seconds=HOUR)  # keys count apart


@pytest.mark.django_db
def test_a_new_window_starts_when_the_last_one_has_passed() -> None:
    start = timezone.now()
    with at(start):
        assert [rate_limit_hit(key="k", limit=1, window_seconds=HOUR) for _ in range(2)] == [
            True,
            False,
        ]
    with at(start + timedelta(seconds=HOUR - 1)):
        assert not rate_limit_hit(key="k", limit=1, window_seconds=HOUR)
    with at(start + timedelta(seconds=HOUR)):
        assert rate_limit_hit(key="k", limit=1, window_seconds=HOUR)
        assert not rate_limit_hit(key="k", limit=1, window_seconds=HOUR)


@pytest.mark.django_db
def test_counters_past_their_window_are_purged() -> None:
    start = timezone.now()
    with at(start):
        rate_limit_hit(key="old", limit=1, window_seconds=60)
        rate_limit_hit(key="current", limit=1, window_seconds=HOUR)
    with at(start + timedelta(seconds=61)):
        rate_limit_hit(key="new visitor", limit=1, window_seconds=60)  # purges on the way
        assert set(RateCounter.objects.values_list("key", flat=True)) == {
            "current",
            "new visitor",
        }
    with at(start + timedelta(days=1)):
        assert rate_counters_purge_scheduled() == "rate counters purged: 2"
    assert not RateCounter.objects.exists()


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite's test database is in memory; tests/cli/test_meldpunt_limit.py covers "
    "several processes on SQLite",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("expired_row", [False, True], ids=["no row yet", "expired row"])
def test_concurrent_attempts_never_pass_more_than_the_limit(expired_row: bool) -> None:
    """Threads with their own connections hit one key at once, from the first attempt on."""
    if expired_row:  # every thread must then agree on who starts the new window
        RateCounter.objects.create(key="k", count=99, window_end=timezone.now())
    threads_count, attempts, limit = 8, 5, 7
    answers: list[bool] = []
    start = threading.Barrier(threads_count)

    def attempt() -> None:
        try:
            start.wait()
            for _ in range(attempts):
                answers.append(rate_limit_hit(key="k", limit=limit, window_seconds=HOUR))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == threads_count * attempts
    assert answers.count(True) == limit
    assert RateCounter.objects.get(key="k").count == threads_count * attempts
