"""The shelter pages: the region's capacity overview ("Opvangplekken"), the shelter's own
places with the one-click "vrije plekken" update ("Mijn opvangplekken"), and the
beheerder's locations ("Opvanglocaties"). Access through shelter/access.py; 404 outside it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.access import regions_where, staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.accounts.models import User
from inbeeld.lib.forms import form_errors_add
from inbeeld.regions.models import Municipality
from inbeeld.shelter import services
from inbeeld.shelter.access import (
    locations_managed_by,
    managed_location_get,
    own_place_get,
    own_places_of,
    places_in_overview_of,
    shelter_of_location,
    shelters_managed_by,
)
from inbeeld.shelter.capacity import shown_free
from inbeeld.shelter.forms import FreePlacesForm, LocationForm, PlaceForm
from inbeeld.shelter.models import ShelterLocation
from inbeeld.shelter.overview import overview_of, totals_of
from inbeeld.shelter.rules import MANAGER_ROLES, OVERVIEW_ROLES


@permission_required("shelter.view_overview")
def overview(request: HttpRequest) -> HttpResponse:
    """One region: its totals and every place. Several: each region's totals from one
    aggregate query, and a region's places when it is chosen (?regio=CODE): 25 regions'
    thousands of places on one page are no overview, and too slow to draw."""
    user = staff_user_of(request)
    places = places_in_overview_of(user)
    codes = list(regions_where(user, *OVERVIEW_ROLES).values_list("code", flat=True))
    chosen = request.GET.get("regio", "")
    now = timezone.now()
    if len(codes) > 1 and chosen not in codes:
        regions = totals_of(places, now)
        return render(request, "shelter/overview.html", {"regions": regions, "summary": True})
    if chosen in codes:
        places = places.filter(location__region__code=chosen)
    ordered = places.order_by("location__name", "location__pk", "kind")
    regions = overview_of(ordered, now)
    context = {"regions": regions, "summary": False, "several": len(codes) > 1}
    return render(request, "shelter/overview.html", context)


@permission_required("shelter.keep_own_places")
def mine(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    now = timezone.now()
    places = own_places_of(user).order_by("location__name", "location__pk", "kind")
    rows = [
        {
            "place": place,
            "free": shown_free(place, now),
            "form": FreePlacesForm(auto_id=f"p{place.pk}_%s"),
        }
        for place in places
    ]
    return render(request, "shelter/mine.html", {"rows": rows})


@permission_required("shelter.keep_own_places")
def place_update(request: HttpRequest, place_id: int) -> HttpResponse:
    """The "vrije plekken" of one kind of place. The one-click form on "Mijn opvangplekken"
    posts here; a refusal shows this page with the message on the field at fault."""
    user = staff_user_of(request)
    place = own_place_get(user, place_id)
    initial = {"free": place.free if place.confirmed_at else None, "capacity": place.capacity}
    form = FreePlacesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.places_confirm_free(
                by=user,
                place=place,
                free=form.cleaned_data["free"],
                capacity=form.cleaned_data["capacity"],
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            place.refresh_from_db()
            messages.success(
                request,
                _("%(place)s: %(free)d free places confirmed.")
                % {"place": place, "free": place.free},
            )
            return redirect("shelter:mine")
    return render(request, "shelter/place_update.html", {"place": place, "form": form})


# --- the beheerder's locations -----------------------------------------------------------------


def _municipalities_of(
    user: User, location: ShelterLocation | None = None
) -> QuerySet[Municipality]:
    if location is not None:
        return Municipality.objects.filter(region_id=location.region_id).order_by("name")
    return Municipality.objects.filter(region__in=regions_where(user, *MANAGER_ROLES)).order_by(
        "name"
    )


@permission_required("shelter.manage_locations")
def locations(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    found = locations_managed_by(user).prefetch_related("places").order_by("region__name", "name")
    return render(request, "shelter/locations.html", {"locations": found})


@permission_required("shelter.manage_locations")
def location_create(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    form = LocationForm(
        request.POST or None,
        shelters=shelters_managed_by(user),
        municipalities=_municipalities_of(user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            location = services.location_create(
                by=user, data=services.LocationInput(**form.cleaned_data)
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Location %(name)s created.") % {"name": location.name})
            return redirect("shelter:location_edit", location_id=location.pk)
    return render(request, "shelter/location_form.html", {"form": form, "location": None})


@permission_required("shelter.manage_locations")
def location_edit(request: HttpRequest, location_id: int) -> HttpResponse:
    user = staff_user_of(request)
    location = managed_location_get(user, location_id)
    initial = {
        "organisation": location.organisation,
        "name": location.name,
        "municipality": location.municipality,
        "admission_criteria": location.admission_criteria,
        "active": location.active,
    }
    form = LocationForm(
        request.POST or None,
        initial=initial,
        shelters=shelter_of_location(location),
        municipalities=_municipalities_of(user, location),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.location_update(
                by=user, location=location, data=services.LocationInput(**form.cleaned_data)
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Location saved."))
            return redirect("shelter:location_edit", location_id=location.pk)
    context = {
        "form": form,
        "location": location,
        "places": location.places.order_by("kind"),
    }
    return render(request, "shelter/location_form.html", context)


@permission_required("shelter.manage_locations")
def place_add(request: HttpRequest, location_id: int) -> HttpResponse:
    user = staff_user_of(request)
    location = managed_location_get(user, location_id)
    form = PlaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.place_add(by=user, location=location, **form.cleaned_data)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Places added."))
            return redirect("shelter:location_edit", location_id=location.pk)
    return render(request, "shelter/place_add.html", {"location": location, "form": form})
