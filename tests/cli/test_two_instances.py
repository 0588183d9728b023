"""Two `inbeeld serve` instances on one PostgreSQL database, as behind a load balancer: what one
stores the other shows, and the meldpunt's limit is one limit (counted in the database)."""

from __future__ import annotations

import contextlib
import html
import os
import re
import subprocess
import time
import urllib.error
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from inbeeld.signals.forms import MINIMUM_FILL_SECONDS
from tests.cli.conftest import INBEELD, fresh_environment
from tests.cli.test_meldpunt_limit import OpenForm, open_form, today
from tests.cli.test_serve import free_port, wait_until_healthy

pytestmark = [
    pytest.mark.slow,
    # CI's PostgreSQL run keeps it (conftest.py): it is the run it exists for.
    pytest.mark.both_databases,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="two instances share one database only on PostgreSQL "
        "(DATABASE_URL is not postgres://)",
    ),
]

LIMIT = 2


@contextlib.contextmanager
def instance(env: dict[str, str]) -> Iterator[str]:
    """One server; no background worker (one per database, run elsewhere)."""
    port = free_port()
    process = subprocess.Popen(
        [INBEELD, "serve", "--port", str(port), "--workers", "1", "--no-worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process)  # type: ignore[arg-type]
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def post(url: str, path: str, form: OpenForm, fields: dict[str, str]) -> tuple[int, str]:
    body = urllib.parse.urlencode(fields).encode()
    try:
        with form.opener.open(f"{url}{path}", data=body, timeout=60) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as refused:
        return int(refused.code), refused.read().decode()


def receipt_of(page: str) -> tuple[str, str]:
    def testid(name: str) -> str:
        found = re.search(rf'data-testid="{name}">([^<]+)<', page)
        assert found is not None, name
        return html.unescape(found.group(1))

    return testid("receipt-code"), testid("receipt-secret")


def test_two_instances_share_the_reports_and_the_meldpunt_limit(tmp_path: Path) -> None:
    with fresh_environment(tmp_path) as env:
        env["MELDPUNT_SUBMISSIONS_PER_HOUR"] = str(LIMIT)
        day = today()
        with instance(env) as first, instance(env) as second:  # the second finds it migrated
            forms = [open_form(first), open_form(second), open_form(first)]
            time.sleep(MINIMUM_FILL_SECONDS)
            status, page = post(first, "/meldpunt/", forms[0], forms[0].fields)
            assert status == 200
            code, secret = receipt_of(page)

            # The reporter looks the report up at the other instance.
            lookup = open_form(second)
            fields = {"csrfmiddlewaretoken": lookup.fields["csrfmiddlewaretoken"]}
            status, page = post(
                second, "/meldpunt/status/", lookup, {**fields, "code": code, "secret": secret}
            )
            assert status == 200
            assert 'data-testid="public-status"' in page

            # One limit for both: the second report at the second instance, the third refused
            # at the first.
            assert post(second, "/meldpunt/", forms[1], forms[1].fields)[0] == 200
            refused = post(first, "/meldpunt/", forms[2], forms[2].fields)[0]
    if today() != day:
        pytest.skip("the test ran past midnight, when every visitor's count starts anew")
    assert refused == 429
