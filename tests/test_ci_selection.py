"""CI's second run (PostgreSQL) leaves out only what cannot come out differently there.

.ci/run sets INBEELD_SECOND_DATABASE=1 for that run; conftest.py decides what stays. These
tests collect real test files in a subprocess, as CI does, and read what was selected.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = {
    "database": "inbeeld/signals/tests/test_queue_pages.py",
    "browser": "inbeeld/referrals/tests/test_referrals_browser.py",
    "cli, engine is the subject": "tests/cli/test_backup.py",
    "cli, PostgreSQL only": "tests/cli/test_two_instances.py",
    "cli, engine not involved": "tests/cli/test_settings.py",
    "no database": "inbeeld/estimation/tests/test_batch.py",
}


def collected(*, second_database: bool) -> set[str]:
    env = {k: v for k, v in os.environ.items() if k != "INBEELD_SECOND_DATABASE"}
    if second_database:
        env["INBEELD_SECOND_DATABASE"] = "1"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-n", "0", *FILES.values()],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return {line.split("::")[0] for line in result.stdout.splitlines() if "::" in line}


def test_the_second_database_run_keeps_database_tests_and_engine_specific_cli_tests() -> None:
    assert collected(second_database=True) == {
        FILES["database"],
        FILES["cli, engine is the subject"],
        FILES["cli, PostgreSQL only"],
    }


def test_the_first_run_keeps_everything() -> None:
    assert collected(second_database=False) == set(FILES.values())
