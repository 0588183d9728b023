"""`/api/v1/activities/` and `/api/v1/network-reach/`: the network for partners' own systems.

Activities: every colleague of a region lists its activities (public and partners-only) with
how many registered and attended, never who (participants' names are on the keepers' pages
only); the keepers (network/rules.py) create them. Reach: per region the keepers keep, the
people reached per municipality and target group in 12 and 24 months, and the municipalities
and organisations not reached (reach.py). Another region's activity or reach answers 404.
Activities and reach hold no personal data, so their reads are not audited; creating an
activity is (services.py).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from inbeeld.accounts.api import api_user_of
from inbeeld.accounts.models import Organisation
from inbeeld.lib.api import (
    RefuseUnknownFields,
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
)
from inbeeld.network import access, services
from inbeeld.network.models import Activity, ActivityKind, TargetGroup, Topic
from inbeeld.network.reach import WINDOWS, Reach, reach
from inbeeld.regions.api import MunicipalityCodeField
from inbeeld.regions.models import Municipality


class ActivitySerializer(serializers.ModelSerializer[Activity]):
    region = serializers.CharField(source="region.code")
    municipality = serializers.CharField(source="municipality.code")
    organiser = serializers.IntegerField(source="organiser_id")
    organiser_name = serializers.CharField(source="organiser.name")
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    target_groups = serializers.ListField(child=serializers.ChoiceField(TargetGroup.choices))
    topics = serializers.ListField(child=serializers.ChoiceField(Topic.choices))
    registered = serializers.IntegerField(help_text="Professionals registered (a count).")
    attended = serializers.IntegerField(help_text="Professionals who attended (a count).")

    class Meta:
        model = Activity
        fields = (
            "id",
            "region",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "municipality",
            "organiser",
            "organiser_name",
            "target_groups",
            "topics",
            "description",
            "materials",
            "capacity",
            "public",
            "grants_certificate",
            "cancelled",
            "public_attendees",
            "registered",
            "attended",
        )
        read_only_fields = fields


class MomentField(serializers.DateTimeField):
    """A moment of an agenda: from the year 2000 to 2100, so that a far-off date (or one
    whose time zone pushes it past year 9999) is refused naming the field, not a 500."""

    def to_internal_value(self, value: Any) -> Any:
        try:
            moment = super().to_internal_value(value)
        except (OverflowError, ValueError):
            self.fail("invalid", format="ISO 8601")
        if not 2000 <= moment.year <= 2100:
            raise serializers.ValidationError(_("Give a date from 2000 to 2100."))
        return moment


class ActivityCreateSerializer(RefuseUnknownFields, serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    title = StrictCharField(max_length=200)
    starts_at = MomentField(help_text="From the year 2000 to 2100.")
    ends_at = MomentField(
        required=False,
        allow_null=True,
        help_text="Not before starts_at (400 naming ends_at); from 2000 to 2100.",
    )
    place = StrictCharField(max_length=200, required=False, allow_blank=True)
    municipality = MunicipalityCodeField(
        help_text="A municipality of the organiser's region (400 naming municipality otherwise)."
    )
    organiser = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        help_text="An active organisation of a region whose network you keep (400 otherwise).",
    )
    target_groups = serializers.ListField(
        child=serializers.ChoiceField(choices=TargetGroup.choices),
        min_length=1,
        max_length=len(TargetGroup.choices),
    )
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=Topic.choices),
        required=False,
        max_length=len(Topic.choices),
    )
    description = StrictCharField(max_length=4000, required=False, allow_blank=True)
    materials = StrictCharField(max_length=2000, required=False, allow_blank=True)
    capacity = StrictIntegerField(
        required=False, allow_null=True, min_value=1, max_value=services.MAX_CAPACITY
    )
    public = StrictBooleanField(required=False)
    grants_certificate = StrictBooleanField(required=False)


def _counted(activity: Activity) -> Activity:
    """The counts the list annotates, for one activity already through its access gate."""
    participants = activity.participants.all()
    activity.registered = participants.count()  # type: ignore[attr-defined]
    activity.attended = participants.filter(attended=True).count()  # type: ignore[attr-defined]
    return activity


def _with_counts(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    return activities.annotate(
        registered=Count("participants", distinct=True),
        attended=Count("participants", filter=Q(participants__attended=True), distinct=True),
    )


class ActivityListView(GenericAPIView[Activity]):
    serializer_class = ActivitySerializer
    required_permissions = {"GET": "network.view_agenda", "POST": "network.manage_activities"}

    def get_queryset(self) -> QuerySet[Activity]:
        return _with_counts(access.activities_visible_to(api_user_of(self.request))).order_by(
            "-starts_at", "-pk"
        )

    @extend_schema(operation_id="activities_list", responses=ActivitySerializer(many=True))
    def get(self, request: Request) -> Response:
        page = list(self.paginate_queryset(self.get_queryset()) or [])
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="activities_create",
        request=ActivityCreateSerializer,
        responses={201: ActivitySerializer},
    )
    def post(self, request: Request) -> Response:
        user = api_user_of(request)
        body = ActivityCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            activity = services.activity_create(
                by=user,
                data=services.ActivityInput(
                    kind=data["kind"],
                    title=data["title"],
                    starts_at=data["starts_at"],
                    ends_at=data.get("ends_at"),
                    municipality=data["municipality"],
                    organiser=data["organiser"],
                    target_groups=data["target_groups"],
                    topics=data.get("topics", []),
                    place=data.get("place", ""),
                    description=data.get("description", ""),
                    materials=data.get("materials", ""),
                    capacity=data.get("capacity"),
                    public=data.get("public", False),
                    grants_certificate=data.get("grants_certificate", False),
                ),
            )
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        return Response(
            self.get_serializer(_counted(activity)).data, status=status.HTTP_201_CREATED
        )


class ActivityDetailView(GenericAPIView[Activity]):
    serializer_class = ActivitySerializer
    required_permissions = {"GET": "network.view_agenda"}

    @extend_schema(operation_id="activities_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        user = api_user_of(request)
        activity = access.activity_get_for(user=user, activity_id=pk)
        return Response(self.get_serializer(_counted(activity)).data)


class ReachRowSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="CBS municipality code, or the target group's code.")
    name = serializers.CharField(help_text="The municipality's or the target group's name.")
    professionals_12 = serializers.IntegerField()
    professionals_24 = serializers.IntegerField()
    public_12 = serializers.IntegerField()
    public_24 = serializers.IntegerField()
    reached = serializers.BooleanField(help_text="Anyone reached in 24 months.")


class ReachSerializer(serializers.Serializer[Any]):
    region = serializers.CharField()
    on = serializers.DateField(help_text="The day the windows end.")
    professionals_12 = serializers.IntegerField(help_text="People, each counted once.")
    professionals_24 = serializers.IntegerField()
    municipalities = ReachRowSerializer(many=True)
    target_groups = ReachRowSerializer(many=True)
    organisations_not_reached = serializers.ListField(
        child=serializers.CharField(), help_text="Active partner organisations, by name."
    )


def _reach_data(found: Reach) -> dict[str, Any]:
    codes = dict(Municipality.objects.filter(region=found.region).values_list("pk", "code"))

    def rows(items: Any, code_of: Any) -> list[dict[str, Any]]:
        return [
            {
                "code": code_of(row.key),
                "name": row.label,
                **{f"professionals_{w}": row.professionals[w] for w in WINDOWS},
                **{f"public_{w}": row.public[w] for w in WINDOWS},
                "reached": row.reached,
            }
            for row in items
        ]

    return {
        "region": found.region.code,
        "on": found.on,
        **{f"professionals_{w}": found.totals[w] for w in WINDOWS},
        "municipalities": rows(found.municipalities, lambda key: codes.get(key, "")),
        "target_groups": rows(found.target_groups, str),
        "organisations_not_reached": [o.name for o in found.organisations_not_reached],
    }


class ReachListView(GenericAPIView[Any]):
    serializer_class = ReachSerializer
    required_permissions = {"GET": "network.view_reach"}

    def get_queryset(self) -> Any:
        return access.kept_regions(api_user_of(self.request))

    @extend_schema(operation_id="network_reach_list", responses=ReachSerializer(many=True))
    def get(self, request: Request) -> Response:
        page = list(self.paginate_queryset(self.get_queryset()) or [])
        data = [_reach_data(reach(region)) for region in page]
        return self.get_paginated_response(ReachSerializer(data, many=True).data)


class ReachDetailView(GenericAPIView[Any]):
    serializer_class = ReachSerializer
    required_permissions = {"GET": "network.view_reach"}

    @extend_schema(operation_id="network_reach_retrieve")
    def get(self, request: Request, code: str) -> Response:
        region = access.reach_region_get_for(user=api_user_of(request), code=code)
        return Response(ReachSerializer(_reach_data(reach(region))).data)
