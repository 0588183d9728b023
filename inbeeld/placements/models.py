"""Placement requests and placements in shelter places, building on cases/ and shelter/.

A placement request asks, from a case, for a kind of place with an urgency. It is offered
(PlacementOffer) to the active locations of the case's region that have that kind of place;
beyond the region only after that region's coordinator consented (RegionAsk). The shelter
sees an offer pseudonymised (offers.py) until its location accepts; the request then passes
the fields the requester ticked, as a share with its legal basis (privacy/sharing.py).

A Placement is a person's stay at a location: intake, a transfer (a new placement linked to
the previous one) and outflow with a destination. Intake and outflow keep the location's
PlaceCapacity.occupied in step (services.py), and the monthly in-, door- en uitstroom is
read from these rows (flow.py).
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
from inbeeld.shelter.models import PlaceKind, ShelterLocation


class Urgency(models.TextChoices):
    # The order of the values is the order of the waiting list (URGENCY_ORDER).
    CRISIS = "crisis", _("Crisis: today")
    WEEK = "week", _("This week")
    REGULAR = "regular", _("Regular")


URGENCY_ORDER: dict[str, int] = {Urgency.CRISIS: 0, Urgency.WEEK: 1, Urgency.REGULAR: 2}


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a place")
    ACCEPTED = "accepted", _("Accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OfferStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    CLOSED = "closed", _("Closed")


class RefusalReason(models.TextChoices):
    FULL = "full", _("No place free")
    CRITERIA = "criteria", _("Does not meet the admission criteria")
    SAFETY = "safety", _("Safety: not safe at this location")
    CARE_NEED = "care_need", _("Care needed that the location cannot give")
    OTHER = "other", _("Other")


class AskStatus(models.TextChoices):
    ASKED = "asked", _("Waiting for consent")
    CONSENTED = "consented", _("Consented")
    DECLINED = "declined", _("Declined")


class Destination(models.TextChoices):
    OWN_HOUSING = "own_housing", _("Own housing")
    SUPPORTED_HOUSING = "supported_housing", _("Supported housing")
    OTHER_SHELTER = "other_shelter", _("Other shelter outside the region")
    RETURN = "return", _("Return to country of origin")
    FAMILY = "family", _("Family or friends")
    UNKNOWN = "unknown", _("Unknown")
    OTHER = "other", _("Other")
    # Not offered on the outflow form: set by a transfer to another location.
    TRANSFER = "transfer", _("Transfer to another location")


OUTFLOW_DESTINATIONS = [code for code in Destination.values if code != Destination.TRANSFER]


class PlacementRequest(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="placement_requests")
    # The case's region when it was asked: its waiting list and the tenant of its audit.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    reference = models.CharField(_("reference"), max_length=16, unique=True)
    kind = models.CharField(_("kind of place"), max_length=32, choices=PlaceKind.choices)
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices)
    # What the person needs; may name people: encrypted. Shown to the shelters only when the
    # requester ticked ``note_shared``.
    note = EncryptedTextField(_("needs"), blank=True)
    note_shared = models.BooleanField(_("shelters may read the needs"), default=False)
    # Passed to the accepting shelter (referrals.models.SharedField codes), as a share.
    shared_fields = models.JSONField(_("shared once accepted"), default=list, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=16, choices=LegalBasis.choices)
    share = models.ForeignKey(
        Share, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    # The pseudonymised facts the shelters see (copied when asked: no read of the case).
    age_band = models.CharField(_("age"), max_length=8, blank=True)
    gender = models.CharField(_("gender"), max_length=8, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), db_index=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("placement request")
        verbose_name_plural = _("placement requests")
        indexes = [models.Index(fields=["region", "status", "kind"], name="placement_request_wait")]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN


class PlacementOffer(models.Model):
    """A request offered to one location; answered by that shelter's staff."""

    request = models.ForeignKey(PlacementRequest, on_delete=models.CASCADE, related_name="offers")
    location = models.ForeignKey(
        ShelterLocation, on_delete=models.PROTECT, related_name="placement_offers"
    )
    # The location's region (another region's, after its consent): tenant of the audit.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=16, choices=OfferStatus.choices, default=OfferStatus.OFFERED
    )
    reason_code = models.CharField(
        _("reason"), max_length=16, choices=RefusalReason.choices, blank=True
    )
    # Why it was refused, in the shelter's words; may name people: encrypted.
    reason_text = EncryptedTextField(_("explanation"), blank=True)
    created_at = models.DateTimeField(_("offered at"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("placement offer")
        verbose_name_plural = _("placement offers")
        constraints = [
            models.UniqueConstraint(fields=["request", "location"], name="placement_offer_once")
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="placement_offer_in")]

    def __str__(self) -> str:
        return f"{self.request} → {self.location}"


class RegionAsk(models.Model):
    """A request asked of another region because its own had no free place of the kind;
    that region's shelters see the offers only after its coordinator consented."""

    request = models.ForeignKey(
        PlacementRequest, on_delete=models.CASCADE, related_name="region_asks"
    )
    # The region asked: its coordinators answer, the entries lie in it.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=16, choices=AskStatus.choices, default=AskStatus.ASKED
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked at"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-pk"]
        verbose_name = _("request to another region")
        verbose_name_plural = _("requests to another region")
        constraints = [
            models.UniqueConstraint(fields=["request", "region"], name="placement_ask_once")
        ]

    def __str__(self) -> str:
        return f"{self.request} → {self.region}"


class Placement(models.Model):
    """A stay at a location, from intake to outflow (or to a transfer: then ``destination``
    is TRANSFER and the next placement names this one as ``previous``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="placements")
    location = models.ForeignKey(
        ShelterLocation, on_delete=models.PROTECT, related_name="placements"
    )
    # The location's region and organisation: the flow's grouping and the shelter's door.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of place"), max_length=32, choices=PlaceKind.choices)
    request = models.ForeignKey(
        PlacementRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
    )
    previous = models.OneToOneField(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="next"
    )
    intake = models.DateField(_("intake"))
    # The first intake of the stay (a transfer keeps it): the length of stay counts from it.
    stay_start = models.DateField(_("stay started"))
    outflow = models.DateField(_("outflow"), null=True, blank=True)
    destination = models.CharField(
        _("destination"), max_length=32, choices=Destination.choices, blank=True
    )
    # Taken in although the location was full: the shelter's own override, recorded.
    over_capacity = models.BooleanField(_("over capacity"), default=False)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    override_at = models.DateTimeField(_("override at"), null=True, blank=True)
    override_reason = EncryptedTextField(_("reason for the override"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-intake", "-pk"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outflow__isnull=True)
                | models.Q(outflow__gte=models.F("intake")),
                name="placement_outflow_after_intake",
            ),
            models.CheckConstraint(
                condition=models.Q(stay_start__lte=models.F("intake")),
                name="placement_stay_starts_first",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "intake"], name="placement_region_intake"),
            models.Index(fields=["region", "outflow"], name="placement_region_outflow"),
            models.Index(fields=["location", "kind", "outflow"], name="placement_present"),
        ]

    def __str__(self) -> str:
        return f"{self.case} @ {self.location}"

    @property
    def is_present(self) -> bool:
        return self.outflow is None
