"""Settings come from the environment; production mode refuses unsafe or missing values."""

from __future__ import annotations

import stat
from pathlib import Path

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
    assert run_cli("manage", "check", env=cli_env).returncode == 0
    key_file = Path(cli_env["INBEELD_DATA_DIR"]) / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_bad_log_level_stops_with_one_line_naming_it(cli_env: dict[str, str]) -> None:
    result = run_cli("manage", "check", env=dict(cli_env, LOG_LEVEL="loud"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "inbeeld: LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, not 'loud'"
    ]


def test_a_bad_database_url_stops_with_one_line_naming_it(cli_env: dict[str, str]) -> None:
    result = run_cli("audit", "verify", env=dict(cli_env, DATABASE_URL="foo"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "DATABASE_URL" in lines[0] and "Traceback" not in result.stderr


def test_the_encryption_keys_can_come_from_a_file(cli_env: dict[str, str], tmp_path: Path) -> None:
    """FIELD_ENCRYPTION_KEYS_FILE (a container secret), as docs/configuration.md promises."""
    keys = tmp_path / "field_keys"
    keys.write_text("B" * 43 + "=\n" + "A" * 43 + "=\n", encoding="ascii")
    env = dict(cli_env, **PRODUCTION, FIELD_ENCRYPTION_KEYS_FILE=str(keys))
    del env["FIELD_ENCRYPTION_KEYS"]
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    show = "from django.conf import settings; print(len(settings.FIELD_ENCRYPTION_KEYS))"
    result = run_cli("manage", "shell", "-c", show, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "2"


def test_the_embedded_database_is_readable_by_its_owner_only(cli_env: dict[str, str]) -> None:
    """It holds victims' data in plain columns (nationality, age, municipality, status)."""
    assert run_cli("manage", "migrate", env=cli_env).returncode == 0
    data = Path(cli_env["INBEELD_DATA_DIR"])
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for name in ("inbeeld.sqlite3", "inbeeld.sqlite3-wal", "inbeeld.sqlite3-shm"):
        if (data / name).exists():
            assert stat.S_IMODE((data / name).stat().st_mode) == 0o600, name


def test_a_key_that_does_not_match_the_data_is_named_at_start(demo_env: dict[str, str]) -> None:
    """Each wrong key stops the start with one line naming it, not a quiet failure later."""
    for name in ("AUDIT_KEY", "BLIND_INDEX_KEY", "SECRET_KEY"):
        env = dict(demo_env, **{name: "a-different-key-than-the-one-this-database-knows"})
        result = run_cli("serve", "--port", "0", "--no-worker", env=env, timeout=120)
        assert result.returncode == 2, (name, result.stderr)
        assert result.stderr.startswith(f"inbeeld serve: {name}: is not the key"), result.stderr


def test_a_wrong_audit_key_is_not_reported_as_tampering(demo_env: dict[str, str]) -> None:
    env = dict(demo_env, AUDIT_KEY="a-different-key-than-the-one-this-database-knows")
    result = run_cli("audit", "verify", env=env)
    assert result.returncode == 2
    assert "AUDIT_KEY: is not the key this database's audit trail was chained with" in (
        result.stderr
    )
    assert not result.stderr.startswith("broken")


def test_a_removed_encryption_key_is_named_before_any_read(demo_env: dict[str, str]) -> None:
    other = "C" * 43 + "="
    env = dict(demo_env, FIELD_ENCRYPTION_KEYS=other)
    result = run_cli("worker", env=env, timeout=120)
    assert result.returncode == 2
    assert "FIELD_ENCRYPTION_KEYS: 1 key(s) that encrypted stored values" in result.stderr


def test_production_serve_wants_static_files_collected_at_install(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    """Collecting at every start made a restart refuse connections for half a minute."""
    env = dict(cli_env, **PRODUCTION, STATIC_ROOT=str(tmp_path / "static"))
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    result = run_cli("serve", "--port", "0", "--no-worker", env=env, timeout=120)
    assert result.returncode == 2
    assert "static files are not collected yet" in result.stderr
