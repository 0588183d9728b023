"""`GET /api/v1/figures/?region=CODE&year=YYYY`: the region's aggregated figures of a year.

Exactly what the council report shows (insight/release.py decides both, suppression
included): counts only, a hidden count is ``null``. For the roles of the dashboard
(insight/access.py: FIGURES_ROLES, who see no records) in their own regions; another region,
or a code that is no region, answers 404. Both parameters are required; an unknown
parameter, or one given twice, is refused naming it. Each answer is audited once, as a CSV
download of the dashboard is.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inbeeld.accounts.api import api_user_of
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.insight import access
from inbeeld.insight.release import UnknownYearError, as_json, released_figures, report_years

PARAMETERS = ("region", "year")
# The JSON keys "label" and "source" shadow attributes of DRF's Field (a serializer is one):
# mypy sees an override; the keys stay, they are what the report calls them.


class CellSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField(allow_null=True, help_text="null: hidden (a small count)")


class TableSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    dimension = serializers.CharField()
    title = serializers.CharField()
    total = serializers.IntegerField(allow_null=True)
    withheld = serializers.BooleanField()
    multi = serializers.BooleanField(help_text="A record can count in more than one row.")
    rows = CellSerializer(many=True)


class TrendPointSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    count = serializers.IntegerField(allow_null=True)


class SourceSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    counted_by = serializers.CharField()
    total = serializers.IntegerField(allow_null=True)
    withheld = serializers.BooleanField()
    previous_year = serializers.IntegerField(allow_null=True)
    trend = TrendPointSerializer(many=True)
    tables = TableSerializer(many=True)


class AreaSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField(allow_null=True)
    population = serializers.IntegerField()
    per_100000 = serializers.FloatField(allow_null=True)


class MapSerializer(serializers.Serializer[Any]):
    source = serializers.CharField()  # type: ignore[assignment]
    municipalities = AreaSerializer(many=True)


class SeenSerializer(serializers.Serializer[Any]):
    source = serializers.CharField()  # type: ignore[assignment]
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField(allow_null=True)


class UnseenSerializer(serializers.Serializer[Any]):
    period = serializers.CharField()
    victims = serializers.ListField(
        child=serializers.FloatField(),
        min_length=3,
        max_length=3,
        help_text="All victims expected here by the same share: low, point, high.",
    )
    not_registered = serializers.ListField(
        child=serializers.FloatField(),
        min_length=3,
        max_length=3,
        help_text="Of whom not registered: low, point, high.",
    )
    source = serializers.CharField()  # type: ignore[assignment]


class ExpectedSerializer(serializers.Serializer[Any]):
    population = serializers.IntegerField()
    national_population = serializers.IntegerField()
    population_year = serializers.IntegerField()
    share = serializers.FloatField()
    national_year = serializers.IntegerField()
    national_registered = serializers.IntegerField()
    expected = serializers.FloatField(help_text="Arithmetic, not a count: not suppressed.")
    interval = serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2)
    seen = SeenSerializer(many=True)
    unseen = UnseenSerializer(many=True)


class CaseTableSerializer(serializers.Serializer[Any]):
    meetings = serializers.IntegerField(allow_null=True)
    items = TableSerializer()
    decisions = TableSerializer()
    lead_partners = TableSerializer()


class NationalSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    registered = serializers.IntegerField()
    source = serializers.CharField()  # type: ignore[assignment]


class FiguresSerializer(serializers.Serializer[Any]):
    region = serializers.CharField()
    region_name = serializers.CharField()
    year = serializers.IntegerField()
    threshold = serializers.IntegerField()
    made_on = serializers.DateField()
    sources = SourceSerializer(many=True)
    maps = MapSerializer(many=True)
    expected = ExpectedSerializer()
    case_table = CaseTableSerializer()
    national = NationalSerializer(many=True)


def _one(request: Request, name: str) -> str:
    values = request.query_params.getlist(name)
    if not values or not values[0]:
        raise ValidationError({name: [_("This parameter is required.")]})
    if len(values) > 1:
        raise ValidationError({name: [_("Give this parameter once.")]})
    return str(values[0])


def _parameters(request: Request) -> tuple[str, int]:
    unknown = [name for name in request.query_params if name not in PARAMETERS]
    if unknown:
        raise ValidationError({name: [_("Unknown parameter.")] for name in unknown})
    code, year = _one(request, "region"), _one(request, "year")
    if not (year.isascii() and year.isdigit() and len(year) == 4):
        raise ValidationError({"year": [_("Give a year of four digits, such as 2025.")]})
    return code, int(year)


class FiguresView(APIView):
    """The region's aggregated figures of one year, suppressed as in the council report."""

    required_permissions = {"GET": "insight.view_dashboard"}

    @extend_schema(
        operation_id="figures_retrieve",
        parameters=[
            OpenApiParameter(
                "region",
                str,
                required=True,
                description="A region's code as in the reference data, e.g. VR19; another "
                "region than the caller's answers 404.",
            ),
            OpenApiParameter(
                "year",
                int,
                required=True,
                description="The year, from the region's first record up to this year; "
                "another year is refused (400) naming the years there are.",
            ),
        ],
        responses=FiguresSerializer,
    )
    def get(self, request: Request) -> Response:
        user = api_user_of(request)
        code, year = _parameters(request)
        region = access.dashboard_region_get(user=user, code=code)  # 404 outside the own
        try:
            release = released_figures(region, year)
        except UnknownYearError as error:
            years = report_years(region)
            raise ValidationError(
                {
                    "year": [
                        _("Give a year from %(first)s to %(last)s.")
                        % {"first": years[0], "last": years[-1]}
                    ]
                }
            ) from error
        audit_record(
            actor=user,
            action=Action.EXPORT,
            object_type="insight.figures",
            object_id=f"{region.code}-{year}",
            region=region.code,
            purpose=Purpose.FIGURES_EXPORT,
            detail={"region": region.code, "year": str(year), "via": "api"},
        )
        return Response(as_json(release))
