"""Organisations, staff accounts and the roles they hold."""

from __future__ import annotations

from typing import Any

from axes.models import AccessFailureLog
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken
from rules.permissions import has_perm as rules_has_perm

from inbeeld.regions.models import Region


class OrganisationType(models.TextChoices):
    POLICE = "police", _("Police")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("Labour inspectorate (NLA)")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    GGD = "ggd", _("GGD")
    MUNICIPALITY = "municipality", _("Municipality")
    SHELTER = "shelter", _("Shelter")
    CARE = "care", _("Care organisation")
    SCHOOL = "school", _("School")
    COMENSHA = "comensha", _("CoMensha")
    IND = "ind", _("IND")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    AANDACHTSFUNCTIONARIS = "aandachtsfunctionaris", _("Municipal contact person")
    ZORGCOORDINATOR = "zorgcoordinator", _("Care coordinator")
    KETENPARTNER = "ketenpartner", _("Chain partner")
    KETENREGISSEUR = "ketenregisseur", _("Programme lead")
    BESTUURDER = "bestuurder", _("Administrator (council)")
    ONDERZOEKER = "onderzoeker", _("Researcher")
    BEHEERDER = "beheerder", _("Application administrator")
    FG = "fg", _("Data protection officer")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("region")
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("municipality"),
        help_text=_("For a municipality or an organisation that serves one municipality."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="organisation_name_per_region")
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A staff account. Citizens who report through the meldpunt never get one."""

    # Who manages an account is decided by the regions of its roles; an account without any
    # role would otherwise belong to no region (and so to every administrator, or to none).
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="home_accounts",
        verbose_name=_("home organisation"),
        help_text=_(
            "The application administrators of this organisation's region manage the account "
            "while it holds no role."
        ),
    )

    # Failed logins before this moment no longer count towards the per-user back-off: set
    # when the functioneel beheerder lifts a lock (accounts/lockout.py).
    login_backoff_lifted_at = models.DateTimeField(
        _("back-off lifted at"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        # Only the rules decide (inbeeld/*/rules.py): Django would let a superuser, or a
        # permission row in the database, past every need-to-know check.
        return self.is_active and bool(rules_has_perm(perm, self, obj))  # type: ignore[no-untyped-call]


class Membership(models.Model):
    """A user holds a role in an organisation; a user may hold roles in several organisations."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        ordering = ["organisation__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_once_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"


class DeviceCookieFailure(models.Model):
    """A failed login from a browser with a device cookie for the user name typed.

    It counts against that cookie, not towards the user name's back-off (accounts/lockout.py).
    Goes with its axes failure log entry, and so with that log's retention.
    """

    failure = models.OneToOneField(
        AccessFailureLog,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="device_failure",
        verbose_name=_("failed login"),
    )
    device = models.CharField(_("device"), max_length=64, db_index=True)

    class Meta:
        verbose_name = _("failed login with a device cookie")
        verbose_name_plural = _("failed logins with a device cookie")

    def __str__(self) -> str:
        return f"{self.failure_id}"


class TokenExpiryNotice(models.Model):
    """The owner of an API token was warned that it lapses within ``days_before`` days.

    Recorded so that each warning is mailed once, however often the daily task runs.
    """

    token = models.ForeignKey(
        AuthToken,
        on_delete=models.CASCADE,
        related_name="expiry_notices",
        verbose_name=_("API token"),
    )
    days_before = models.PositiveSmallIntegerField(_("days before expiry"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("API token expiry notice")
        verbose_name_plural = _("API token expiry notices")
        constraints = [
            models.UniqueConstraint(
                fields=["token", "days_before"], name="token_expiry_notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.token_id} – {self.days_before}"
