"""The regional case table (overlegtafel): meetings, their agenda, decisions and actions.

A meeting belongs to a region; the region's zorgcoördinator chairs it. Partners take part
through an invitation (only organisations that signed the covenant in force). An agenda item
is a signal or a case; partners see it pseudonymised until the decision gives their
organisation a role in it, recorded as a share on the covenant basis (privacy/sharing.py,
ShareKind.CASE_TABLE) whose content is exactly what the table passes on. Actions are tasks
of the one task engine (tasks/), with the agenda item as their subject.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.models import Organisation
from inbeeld.cases.models import Case
from inbeeld.privacy.encryption import EncryptedTextField
from inbeeld.privacy.models import Share
from inbeeld.regions.models import Region
from inbeeld.signals.models import Signal


class Meeting(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    date = models.DateField(_("date"))
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meetings_chaired",
        verbose_name=_("chair"),
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meetings_minuted",
        verbose_name=_("secretary"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("planned at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["region", "date"], name="meeting_region_date")]

    def __str__(self) -> str:
        return f"meeting {self.pk}"


class Invitation(models.Model):
    """An organisation invited to a meeting (a signatory of the covenant in force)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "organisation"], name="invitation_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} invites {self.organisation_id}"


class Attendance(models.Model):
    """A person of the region present at the meeting (staff with an account)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attended_once")]

    def __str__(self) -> str:
        return f"{self.meeting} attended by {self.user_id}"


class Guest(models.Model):
    """An occasional attendee without an account, who accepted the confidentiality statement
    at the start of the meeting; the statement's text as accepted is kept with it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests")
    name = EncryptedTextField(_("name"))
    affiliation = EncryptedTextField(_("organisation or capacity"), blank=True)
    statement = models.TextField(_("confidentiality statement accepted"))
    accepted_at = models.DateTimeField(_("accepted at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["accepted_at"]
        verbose_name = _("occasional attendee")
        verbose_name_plural = _("occasional attendees")

    def __str__(self) -> str:
        return f"{self.meeting} guest {self.pk}"


class AgendaItem(models.Model):
    """A signal or a case on a meeting's agenda; a follow-up names the earlier item."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    signal = models.ForeignKey(
        Signal, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    follow_up_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups"
    )
    position = models.PositiveIntegerField(default=0)
    # What was said about the item: names people, so encrypted; the chair's version only.
    notes = EncryptedTextField(_("notes"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.CheckConstraint(
                condition=Q(signal__isnull=False, case__isnull=True)
                | Q(signal__isnull=True, case__isnull=False),
                name="agenda_item_signal_or_case",
            ),
            models.UniqueConstraint(
                fields=["meeting", "signal"], condition=Q(signal__isnull=False), name="item_signal"
            ),
            models.UniqueConstraint(
                fields=["meeting", "case"], condition=Q(case__isnull=False), name="item_case"
            ),
        ]

    def __str__(self) -> str:
        return f"item {self.pk}"

    @property
    def region_id(self) -> int:
        # The task engine and the audit trail place an item in its meeting's region.
        return int(self.meeting.region_id)

    @property
    def region(self) -> Region:
        return self.meeting.region

    @property
    def subject(self) -> Signal | Case:
        subject = self.signal if self.signal_id is not None else self.case
        if subject is None:  # the check constraint holds one of the two
            raise ValueError(f"agenda item {self.pk} has neither a signal nor a case")
        return subject


def same_subject(item: AgendaItem, prefix: str = "") -> Q:
    """Rows (``prefix`` leads to an agenda item) about the same signal or case as ``item``:
    a decision and its roles follow the subject from meeting to meeting."""
    if item.signal_id is not None:
        return Q(**{f"{prefix}signal_id": item.signal_id})
    return Q(**{f"{prefix}case_id": item.case_id})


class Outcome(models.TextChoices):
    LEAD_PARTNER = "lead_partner", _("Taken on by a lead partner")
    NO_FURTHER_ACTION = "no_further_action", _("No further action")
    BACK_TO_REPORTER = "back_to_reporter", _("Back to the reporter")


class PartnerRole(models.TextChoices):
    LEAD = "lead", _("Lead partner (best placed)")
    SUPPORT = "support", _("Supporting partner")


class Decision(models.Model):
    """What the table decided on an item. A revisited decision stays, superseded."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(_("decision"), max_length=24, choices=Outcome.choices)
    # Why no further action, or what goes back to the reporter: may name people.
    reason = EncryptedTextField(_("reason"), blank=True)
    revises = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=Q(superseded_at__isnull=True), name="one_decision"
            )
        ]

    def __str__(self) -> str:
        return f"decision {self.pk}"


class DecisionRole(models.Model):
    """An organisation's role in a decision, with the share that passes it what it needs."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="roles")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=16, choices=PartnerRole.choices)
    share = models.ForeignKey(
        Share, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "organisation"], name="role_once"),
            models.UniqueConstraint(
                fields=["decision"], condition=Q(role="lead"), name="one_lead_partner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision} {self.role} {self.organisation_id}"


class MinutesSent(models.Model):
    """Minutes sent to one organisation (its own version); the opening is audited."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_sent")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "organisation"], name="minutes_sent_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} minutes to {self.organisation_id}"
