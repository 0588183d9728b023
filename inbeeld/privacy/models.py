"""Retention: how long each kind of record is kept, and what every retention run removed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

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
