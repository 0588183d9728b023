"""`/api/v1/shelter-capacity/`: shelter places for the region's coordinators and for the
shelters' own systems.

GET lists, per location and kind of place, the figures as the shelter last confirmed them:
the region's zorgcoördinators and ketenregisseurs see their regions' active locations, a
shelter's staff (or its organisation's token) its own. ``free`` is null when the figures
were not confirmed for seven days (capacity.py). PUT on one entry confirms its figures: only
by that shelter's own staff or token; any other entry answers 404. Figures are not personal
data; every change is audited (services.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from inbeeld.accounts.api import api_user_of
from inbeeld.lib.api import RefuseUnknownFields, StrictIntegerField
from inbeeld.shelter import services
from inbeeld.shelter.access import own_place_get, places_listed_for
from inbeeld.shelter.capacity import shown_free
from inbeeld.shelter.models import PlaceCapacity, PlaceKind


class PlaceCapacitySerializer(serializers.ModelSerializer[PlaceCapacity]):
    location = serializers.CharField(source="location.name", help_text="The location's name.")
    location_id = serializers.IntegerField(source="location.pk")
    organisation = serializers.CharField(source="location.organisation.name")
    region = serializers.CharField(source="location.region.code")
    municipality = serializers.CharField(source="location.municipality.code")
    kind = serializers.ChoiceField(choices=PlaceKind.choices)
    free = serializers.SerializerMethodField(
        help_text="capacity − occupied; null (unknown) when not confirmed for seven days."
    )
    confirmed_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        model = PlaceCapacity
        fields = (
            "id",
            "location",
            "location_id",
            "organisation",
            "region",
            "municipality",
            "kind",
            "capacity",
            "occupied",
            "free",
            "confirmed_at",
        )
        read_only_fields = fields

    def get_free(self, place: PlaceCapacity) -> int | None:
        now: datetime = self.context.get("now") or timezone.now()
        return shown_free(place, now)


class PlaceCapacityInputSerializer(RefuseUnknownFields, serializers.Serializer[dict[str, Any]]):
    capacity = StrictIntegerField(
        required=False,
        min_value=0,
        max_value=services.MAX_PLACES,
        help_text="Only when the number of places itself changed.",
    )
    occupied = StrictIntegerField(
        min_value=0,
        max_value=services.MAX_PLACES,
        help_text="Places taken now; at most the capacity (400 naming occupied otherwise).",
    )


class PlaceCapacityListView(GenericAPIView[PlaceCapacity]):
    serializer_class = PlaceCapacitySerializer
    required_permissions = {"GET": "shelter.list_places"}

    def get_queryset(self) -> Any:
        return places_listed_for(api_user_of(self.request)).order_by(
            "location__region__code", "location__name", "location__pk", "kind", "pk"
        )

    @extend_schema(
        operation_id="shelter_capacity_list", responses=PlaceCapacitySerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        page = list(self.paginate_queryset(self.get_queryset()) or [])
        data = PlaceCapacitySerializer(page, many=True, context={"now": timezone.now()}).data
        return self.get_paginated_response(data)


class PlaceCapacityDetailView(GenericAPIView[PlaceCapacity]):
    serializer_class = PlaceCapacitySerializer
    required_permissions = {"PUT": "shelter.keep_own_places"}

    @extend_schema(
        operation_id="shelter_capacity_update",
        request=PlaceCapacityInputSerializer,
        responses=PlaceCapacitySerializer,
    )
    def put(self, request: Request, pk: int) -> Response:
        user = api_user_of(request)
        place = own_place_get(user, pk)
        body = PlaceCapacityInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        token = request.auth.token_key if isinstance(request.auth, AuthToken) else ""
        try:
            place = services.places_confirm(
                by=user,
                place=place,
                occupied=body.validated_data["occupied"],
                capacity=body.validated_data.get("capacity"),
                token=token,
            )
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        return Response(PlaceCapacitySerializer(place).data)
