"""Organisations, staff accounts and the roles they hold."""

from __future__ import annotations

from datetime import date
from typing import Any

from axes.models import AccessFailureLog
from django.contrib.auth.models import AbstractUser
from django.core.validators import EmailValidator, MaxLengthValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken
from rules.permissions import has_perm as rules_has_perm

from inbeeld.privacy.encryption import EncryptedTextField
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
    KMAR = "kmar", _("Royal Netherlands Marechaussee (KMar)")
    CSG = "csg", _("Sexual Assault Centre (CSG)")
    YOUTH_CARE = "youth_care", _("Youth care")
    OM = "om", _("Public Prosecution Service (OM)")
    TAX_ADMINISTRATION = "belastingdienst", _("Tax Administration (Belastingdienst)")
    SAFETY_HOUSE = "safety_house", _("Zorg- en Veiligheidshuis")
    NGO = "ngo", _("Non-governmental organisation")
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


# --- The regional network: the directory of contact persons and the covenant -----------------


class ContactRole(models.TextChoices):
    AANDACHTSFUNCTIONARIS = "aandachtsfunctionaris", _("Municipal contact person")
    ZORGCOORDINATOR = "zorgcoordinator", _("Care coordinator")
    TRAFFICKING_CONTACT = "contact", _("Contact person for human trafficking")
    KETENREGISSEUR = "ketenregisseur", _("Programme lead")
    OTHER = "other", _("Other")


# Work numbers as people write them: digits, spaces, dashes, brackets, a leading plus.
PHONE_VALIDATOR = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{7,24}$", _("Enter a phone number: digits, spaces and dashes.")
)


class ContactPerson(models.Model):
    """A person in the region's network, with or without an InBeeld account.

    A police contact may have no account; ``user`` links the entry to one where it exists.
    Name, function and work contact details identify a professional: they are encrypted at
    rest (docs/privacy.md says why) and never written into the audit trail. The entry is
    removed a period after ``active_until`` (accounts/privacy.py).
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="contact_persons",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_entries",
        verbose_name=_("InBeeld account"),
        help_text=_("Only when the person has an account; many contacts have none."),
    )
    name = EncryptedTextField(_("name"), validators=[MaxLengthValidator(200)])
    role = models.CharField(_("role in the network"), max_length=32, choices=ContactRole.choices)
    function = EncryptedTextField(
        _("function"),
        blank=True,
        validators=[MaxLengthValidator(200)],
        help_text=_("The job title, where it says more than the role."),
    )
    phone = EncryptedTextField(_("work phone"), blank=True, validators=[PHONE_VALIDATOR])
    email = EncryptedTextField(
        _("work e-mail"), blank=True, validators=[EmailValidator(), MaxLengthValidator(254)]
    )
    municipalities = models.ManyToManyField(
        "regions.Municipality",
        blank=True,
        related_name="contact_persons",
        verbose_name=_("contact for the municipalities"),
    )
    listed_publicly = models.BooleanField(
        _("agreed to be listed publicly"),
        default=False,
        help_text=_("Only contacts who agreed appear on pages outside InBeeld's staff pages."),
    )
    active_from = models.DateField(_("contact from"))
    active_until = models.DateField(
        _("contact until"),
        null=True,
        blank=True,
        help_text=_("The last day; empty while the person is the contact."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        ordering = ["organisation__name", "pk"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active_until__isnull=True)
                | models.Q(active_until__gte=models.F("active_from")),
                name="contact_person_until_after_from",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} – {self.organisation}"

    @property
    def region(self) -> Region:
        """The organisation's region: the tenant boundary, and the audit entry's region."""
        return self.organisation.region

    @property
    def region_id(self) -> int:
        return int(self.organisation.region_id)

    def is_active_on(self, day: date) -> bool:
        return self.active_from <= day and (self.active_until is None or day <= self.active_until)


class Covenant(models.Model):
    """One version of the region's covenant (convenant, intentieverklaring).

    A share on the covenant basis (privacy/sharing.py) goes only to an organisation that
    signed the version in force. At most one version is in force in a region on any day
    (accounts/covenants.py checks the periods). The text and the document are the partners'
    agreement, not personal data: stored plainly; a document is checked to be a PDF by its
    content.
    """

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="covenants", verbose_name=_("region")
    )
    title = models.CharField(_("title"), max_length=200)
    version = models.CharField(_("version"), max_length=40)
    text = models.TextField(_("text"), blank=True)
    document = models.BinaryField(_("document"), null=True, blank=True, editable=False)
    document_name = models.CharField(_("file name"), max_length=200, blank=True, editable=False)
    document_size = models.PositiveIntegerField(_("size in bytes"), default=0, editable=False)
    in_force_from = models.DateField(_("in force from"))
    in_force_until = models.DateField(
        _("in force until"),
        null=True,
        blank=True,
        help_text=_("The last day; empty while no end date is known."),
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["region__name", "-in_force_from"]
        verbose_name = _("covenant")
        verbose_name_plural = _("covenants")
        constraints = [
            models.UniqueConstraint(fields=["region", "version"], name="covenant_version_once"),
            models.CheckConstraint(
                condition=models.Q(in_force_until__isnull=True)
                | models.Q(in_force_until__gte=models.F("in_force_from")),
                name="covenant_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    def is_in_force_on(self, day: date) -> bool:
        return self.in_force_from <= day and (
            self.in_force_until is None or day <= self.in_force_until
        )


class CovenantSignature(models.Model):
    """An organisation signed a version of the covenant; and, perhaps later, withdrew.

    Who signed (name and function) is personal data of a professional: encrypted at rest.
    A withdrawal is recorded on the signature, which stays as the record of what was agreed.
    """

    covenant = models.ForeignKey(
        Covenant, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("covenant")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="covenant_signatures",
        verbose_name=_("organisation"),
    )
    signed_on = models.DateField(_("signed on"))
    signed_by_name = EncryptedTextField(_("signed by"), validators=[MaxLengthValidator(200)])
    signed_by_function = EncryptedTextField(
        _("function of the signatory"), blank=True, validators=[MaxLengthValidator(200)]
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    withdrawal_recorded_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawal recorded by"),
    )

    class Meta:
        ordering = ["organisation__name", "signed_on"]
        verbose_name = _("signature of the covenant")
        verbose_name_plural = _("signatures of the covenant")
        constraints = [
            models.UniqueConstraint(
                fields=["covenant", "organisation"],
                condition=models.Q(withdrawn_on__isnull=True),
                name="covenant_signed_once_at_a_time",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True)
                | models.Q(withdrawn_on__gte=models.F("signed_on")),
                name="signature_withdrawn_after_signed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.covenant}"

    @property
    def region(self) -> Region:
        return self.covenant.region

    @property
    def region_id(self) -> int:
        return int(self.covenant.region_id)
