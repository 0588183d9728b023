"""`inbeeld serve` starts the real server (gunicorn) that a browser and partner systems talk to."""

from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

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
        # No worker: the tests below start and stop workers of their own on this database.
        [INBEELD, "serve", "--port", str(port), "--workers", "1", "--no-worker"],
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


def test_serve_on_a_port_in_use_says_so_in_one_line(demo_env: dict[str, str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port), "--no-worker", env=demo_env, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"inbeeld serve: 127.0.0.1:{port} is already in use (another InBeeld, or another program?)"
    ]
    assert "running at" not in result.stdout


def test_serve_announces_its_address_only_once_it_answers(demo_env: dict[str, str]) -> None:
    port = free_port()
    process = subprocess.Popen(
        [INBEELD, "serve", "--port", str(port), "--workers", "1", "--no-worker"],
        env=demo_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line
        # The moment the line appears, the address accepts connections.
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_the_demo_text_names_a_command_that_exists(demo_env: dict[str, str]) -> None:
    """The printed `... demo --code` works as printed, also when inbeeld is not on PATH."""
    text = run_cli("demo", "--if-empty", env=demo_env).stdout
    match = re.search(r"`(\S+) demo --code GEBRUIKERSNAAM`", text)
    assert match is not None, text
    command = match.group(1)
    if command == "inbeeld":
        assert shutil.which("inbeeld", path=demo_env.get("PATH", "")), "not on this PATH"
    else:
        assert Path(command).exists() or Path.cwd().joinpath(command).exists(), command


def _start_worker_and_wait(env: dict[str, str]) -> subprocess.Popen[str]:
    """`inbeeld worker`, returned once it says it holds the database's worker lock."""
    worker = subprocess.Popen(
        [INBEELD, "worker"], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert worker.stdout is not None
    line = worker.stdout.readline()  # the first line comes once the lock is taken
    assert "holds this database's worker lock" in line, line
    return worker


def test_a_second_worker_on_the_same_database_refuses_to_start(demo_env: dict[str, str]) -> None:
    first = _start_worker_and_wait(demo_env)
    try:
        second = run_cli("worker", env=demo_env, timeout=60)
        assert second.returncode == 2, second
        assert "another worker already runs on this database" in second.stderr
    finally:
        first.terminate()
        first.wait(timeout=30)


def test_a_worker_killed_hard_takes_its_task_processes_along(demo_env: dict[str, str]) -> None:
    """After kill -9 of the worker no orphaned task process runs on, and a new worker starts."""
    first = _start_worker_and_wait(demo_env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not _descendants(first.pid):
        time.sleep(0.3)
    cluster = _descendants(first.pid)
    assert cluster, "the worker forked its task cluster"
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(pid) for pid in cluster):
        time.sleep(0.5)
    assert not any(_alive(pid) for pid in cluster), "task processes outlived their worker"
    second = _start_worker_and_wait(demo_env)  # the lock went with the processes
    second.terminate()
    second.wait(timeout=30)


def test_the_worker_ends_with_a_server_killed_hard(demo_env: dict[str, str]) -> None:
    """kill -9 of `inbeeld serve` must not leave its worker running (a restart would add one)."""
    port = free_port()
    server = subprocess.Popen(
        [INBEELD, "serve", "--port", str(port), "--workers", "1"],
        env=demo_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", server)  # type: ignore[arg-type]
        worker_pids = _children_running_worker(server.pid)
        assert worker_pids, "serve started a worker"
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_alive(pid) for pid in worker_pids):
            time.sleep(0.5)
        assert not any(_alive(pid) for pid in worker_pids), "the worker outlived its server"
    finally:
        if server.poll() is None:
            server.kill()


def _children_running_worker(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat_fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat_fields[1]) == parent and "inbeeld worker" in command:
            found.append(int(entry.name))
    return found


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat_fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat_fields[1])
    found: list[int] = []
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
