"""The daily overdue mail: the number and a link, once a day per owner, nothing personal."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from inbeeld.accounts.models import Role
from inbeeld.tasks.models import OverdueMailRun
from inbeeld.tasks.overdue import SCHEDULE, overdue_mail_scheduled, overdue_mail_send
from inbeeld.tasks.services import task_complete
from inbeeld.tasks.tests.helpers import a_task, days

pytestmark = pytest.mark.django_db


@pytest.fixture
def owners(world: Any) -> tuple[Any, Any]:
    first, second = world.user(Role.ZORGCOORDINATOR), world.reporter()
    for user, address in ((first, "zc@example.org"), (second, "melder@example.org")):
        user.email = address
        user.save(update_fields=["email"])
    return first, second


def test_each_owner_gets_one_mail_with_the_number_and_no_personal_data(
    world: Any, owners: tuple[Any, Any], settings: Any
) -> None:
    settings.SITE_URL = "https://inbeeld.example.nl"
    first, second = owners
    signal = world.signal()
    for offset in (-1, -5, -30):
        a_task(signal, owner=first, due=days(offset), title="Bel Jansen", details="Anna Jansen")
    a_task(signal, owner=first, due=days(0))  # due today: not overdue
    done = a_task(signal, owner=first, due=days(-2))
    task_complete(task=done, by=first)
    a_task(signal, owner=second, due=days(-1))
    a_task(signal, owner_organisation=world.organisation(), due=days(-1))  # nobody by name
    run = overdue_mail_send()
    assert run.mailed == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    message = by_address["zc@example.org"]
    assert "U heeft 3 verlopen taken" in str(message.subject) + str(message.body)
    assert "https://inbeeld.example.nl/taken/" in message.body
    text = str(message.subject) + str(message.body)
    for personal in ("Jansen", "Anna", signal.receipt_code, first.username):
        assert personal not in text
    assert "U heeft 1 verlopen taken" in by_address["melder@example.org"].body


def test_twice_the_same_day_mails_once_and_the_run_is_recorded(
    world: Any, owners: tuple[Any, Any]
) -> None:
    first, _second = owners
    a_task(world.signal(), owner=first, due=days(-1))
    assert overdue_mail_send().mailed == 1
    again = overdue_mail_send()
    assert again.mailed == 0 and again.already == 1
    assert len(mail.outbox) == 1
    record = OverdueMailRun.objects.get(day=days(0))
    assert record.mailed == 1 and record.finished_at is not None
    assert overdue_mail_send(today=days(1)).mailed == 1  # the next day: again


def test_dry_run_sends_and_records_nothing(world: Any, owners: tuple[Any, Any]) -> None:
    a_task(world.signal(), owner=owners[0], due=days(-1))
    run = overdue_mail_send(dry_run=True)
    assert run.owners == 1 and run.mailed == 0
    assert not mail.outbox and not OverdueMailRun.objects.exists()


def test_owners_without_an_address_or_inactive_are_skipped(world: Any) -> None:
    owner = world.user(Role.ZORGCOORDINATOR)  # no e-mail address
    a_task(world.signal(), owner=owner, due=days(-1))
    assert overdue_mail_send().mailed == 0


def test_a_refusing_mail_server_leaves_the_owner_for_the_next_run(
    world: Any, owners: tuple[Any, Any], monkeypatch: Any
) -> None:
    a_task(world.signal(), owner=owners[0], due=days(-1))

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError

    monkeypatch.setattr("inbeeld.tasks.overdue.send_mail", refuse)
    assert overdue_mail_send().mailed == 0
    monkeypatch.undo()
    assert overdue_mail_send().mailed == 1


def test_the_schedule_runs_it_daily(world: Any, owners: tuple[Any, Any]) -> None:
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name=SCHEDULE)
    assert schedule.func == "inbeeld.tasks.overdue.overdue_mail_scheduled"
    assert schedule.schedule_type == Schedule.DAILY
    a_task(world.signal(), owner=owners[0], due=days(-1))
    assert "1 sent" in overdue_mail_scheduled()
