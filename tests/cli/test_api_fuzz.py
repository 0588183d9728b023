"""The API keeps to its OpenAPI schema whatever a client sends: schemathesis, all checks.

A real `inbeeld serve` with the demo data, a real token, and schemathesis' generated
requests (valid and invalid) against every operation in `/api/schema/`. Any finding —
an undocumented status, a response that does not match the schema, a valid request refused,
an invalid one accepted, a server error — fails the test with schemathesis' own report,
which includes a curl command to reproduce it.

Bounded so that it stays a test, not a campaign: INBEELD_FUZZ_EXAMPLES examples per
operation (default 15) with a fixed seed, so a failure reproduces; set INBEELD_FUZZ_SEED to
explore other inputs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.conftest import INBEELD, run_cli
from tests.cli.test_serve import free_port, wait_until_healthy

SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def api_server(demo_env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [INBEELD, "serve", "--port", str(port), "--workers", "2", "--no-worker"],
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


def test_the_api_answers_as_its_schema_says(
    api_server: str, demo_env: dict[str, str], tmp_path: Path
) -> None:
    token = run_cli("token", "create", "zorgcoordinator.zeeland", env=demo_env).stdout.strip()
    assert token, "the demo's zorgcoördinator gets a token"
    command = [
        SCHEMATHESIS,
        "--config-file",
        str(Path(__file__).with_name("schemathesis.toml")),
        "run",
        f"{api_server}/api/schema/",
        "--header",
        f"Authorization: Token {token}",
        "--checks",
        "all",
        "--max-examples",
        os.environ.get("INBEELD_FUZZ_EXAMPLES", "15"),
        "--seed",
        os.environ.get("INBEELD_FUZZ_SEED", "20261130"),
        # Text fields refuse U+0000 (DRF, and PostgreSQL cannot store it); the API's
        # description says so, and generating it would only test that one refusal.
        "--generation-allow-x00",
        "false",
        # One worker: with two, the order of requests (and so the findings) varies per run.
        "--workers",
        "1",
        "--request-timeout",
        "30",
    ]
    # The date rules OpenAPI cannot express (not in the future): see schemathesis_hooks.py.
    hooks = {"SCHEMATHESIS_HOOKS": str(Path(__file__).with_name("schemathesis_hooks.py"))}
    # Its own working folder: schemathesis keeps an example database in the current folder.
    result = subprocess.run(
        command,
        cwd=tmp_path,
        env={**os.environ, **hooks},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    # Printed, so that a failing run shows schemathesis's whole report (pytest shortens the
    # assertion's message) with the request that reproduces each finding.
    print(result.stdout[-20000:], result.stderr[-5000:])
    assert result.returncode == 0, "schemathesis found a problem: see the captured output"
    assert "No issues found" in result.stdout or " passed" in result.stdout
