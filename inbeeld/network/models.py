"""The region's network activities: trainings, awareness sessions, key-figures meetings,
working-group meetings, school lessons and conferences, with their participants.

An activity holds no personal data: its texts are written for the agenda (a public one is
shown to anyone). A participant is a professional: name and function are encrypted at rest,
the name also as a keyed hash (``name_index``) so that the same person is recognised across
activities (reach counts people, not attendances; the refresher list) without decrypting.
Members of the public are counted on the activity (``public_attendees``), never named.
"""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.models import Organisation, User
from inbeeld.privacy.encryption import EncryptedTextField
from inbeeld.regions.models import Municipality, Region


class ActivityKind(models.TextChoices):
    TRAINING = "training", _("Training")
    AWARENESS = "awareness", _("Awareness session")
    KEY_FIGURES = "key_figures", _("Key-figures meeting")
    WORKING_GROUP = "working_group", _("Working-group meeting")
    SCHOOL_LESSON = "school_lesson", _("School lesson")
    CONFERENCE = "conference", _("Conference")


class TargetGroup(models.TextChoices):
    MUNICIPAL_STAFF = "municipal_staff", _("Municipal staff")
    POLICE = "police", _("Police")
    CARE_WORKERS = "care_workers", _("Care workers")
    SCHOOLS = "schools", _("Schools and students")
    EMPLOYERS = "employers", _("Employers")
    HOTEL_TAXI = "hotel_taxi", _("Hotel and taxi staff")
    INSPECTORS = "inspectors", _("Inspectors and enforcement officers")
    KEY_FIGURES = "key_figures", _("Key figures of communities")
    GENERAL_PUBLIC = "general_public", _("General public")


class Topic(models.TextChoices):
    SEXUAL = "sexual", _("Sexual exploitation")
    LABOUR = "labour", _("Labour exploitation")
    CRIMINAL = "criminal", _("Criminal exploitation")
    SIGNALS = "signals", _("Recognising signals")
    REPORTING = "reporting", _("Reporting route")
    COOPERATION = "cooperation", _("Cooperation in the chain")


class Activity(models.Model):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="activities", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("The venue and address, or 'online'."),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("municipality"),
    )
    organiser = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="activities_organised",
        verbose_name=_("organiser"),
    )
    target_groups = models.JSONField(_("target groups"), default=list)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    description = models.TextField(
        _("description"),
        blank=True,
        validators=[MaxLengthValidator(4000)],
        help_text=_(
            "Shown on the agenda (on the public agenda too when public); never about a person."
        ),
    )
    materials = models.TextField(
        _("materials"),
        blank=True,
        validators=[MaxLengthValidator(2000)],
        help_text=_("Handouts, films, the signal card; never about a person."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty when there is no maximum.")
    )
    public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_(
            "On the public agenda and in the region's calendar feed; otherwise partners only."
        ),
    )
    grants_certificate = models.BooleanField(_("grants a certificate of attendance"), default=False)
    public_attendees = models.PositiveIntegerField(
        _("members of the public attending"),
        default=0,
        help_text=_("Counted, never named."),
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["region", "starts_at"], name="activity_region_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gte=models.F("starts_at")),
                name="activity_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def target_group_labels(self) -> list[str]:
        labels = dict(TargetGroup.choices)
        return [str(labels.get(code, code)) for code in self.target_groups]

    def topic_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [str(labels.get(code, code)) for code in self.topics]


class Participant(models.Model):
    """A professional registered for an activity. ``attended`` is None until the attendance
    of the day is taken."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="participants", verbose_name=_("activity")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="activity_participants",
        verbose_name=_("organisation"),
    )
    name = EncryptedTextField(_("name"), validators=[MaxLengthValidator(200)])
    name_index = models.CharField(max_length=64, db_index=True, editable=False)
    function = EncryptedTextField(_("function"), blank=True, validators=[MaxLengthValidator(200)])
    target_group = models.CharField(_("target group"), max_length=32, choices=TargetGroup.choices)
    attended = models.BooleanField(_("attended"), null=True, default=None)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["activity", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "organisation", "name_index"],
                name="participant_once_per_activity",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_target_group_display()} – {self.organisation}"

    @property
    def region(self) -> Region:
        """The activity's region: the tenant boundary, and the audit entry's region."""
        return self.activity.region

    @property
    def region_id(self) -> int:
        return int(self.activity.region_id)


# --- The regional newsletter -------------------------------------------------------------------


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


class Subscriber(models.Model):
    """An address that asked for a region's newsletter. Mailed only once ``confirmed`` (double
    opt-in); the address is encrypted at rest, with a keyed hash (``email_index``) to find the
    same address again without decrypting."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="subscribers", verbose_name=_("region")
    )
    email = EncryptedTextField(_("e-mail address"), validators=[MaxLengthValidator(254)])
    email_index = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubscriberStatus.choices,
        default=SubscriberStatus.PENDING,
    )
    created_at = models.DateTimeField(_("subscribed at"), auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    class Meta:
        ordering = ["region", "pk"]
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "email_index"], name="subscriber_once_per_region"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} – {self.region_id}"


class Unsubscribed(models.Model):
    """An address that unsubscribed from a region's newsletter, as its keyed hash only: kept
    after the subscriber (and so the address) is removed, so that it is never mailed again,
    not even a confirmation request when someone enters it anew."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    email_index = models.CharField(max_length=64, editable=False)
    since = models.DateTimeField(_("unsubscribed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("unsubscribed address")
        verbose_name_plural = _("unsubscribed addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "email_index"], name="unsubscribed_once_per_region"
            )
        ]

    def __str__(self) -> str:
        return str(self.since)


class IssueStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")


class NewsletterIssue(models.Model):
    """An issue of a region's newsletter. A draft shows the agenda, the recent activities
    and the key figures as they are now; sending freezes them in ``content``, which the
    public archive shows ever after. Its texts are public: never about a person."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="newsletter_issues", verbose_name=_("region")
    )
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(
        _("text"),
        blank=True,
        validators=[MaxLengthValidator(8000)],
        help_text=_("Shown above the agenda; public once sent. Never about a person."),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=IssueStatus.choices, default=IssueStatus.DRAFT
    )
    content = models.JSONField(default=dict, editable=False)
    recipients = models.PositiveIntegerField(_("recipients"), default=0, editable=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    sent_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")

    def __str__(self) -> str:
        return self.title


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Not sent: unsubscribed")


class NewsletterDelivery(models.Model):
    """One issue to one confirmed subscriber: made when the issue is sent, mailed by the
    background task, which asks again whether the address is still subscribed."""

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    done_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.subscriber_id}"
