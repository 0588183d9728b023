"""Settings come from the environment; production mode refuses unsafe or missing values."""

from __future__ import annotations

from tests.cli.conftest import run_cli

PRODUCTION = {
    "INBEELD_MODE": "production",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "inbeeld.example.org",
    "AUDIT_KEY": "a-separate-long-random-audit-key-for-the-hash-chain-0123456789",
    "FIELD_ENCRYPTION_KEYS": "A" * 43 + "=",
    "BLIND_INDEX_KEY": "a-separate-long-random-blind-index-key-0123456789",
}


def test_production_mode_passes_the_django_deploy_check(cli_env: dict[str, str]) -> None:
    env = dict(cli_env, **PRODUCTION)
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    result = run_cli("manage", "check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_without_a_secret_key_stops_with_a_clear_message(
    cli_env: dict[str, str],
) -> None:
    env = dict(cli_env, **PRODUCTION, DATABASE_URL="postgres://postgres@127.0.0.1:5432/test")
    del env["SECRET_KEY"]
    result = run_cli("manage", "check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is required in production mode" in result.stderr


def test_a_bad_boolean_names_the_variable(cli_env: dict[str, str]) -> None:
    result = run_cli("manage", "check", env=dict(cli_env, DEBUG="maybe"))
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_embedded_mode_keeps_its_generated_secret_key_private(cli_env: dict[str, str]) -> None:
    import stat
    from pathlib import Path

    assert run_cli("manage", "check", env=cli_env).returncode == 0
    key_file = Path(cli_env["INBEELD_DATA_DIR"]) / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
