"""Referrals (toeleiding) from a case to a partner organisation, and services delivered.

A referral asks an organisation of the case's partner directory for a service (shelter,
care, legal aid, ...). It is a share (privacy/sharing.py, ShareKind.REFERRAL) with its legal
basis, and it shares only the case fields the coordinator ticked: the receiving organisation
sees those and the message, never the rest of the case (referrals/access.py). A service
delivered records what the person actually got, from whom and when (HTCDS support plan).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.models import Organisation
from inbeeld.cases.models import Case
from inbeeld.privacy.encryption import EncryptedTextField
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.privacy.models import Share
from inbeeld.regions.models import Region


class ServiceType(models.TextChoices):
    """The services a person is referred to or gets; each maps to an HTCDS support plan type
    (HTCDS_SUPPORT_TYPE) so that the national and international counts can be made."""

    SHELTER = "shelter", _("Shelter")
    HEALTH = "health", _("Medical care")
    MENTAL_HEALTH = "mental_health", _("Mental health care")
    LEGAL_AID = "legal_aid", _("Legal aid")
    EXIT_PROGRAMME = "exit_programme", _("Exit programme")
    LANGUAGE_COURSE = "language_course", _("Language course")
    EDUCATION = "education", _("Education")
    DEBT_HELP = "debt_help", _("Debt help")
    INCOME = "income", _("Income and benefits")
    WORK = "work", _("Work and daytime activity")
    SOCIAL_CARE = "social_care", _("Social care and support")
    RIGHTS_TRAINING = "rights_training", _("Training on rights")
    OTHER = "other", _("Other")


# HTCDS Support plan (spl_) Type: Education; Financial; Health; Labour Exploitation
# Rehabilitation; Legal; Livelihood; Rights-based Training; Sexual Exploitation
# Rehabilitation; Social Care. An exit programme is rehabilitation (labour or sexual, by the
# case's form of exploitation); "other" has no HTCDS type.
HTCDS_SUPPORT_TYPE: dict[str, str] = {
    ServiceType.SHELTER: "Social Care",
    ServiceType.HEALTH: "Health",
    ServiceType.MENTAL_HEALTH: "Health",
    ServiceType.LEGAL_AID: "Legal",
    ServiceType.EXIT_PROGRAMME: "Exploitation Rehabilitation",
    ServiceType.LANGUAGE_COURSE: "Education",
    ServiceType.EDUCATION: "Education",
    ServiceType.DEBT_HELP: "Financial",
    ServiceType.INCOME: "Financial",
    ServiceType.WORK: "Livelihood",
    ServiceType.SOCIAL_CARE: "Social Care",
    ServiceType.RIGHTS_TRAINING: "Rights-based Training",
    ServiceType.OTHER: "",
}


class SharedField(models.TextChoices):
    """The parts of a case a referral may pass on; the receiving organisation sees only the
    ones ticked (data minimisation, AVG art. 5(1)(c))."""

    NAME = "name", _("Name")
    DATE_OF_BIRTH = "date_of_birth", _("Date of birth")
    AGE_BAND = "age_band", _("Age")
    GENDER = "gender", _("Gender")
    NATIONALITIES = "nationalities", _("Nationalities")
    EXPLOITATION_FORMS = "exploitation_forms", _("Forms of exploitation")
    MUNICIPALITY = "municipality", _("Municipality")


class ReferralStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Revoked")
    COMPLETED = "completed", _("Completed")


class Referral(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    # The region of the directory it went to (the case's region when it was made): the
    # tenant boundary of its audit entries and its task, kept if the case moves region.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    reference = models.CharField(_("reference"), max_length=16, unique=True)
    from_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="referrals_sent",
        verbose_name=_("from organisation"),
    )
    to_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("to organisation"),
    )
    service = models.CharField(_("service"), max_length=32, choices=ServiceType.choices)
    # What the coordinator asks; may name people: encrypted.
    message = EncryptedTextField(_("message"))
    shared_fields = models.JSONField(_("shared with the organisation"), default=list, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=16, choices=LegalBasis.choices)
    # The recorded share (privacy/sharing.py) that carries the data; kept by privacy/.
    share = models.ForeignKey(
        Share, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ReferralStatus.choices,
        default=ReferralStatus.REQUESTED,
    )
    answer_due = models.DateField(_("answer due"))
    # Why it was rejected; may name people: encrypted.
    reason = EncryptedTextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["to_organisation", "status", "-created_at"], name="referral_in")
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_waiting(self) -> bool:
        return self.status == ReferralStatus.REQUESTED

    @property
    def shared_field_labels(self) -> list[str]:
        return [str(SharedField(code).label) for code in self.shared_fields]


class ExitPhase(models.TextChoices):
    """The phases of an exit programme (uitstapprogramma), as the regional programmes for
    people leaving prostitution and exploitation run them: first contact and intake,
    stabilisation (safety, housing, income, debts), the exit itself (work, education, a new
    daily life) and aftercare. A person can go back a phase; the dates say the order."""

    INTAKE = "intake", _("Intake")
    STABILISATION = "stabilisation", _("Stabilisation")
    EXIT = "exit", _("Exit: work, education, daily life")
    AFTERCARE = "aftercare", _("Aftercare")


class ProgrammePhase(models.Model):
    """One dated phase of an exit programme followed after an accepted referral; the latest
    is the current phase. Recorded by the programme's organisation (the referral's
    recipient), seen on the case by its coordinator. No free text: nothing to erase."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="phases")
    phase = models.CharField(_("phase"), max_length=16, choices=ExitPhase.choices)
    started_on = models.DateField(_("started on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["started_on", "pk"]
        verbose_name = _("programme phase")
        verbose_name_plural = _("programme phases")

    def __str__(self) -> str:
        return f"{self.referral} {self.phase} {self.started_on.isoformat()}"


class ServiceDelivered(models.Model):
    """A service the person got: its type, who provided it and the period (HTCDS spl_)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    service = models.CharField(_("service"), max_length=32, choices=ServiceType.choices)
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("provider")
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    referral = models.ForeignKey(
        Referral,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("following the referral"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("service delivered")
        verbose_name_plural = _("services delivered")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="service_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.service}"

    @property
    def htcds_type(self) -> str:
        return HTCDS_SUPPORT_TYPE.get(self.service, "")
