"""Tasks: every dated thing of every app (a follow-up of a signal, a review date of a case,
the answer due on a referral, a permit deadline) is a Task with an owner and a due date.

A task belongs to a record of some app (its *subject*, a generic reference) and to that
record's region. Its ``title`` is shown in lists, menus and on the owner's overview, so it
must hold no personal data ("Follow up with the police", never a name); whatever is personal
goes into ``details``, which is encrypted at rest. The daily mail names neither.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.models import Organisation
from inbeeld.privacy.encryption import EncryptedTextField
from inbeeld.regions.models import Region


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Task(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    # No personal data in the title (see the module's docstring); details are encrypted.
    title = models.CharField(_("title"), max_length=120)
    details = EncryptedTextField(_("details"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("owner"),
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("owner organisation"),
    )
    due = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    # What kind of dated thing: "signal.follow_up", "case.review", "permit.deadline", ...
    source = models.CharField(_("kind"), max_length=64)
    # Kept in step with a date of its subject by task_sync_for (one such task per source).
    synced = models.BooleanField(default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | Q(owner_organisation__isnull=False),
                name="task_has_owner",
            ),
            models.CheckConstraint(
                condition=Q(status=TaskStatus.DONE, done_at__isnull=False)
                | (~Q(status=TaskStatus.DONE) & Q(done_at__isnull=True)),
                name="task_done_at_iff_done",
            ),
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "source"],
                condition=Q(synced=True, status=TaskStatus.OPEN),
                name="task_one_synced_open_per_source",
            ),
        ]
        indexes = [
            # "Mijn taken": open tasks of an owner (or of an organisation) by due date, then
            # id; keyset pages continue from (due, id). Partial: done tasks never slow it.
            models.Index(
                fields=["owner", "due", "id"],
                condition=Q(status=TaskStatus.OPEN),
                name="task_owner_open_due",
            ),
            models.Index(
                fields=["owner_organisation", "due", "id"],
                condition=Q(status=TaskStatus.OPEN),
                name="task_org_open_due",
            ),
            # The daily overdue run: open tasks with a due date before today.
            models.Index(
                fields=["due", "owner"],
                condition=Q(status=TaskStatus.OPEN),
                name="task_open_due",
            ),
            models.Index(fields=["subject_type", "subject_id"], name="task_subject"),
            # Done tasks of an owner, newest first (the "done" filter).
            models.Index(
                fields=["owner", "-done_at", "id"],
                condition=Q(status=TaskStatus.DONE),
                name="task_owner_done",
            ),
        ]

    def __str__(self) -> str:
        return f"task {self.pk}"


class OverdueMailRun(models.Model):
    """One row per day the overdue mail went out: the run that day is then not repeated."""

    day = models.DateField(unique=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    mailed = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"overdue mail of {self.day}"


class OverdueMailSent(models.Model):
    """One owner mailed on one day: a run that stopped half-way mails the rest, not twice."""

    day = models.DateField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "user"], name="overdue_mail_once_a_day")
        ]

    def __str__(self) -> str:
        return f"overdue mail of {self.day} to user {self.user_id}"


# The kinds of dated thing apps register tasks for, as people read them; a kind not listed
# here is shown by its code.
SOURCE_LABELS = {
    "signal.follow_up": _("Follow-up of a signal"),
    "case.review": _("Review date of a case"),
    "careplan.action": _("Action in a care plan"),
    "referral.response": _("Answer due on a referral"),
    "permit.deadline": _("Permit deadline"),
    "casetable.action": _("Action of the case table"),
}


def source_label(source: str) -> str:
    return str(SOURCE_LABELS.get(source, source))
