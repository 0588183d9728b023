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
