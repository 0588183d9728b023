"""`inbeeld tasks overdue-mail` on a real installation: the console backend, once a day."""

from __future__ import annotations

import re

from tests.cli.conftest import run_cli

OVERDUE_TASK = (
    "from datetime import timedelta; from django.utils import timezone; "
    "from inbeeld.accounts.models import User; from inbeeld.signals.models import Signal; "
    "from inbeeld.tasks.services import task_create; "
    "user = User.objects.get(username='politie.zeeland'); "
    "User.objects.filter(pk=user.pk).update(email='politie@example.org'); "
    "region = user.memberships.get().organisation.region; "
    "signal = Signal.objects.filter(region=region).first(); "
    "task_create(subject=signal, source='signal.follow_up', title='Bel Jansen terug', "
    "details='Anna Jansen', owner=user, due=timezone.localdate() - timedelta(days=2))"
)


def test_overdue_mail_once_a_day_on_the_console(cli_env: dict[str, str]) -> None:
    assert run_cli("demo", env=cli_env).returncode == 0
    made = run_cli("manage", "shell", "-c", OVERDUE_TASK, env=cli_env)
    assert made.returncode == 0, made.stderr
    trial = run_cli("tasks", "overdue-mail", "--dry-run", env=cli_env)
    assert trial.returncode == 0, trial.stderr
    assert "1 owners would be mailed" in trial.stdout
    assert "verlopen taken" not in trial.stdout
    sent = run_cli("tasks", "overdue-mail", env=cli_env)
    assert sent.returncode == 0, sent.stderr
    assert "1 owners mailed" in sent.stdout
    # The console backend shows the mail. The officer's overdue tasks: the one made here and
    # those the demo gives the police (a care-plan action, a case-table action); the mail
    # counts them and names none.
    assert re.search(r"U heeft [1-9]\d* verlopen taken", sent.stdout)
    assert "/taken/" in sent.stdout
    assert "Jansen" not in sent.stdout and "Anna" not in sent.stdout
    again = run_cli("tasks", "overdue-mail", env=cli_env)
    assert "0 owners mailed" in again.stdout and "1 owners already mailed" in again.stdout
    assert run_cli("audit", "verify", env=cli_env).returncode == 0
