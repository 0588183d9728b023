"""`inbeeld serve` starts the real server (gunicorn) that a browser and partner systems talk to."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator

import pytest

from tests.cli.conftest import INBEELD, run_cli


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_healthy(url: str, process: subprocess.Popen[str], seconds: float = 90) -> None:
    """Poll /healthz until the server answers; fail early if it exits."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"inbeeld serve exited with code {process.returncode}")
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=5)  # noqa: S310
            return
        except OSError:  # refused while starting, or slow under load
            time.sleep(0.3)
    pytest.fail(f"inbeeld serve did not answer within {seconds} seconds")


@pytest.fixture(scope="module")
def server(demo_env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [INBEELD, "serve", "--port", str(port), "--workers", "1"],
        env=demo_env,
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
        process.wait(timeout=20)


def test_serve_answers_health_and_token_requests(server: str, demo_env: dict[str, str]) -> None:
    with urllib.request.urlopen(f"{server}/healthz", timeout=5) as response:  # noqa: S310
        assert response.status == 200
    token = run_cli("token", "create", "politie.zeeland", env=demo_env).stdout.strip()
    request = urllib.request.Request(  # noqa: S310
        f"{server}/api/v1/me/", headers={"Authorization": f"Token {token}"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        assert json.load(response)["username"] == "politie.zeeland"


def test_serve_serves_the_login_page_with_its_stylesheet(server: str) -> None:
    with urllib.request.urlopen(f"{server}/inloggen/", timeout=5) as response:  # noqa: S310
        html = response.read().decode()
    assert "Inloggen" in html
    with urllib.request.urlopen(f"{server}/static/inbeeld/inbeeld.css", timeout=5) as css:  # noqa: S310
        assert css.status == 200
