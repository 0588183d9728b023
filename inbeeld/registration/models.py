"""The registration (aanmelding) of a presumed victim with CoMensha, per case.

CoMensha registers (possible) victims for the Ministry of J&V and passes them on anonymised
to the National Rapporteur (../shared/specs/registration.md, "CoMensha registration"). A
case has one person, so a case has one registration *lineage*: its versions share a
``lineage`` key (what CoMensha knows it by; never the case reference) and are numbered 1, 2,
... A version is a draft until it is sent; once sent it never changes: a correction is a new
version that, when sent, marks the one before it ``corrected``.

The registration carries no name, no date of birth and no free text: what CoMensha counts
(reporter, police unit, dossier type, form of exploitation, sector, nationality, age, minor or
adult, gender, plaats delict, methods) and the legal basis. That is InBeeld's decision of data
minimisation (docs/registration.md); CoMensha asks the reporter when it needs more.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inbeeld.cases.models import Case
from inbeeld.regions.models import Municipality, Region
from inbeeld.signals.models import Gender


class ReporterType(models.TextChoices):
    """CoMensha's aanmelder types (annual reports, "Het beeld van 2024")."""

    POLICE = "police", _("Police (NP)")
    KMAR = "kmar", _("Royal Netherlands Marechaussee (KMar)")
    NLA = "nla", _("Labour inspectorate (NLA)")
    CARE_COORDINATION = "care_coordination", _("Care coordination")
    FAIRWORK = "fairwork", _("FairWork")
    OTHER = "other", _("Other (lawyer, shelter, care organisation, the person)")


# Obliged to report under the Besluit politiegegevens (bijzondere opsporingsdiensten): for
# them the obligation is the legal basis; anyone else needs the person's consent.
OBLIGED_REPORTERS = frozenset({ReporterType.POLICE, ReporterType.KMAR, ReporterType.NLA})


class PoliceUnit(models.TextChoices):
    """The ten regional police units and the national unit (CoMensha's region of a report)."""

    NOORD_NEDERLAND = "noord_nederland", "Noord-Nederland"
    OOST_NEDERLAND = "oost_nederland", "Oost-Nederland"
    MIDDEN_NEDERLAND = "midden_nederland", "Midden-Nederland"
    NOORD_HOLLAND = "noord_holland", "Noord-Holland"
    AMSTERDAM = "amsterdam", "Amsterdam"
    DEN_HAAG = "den_haag", "Den Haag"
    ROTTERDAM = "rotterdam", "Rotterdam"
    ZEELAND_WEST_BRABANT = "zeeland_west_brabant", "Zeeland-West-Brabant"
    OOST_BRABANT = "oost_brabant", "Oost-Brabant"
    LIMBURG = "limburg", "Limburg"
    LANDELIJK = "landelijk", _("National unit (Landelijke eenheid)")


U = PoliceUnit
# Which police unit a safety region lies in (the regions' reference data has no such column;
# every safety region lies wholly within one regional unit). Prefills the form.
POLICE_UNIT_OF_REGION: dict[str, str] = {
    "VR01": U.NOORD_NEDERLAND,
    "VR02": U.NOORD_NEDERLAND,
    "VR03": U.NOORD_NEDERLAND,
    "VR04": U.OOST_NEDERLAND,
    "VR05": U.OOST_NEDERLAND,
    "VR06": U.OOST_NEDERLAND,
    "VR07": U.OOST_NEDERLAND,
    "VR08": U.OOST_NEDERLAND,
    "VR09": U.MIDDEN_NEDERLAND,
    "VR10": U.NOORD_HOLLAND,
    "VR11": U.NOORD_HOLLAND,
    "VR12": U.NOORD_HOLLAND,
    "VR13": U.AMSTERDAM,
    "VR14": U.MIDDEN_NEDERLAND,
    "VR15": U.DEN_HAAG,
    "VR16": U.DEN_HAAG,
    "VR17": U.ROTTERDAM,
    "VR18": U.ROTTERDAM,
    "VR19": U.ZEELAND_WEST_BRABANT,
    "VR20": U.ZEELAND_WEST_BRABANT,
    "VR21": U.OOST_BRABANT,
    "VR22": U.OOST_BRABANT,
    "VR23": U.LIMBURG,
    "VR24": U.LIMBURG,
    "VR25": U.MIDDEN_NEDERLAND,
}


class DossierType(models.TextChoices):
    """CoMensha's dossier types; "dynamic": the type may change (DossierTypeChange)."""

    REGISTRATION = "registration", _("Registration")
    SHELTER = "registration_shelter", _("Registration and shelter")
    ADVICE = "registration_advice", _("Registration, information and advice")


