"""The daily mail to owners of overdue tasks: "U heeft N verlopen taken", and a link.

No title, no record, no name: only the number and the address of "Mijn taken", so that a
mail that goes astray tells nothing. Once a day: each owner mailed is recorded for the day
in the same transaction as the mail is handed over, so a second run (a retry, a second
worker, the command line after the schedule) sends nothing twice, and a run that stopped
half-way mails the rest.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import User
from inbeeld.tasks.models import OverdueMailRun, OverdueMailSent, Task
from inbeeld.tasks.services import overdue_q

logger = logging.getLogger(__name__)
SCHEDULE = "inbeeld overdue tasks mail"


@dataclass
class OverdueRun:
    day: date
    owners: int = 0  # owners with overdue tasks and an e-mail address
    mailed: int = 0  # mails handed over in this run
    already: int = 0  # owners mailed earlier the same day
    counts: dict[int, int] = field(default_factory=dict)  # user id → overdue tasks


def overdue_counts(today: date) -> dict[int, int]:
    """Overdue open tasks per owning user: one grouped query over the partial index."""
    rows = (
        Task.objects.filter(overdue_q(today), owner__isnull=False)
        .values("owner_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["owner_id"]: row["n"] for row in rows}


def overdue_mail(count: int) -> tuple[str, str]:
    """Subject and body: the number and the link, nothing else."""
    link = settings.SITE_URL.rstrip("/") + reverse("tasks:mine")
    subject = f"InBeeld: U heeft {count} verlopen taken / You have {count} overdue tasks"
    body = (
        f"U heeft {count} verlopen taken in InBeeld. Bekijk ze onder Mijn taken:\n{link}\n\n"
        f"You have {count} overdue tasks in InBeeld. See them under My tasks:\n{link}\n"
    )
    return subject, body


def overdue_mail_send(*, today: date | None = None, dry_run: bool = False) -> OverdueRun:
    today = today or timezone.localdate()
    counts = overdue_counts(today)
    run = OverdueRun(day=today, counts=counts)
    owners = User.objects.filter(pk__in=list(counts), is_active=True).exclude(email="")
    already = set(OverdueMailSent.objects.filter(day=today).values_list("user_id", flat=True))
    if not dry_run:
        record, _created = OverdueMailRun.objects.get_or_create(day=today)
    for owner in owners.only("id", "email").order_by("pk").iterator():
        run.owners += 1
        if owner.pk in already:
            run.already += 1
            continue
        if dry_run:
            continue
        try:
            with transaction.atomic():
                OverdueMailSent.objects.create(day=today, user=owner)
                send_mail(*overdue_mail(counts[owner.pk]), None, [owner.email])
        except IntegrityError:  # another run mailed this owner at the same moment
            run.already += 1
            continue
        except OSError as error:  # the mail server refused: this owner is tried next run
            logger.warning("overdue mail not sent to user %s: %s", owner.pk, type(error).__name__)
            continue
        run.mailed += 1
    if not dry_run:
        record.finished_at = timezone.now()
        record.mailed += run.mailed
        record.save(update_fields=["finished_at", "mailed"])
    return run


def overdue_mail_scheduled() -> str:
    """Entry point of the daily django-q2 schedule (tasks migration 0002)."""
    run = overdue_mail_send()
    logger.info("overdue task mails sent: %d", run.mailed)
    return f"overdue task mails: {run.mailed} sent, {run.already} already sent today"
