"""The real server under overload and during a reload: a bounded queue, a 503 with Retry-After
beyond it, /healthz instant throughout, and a SIGHUP that refuses no connection."""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.cli.conftest import INBEELD, fresh_environment
from tests.cli.test_serve import (
    _alive,
    _children_running_worker,
    _descendants,
    free_port,
    wait_until_healthy,
)

THREADS = 2
QUEUE = 2
RETRY_AFTER = 7
METRICS_TOKEN = "metrics-token-for-this-test-only"


@pytest.fixture(scope="module")
def small_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """One worker process with 2 threads and room for 2 waiting requests: easy to fill (and
    the background worker beside it, which a reload must leave running)."""
    with fresh_environment(tmp_path_factory.mktemp("overload")) as env:
        env["METRICS_TOKEN"] = METRICS_TOKEN
        port = free_port()
        process = subprocess.Popen(
            [
                *(INBEELD, "serve", "--port", str(port), "--workers", "1"),
                *("--threads", str(THREADS), "--queue", str(QUEUE)),
                *("--retry-after", str(RETRY_AFTER)),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(url, process)  # type: ignore[arg-type]
            yield url, process.pid
        finally:
            process.terminate()
            process.wait(timeout=30)


def _hold_a_thread(port: int) -> socket.socket:
    """A client that announces a form and sends it only in part: Django waits for the rest
    (the CSRF check reads the form), holding a thread, or the request waits for one."""
    client = socket.create_connection(("127.0.0.1", port), timeout=30)
    client.sendall(
        b"POST /meldpunt/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
        b"description="
    )
    return client


def _get(url: str, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers), refused.read()


def test_beyond_the_queue_requests_get_503_and_healthz_stays_instant(
    small_server: tuple[str, int],
) -> None:
    url, _pid = small_server
    port = int(url.rsplit(":", 1)[1])
    assert _get(f"{url}/meldpunt/")[0] == 200
    with ExitStack() as stack:
        for _ in range(THREADS + QUEUE):  # every thread busy, the queue full
            stack.callback(stack.enter_context(_hold_a_thread(port)).close)
        status, headers, body = _first_refusal(f"{url}/meldpunt/")
        assert status == 503
        assert headers["Retry-After"] == str(RETRY_AFTER)
        page = body.decode()
        assert "niet dubbel opgeslagen" in page  # retrying shows the same receipt
        assert "not stored twice" in page

        status, headers, body = _get(f"{url}/api/v1/signals/")
        assert status == 503
        assert headers["Content-Type"] == "application/json"
        assert "Idempotency-Key" in json.loads(body)["detail"]

        # Behind the queue it would wait as long as the slow clients hold the threads (for
        # ever); its own lane answers at once (5 s: room for a machine busy with other work).
        started = time.monotonic()
        status, _headers, body = _get(f"{url}/healthz", timeout=5)
        assert (status, json.loads(body)) == (200, {"status": "ok"})
        assert time.monotonic() - started < 5
    # The slow clients gone, the server serves again.
    deadline = time.monotonic() + 30
    while _get(f"{url}/meldpunt/")[0] != 200:
        assert time.monotonic() < deadline, "the server did not recover"
        time.sleep(0.2)


def _first_refusal(url: str) -> tuple[int, dict[str, str], bytes]:
    """The answer once the server has taken up the slow clients (a busy machine may take a
    moment): a request before that waits in the queue, times out here, and fills it too."""
    deadline = time.monotonic() + 60
    while True:
        try:
            answer = _get(url, timeout=2)
        except OSError:  # queued behind the slow clients: it now counts as waiting
            answer = (0, {}, b"")
        if answer[0] == 503 or time.monotonic() > deadline:
            return answer


def _children(pid: int) -> set[int]:
    """The master's gunicorn worker processes (not the background worker)."""
    return set(_children_parented(pid)) - set(_children_running_worker(pid))


def _children_parented(pid: int) -> set[int]:
    return {
        child
        for child in _descendants(pid)
        if (Path("/proc") / str(child) / "stat").read_text().rsplit(")", 1)[1].split()[1]
        == str(pid)
    }


@pytest.mark.slow
def test_a_reload_by_sighup_refuses_no_connection(small_server: tuple[str, int]) -> None:
    url, master = small_server
    before = _children(master)
    assert before, "the master runs a worker process"
    background = _children_running_worker(master)
    assert background, "serve started the background worker"
    answers: list[int] = []
    failures: list[str] = []
    stop = threading.Event()

    def client() -> None:
        while not stop.is_set():
            try:
                answers.append(_get(f"{url}/meldpunt/", timeout=30)[0])
            except OSError as error:  # refused, reset: what a reload must not cause
                failures.append(repr(error))

    looping = threading.Thread(target=client)
    looping.start()
    try:
        time.sleep(0.5)
        subprocess.run(["kill", "-HUP", str(master)], check=True)
        deadline = time.monotonic() + 60
        while not (_children(master) and not _children(master) & before):
            assert time.monotonic() < deadline, "the old worker was not replaced"
            time.sleep(0.2)
        served_before = len(answers)
        deadline = time.monotonic() + 30
        while len(answers) < served_before + 5:  # and the new worker serves
            assert time.monotonic() < deadline, "no answers after the reload"
            time.sleep(0.1)
    finally:
        stop.set()
        looping.join(timeout=60)
    assert failures == []
    assert set(answers) == {200}
    # The old worker process's exit once stopped the background worker: it runs on.
    assert all(_alive(pid) for pid in background)
    # The old process's counts are still in the sum (prometheus-client's multi-process mode).
    assert _meldpunt_requests(url) >= len(answers)


def _metrics(url: str, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(f"{url}/metrics", headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()


def _meldpunt_requests(url: str) -> float:
    _status, text = _metrics(url, {"Authorization": f"Bearer {METRICS_TOKEN}"})
    prefix = 'inbeeld_http_requests_total{method="GET",route="/meldpunt/",status="200"} '
    lines = [line for line in text.splitlines() if line.startswith(prefix)]
    return float(lines[0].removeprefix(prefix)) if lines else 0.0


def test_metrics_answer_only_with_the_token(small_server: tuple[str, int]) -> None:
    url, _pid = small_server
    assert _metrics(url, {})[0] == 401
    assert _metrics(url, {"Authorization": "Bearer guess"})[0] == 401
    status, text = _metrics(url, {"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert status == 200
    for name in ("inbeeld_http_requests_shed_total", "inbeeld_task_queue_depth"):
        assert name in text
    assert "inbeeld_audit_entries" in text
