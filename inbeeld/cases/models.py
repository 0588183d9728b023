"""Cases (dossiers): the people the zorgcoördinator works with as (presumed) victims.

A case belongs to a region and is owned by one organisation and one person. It may be opened
from one or more signals of its region (CaseSignal); those signals keep their own history.
The person's identity is encrypted at rest, with a keyed hash of the name (blind index) as in
signals. Other organisations take part through a recorded share (privacy/sharing.py,
ShareKind.CASE_INVITE) with its legal basis; the share is the grant, not a copy.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.models import Organisation
from inbeeld.cases.codes import CODED_LISTS, Relationship, code_labels
from inbeeld.privacy.encryption import EncryptedTextField
from inbeeld.regions.models import Municipality, Region
from inbeeld.signals.models import AgeBand, ExploitationForm, Gender, Signal

# The forms of exploitation are the signals' one shared list (signals.models.ExploitationForm,
# built from signals/indicators.py FORMS): a case stores their codes, validated in services.


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    CLOSED_REFERRED = "closed_referred", _("Closed, referred")


class TraffickingStatus(models.TextChoices):
    # HTCDS TraffickingStatus, with the Dutch "vermoedelijk" step between possible and actual.
    POSSIBLE = "possible", _("Possible victim")
    PRESUMED = "presumed", _("Presumed victim")
    ACTUAL = "actual", _("Actual victim")
    NOT_VICTIM = "not_victim", _("Not a victim")


class DecidedBy(models.TextChoices):
    # HTCDS TraffickingStatusDecisionMakingOrg.
    UNKNOWN = "", _("Not decided")
    POLICE = "police", _("Police")
    NGO = "ngo", _("Non-governmental organisation")
    COURT = "court", _("Court or prosecution")
    GOVERNMENT = "government", _("Non-police governmental organisation")
    OTHER = "other", _("Other")


class Case(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    reference = models.CharField(_("reference"), max_length=16, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    # Why the case was closed, in words: may name people, so encrypted.
    outcome = EncryptedTextField(_("outcome"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    owner_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="cases_owned",
        verbose_name=_("owner organisation"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases_owned",
        verbose_name=_("case owner"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("municipality"),
    )
    trafficking_status = models.CharField(
        _("trafficking status"),
        max_length=16,
        choices=TraffickingStatus.choices,
        default=TraffickingStatus.POSSIBLE,
    )
    decided_by = models.CharField(
        _("status decided by"), max_length=16, choices=DecidedBy.choices, blank=True
    )
    exploitation_forms = models.JSONField(_("forms of exploitation"), default=list, blank=True)
    # HTCDS's victim context as codes (cases/codes.py): how, never who.
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    recruitment_methods = models.JSONField(_("methods of recruitment"), default=list, blank=True)
    control_methods = models.JSONField(_("methods of control"), default=list, blank=True)
    recruitment_channels = models.JSONField(
        _("websites and apps used to recruit"), default=list, blank=True
    )
    recruiter_relationship = models.CharField(
        _("relationship to the recruiter"), max_length=16, choices=Relationship.choices, blank=True
    )
    age_at_exploitation = models.PositiveSmallIntegerField(
        _("age at exploitation"), null=True, blank=True
    )
    # AVG art. 18: kept but not processed; only the FG sees a restricted case.
    restricted = models.BooleanField(_("processing restricted"), default=False)
    restriction_reason = EncryptedTextField(_("reason for the restriction"), blank=True)
    erased_at = models.DateTimeField(_("identifying data erased at"), null=True, blank=True)
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    # Optimistic locking (cases/concurrency.py), as for signals.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(condition=models.Q(version__gte=1), name="case_version_from_1"),
        ]
        indexes = [models.Index(fields=["region", "status", "-created_at"], name="case_list")]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN

    @property
    def signal_ids(self) -> list[int]:
        return sorted(self.case_signals.values_list("signal_id", flat=True))

    @property
    def exploitation_form_labels(self) -> list[str]:
        return [str(ExploitationForm(code).label) for code in self.exploitation_forms]

    @property
    def coded_labels(self) -> list[tuple[str, list[str]]]:
        """Each coded list's name and its items in the reader's language, for the case page."""
        fields: dict[str, Any] = {name: self._meta.get_field(name) for name in CODED_LISTS}
        return [
            (str(field.verbose_name), code_labels(name, getattr(self, name)))
            for name, field in fields.items()
        ]

    @property
    def minor_at_exploitation(self) -> bool:
        return self.age_at_exploitation is not None and self.age_at_exploitation < 18


class CasePerson(models.Model):
    """The person the case is about (one per case)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="person")
    name = EncryptedTextField(_("name"), blank=True)
    name_index = models.CharField(max_length=32, blank=True, db_index=True)
    date_of_birth = EncryptedTextField(_("date of birth"), blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    # ISO 3166-1 alpha-2 codes (HTCDS Citizenship is multi-valued).
    nationalities = models.JSONField(_("nationalities"), default=list, blank=True)
    age_band = models.CharField(_("age"), max_length=8, choices=AgeBand.choices, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return f"{self.case} person"

    @property
    def is_minor(self) -> bool:
        return self.age_band == AgeBand.MINOR

    @property
    def nationality_names(self) -> list[str]:
        """The nationalities named in the reader's language (the codes are for counting)."""
        from inbeeld.signals.nationality import nationality_name

        return [nationality_name(code) for code in self.nationalities]


class EventKind(models.TextChoices):
    RECRUITMENT = "recruitment", _("Recruitment")
    TRANSIT = "transit", _("Transit")
    EXPLOITATION = "exploitation", _("Exploitation")


class CaseEvent(models.Model):
    """A trafficking event (HTCDS hte_): where and when recruitment, transit or exploitation
    took place; a municipality in the Netherlands or a country abroad."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("municipality"),
    )
    country = models.CharField(_("country"), max_length=2, blank=True)
    start = models.DateField(_("date or start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["start", "created_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"


class CaseSignal(models.Model):
    """A signal the case was opened from (or linked to later); the signal keeps its history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_signals")
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="case_links")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        ordering = ["linked_at"]
        constraints = [models.UniqueConstraint(fields=["case", "signal"], name="case_signal_once")]

    def __str__(self) -> str:
        return f"{self.case} <- {self.signal_id}"


class CaseNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = EncryptedTextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_notes",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return f"{self.case} note {self.created_at:%Y-%m-%d}"


class CaseChange(models.Model):
    """A status change of the case (opened, closed, reopened, trafficking status), for the
    timeline; holds no personal data (the outcome text stays on the case)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="changes")
    what = models.CharField(max_length=32)
    value = models.CharField(max_length=32, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.what}"


class TransferStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class CaseTransfer(models.Model):
    """A proposal to move a case to another region, answered by that region's coordinator.

    Until it is accepted nothing of the case changes, and the other region sees only the
    proposal (cases/access.py: transfer_get_for), not the case.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("from region")
    )
    to_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("to region")
    )
    # Why the case should move (the person moved, safety): may name people, so encrypted.
    message = EncryptedTextField(_("reason for the transfer"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=TransferStatus.choices,
        default=TransferStatus.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # Why it was rejected: may name people, so encrypted.
    reason = EncryptedTextField(_("reason"), blank=True)

    class Meta:
        ordering = ["proposed_at", "pk"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="proposed"),
                name="case_one_open_transfer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} -> {self.to_region_id}"

    @property
    def region(self) -> Region:
        # The audit entries about the proposal (read and answered by the receiving region)
        # lie in the region it is offered to, whose FG supervises that side.
        return self.to_region
