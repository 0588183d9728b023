"""The audit trail: who read, changed, shared or was refused which record, when and why.

Append-only and tamper-evident. Each entry carries an HMAC over its own content and the
previous entry's hash, so editing or removing an entry breaks the chain from there on
(`inbeeld audit verify`). A database trigger also refuses UPDATE on the table.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    READ = "read", _("read")
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    SHARE = "share", _("share")
    EXPORT = "export", _("export")
    DENIED = "denied", _("access denied")
    LOGIN = "login", _("login")
    LOGIN_FAILED = "login_failed", _("failed login")


class Purpose(models.TextChoices):
    """Why InBeeld processed personal data: the closed list every audit entry names.

    The values are the texts earlier entries already carry (they are part of the hash
    chain and never change); the labels are what the FG and a data subject read, in their
    language. An entry without a purpose (a login, a refusal) has the empty value.
    """

    NONE = "", _("—")
    SIGNAL_INTAKE = "signal intake", _("Intake of a signal")
    TRIAGE = "triage", _("Triage of a signal")
    ATTACHMENT = "attachment", _("Opening an attachment")
    CONSENT = "consent", _("Recording consent")
    CASE_TABLE = "case table (pseudonymised)", _("Case table (pseudonymised)")
    DUPLICATES = "duplicate proposals", _("Looking for duplicate signals")
    SHARING = "sharing", _("Sharing with another person or organisation")
    END_OF_SHARE = "end of share", _("Ending a share")
    TIP_RECEIVED = "tip received", _("Reading a tip received")
    API_READ = "api read", _("Read by a partner system (API)")
    DATA_SUBJECT_REQUEST = "data-subject request", _("Request of a data subject (AVG)")
    RETENTION = "retention", _("Removal after the retention period")
    RETENTION_POLICY = "retention policy", _("Setting a retention period")
    DARK_NUMBER_ESTIMATE = "dark-number estimate", _("Estimate of the unseen number")
    ACCOUNT_ADMINISTRATION = "account administration", _("Account administration")
    ORGANISATION_ADMINISTRATION = (
        "organisation administration",
        _("Administration of regions and organisations"),
    )
    KEY_ROTATION = "key rotation", _("Re-encrypting stored data under a new key")
    NETWORK = (
        "regional network",
        _("The regional network: partners, contact persons and covenant"),
    )
    CASE_WORK = "case work", _("Working on a case")
    REFERRAL = "referral", _("Handling a referral to an organisation")
    CASE_TABLE_MEETING = "case table meeting", _("Preparing and holding the case table")
    TASKS = "tasks", _("Tasks and deadlines")
    WORK_QUEUE = "signal queue", _("Working through the queue of signals")
    QUEUE_EXPORT = "export of the signal queue", _("Exporting the queue of signals")
    SIGNAL_SEARCH = "search of signals", _("Searching the signals")
    FIGURES_EXPORT = "export of aggregate figures", _("Downloading aggregate figures")
    SUPERVISION = (
        "supervision by the data protection officer",
        _("Supervision by the data protection officer"),
    )


class AuditEntry(models.Model):
    # Actor and object are kept as plain values, not foreign keys: the trail must outlive
    # the accounts and records it speaks of, and must not change when they do.
    occurred_at = models.DateTimeField(_("when"), db_index=True)
    actor_id = models.BigIntegerField(_("user id"), null=True, blank=True, db_index=True)
    actor = models.CharField(_("user"), max_length=150, blank=True)
    organisations = models.CharField(_("on behalf of"), max_length=500, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("record type"), max_length=60, blank=True)
    object_id = models.CharField(_("record"), max_length=64, blank=True, db_index=True)
    region = models.CharField(_("region"), max_length=8, blank=True)
    # One of Purpose's values, checked when the entry is written (audit_record). Deliberately
    # no ``choices``: a new purpose is a change of code, not of the database's schema.
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    entry_hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor} {self.action}"

    @property
    def purpose_label(self) -> str:
        """The purpose in the reader's language (an unknown old value as it was written)."""
        return str(Purpose(self.purpose).label) if self.purpose in Purpose.values else self.purpose


class AuditRecordRef(models.Model):
    """A record that an entry names beyond its own object: the rows of a list that was read.

    One read of a list (the API's signal list, the case table, duplicate proposals) is one
    entry whose detail lists the records shown; this index lets the FG's search and a data
    subject's access export find that entry by each of those records, on SQLite and
    PostgreSQL alike. It is derived from the entry (and written in the same transaction);
    the entry's detail, inside the hash chain, stays the proof.
    """

    entry = models.ForeignKey(AuditEntry, on_delete=models.PROTECT, related_name="refs")
    object_type = models.CharField(_("record type"), max_length=60)
    object_id = models.CharField(_("record"), max_length=64)

    class Meta:
        verbose_name = _("record named in an audit entry")
        verbose_name_plural = _("records named in audit entries")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_ref_object")]

    def __str__(self) -> str:
        return f"#{self.entry_id} {self.object_type}:{self.object_id}"
