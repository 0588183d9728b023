"""`inbeeld keys rotate --new-key` in the embedded mode, on a real installation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli.conftest import run_cli

# Runs on both databases in CI: batches and row locks differ between the databases.
pytestmark = pytest.mark.both_databases

MAKE_ENCRYPTED_ROW = (
    "from inbeeld.accounts.models import User; "
    "from inbeeld.insight.models import EncodedList; "
    "user = User.objects.get(username='politie.zeeland'); "
    "organisation = user.memberships.get().organisation; "
    "EncodedList.objects.create(region=organisation.region, organisation=organisation, "
    "year=2025, list_name='politie', content='geheim', record_count=1, schema_id='s', "
    "key_fingerprint='f', uploaded_by=user)"
)
READ_ROW = (
    "from inbeeld.insight.models import EncodedList; print(EncodedList.objects.get().content)"
)


def test_rotating_with_a_new_key_keeps_every_value_readable(cli_env: dict[str, str]) -> None:
    assert run_cli("demo", env=cli_env).returncode == 0
    assert run_cli("manage", "shell", "-c", MAKE_ENCRYPTED_ROW, env=cli_env).returncode == 0
    result = run_cli("keys", "rotate", "--new-key", env=cli_env)
    assert result.returncode == 0, result.stderr
    # The demo's signals hold encrypted values too; the list's content is among them.
    count = re.match(r"re-encrypted (\d+) values", result.stdout)
    assert count is not None and int(count.group(1)) >= 1, result.stdout
    key_file = Path(cli_env["INBEELD_DATA_DIR"]) / "field_keys"
    keys = key_file.read_text().split()
    assert len(keys) == 2
    # Progress on stderr, and the rotation's start and end in the audit trail.
    assert "insight.encodedlist.content:" in result.stderr
    audited = (
        "from inbeeld.audit.models import AuditEntry; "
        "print([e.detail['step'] for e in AuditEntry.objects.filter(purpose='key rotation')])"
    )
    steps = run_cli("manage", "shell", "-c", audited, env=cli_env).stdout.strip().splitlines()
    assert steps[-1] == "['started', 'finished']"
    key_file.write_text(keys[0] + "\n")  # retire the old key: the new one must suffice
    read = run_cli("manage", "shell", "-c", READ_ROW, env=cli_env)
    assert read.stdout.strip().endswith("geheim"), read.stderr
