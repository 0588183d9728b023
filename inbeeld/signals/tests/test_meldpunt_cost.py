"""The meldpunt made cheap (issue #22) without giving up what protects it.

No session for an anonymous reporter, CSRF still enforced, a report in a fixed handful of
statements, the audit chain whole when reports arrive at the same moment.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse

from inbeeld.audit.models import AuditEntry
from inbeeld.audit.services import audit_chain_verify
from inbeeld.ratelimits.services import rate_limit_hit
from inbeeld.regions.models import Municipality
from inbeeld.signals import services
from inbeeld.signals.models import Signal
from inbeeld.signals.tests.helpers import public_post

MELDPUNT = reverse("signals:meldpunt")
HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')

# A report: the throttle's count, the municipality, the idempotency lookup, the signal's
# savepoint (2: a refused report must leave the transaction usable), the INSERT in its
# savepoint (3), the chain's lock and head, the audit INSERT. Before issue #22: 18.
REPORT_STATEMENTS = 11


def browser() -> Client:
    """A client that checks CSRF as a browser's requests are checked in production."""
    return Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.9")


def opened_form(client: Client) -> dict[str, str]:
    page = client.get(MELDPUNT)
    assert page.status_code == 200
    return dict(HIDDEN.findall(page.content.decode()))


def filled(fields: dict[str, str]) -> dict[str, Any]:
    """What the reporter sends: the page's own tokens, the start time made old enough."""
    data = public_post(form_token=fields["form_token"])  # a start time 30 s ago, signed
    data["csrfmiddlewaretoken"] = fields["csrfmiddlewaretoken"]
    return data


@pytest.mark.django_db
def test_an_anonymous_reporter_gets_no_session_and_the_report_still_works() -> None:
    client = browser()
    fields = opened_form(client)
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    assert settings.CSRF_COOKIE_NAME in client.cookies  # CSRF lives in its own cookie

    answer = client.post(MELDPUNT, filled(fields))
    assert answer.status_code == 200
    assert Signal.objects.get().receipt_code in answer.content.decode()
    assert settings.SESSION_COOKIE_NAME not in answer.cookies
    assert not Session.objects.exists()  # no session row written for anyone


@pytest.mark.django_db
def test_a_report_without_the_pages_csrf_token_is_refused() -> None:
    client = browser()
    fields = opened_form(client)
    data = filled(fields)
    del data["csrfmiddlewaretoken"]
    assert client.post(MELDPUNT, data).status_code == 403
    assert not Signal.objects.exists()


@pytest.mark.django_db
def test_a_report_takes_a_fixed_handful_of_statements(
    django_assert_max_num_queries: Any,
) -> None:
    client = browser()
    fields = opened_form(client)
    data = filled(fields)
    rate_limit_hit(key="warm", limit=1, window_seconds=60)  # the once-a-minute purge, done
    # The test's own transaction turns the service's transaction into a savepoint: 2 more.
    with django_assert_max_num_queries(REPORT_STATEMENTS + 2):
        answer = client.post(MELDPUNT, data)
    assert answer.status_code == 200 and Signal.objects.count() == 1


@pytest.mark.django_db
def test_counting_an_attempt_is_one_statement(django_assert_num_queries: Any) -> None:
    rate_limit_hit(key="visitor", limit=3, window_seconds=60)
    with django_assert_num_queries(1):
        assert rate_limit_hit(key="visitor", limit=3, window_seconds=60)


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="the chain's lock is PostgreSQL's; SQLite serialises writers itself",
)
@pytest.mark.django_db(transaction=True)
def test_reports_at_the_same_moment_keep_the_audit_chain_whole() -> None:
    """The audit entry is written without a savepoint of its own now: the lock must still
    make every entry follow the one before it, however the reports interleave."""
    place = Municipality.objects.get(code="GM0664")
    count = 6
    start = threading.Barrier(count)
    failures: list[BaseException] = []

    def report(number: int) -> None:
        try:
            start.wait()
            services.signal_create_public(
                data=services.SignalInput(municipality=place, description=f"Melding {number}"),
                form_token=f"token-{number}-abcdefghijklmnop",
            )
        except BaseException as error:  # every failure is reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=report, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert Signal.objects.count() == count
    assert AuditEntry.objects.filter(object_type="signals.signal").count() == count
    assert len(set(AuditEntry.objects.values_list("previous_hash", flat=True))) == (
        AuditEntry.objects.count()
    )
    assert audit_chain_verify().intact
