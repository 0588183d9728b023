"""`inbeeld audit verify` on a real installation: intact, then tampered with."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tests.cli.conftest import run_cli


def tamper(env: dict[str, str], entry_id: int) -> None:
    """Edit one audit entry directly in the database, as someone with database rights could."""
    url = env.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("DROP TRIGGER audit_entry_append_only ON audit_auditentry")
            connection.execute(
                "UPDATE audit_auditentry SET actor = 'iemand' WHERE id = %s", [entry_id]
            )
        return
    database = Path(env["INBEELD_DATA_DIR"]) / "inbeeld.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("DROP TRIGGER audit_entry_append_only")
        connection.execute("UPDATE audit_auditentry SET actor = 'iemand' WHERE id = ?", [entry_id])


@pytest.mark.parametrize("tampered", [False, True])
def test_audit_verify_reports_intact_or_the_first_broken_entry(
    cli_env: dict[str, str], tampered: bool
) -> None:
    assert run_cli("demo", env=cli_env).returncode == 0
    record_three = (
        "from inbeeld.audit.models import Action; "
        "from inbeeld.audit.services import audit_record; "
        "[audit_record(actor=None, action=Action.READ, object_type='test', object_id=str(n)) "
        "for n in range(3)]"
    )
    assert run_cli("manage", "shell", "-c", record_three, env=cli_env).returncode == 0
    if tampered:
        tamper(cli_env, 2)
    result = run_cli("audit", "verify", env=cli_env)
    if tampered:
        assert result.returncode == 1
        assert "entry 2 " in result.stderr
        assert result.stdout == ""
    else:
        assert result.returncode == 0
        # The demo's accounts and roles were created through audited services, plus our three.
        match = re.fullmatch(r"intact: (\d+) entries\n", result.stdout)
        assert match is not None and int(match.group(1)) > 3
