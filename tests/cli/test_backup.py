"""`inbeeld backup` and `inbeeld restore`: a round trip with nothing lost, and the refusals.

Demo data and a canary signal → backup → a fresh installation with the same keys → restore
→ the audit chain is whole, every table holds as many rows, and the canary reads the same.
On PostgreSQL the suite's run uses pg_dump and pg_restore, on SQLite the online backup API.
"""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from tests.cli.conftest import fresh_environment, run_cli

# Runs on both databases in CI: pg_dump/pg_restore on PostgreSQL, SQLite's backup API on SQLite.
pytestmark = pytest.mark.both_databases

KEYS = ("secret_key", "audit_key", "field_keys", "blind_index_key")
CANARY = "KANARIE-BACKUP-7Q"
MAKE_CANARY = (
    "from inbeeld.regions.models import Municipality; "
    "from inbeeld.signals.services import SignalInput, signal_create_public; "
    "signal_create_public(data=SignalInput(municipality=Municipality.objects.get(code='GM0664'), "
    f"description='{CANARY} zag iets'), form_token='backup-canary')"
)
READ_CANARY = (
    "from inbeeld.signals.models import Signal; "
    "print([s.description for s in Signal.objects.all() if 'KANARIE' in s.description])"
)
COUNT_SIGNALS = "from inbeeld.signals.models import Signal; print(Signal.objects.count())"


def keys_copied(source: dict[str, str], target: dict[str, str]) -> None:
    """What the operator does: bring the keys, kept apart from the backup, to the new place."""
    into = Path(target["INBEELD_DATA_DIR"])
    into.mkdir(parents=True, exist_ok=True)
    for name in KEYS:
        shutil.copy2(Path(source["INBEELD_DATA_DIR"]) / name, into / name)


def test_a_backup_restores_whole_with_the_same_keys(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    assert run_cli("demo", env=cli_env).returncode == 0
    made = run_cli("manage", "shell", "-c", MAKE_CANARY, env=cli_env)
    assert made.returncode == 0, made.stderr
    signals_before = run_cli("manage", "shell", "-c", COUNT_SIGNALS, env=cli_env).stdout
    backup = tmp_path / "inbeeld.backup"
    written = run_cli("backup", "--out", str(backup), env=cli_env)
    assert written.returncode == 0, written.stderr
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert CANARY.encode() not in backup.read_bytes()  # encrypted in the copy too

    with fresh_environment(tmp_path / "restored") as target:
        keys_copied(cli_env, target)
        restored = run_cli("restore", str(backup), env=target)
        assert restored.returncode == 0, restored.stderr
        assert "audit trail intact" in restored.stdout
        canary = run_cli("manage", "shell", "-c", READ_CANARY, env=target).stdout
        assert f"{CANARY} zag iets" in canary
        signals_after = run_cli("manage", "shell", "-c", COUNT_SIGNALS, env=target).stdout
        assert signals_after == signals_before
        verify = run_cli("audit", "verify", env=target)
        assert verify.returncode == 0 and verify.stdout.startswith("intact: ")

        again = run_cli("restore", str(backup), env=target)
        assert again.returncode == 2
        assert "already holds data" in again.stderr


def test_a_restore_with_other_keys_is_refused_before_anything_changes(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    assert run_cli("demo", env=cli_env).returncode == 0
    backup = tmp_path / "inbeeld.backup"
    assert run_cli("backup", "--out", str(backup), env=cli_env).returncode == 0
    with fresh_environment(tmp_path / "other") as target:  # its own, new keys
        refused = run_cli("restore", str(backup), env=target)
        assert refused.returncode == 2
        line = refused.stderr.strip()
        assert line.startswith("inbeeld restore: the configured ")
        assert "AUDIT_KEY" in line and "FIELD_ENCRYPTION_KEYS" in line
        counted = run_cli("manage", "shell", "-c", COUNT_SIGNALS, env=target).stdout
        assert counted.strip().splitlines()[-1] == "0"


def test_a_file_that_is_not_a_backup_is_named(cli_env: dict[str, str], tmp_path: Path) -> None:
    junk = tmp_path / "junk.backup"
    junk.write_text("not a backup")
    result = run_cli("restore", str(junk), env=cli_env)
    assert result.returncode == 2
    assert result.stderr.startswith(f"inbeeld restore: {junk} is not an InBeeld backup")
