"""`inbeeld retention run` on a real installation removes what is due."""

from __future__ import annotations

import pytest

from tests.cli.conftest import run_cli

# Runs on both databases in CI: deletions cascade through each database's own constraints.
pytestmark = pytest.mark.both_databases

OLD_LIST = (
    "from datetime import timedelta; from django.utils import timezone; "
    "from inbeeld.accounts.models import User; from inbeeld.insight.models import EncodedList; "
    "user = User.objects.get(username='politie.zeeland'); "
    "organisation = user.memberships.get().organisation; "
    "item = EncodedList.objects.create(region=organisation.region, organisation=organisation, "
    "year=2020, list_name='politie', content='x', record_count=1, schema_id='s', "
    "key_fingerprint='f', uploaded_by=user); "
    "EncodedList.objects.filter(pk=item.pk).update("
    "uploaded_at=timezone.now() - timedelta(days=1000))"
)


def test_retention_run_removes_what_is_due(cli_env: dict[str, str]) -> None:
    assert run_cli("demo", env=cli_env).returncode == 0
    assert run_cli("manage", "shell", "-c", OLD_LIST, env=cli_env).returncode == 0
    trial = run_cli("retention", "run", "--dry-run", env=cli_env)
    assert "encoded_list: 1 due" in trial.stdout
    result = run_cli("retention", "run", env=cli_env)
    assert result.returncode == 0
    assert "encoded_list: 1 removed" in result.stdout
    again = run_cli("retention", "run", env=cli_env)
    assert "encoded_list: 0 removed" in again.stdout
    assert run_cli("audit", "verify", env=cli_env).returncode == 0