class Minority(models.TextChoices):
    UNKNOWN = "", _("Unknown")
    MINOR = "minor", _("Minor (under 18)")
    ADULT = "adult", _("Adult (18 or older)")


class LegalBasis(models.TextChoices):
    UNKNOWN = "", _("Not yet given")
    OBLIGATION = "obligation", _("Obligation to report (police, KMar, NLA)")
    CONSENT = "consent", _("Written consent")


class ConsentSigner(models.TextChoices):
    """Who signed the written consent: 16 or older the person, under 16 the parents or the
    guardian (kenniscentrum-kjp.nl, nji.nl)."""

    UNKNOWN = "", _("Not yet signed")
    PERSON = "person", _("The person themselves")
    PARENT_OR_GUARDIAN = "parent_or_guardian", _("Parents or guardian")


class RegistrationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged by CoMensha")
    CORRECTED = "corrected", _("Replaced by a correction")


class Transport(models.TextChoices):
    NONE = "", _("Not sent")
    FILE = "file", _("File, downloaded")
    API = "api", _("CoMensha's API (outbox)")


class Registration(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="registrations")
    # The case's region when the version was made: the tenant boundary of its audit entries.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    lineage = models.UUIDField(default=uuid.uuid4, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.DRAFT,
    )
    registration_date = models.DateField(_("date of the registration"), null=True, blank=True)
    reporter_type = models.CharField(
        _("reporter"), max_length=20, choices=ReporterType.choices, blank=True
    )
    police_unit = models.CharField(
        _("police unit"), max_length=24, choices=PoliceUnit.choices, blank=True
    )
    dossier_type = models.CharField(
        _("dossier type"), max_length=24, choices=DossierType.choices, blank=True
    )
    exploitation_forms = models.JSONField(_("forms of exploitation"), default=list, blank=True)
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    nationalities = models.JSONField(_("nationalities"), default=list, blank=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    minority = models.CharField(
        _("minor or adult"), max_length=8, choices=Minority.choices, blank=True
    )
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    # Plaats delict: a municipality (its CBS code) in the Netherlands, or a country abroad.
    place_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plaats delict (municipality)"),
    )
    place_country = models.CharField(_("plaats delict (country)"), max_length=2, blank=True)
    recruitment_methods = models.JSONField(_("methods of recruitment"), default=list, blank=True)
    control_methods = models.JSONField(_("methods of control"), default=list, blank=True)
    legal_basis = models.CharField(
        _("legal basis"), max_length=16, choices=LegalBasis.choices, blank=True
    )
    consent_signed_by = models.CharField(
        _("consent signed by"), max_length=20, choices=ConsentSigner.choices, blank=True
    )
    consent_date = models.DateField(_("consent signed on"), null=True, blank=True)
    transport = models.CharField(_("sent as"), max_length=8, choices=Transport.choices, blank=True)
    # CoMensha's own number for the dossier, when it acknowledges: no personal data.
    comensha_reference = models.CharField(_("CoMensha's reference"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        ordering = ["case", "version"]
        verbose_name = _("CoMensha registration")
        verbose_name_plural = _("CoMensha registrations")
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="registration_version_once"),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="draft"),
                name="registration_one_draft",
            ),
            models.CheckConstraint(
                condition=models.Q(place_municipality__isnull=True) | models.Q(place_country=""),
                name="registration_one_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} registration v{self.version}"

    @property
    def key(self) -> str:
        """What CoMensha and the outbox know this version by: lineage and version."""
        return f"{self.lineage}:{self.version}"

    @property
    def is_draft(self) -> bool:
        return self.status == RegistrationStatus.DRAFT

    @property
    def place_code(self) -> str:
        if self.place_municipality is not None:
            return self.place_municipality.code
        return self.place_country


class DossierTypeChange(models.Model):
    """The history of a case's dossier type: a row each time a version gives another one."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="dossier_changes"
    )
    dossier_type = models.CharField(_("dossier type"), max_length=24, choices=DossierType.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.registration} {self.dossier_type}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be delivered")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Not delivered: gave up after the last attempt")


class OutboxMessage(models.Model):
    """A version to deliver to CoMensha's API: written in the transaction that marks it sent,
    delivered by a django-q2 task (transport.py) with retries and exponential backoff.

    One per version (``key`` unique): sending twice cannot make two. It holds no copy of the
    data: the document is built from the (unchangeable) sent version at each attempt."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="outbox"
    )
    key = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    # What went wrong, in InBeeld's words (an HTTP status, a refused connection): never the
    # answer's body, which could echo data back.
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["next_attempt_at", "pk"]

    def __str__(self) -> str:
        return self.key

    @property
    def region(self) -> Region:
        return self.registration.region
