"""The meldpunt's limit per visitor address is the operator's setting.

Across server processes and restarts: tests/cli/test_meldpunt_limit.py.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from inbeeld.ratelimits.models import RateCounter
from inbeeld.signals.models import Signal
from inbeeld.signals.tests.helpers import public_post
from inbeeld.signals.views.public import RECEIPT_TRIES_PER_HOUR

pytestmark = pytest.mark.django_db


@override_settings(MELDPUNT_SUBMISSIONS_PER_HOUR=2)
def test_the_meldpunt_refuses_reports_beyond_the_configured_limit() -> None:
    client = Client()
    answers = [
        client.post(reverse("signals:meldpunt"), public_post(), REMOTE_ADDR="203.0.113.9")
        for _ in range(3)
    ]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert Signal.objects.count() == 2


@override_settings(MELDPUNT_SUBMISSIONS_PER_HOUR=1, TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_each_visitor_is_counted_not_the_proxy() -> None:
    client, proxy = Client(), "10.0.0.2"

    def report(forwarded_for: str) -> int:
        answer = client.post(
            reverse("signals:meldpunt"),
            public_post(),
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )
        return int(answer.status_code)

    assert report("198.51.100.1") == 200
    assert report("198.51.100.2") == 200  # another visitor through the same proxy
    # A visitor cannot escape the limit by claiming another address: only the entry the
    # proxy added (the rightmost) counts.
    assert report("192.0.2.77, 198.51.100.1") == 429


@override_settings(MELDPUNT_SUBMISSIONS_PER_HOUR=2)
def test_the_count_is_kept_in_the_database_not_in_the_process() -> None:
    client = Client()
    for _ in range(2):
        client.post(reverse("signals:meldpunt"), public_post(), REMOTE_ADDR="203.0.113.9")
    cache.clear()  # what a restart, or another worker process, starts with
    third = client.post(reverse("signals:meldpunt"), public_post(), REMOTE_ADDR="203.0.113.9")
    assert third.status_code == 429
    counter = RateCounter.objects.get()
    assert counter.count == 3
    assert "203.0.113" not in counter.key  # a keyed hash, never the address


def test_receipt_lookups_are_limited_per_visitor() -> None:
    client = Client()
    answers = [
        client.post(
            reverse("signals:public_status"),
            {"code": "MH-AAAA-BBBB", "secret": "AAAA-AAAA-AAAA"},
            REMOTE_ADDR="203.0.113.10",
        ).status_code
        for _ in range(RECEIPT_TRIES_PER_HOUR + 1)
    ]
    assert answers == [200] * RECEIPT_TRIES_PER_HOUR + [429]
