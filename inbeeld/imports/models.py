"""What InBeeld keeps of a partner's import: never the file, only its keyed digest.

The file's content is personal data: it is read in memory, checked, written and forgotten.
An ``ImportRun`` records who imported (or checked) which kind of list for which
organisation, the file's keyed digest (so that the same file twice is recognised and makes
nothing), and the counts. ``ImportedRegistration`` is a registration row's natural key: the
partner's own reference, as a keyed digest, with the registration it made (signals keep
theirs as their idempotency key).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.models import Organisation
from inbeeld.regions.models import Region
from inbeeld.registration.models import Registration


class ImportKind(models.TextChoices):
    SIGNALS = "signals", _("Signals")
    REGISTRATIONS = "registrations", _("CoMensha registrations")


class ImportOutcome(models.TextChoices):
    CHECKED = "checked", _("Checked (dry run): could be imported")
    REFUSED = "refused", _("Refused: nothing imported")
    IMPORTED = "imported", _("Imported")
    ALREADY = "already", _("The same file was imported before: nothing imported")


class ImportRun(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    # The organisation's region: the tenant boundary of the run's audit entry.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    digest = models.CharField(_("file digest"), max_length=32, db_index=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ImportOutcome.choices)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    existing = models.PositiveIntegerField(_("imported before"), default=0)
    errors = models.PositiveIntegerField(_("errors"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            # A file is imported once per organisation and kind; a second run finds this one.
            models.UniqueConstraint(
                fields=["organisation", "kind", "digest"],
                condition=models.Q(outcome="imported"),
                name="import_file_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} import {self.pk}"


class ImportedRegistration(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reference_digest = models.CharField(max_length=32)
    content_digest = models.CharField(max_length=32)
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference_digest"], name="imported_registration_once"
            )
        ]

    def __str__(self) -> str:
        return f"imported registration {self.registration_id}"
