"""The meldpunt's limit holds for the real server: several worker processes, and a restart."""

from __future__ import annotations

import contextlib
import html
import http.cookiejar
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from inbeeld.signals.forms import MINIMUM_FILL_SECONDS
from tests.cli.conftest import INBEELD, fresh_environment
from tests.cli.test_serve import free_port, wait_until_healthy

# Runs on both databases in CI: the shared counter is an upsert, made atomic by each
# database in its own way.
pytestmark = pytest.mark.both_databases

LIMIT = 5
WORKERS = 3


@dataclass(frozen=True)
class OpenForm:
    """A meldpunt form as one browser got it: its cookies and hidden fields."""

    opener: urllib.request.OpenerDirector
    fields: dict[str, str]


@contextlib.contextmanager
def serving(env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [INBEELD, "serve", "--workers", str(WORKERS), "--no-worker", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def open_form(url: str) -> OpenForm:
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(f"{url}/meldpunt/", timeout=30) as response:
        page = response.read().decode()
    fields = {
        name: html.unescape(re.search(rf'name="{name}" value="([^"]+)"', page).group(1))  # type: ignore[union-attr]
        for name in ("csrfmiddlewaretoken", "form_token", "started")
    }
    fields["municipality"] = re.search(r'<option value="(\d+)">Goes</option>', page).group(1)  # type: ignore[union-attr]
    fields["description"] = "Testmelding: acht mannen in één kamer, 's ochtends opgehaald."
    return OpenForm(opener, fields)


def send(url: str, form: OpenForm) -> int:
    body = urllib.parse.urlencode(form.fields).encode()
    try:
        with form.opener.open(f"{url}/meldpunt/", data=body, timeout=60) as response:
            assert 'data-testid="receipt-code"' in response.read().decode()
            return int(response.status)
    except urllib.error.HTTPError as refused:
        return int(refused.code)


def today() -> str:
    # The visitor's key carries a salt of the day: past midnight the count starts afresh.
    return datetime.now(ZoneInfo("Europe/Amsterdam")).date().isoformat()


@pytest.mark.slow
def test_the_limit_holds_across_worker_processes_and_a_restart(tmp_path: Path) -> None:
    with fresh_environment(tmp_path) as env:
        env["MELDPUNT_SUBMISSIONS_PER_HOUR"] = str(LIMIT)
        day = today()
        with serving(env) as url:
            # One more form than is sent now: it is sent after the restart.
            with ThreadPoolExecutor(max_workers=4) as pool:
                forms = list(pool.map(lambda _n: open_form(url), range(LIMIT + 4)))
            time.sleep(MINIMUM_FILL_SECONDS)  # once for all forms: a person takes a moment
            # All at once, so that the requests spread over the worker processes.
            with ThreadPoolExecutor(max_workers=len(forms) - 1) as pool:
                answers = list(pool.map(lambda form: send(url, form), forms[:-1]))
        with serving(env) as url:  # a restart keeps the count
            after_restart = send(url, forms[-1])
    if today() != day:
        pytest.skip("the test ran past midnight, when every visitor's count starts anew")
    assert sorted(answers) == [200] * LIMIT + [429] * 3
    assert after_restart == 429
