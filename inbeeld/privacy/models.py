"""Privacy records every app uses: retention, shares with their legal basis, consent and
data-subject requests."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.models import Organisation
from inbeeld.privacy.encryption import EncryptedTextField
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.regions.models import Region


class RetentionPolicy(models.Model):
    """How many days a kind of record is kept; per region, or for all regions (no region)."""

    kind = models.CharField(_("kind of record"), max_length=40)
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("region")
    )
    keep_days = models.PositiveIntegerField(_("keep for (days)"))

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")
        constraints = [
            models.UniqueConstraint(fields=["kind", "region"], name="one_period_per_kind_region"),
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(region__isnull=True),
                name="one_default_period_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.keep_days}"


class RetentionRun(models.Model):
    """The report for the FG: when retention ran and how many records of each kind it removed."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    dry_run = models.BooleanField(_("trial run, nothing removed"), default=False)
    removed = models.JSONField(_("removed per kind"), default=dict)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.removed}"


class ShareKind(models.TextChoices):
    ASSIGNMENT = "assignment", _("Assigned for handling")
    TIP = "tip", _("Anonymised tip")
    CASE_INVITE = "case_invite", _("Invited to a case")
    REFERRAL = "referral", _("Referral to an organisation")
    CASE_TABLE = "case_table", _("Role given at the case table")


class Share(models.Model):
    """Personal data passed to another person or organisation: to whom, why, on which basis.

    Shares are the explicit grants of need-to-know: an active assignment lets its user see
    the record. A tip keeps the (already anonymised) text that was passed, encrypted.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    kind = models.CharField(_("kind of share"), max_length=16, choices=ShareKind.choices)
    from_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shares_sent",
        verbose_name=_("from organisation"),
    )
    to_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shares_received",
        verbose_name=_("to organisation"),
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shares_received",
        verbose_name=_("to person"),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=16, choices=LegalBasis.choices)
    # Typed by the person who shares, so it may name people: encrypted, and never copied into
    # the audit trail (sharing.py records a fixed purpose there).
    purpose = EncryptedTextField(_("purpose"))
    content = EncryptedTextField(_("what was passed"), blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="shares_made",
        verbose_name=_("shared by"),
    )
    shared_at = models.DateTimeField(_("shared at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )

    class Meta:
        ordering = ["-shared_at"]
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        indexes = [models.Index(fields=["content_type", "object_id"], name="share_target")]

    def __str__(self) -> str:
        return f"{self.kind} {self.content_type_id}:{self.object_id}"


class ConsentScope(models.TextChoices):
    CARE_PARTNERS = "care_partners", _("Sharing with care partners in the region")
    POLICE = "police", _("Sharing with the police or the labour inspectorate")
    COMENSHA = "comensha", _("Registration with CoMensha")
    RESEARCH = "research", _("Use in pseudonymised research")


class Consent(models.Model):
    """A person's consent for one scope: when it was given, and when it was withdrawn."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    scope = models.CharField(_("scope"), max_length=16, choices=ConsentScope.choices)
    given_on = models.DateField(_("given on"))
    how = EncryptedTextField(
        _("how it was given"), help_text=_("For example: signed form, orally.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-given_on"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["content_type", "object_id"], name="consent_target")]

    def __str__(self) -> str:
        return f"{self.scope} {self.given_on}"


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access (AVG art. 15)")
    ERASURE = "erasure", _("Erasure (AVG art. 17)")
    RESTRICTION = "restriction", _("Restriction (AVG art. 18)")
    LIFT_RESTRICTION = "lift_restriction", _("Restriction lifted")


class DataSubjectRequest(models.Model):
    """What the FG did for a data subject, with the reason; holds no identifying data."""

    kind = models.CharField(_("kind of request"), max_length=16, choices=RequestKind.choices)
    reason = EncryptedTextField(_("reason"))
    records = models.JSONField(_("records concerned"), default=list)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(_("handled at"), auto_now_add=True)

    class Meta:
        ordering = ["-handled_at"]
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")

    def __str__(self) -> str:
        return f"{self.kind} {self.handled_at:%Y-%m-%d}"


class ReceivedRequestStatus(models.TextChoices):
    OPEN = "open", _("open")
    ANSWERED = "answered", _("answered")
    REFUSED = "refused", _("refused")


class ReceivedRequest(models.Model):
    """A request from a data subject as it arrives, with the date by which the FG must answer
    (AVG art. 12(3): one month, extended by at most two months with a reason). What the FG
    then does is a DataSubjectRequest; this row keeps the deadline in view until then."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    kind = models.CharField(_("kind of request"), max_length=16, choices=RequestKind.choices)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("answer due by"))
    extended_because = EncryptedTextField(_("reason for the extension"), blank=True)
    # Where the request can be found (letter, e-mail): the FG's own reference, encrypted.
    reference = EncryptedTextField(_("reference"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=ReceivedRequestStatus.choices,
        default=ReceivedRequestStatus.OPEN,
    )
    outcome = EncryptedTextField(_("outcome"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("received data-subject request")
        verbose_name_plural = _("received data-subject requests")
        indexes = [models.Index(fields=["region", "status", "due_on"], name="received_open")]

    def __str__(self) -> str:
        return f"{self.kind} {self.received_on:%Y-%m-%d}"

    def is_overdue(self, today: date) -> bool:
        return self.status == ReceivedRequestStatus.OPEN and self.due_on < today


class KeyFingerprint(models.Model):
    """An HMAC fingerprint of a configured key, to notice a wrong key at start (fingerprints.py).

    Reveals nothing of the key itself; holds no personal data.
    """

    name = models.CharField(_("setting"), max_length=40)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("key fingerprint")
        verbose_name_plural = _("key fingerprints")
        constraints = [
            models.UniqueConstraint(fields=["name", "fingerprint"], name="key_fingerprint_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.fingerprint[:8]}"
