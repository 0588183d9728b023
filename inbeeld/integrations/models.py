"""Organisation API tokens, webhook endpoints and the webhook outbox.

None of these rows holds personal data: a token is an organisation's key (only its digest is
kept), an endpoint is an organisation's address with a signing secret, and an outbox event
names a record by type and id (docs/api.md, "Payload").
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.models import Organisation
from inbeeld.privacy.encryption import EncryptedTextField
from inbeeld.regions.models import Region


class OrganisationToken(models.Model):
    """An API token that acts for an organisation, not for a person.

    It acts through its own account (``account``: no password, inactive for logins, roles in
    this organisation only, the roles its scopes name), so that every rule and every audit
    entry applies to it as to a member; the audit names that account, ``api-token.<key>``.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=100)
    key = models.CharField(_("key"), max_length=12, unique=True)  # shown to recognise it by
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the token, hex
    scopes = models.JSONField(_("scopes"), default=list)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="organisation_token",
        verbose_name=_("account"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("organisation API token")
        verbose_name_plural = _("organisation API tokens")

    def __str__(self) -> str:
        return f"{self.key}… ({self.name})"

    @property
    def region(self) -> Region:
        return self.organisation.region

    @property
    def api_operations(self) -> frozenset[tuple[str, str]]:
        """What its scopes open; RulePermission asks (accounts/permissions.py)."""
        from inbeeld.integrations.scopes import operations_of

        return operations_of(list(self.scopes))

    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class WebhookEvent(models.TextChoices):
    """The events an organisation may subscribe to: each is about that organisation."""

    REFERRAL_REQUESTED = "referral.requested", _("A referral to the organisation")
    REFERRAL_REVOKED = "referral.revoked", _("A referral to the organisation was revoked")
    TIP_RECEIVED = "tip.received", _("A tip to the organisation")
    ACTION_ASSIGNED = "casetable_action.assigned", _("A case-table action for the organisation")


class WebhookEndpoint(models.Model):
    """An organisation's https address that receives its events, signed with ``secret``."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="webhook_endpoints",
        verbose_name=_("organisation"),
    )
    url = models.URLField(_("address"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    # Kept encrypted, not as a digest: signing needs the secret itself. Shown once.
    secret = EncryptedTextField(_("signing secret"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url

    @property
    def region(self) -> Region:
        return self.organisation.region


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be delivered")
    DELIVERED = "delivered", _("Delivered")


class WebhookDelivery(models.Model):
    """One event for one endpoint: the transactional outbox.

    Written in the transaction of the event itself (so no event without its record, and no
    record without its event), delivered by the worker with exponential backoff. A failing
    endpoint keeps its deliveries pending, however long: nothing is dropped. ``event_id`` is
    the same for every attempt, so receivers deduplicate on it (at-least-once delivery).
    """

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.PROTECT, related_name="deliveries"
    )
    event_id = models.UUIDField(default=uuid.uuid4, editable=False)
    event_type = models.CharField(max_length=40, choices=WebhookEvent.choices)
    # The event's share only: object type and id, never personal data (docs/api.md).
    payload = models.JSONField()
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)  # InBeeld's words, not the body
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["next_attempt_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event_id"], name="webhook_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"

    @property
    def region(self) -> Region:
        return self.endpoint.organisation.region
