"""`inbeeld demo` and `inbeeld token create` as a new user runs them."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.cli.conftest import run_cli

BRIEF_USERS = [
    "zorgcoordinator.zeeland",
    "zorgcoordinator.ijsselland",
    "aandachtsfunctionaris.goes",
    "politie.zeeland",
    "beheerder",
    "fg",
]


def test_help_lists_the_commands(cli_env: dict[str, str]) -> None:
    result = run_cli("--help", env=cli_env)
    assert result.returncode == 0
    for command in ["serve", "demo", "token"]:
        assert command in result.stdout


def test_demo_fills_an_empty_database_once_and_shows_the_logins_again(
    cli_env: dict[str, str],
) -> None:
    first = run_cli("demo", "--if-empty", env=cli_env)
    assert first.returncode == 0, first.stderr
    for username in BRIEF_USERS:
        assert re.search(rf"^\s+{re.escape(username)}\s+[A-Z2-7]{{32}}\s", first.stdout, re.M)
    password = re.search(r"password[^:]*: (\S+)", first.stdout)
    assert password is not None
    again = run_cli("demo", "--if-empty", env=cli_env)
    assert again.returncode == 0
    assert password.group(1) in again.stdout
    assert "Demo Persoon" in first.stdout and "Demo Persoon" in again.stdout  # the FG's example
    refused = run_cli("demo", env=cli_env)
    assert refused.returncode == 1
    assert "not empty" in refused.stderr


def test_demo_code_prints_the_current_second_factor_code(demo_env: dict[str, str]) -> None:
    code = run_cli("demo", "--code", "zorgcoordinator.zeeland", env=demo_env)
    assert re.fullmatch(r"\d{6}\n", code.stdout)
    unknown = run_cli("demo", "--code", "niemand", env=demo_env)
    assert unknown.returncode == 2
    assert "niemand" in unknown.stderr


def today() -> date:
    """Today where InBeeld runs (TIME_ZONE), as the expiry on stderr is given."""
    return datetime.now(ZoneInfo("Europe/Amsterdam")).date()


def test_token_create_prints_only_the_token(demo_env: dict[str, str]) -> None:
    result = run_cli("token", "create", "politie.zeeland", env=demo_env)
    assert result.returncode == 0
    assert re.fullmatch(r"[0-9a-f]{64}\n", result.stdout), result.stdout
    in_90_days = (today() + timedelta(days=90)).isoformat()
    assert re.fullmatch(
        rf"inbeeld token: expires {in_90_days} \d\d:\d\d \S+ \(in 90 days\)\n", result.stderr
    )
    unknown = run_cli("token", "create", "niemand", env=demo_env)
    assert unknown.returncode == 2
    assert unknown.stdout == ""
    assert "niemand" in unknown.stderr


def test_demo_is_refused_in_production_mode(cli_env: dict[str, str]) -> None:
    env = dict(
        cli_env,
        INBEELD_MODE="production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="example.org",
        AUDIT_KEY="y" * 60,
        FIELD_ENCRYPTION_KEYS="A" * 43 + "=",
        BLIND_INDEX_KEY="z" * 60,
    )
    env.setdefault("DATABASE_URL", f"sqlite:///{cli_env['INBEELD_DATA_DIR']}/prod.sqlite3")
    result = run_cli("demo", env=env)
    assert result.returncode == 2
    assert "production" in result.stderr


def test_token_create_takes_a_lifetime_in_days(demo_env: dict[str, str]) -> None:
    result = run_cli("token", "create", "politie.zeeland", "--days", "7", env=demo_env)
    assert result.returncode == 0
    assert re.fullmatch(r"[0-9a-f]{64}\n", result.stdout)
    assert f"expires {(today() + timedelta(days=7)).isoformat()} " in result.stderr


@pytest.mark.parametrize("days", ["0", "-3", "367", "zeven"])
def test_token_create_refuses_a_bad_lifetime_in_one_line(
    demo_env: dict[str, str], days: str
) -> None:
    result = run_cli("token", "create", "politie.zeeland", f"--days={days}", env=demo_env)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "--days must be a whole number from 1 to 366" in result.stderr
