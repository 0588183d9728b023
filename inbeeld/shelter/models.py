"""Shelter places: a shelter organisation's locations and, per location and kind of place,
the capacity and how many places are taken, as its own staff last confirmed them.

Capacity figures are not personal data. Each confirmation is kept as a row of
``CapacityUpdate`` (when, by whom or by which API token, capacity and occupied), so that the
in- and outflow can later be read from it. Whether a figure is still believed is decided in
one place: capacity.py (``shown_free``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.models import Organisation
from inbeeld.regions.models import Municipality, Region


class PlaceKind(models.TextChoices):
    COSM = "cosm", _("Categorical shelter (COSM)")
    REGIONAL = "regional", _("Regional shelter")
    YOUTH = "youth", _("Youth and minors")
    MEN = "men", _("Men")
    WOMEN = "women", _("Women")
    WITH_CHILDREN = "with_children", _("With children")
    CRISIS = "crisis", _("Crisis")
    SUPPORTED_HOUSING = "supported_housing", _("Supported housing")


class ShelterLocation(models.Model):
    """A location of a shelter organisation. Its region is the organisation's (set by
    services.py): the tenant boundary of its rules and its audit entries."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="shelter_locations",
        verbose_name=_("shelter organisation"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=200)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    # Who the location takes in: a description of the offer, never of a person.
    admission_criteria = models.TextField(_("admission criteria"), blank=True, max_length=2000)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("shelter location")
        verbose_name_plural = _("shelter locations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="shelter_location_name_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PlaceCapacity(models.Model):
    """The places of one kind at one location: how many there are, how many are taken."""

    location = models.ForeignKey(
        ShelterLocation,
        on_delete=models.CASCADE,
        related_name="places",
        verbose_name=_("location"),
    )
    kind = models.CharField(_("kind of place"), max_length=32, choices=PlaceKind.choices)
    capacity = models.PositiveIntegerField(_("capacity"))
    occupied = models.PositiveIntegerField(_("occupied"), default=0)
    # Empty until the shelter first confirms the figures: until then they are unknown.
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The staff member who confirmed the figures; empty when a shelter's own system did so
    # with its API token (``confirmed_token`` then names the token's first characters).
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_token = models.CharField(_("confirmed with API token"), max_length=16, blank=True)

    class Meta:
        ordering = ["location__name", "kind", "pk"]
        verbose_name = _("places of a kind")
        verbose_name_plural = _("places of a kind")
        constraints = [
            models.UniqueConstraint(fields=["location", "kind"], name="shelter_kind_once"),
            models.CheckConstraint(
                condition=models.Q(occupied__gte=0)
                & models.Q(capacity__gte=0)
                & models.Q(occupied__lte=models.F("capacity")),
                name="shelter_occupied_within_capacity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location} – {self.get_kind_display()}"

    @property
    def free(self) -> int:
        return self.capacity - self.occupied

    @property
    def region_id(self) -> int:
        return self.location.region_id

    @property
    def region(self) -> Region:
        return self.location.region

    @property
    def organisation_id(self) -> int:
        return self.location.organisation_id


class CapacityUpdate(models.Model):
    """One confirmation of a kind of place's figures, as it was given: the base of the
    in- and outflow later. Never changed; removed with its location."""

    place = models.ForeignKey(
        PlaceCapacity,
        on_delete=models.CASCADE,
        related_name="updates",
        verbose_name=_("places of a kind"),
    )
    at = models.DateTimeField(_("at"), db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    token = models.CharField(_("API token"), max_length=16, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    occupied = models.PositiveIntegerField(_("occupied"))

    class Meta:
        ordering = ["place", "at", "pk"]
        verbose_name = _("capacity update")
        verbose_name_plural = _("capacity updates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(occupied__lte=models.F("capacity")),
                name="shelter_update_occupied_within_capacity",
            )
        ]

    def __str__(self) -> str:
        return f"{self.place_id} @ {self.at:%Y-%m-%d %H:%M}"
