"""The care plan of a case: the person's situation and goals over the life domains, the
actions that follow from them, and a review date per domain.

A case has at most one plan (made by its first change). Free text is encrypted at rest. The
plan is claimed with optimistic locking (``CarePlan.version``, careplans/concurrency.py) for
every change, and every change leaves a ``CarePlanVersion`` naming what changed (which
domain, field or action), when and by whom, without the text itself.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from inbeeld.accounts.models import Organisation
from inbeeld.cases.models import Case
from inbeeld.privacy.encryption import EncryptedTextField


class LifeDomain(models.TextChoices):
    # The order of the issue and of the care plans the zorgcoördinators use (seed 002).
    SAFETY = "safety", _("Safety and shelter")
    HEALTH = "health", _("Physical and mental health")
    LEGAL = "legal", _("Legal aid and police report")
    RESIDENCE = "residence", _("Residence")
    INCOME = "income", _("Income and debts")
    HOUSING = "housing", _("Housing")
    DAYTIME = "daytime", _("Daytime activity (education, work)")
    NETWORK = "network", _("Social network")
    EXIT = "exit", _("Exit route")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class CarePlan(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="care_plan")
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    # Optimistic locking (careplans/concurrency.py); the number of saved changes is
    # ``version - 1``.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("care plan")
        verbose_name_plural = _("care plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="careplan_version_from_1"
            ),
        ]

    def __str__(self) -> str:
        return f"care plan of {self.case_id}"

    # The plan lies in its case's region (audit entries, tasks, the FG's regions); stored
    # once, on the case, so that a case moved to another region takes its plan along.
    @property
    def region(self) -> Any:
        return self.case.region

    @property
    def region_id(self) -> int:
        return int(self.case.region_id)


class CarePlanDomain(models.Model):
    """One life domain of a plan: the situation, the goals and when to review them."""

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("life domain"), max_length=16, choices=LifeDomain.choices)
    situation = EncryptedTextField(_("situation"), blank=True)
    goals = EncryptedTextField(_("goals"), blank=True)
    review_date = models.DateField(_("review date"), null=True, blank=True)

    class Meta:
        verbose_name = _("life domain of a care plan")
        verbose_name_plural = _("life domains of care plans")
        constraints = [
            models.UniqueConstraint(fields=["plan", "domain"], name="careplan_domain_once"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.domain}"

    @property
    def region(self) -> Any:
        return self.plan.case.region

    @property
    def region_id(self) -> int:
        return int(self.plan.case.region_id)


class CarePlanAction(models.Model):
    """Something to do in a domain, by an organisation taking part (or one of its people)."""

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="actions")
    domain = models.CharField(_("life domain"), max_length=16, choices=LifeDomain.choices)
    description = EncryptedTextField(pgettext_lazy("care plan", "action"))
    owner_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="care_plan_actions",
        verbose_name=_("organisation"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_plan_actions",
        verbose_name=_("person"),
    )
    due = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("action of a care plan")
        verbose_name_plural = _("actions of care plans")

    def __str__(self) -> str:
        return f"action {self.pk}"

    @property
    def region(self) -> Any:
        return self.plan.case.region

    @property
    def region_id(self) -> int:
        return int(self.plan.case.region_id)

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.OPEN


class CarePlanVersion(models.Model):
    """One saved change of a plan: what changed (names, never the text), when, by whom.

    ``changes`` is a list of ``{"domain": code, "field": name}`` and ``{"action": id,
    "domain": code, "field": name, "value": status}`` items (careplans/history.py words
    them); it holds no personal data.
    """

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    at = models.DateTimeField(_("changed at"), auto_now_add=True)
    changes = models.JSONField(_("what changed"), default=list)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("version of a care plan")
        verbose_name_plural = _("versions of care plans")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="careplan_version_once"),
        ]

    def __str__(self) -> str:
        return f"care plan {self.plan_id} version {self.number}"
