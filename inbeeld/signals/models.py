"""Signals (meldingen) of possible human trafficking, from citizens and from partners.

Identifying fields are encrypted at rest; the victim's name also has a keyed hash (blind
index) so that duplicates can be found without decrypting. Nothing about the reporter's
device or connection is stored: no IP address, no user agent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from inbeeld.accounts.models import Organisation
from inbeeld.privacy.encryption import EncryptedTextField
from inbeeld.regions.models import Municipality, Region
from inbeeld.signals.indicators import FORMS


def labelled_forms(labels: Mapping[str, str | Promise]) -> list[tuple[str, str | Promise]]:
    """(code, label) for every form of exploitation, in the order of ``indicators.FORMS``.

    Refuses, at import, labels for a form that is not there or a form without a label.
    """
    missing, extra = set(FORMS) - set(labels), set(labels) - set(FORMS)
    if missing or extra:
        raise ImproperlyConfigured(
            "labels of the forms of exploitation differ from indicators.FORMS: "
            f"missing {sorted(missing)}, unknown {sorted(extra)}"
        )
    return [(code, labels[code]) for code in FORMS]


# One source for the forms of exploitation: their codes and order are indicators.FORMS (the
# framework-free catalogue module, which cannot import Django); only the translated labels
# live here. Built from FORMS rather than written out as a class, so that a form added there
# cannot be missing here, nor one be added here alone. The price: django-stubs cannot type
# the members of a functionally built enum, so code uses the codes ("sexual") and
# ExploitationForm(code), never ExploitationForm.SEXUAL.
_FORM_LABELS = {
    "sexual": _("Sexual exploitation"),
    "labour": _("Labour exploitation"),
    "criminal": _("Criminal exploitation"),
    "organ_removal": _("Organ removal"),
    "other": _("Other or unknown"),
}
ExploitationForm = cast(
    type[models.TextChoices],
    models.TextChoices(  # type: ignore[call-overload]
        "ExploitationForm",
        [(code.upper(), (code, label)) for code, label in labelled_forms(_FORM_LABELS)],
        module=__name__,
    ),
)


class AgeBand(models.TextChoices):
    # The values are those of signals/ages.py, which derives them from a date of birth.
    UNKNOWN = "", _("Unknown")
    MINOR = "minor", _("Under 18")
    YOUNG_ADULT = "18-23", _("18 to 23")
    ADULT = "24-49", _("24 to 49")
    OLDER = "50+", _("50 or older")


class Gender(models.TextChoices):
    UNKNOWN = "", _("Unknown")
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class Source(models.TextChoices):
    PUBLIC = "public", _("Public reporting form")
    PARTNER = "partner", _("Partner")
    API = "api", _("Partner system (API)")


class Status(models.TextChoices):
    NEW = "nieuw", _("New")
    IN_PROGRESS = "in_behandeling", _("Being handled")
    CASE_TABLE = "overlegtafel", _("At the case table")
    TRANSFERRED = "overgedragen", _("Transferred directly")
    CLOSED = "afgesloten", _("Closed")


class Outcome(models.TextChoices):
    NONE = "", _("Not closed")
    NO_TRAFFICKING = "geen_mensenhandel", _("No human trafficking")
    OTHER_PROBLEMS = "andere_problematiek", _("Other problems, referred")
    PRESUMED_VICTIM = "vermoedelijk_slachtoffer", _("Presumed victim")


class Signal(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("place of the crime (municipality)"),
    )
    place_text = EncryptedTextField(_("place, in words"), blank=True)
    description = EncryptedTextField(_("what was noticed"))
    incident_date = models.DateField(_("date of the incident"), null=True, blank=True)
    exploitation_forms = models.JSONField(_("forms of exploitation"), default=list, blank=True)
    indicators = models.JSONField(_("indicators"), default=list, blank=True)
    methods = models.JSONField(_("methods"), default=list, blank=True)
    risk_score = models.FloatField(_("risk score"), default=0.0)
    # What the score was made of when the signal was scored (signals/scoring.py): the
    # catalogue's version and every contribution {"code", "kind", "weight"}, largest first.
    # A later catalogue changes neither. Empty: the version was not recorded (migration 0010).
    risk_catalogue_version = models.CharField(
        _("catalogue version of the risk score"), max_length=32, blank=True
    )
    risk_contributions = models.JSONField(
        _("contributions to the risk score"), default=list, blank=True
    )
    acute = models.BooleanField(_("acute danger"), default=False)
    people_count = models.PositiveSmallIntegerField(_("number of people"), null=True, blank=True)
    victim_name = EncryptedTextField(_("name of the possible victim"), blank=True)
    victim_name_index = models.CharField(max_length=32, blank=True, db_index=True)
    victim_date_of_birth = EncryptedTextField(_("date of birth"), blank=True)
    victim_age_band = models.CharField(_("age"), max_length=8, choices=AgeBand.choices, blank=True)
    victim_gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    # An ISO 3166-1 alpha-2 code (blank: unknown), so that nationality can be counted.
    victim_nationality = CountryField(_("nationality"), blank=True)
    # Only for signals from before nationality was a code, when the text named no single
    # country (see signals/nationality.py); empty for every new signal.
    victim_nationality_text = EncryptedTextField(_("nationality as first written"), blank=True)
    reporter_contact = EncryptedTextField(_("reporter's contact details"), blank=True)
    anonymous = models.BooleanField(_("reporter stays anonymous"), default=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    source_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals_reported",
        verbose_name=_("reporting organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals_created",
        verbose_name=_("entered by"),
    )
    assigned_to = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="signals_assigned",
        verbose_name=_("assigned to"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    outcome = models.CharField(_("outcome"), max_length=32, choices=Outcome.choices, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The first triage step: the first change of status away from "new" (insight's
    # operational figures measure the time to it). Empty for a new signal, and for signals
    # triaged before this was recorded (migration 0014): those are left out of the figure.
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    phone_numbers = EncryptedTextField(
        _("phone numbers involved"),
        blank=True,
        help_text=_("Phone numbers of the possible victim or others involved, one per line."),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_signals",
        verbose_name=_("merged into"),
    )
    # Data-subject rights (AVG art. 17 and 18): a restricted signal is kept but not processed;
    # an erased one keeps only what the statistics need, its identifying fields are emptied.
    restricted = models.BooleanField(_("processing restricted"), default=False)
    restriction_reason = EncryptedTextField(_("reason for the restriction"), blank=True)
    erased_at = models.DateTimeField(_("identifying data erased at"), null=True, blank=True)
    receipt_code = models.CharField(_("receipt code"), max_length=16, unique=True)
    receipt_secret_hash = models.CharField(max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True)
    # Keyed digest (blind index) of what was submitted under the idempotency key: a repeat
    # with the same key and another digest carries changes (services.py).
    submission_digest = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    # Optimistic locking: every change to the signal adds one (signals/concurrency.py), so a
    # change made on an older view of the signal is refused instead of overwriting another's.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="signal_version_from_1"
            ),
            # A retried submission makes one signal. Keys are scoped by their source
            # ("org<id>:<key>" for partners, "public:<digest>" for the meldpunt).
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="signal_idempotency_key_once",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status", "-created_at"], name="triage_queue"),
            # The queue's urgency order to the last key (the id), so that a page of a
            # region is one range scan that stops after the page (signals/queue.py).
            models.Index(
                fields=["region", "-acute", "-risk_score", "-created_at", "-id"],
                name="triage_urgency_order",
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_code

    @property
    def exploitation_form_labels(self) -> list[str]:
        return [str(ExploitationForm(code).label) for code in self.exploitation_forms]

    @property
    def victim_is_minor(self) -> bool:
        """Under 18: every page that shows the signal says so in words (not colour alone)."""
        return self.victim_age_band == AgeBand.MINOR


class ReporterAddition(models.Model):
    """Information a reporter added later with the receipt code, still anonymously."""

    signal = models.ForeignKey(
        Signal, on_delete=models.CASCADE, related_name="additions", verbose_name=_("signal")
    )
    text = EncryptedTextField(_("added information"))
    # For the changes of a meldpunt form sent again: the digest of that submission, so that
    # the same changed repeat is added once.
    submission_digest = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("addition by the reporter")
        verbose_name_plural = _("additions by the reporter")
        constraints = [
            models.UniqueConstraint(
                fields=["signal", "submission_digest"],
                condition=~models.Q(submission_digest=""),
                name="addition_submission_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signal} {self.created_at:%Y-%m-%d}"


class IdentifierKind(models.TextChoices):
    NAME = "name", _("name")
    PHONE = "phone", _("phone number")


class SignalIdentifier(models.Model):
    """A keyed hash (blind index) of one name or phone number in a signal.

    Lets InBeeld propose likely duplicates without decrypting every signal: two signals that
    share a hash share the normalised name or number.
    """

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=8, choices=IdentifierKind.choices)
    index = models.CharField(max_length=32, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["signal", "kind", "index"], name="identifier_once")
        ]

    def __str__(self) -> str:
        return f"{self.signal} {self.kind}"


class NoteKind(models.TextChoices):
    NOTE = "note", _("Note")
    ENRICHMENT = "enrichment", _("Enrichment from a source")


class SignalNote(models.Model):
    """A triage note, or information added from another source (enrichment)."""

    signal = models.ForeignKey(
        Signal, on_delete=models.CASCADE, related_name="notes", verbose_name=_("signal")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=NoteKind.choices)
    text = EncryptedTextField(_("text"))
    # Free text a person typed (it may name a person or a case): encrypted like the note.
    source = EncryptedTextField(_("source of the information"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="signal_notes",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return f"{self.signal} {self.kind} {self.created_at:%Y-%m-%d}"


class SignalAttachment(models.Model):
    """A file a partner attached; name and content are encrypted at rest.

    The content is kept in the database (base64 inside the encrypted field) so that key
    rotation, backups and retention treat it like every other identifying field.
    """

    signal = models.ForeignKey(
        Signal, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("signal")
    )
    file_name = EncryptedTextField(_("file name"))
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    content = EncryptedTextField(_("content"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signal_attachments",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return f"{self.signal} {self.content_type}"


class SignalMerge(models.Model):
    """One signal merged into another: both keep their history, and the merge can be undone."""

    kept = models.ForeignKey(
        Signal, on_delete=models.PROTECT, related_name="merges_kept", verbose_name=_("kept")
    )
    merged = models.ForeignKey(
        Signal, on_delete=models.PROTECT, related_name="merges_merged", verbose_name=_("merged")
    )
    reason = EncryptedTextField(_("why these are the same"), blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)

    class Meta:
        ordering = ["-merged_at"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")

    def __str__(self) -> str:
        return f"{self.merged} -> {self.kept}"
