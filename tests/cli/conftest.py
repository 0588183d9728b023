"""The real `inbeeld` console script, run as a subprocess against its own database."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

INBEELD = str(Path(sys.executable).with_name("inbeeld"))


def run_cli(
    *args: str, env: dict[str, str], timeout: int = 180
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [INBEELD, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@contextlib.contextmanager
def fresh_environment(directory: Path) -> Iterator[dict[str, str]]:
    """An environment with its own data folder and an empty database of the suite's engine."""
    # Checkpoints then go to the data folder below, never to a file the caller configured.
    skip = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "AUDIT_CHECKPOINT_FILE"}
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env["INBEELD_DATA_DIR"] = str(directory / "data")
    env["INBEELD_MODE"] = "embedded"
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        env.pop("DATABASE_URL", None)  # the embedded default: SQLite in the data folder
        yield env
        return
    import psycopg

    name = f"inbeeld_cli_{uuid.uuid4().hex[:10]}"
    server_url = base_url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = f"{server_url}/{name}"
    try:
        yield env
    finally:
        with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def cli_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A fresh, empty installation for one test."""
    with fresh_environment(tmp_path) as env:
        yield env


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """One installation with the demo loaded, shared by the tests of a module that only read."""
    with fresh_environment(tmp_path_factory.mktemp("demo")) as env:
        result = run_cli("demo", env=env)
        assert result.returncode == 0, result.stderr
        yield env
