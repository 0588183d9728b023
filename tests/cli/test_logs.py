"""The real server's log: JSON lines with request ids, and nothing a reporter typed in it."""

from __future__ import annotations

import html
import http.cookiejar
import json
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from inbeeld.signals.forms import MINIMUM_FILL_SECONDS
from tests.cli.conftest import INBEELD, fresh_environment
from tests.cli.test_serve import free_port, wait_until_healthy

# Unique strings that must never reach a log, whatever path they took into a request.
DESCRIPTION = "kanarie-omschrijving-5c1e"
PLACE = "kanarie-plaats-9d27"
CONTACT = "kanarie-0612345678"
QUERY = "kanarie-zoekterm-3b88"
PATH = "kanarie-pad-41f0"
CANARIES = (DESCRIPTION, PLACE, CONTACT, QUERY, PATH)


def fetch(
    opener: urllib.request.OpenerDirector, url: str, data: bytes | None = None, **headers: str
) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers), refused.read().decode()


def report_through_the_meldpunt(url: str, opener: urllib.request.OpenerDirector) -> str:
    """Send a report with canaries in its free-text and contact fields; its request id."""
    _status, _headers, page = fetch(opener, f"{url}/meldpunt/")
    fields = {
        name: html.unescape(re.search(rf'name="{name}" value="([^"]+)"', page).group(1))  # type: ignore[union-attr]
        for name in ("csrfmiddlewaretoken", "form_token", "started")
    }
    fields["municipality"] = re.search(r'<option value="(\d+)">Goes</option>', page).group(1)  # type: ignore[union-attr]
    fields["description"] = f"Acht mannen in één kamer, {DESCRIPTION}."
    fields["place_text"] = PLACE
    fields["reporter_contact"] = CONTACT
    time.sleep(MINIMUM_FILL_SECONDS)  # a person takes a moment; a faster form is refused
    body = urllib.parse.urlencode(fields).encode()
    status, headers, page = fetch(opener, f"{url}/meldpunt/", body, **{"X-Request-ID": "test-1"})
    assert status == 200
    assert 'data-testid="receipt-code"' in page
    return headers["X-Request-ID"]


def test_the_log_of_a_real_run_is_json_with_request_ids_and_no_personal_data(
    tmp_path: Path,
) -> None:
    with fresh_environment(tmp_path) as env:
        env["LOG_FORMAT"] = "json"
        env["LOG_LEVEL"] = "INFO"
        port = free_port()
        process = subprocess.Popen(
            [INBEELD, "serve", "--port", str(port), "--workers", "1", "--no-worker"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(url, process)
            opener = urllib.request.build_opener(
                urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
            )
            given_id = report_through_the_meldpunt(url, opener)
            _s, query_headers, _b = fetch(opener, f"{url}/meldpunt/?q={QUERY}&naam={QUERY}")
            _s, missing_headers, _b = fetch(opener, f"{url}/{PATH}/?q={QUERY}")
            # Without the CSRF cookie: Django's security log attaches the request to its record.
            bare = urllib.request.build_opener()
            form = urllib.parse.urlencode({"description": DESCRIPTION}).encode()
            forbidden, _h, _b = fetch(bare, f"{url}/meldpunt/?q={QUERY}", form)
        finally:
            process.terminate()
            stdout, stderr = process.communicate(timeout=30)

    assert forbidden == 403
    assert given_id == "test-1"
    for canary in CANARIES:
        assert canary not in stdout
        assert canary not in stderr
    assert stdout.strip().splitlines() == [f"InBeeld draait op / is running at {url}/"]
    lines = [json.loads(line) for line in stderr.strip().splitlines()]  # each line is JSON
    assert all("request_id" in line and "time" in line and "level" in line for line in lines)
    access = [line for line in lines if line["logger"] == "inbeeld.access"]
    by_id = {line["request_id"]: line for line in access}
    assert by_id["test-1"]["route"] == "/meldpunt/"
    assert by_id["test-1"]["method"] == "POST"
    assert by_id["test-1"]["status"] == 200
    assert by_id["test-1"]["user_id"] is None  # the public form: nobody signed in
    assert by_id[query_headers["X-Request-ID"]]["route"] == "/meldpunt/"
    assert by_id[missing_headers["X-Request-ID"]]["status"] == 404
    assert by_id[missing_headers["X-Request-ID"]]["route"] is None
    # Django logs the 404 after the middleware returned: still with the request's id.
    (not_found,) = [line for line in lines if line["logger"] == "django.request"]
    assert not_found["request_id"] == missing_headers["X-Request-ID"]
    assert not_found["message"] == "Not Found: -"
    refused = [line for line in lines if line["logger"] == "django.security.csrf"]
    assert refused and refused[0]["status"] == 403 and refused[0]["request_id"]
    assert any(line["logger"].startswith("gunicorn") for line in lines)  # one stream, one format
