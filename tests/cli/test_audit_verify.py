"""`inbeeld audit verify` and `checkpoint` on a real installation: intact, then tampered with."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from tests.cli.conftest import run_cli

# Runs on both databases in CI: the chain's lock and the refusal of edits are database features.
pytestmark = pytest.mark.both_databases

RECORD_THREE = (
    "from inbeeld.audit.models import Action; "
    "from inbeeld.audit.services import audit_record; "
    "[audit_record(actor=None, action=Action.READ, object_type='test', object_id=str(n)) "
    "for n in range(3)]"
)


def execute(env: dict[str, str], *statements: str) -> None:
    """Run SQL directly on the database, as someone with database rights could."""
    url = env.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url, autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)
        return
    with sqlite3.connect(Path(env["INBEELD_DATA_DIR"]) / "inbeeld.sqlite3") as connection:
        for statement in statements:
            connection.execute(statement)


def drop_trigger(env: dict[str, str], name: str) -> str:
    postgres = env.get("DATABASE_URL", "").startswith("postgres")
    return f"DROP TRIGGER {name}" + (" ON audit_auditentry" if postgres else "")


@pytest.mark.parametrize("tampered", [False, True])
def test_audit_verify_reports_intact_or_the_first_broken_entry(
    cli_env: dict[str, str], tampered: bool
) -> None:
    assert run_cli("demo", env=cli_env).returncode == 0
    assert run_cli("manage", "shell", "-c", RECORD_THREE, env=cli_env).returncode == 0
    if tampered:
        execute(
            cli_env,
            drop_trigger(cli_env, "audit_entry_append_only"),
            "UPDATE audit_auditentry SET actor = 'iemand' WHERE id = 2",
        )
    result = run_cli("audit", "verify", env=cli_env)
    if tampered:
        assert result.returncode == 1
        assert result.stderr.startswith("broken: entry 2 ")
        assert result.stdout == ""
    else:
        assert result.returncode == 0
        # The demo's accounts and roles were created through audited services, plus our three.
        match = re.fullmatch(
            r"intact: (\d+) entries\n"
            r"no checkpoint yet: removal of the newest entries cannot be detected\n",
            result.stdout,
        )
        assert match is not None and int(match.group(1)) > 3


def test_a_checkpoint_anchors_the_trail_and_shows_removed_newest_entries(
    cli_env: dict[str, str],
) -> None:
    assert run_cli("demo", env=cli_env).returncode == 0
    checkpoint = run_cli("audit", "checkpoint", env=cli_env)
    assert checkpoint.returncode == 0, checkpoint.stderr
    line = json.loads(checkpoint.stdout)
    stored = Path(cli_env["INBEELD_DATA_DIR"]) / "audit-checkpoints.jsonl"
    assert stored.read_text() == checkpoint.stdout
    head, entries = line["head_id"], line["entries"]
    assert run_cli("manage", "shell", "-c", RECORD_THREE, env=cli_env).returncode == 0

    whole = run_cli("audit", "verify", env=cli_env)
    assert whole.returncode == 0
    first, second = whole.stdout.splitlines()
    assert first == f"intact: {entries + 3} entries"
    assert re.fullmatch(
        rf"anchored: checkpoint of \d{{4}}-\d\d-\d\d \d\d:\d\d at entry {head}; "
        r"3 newer entries are protected by the chain only",
        second,
    )

    # The newest 8 entries (5 that the checkpoint saw) removed by someone who dropped the trigger.
    execute(
        cli_env,
        drop_trigger(cli_env, "audit_entry_no_delete"),
        "DELETE FROM audit_auditentry WHERE id IN "
        "(SELECT id FROM audit_auditentry ORDER BY id DESC LIMIT 8)",
    )
    result = run_cli("audit", "verify", env=cli_env)
    assert result.returncode == 1
    assert result.stdout == ""
    assert re.match(r"broken: the trail ends at entry \d+ but the checkpoint of ", result.stderr)
    assert f"saw {entries} entries up to entry {head}: entries were removed" in result.stderr


def test_a_connection_without_inbeeld_cannot_delete_from_the_sqlite_trail(
    cli_env: dict[str, str],
) -> None:
    if cli_env.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("the SQLite guard; PostgreSQL's is in inbeeld/audit/tests")
    assert run_cli("demo", env=cli_env).returncode == 0
    with pytest.raises(sqlite3.OperationalError, match="inbeeld_audit_delete_permitted"):
        execute(cli_env, "DELETE FROM audit_auditentry")
    assert run_cli("audit", "verify", env=cli_env).returncode == 0
