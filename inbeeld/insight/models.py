"""Encoded lists that partners upload, and linkage runs over a region's lists for a year.

An encoded list holds keyed Bloom-filter encodings only (see docs/linkage.md): no names,
no dates of birth. Encodings are still pseudonymised personal data under the AVG, so they
stay inside their region and are visible only to need-to-know roles.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.models import Organisation
from inbeeld.privacy.encryption import EncryptedTextField
from inbeeld.regions.models import Region


class EncodedList(models.Model):
    """One organisation's encoded list of presumed victims for one year."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, verbose_name=_("organisation")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    list_name = models.SlugField(_("list name"), max_length=40)
    content = EncryptedTextField(_("encoded file"))
    record_count = models.PositiveIntegerField(_("records"))
    schema_id = models.CharField(_("encoding schema"), max_length=40)
    key_fingerprint = models.CharField(_("key fingerprint"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now=True)

    class Meta:
        ordering = ["-year", "list_name"]
        verbose_name = _("encoded list")
        verbose_name_plural = _("encoded lists")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="one_encoded_list_per_organisation_year"
            ),
            models.UniqueConstraint(
                fields=["region", "year", "list_name"], name="list_name_unique_per_region_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.list_name} {self.year}"


class LinkageRun(models.Model):
    """Linking a region's encoded lists for a year, and its MSE estimate.

    A person requests a run; a background task (django-q2) links and estimates, because
    that takes longer than a web request may. ``state`` moves queued → running → done or
    failed. A done run has the overlap and, when one exists, the estimate; ``problem`` says
    why a done run has no estimate or why a run failed, as a code the page explains.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    class Problem(models.TextChoices):
        # Short names; the page explains each in full (insight/explain.py).
        NO_ESTIMATE = "no_estimate", _("no estimate exists")
        TOO_FEW_LISTS = "too_few_lists", _("too few lists")
        UNREADABLE = "unreadable", _("a list could not be read")
        STOPPED = "stopped", _("stopped before the end")
        NOT_STARTED = "not_started", _("never started")
        ERROR = "error", _("unexpected error")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    year = models.PositiveSmallIntegerField(_("year"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("run by")
    )
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The lists' column names in the overlap table (slugs), and the organisations' names
    # shown for them, in the same order.
    sources = models.JSONField(_("lists"), default=list)
    labels = models.JSONField(_("organisations of the lists"), default=list)
    threshold = models.FloatField(_("match threshold"), null=True, blank=True)
    threshold_estimated = models.BooleanField(_("threshold chosen automatically"), default=False)
    histories = models.JSONField(_("overlap per capture pattern"), default=list)
    estimation = models.JSONField(_("estimate"), null=True, blank=True)
    problem = models.CharField(
        _("why there is no estimate"), max_length=20, choices=Problem.choices, blank=True
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("linkage run")
        verbose_name_plural = _("linkage runs")

    def __str__(self) -> str:
        return f"{self.region} {self.year} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    def label_of(self, source: str) -> str:
        """The organisation's name for a list's column name (the name itself if unknown)."""
        return str(dict(zip(self.sources, self.labels, strict=False)).get(source, source))
