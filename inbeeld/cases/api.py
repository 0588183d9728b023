"""`/api/v1/cases/` and `/api/v1/cases/{id}/`: cases for partner systems and the coordinator's
own tools. Reads are audited (a page of the list as one entry), a case outside need-to-know
answers 404, a PATCH on an older ``version`` answers 409 with the case as it is now, and a
refused input answers 400 naming the field (``person.nationalities`` as
``{"person": {"nationalities": [...]}}``, an event as ``{"events": {"0": {"date": [...]}}}``).
"""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet, TextChoices
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from inbeeld.accounts.api import api_user_of
from inbeeld.audit.models import Purpose
from inbeeld.audit.services import audit_record_reads
from inbeeld.cases import services
from inbeeld.cases.access import case_get_for, cases_visible_to
from inbeeld.cases.codes import (
    AGE_AT_EXPLOITATION_MAX,
    CONTEXT_FIELDS,
    ControlMethod,
    OnlineChannel,
    RecruitmentMethod,
    Relationship,
    Sector,
)
from inbeeld.cases.concurrency import CONCURRENT_CHANGE, CaseChangedError
from inbeeld.cases.models import Case, CaseStatus, DecidedBy, EventKind
from inbeeld.cases.models import TraffickingStatus as Trafficking
from inbeeld.cases.services import CaseInput, EventInput, PersonInput, case_input_of
from inbeeld.lib.api import RefuseUnknownFields, StrictCharField, StrictIntegerField
from inbeeld.regions.api import MunicipalityCodeField
from inbeeld.signals.access import signal_get_for
from inbeeld.signals.api import NationalityField
from inbeeld.signals.models import AgeBand, ExploitationForm, Gender, Signal

# The country codes every country field of the API offers, for the schema's one enum of them
# (settings.SPECTACULAR_SETTINGS ENUM_NAME_OVERRIDES: "NationalityEnum", the name it had).
COUNTRY_CODES = list(NationalityField().choices.items())

DATE_HELP = "Not after today, nor before the person's date of birth (400 naming the field)."


class PersonSerializer(RefuseUnknownFields, serializers.Serializer[dict[str, Any]]):
    name = StrictCharField(required=False, allow_blank=True, max_length=200)
    date_of_birth = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Not after today (400 naming person.date_of_birth). Sets age_band.",
    )
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    nationalities = serializers.ListField(
        child=NationalityField(),
        required=False,
        max_length=10,
        help_text='ISO 3166-1 alpha-2 codes, e.g. ["RO", "NG"].',
    )
    age_band = serializers.ChoiceField(
        choices=AgeBand.choices,
        required=False,
        allow_blank=True,
        help_text="Leave it out when date_of_birth is given; one that contradicts it: 400.",
    )
    is_minor = serializers.BooleanField(read_only=True)


class EventSerializer(RefuseUnknownFields, serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=EventKind.choices)
    municipality = MunicipalityCodeField(
        required=False, allow_null=True, help_text="In the Netherlands; or give country."
    )
    country = NationalityField(
        required=False, allow_blank=True, help_text="ISO 3166-1 alpha-2 code, abroad."
    )
    date = serializers.DateField(
        source="start",
        required=False,
        allow_null=True,
        help_text="The day, or the start of a period. " + DATE_HELP,
    )
    end = serializers.DateField(
        required=False, allow_null=True, help_text="End of a period. " + DATE_HELP
    )


def _codes(choices: type[TextChoices], **kwargs: Any) -> serializers.ListField:
    """A list of codes from one of the case's code lists (cases/codes.py), each at most once."""
    child = serializers.ChoiceField(choices=choices.choices)
    if kwargs.get("read_only"):
        return serializers.ListField(child=child, **kwargs)
    return serializers.ListField(
        child=child,
        required=False,
        max_length=len(choices.choices),
        **kwargs,
    )


class CaseSerializer(serializers.Serializer[Case]):
    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    region = serializers.CharField(source="region.code", read_only=True)
    status = serializers.ChoiceField(choices=CaseStatus.choices, read_only=True)
    version = serializers.IntegerField(read_only=True)
    signals = serializers.ListField(
        child=serializers.IntegerField(), source="signal_ids", read_only=True
    )
    municipality = MunicipalityCodeField(queryset=None, read_only=True, allow_null=True)
    exploitation_forms = serializers.ListField(
        child=serializers.ChoiceField(choices=ExploitationForm.choices), read_only=True
    )
    trafficking_status = serializers.ChoiceField(choices=Trafficking.choices, read_only=True)
    decided_by = serializers.ChoiceField(choices=DecidedBy.choices, read_only=True)
    person = PersonSerializer(read_only=True, allow_null=True)
    events = EventSerializer(many=True, read_only=True)
    sectors = _codes(Sector, read_only=True)
    recruitment_methods = _codes(RecruitmentMethod, read_only=True)
    control_methods = _codes(ControlMethod, read_only=True)
    recruitment_channels = _codes(OnlineChannel, read_only=True)
    recruiter_relationship = serializers.ChoiceField(choices=Relationship.choices, read_only=True)
    age_at_exploitation = serializers.IntegerField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class CaseChangeSerializer(RefuseUnknownFields, serializers.Serializer[dict[str, Any]]):
    """What a PATCH may change; every field left out stays as it is."""

    version = StrictIntegerField(
        min_value=1, help_text="The version you read; another one answers 409."
    )
    municipality = MunicipalityCodeField(
        required=False,
        allow_null=True,
        help_text="A municipality of the case's region (of a region you coordinate, when a "
        "case is opened without signals; then it is needed). Otherwise 400 naming it.",
    )
    exploitation_forms = serializers.ListField(
        child=serializers.ChoiceField(choices=ExploitationForm.choices),
        required=False,
        max_length=len(ExploitationForm.choices),
    )
    trafficking_status = serializers.ChoiceField(choices=Trafficking.choices, required=False)
    decided_by = serializers.ChoiceField(
        choices=DecidedBy.choices, required=False, allow_blank=True
    )
    person = PersonSerializer(required=False)
    events = serializers.ListField(
        child=EventSerializer(),
        required=False,
        max_length=50,
        help_text="Replaces the case's events. Each in a municipality or a country (not "
        "both), its dates not after today nor before the person's date of birth; otherwise 400 "
        "naming the event and field.",
    )
    sectors = _codes(Sector, help_text="HTCDS ForcedLabourIndustry / TypeOfSexExploitation.")
    recruitment_methods = _codes(RecruitmentMethod, help_text="HTCDS MethodOfRecruitment.")
    control_methods = _codes(ControlMethod, help_text="HTCDS MethodsOfControl.")
    recruitment_channels = _codes(OnlineChannel, help_text="HTCDS RecruitmentWebsitesAndApps.")
    recruiter_relationship = serializers.ChoiceField(
        choices=Relationship.choices,
        required=False,
        allow_blank=True,
        help_text="HTCDS RelationshipToTrafficker, with the intimate partner kept apart.",
    )
    age_at_exploitation = StrictIntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=AGE_AT_EXPLOITATION_MAX,
        help_text="In years, when the exploitation started; not above the person's age today. "
        "Left out or null: worked out from date_of_birth and the first exploitation event.",
    )


class CaseChangeSerializerExtension(OpenApiSerializerExtension):  # type: ignore[misc,no-untyped-call]
    """The schema of a PATCH body as the view reads it: ``version`` is required.

    drf-spectacular documents every PATCH body as partial (all fields optional), as DRF's
    own partial_update reads it; this view reads the body whole, and a PATCH without the
    version it changes is refused with 400 naming ``version``.
    """

    target_class = "inbeeld.cases.api.CaseChangeSerializer"

    def map_serializer(self, auto_schema: Any, direction: Any) -> Any:
        serializer = copy.copy(self.target)
        serializer.partial = False
        return auto_schema._map_serializer(serializer, direction, bypass_extensions=True)


class CaseCreateSerializer(CaseChangeSerializer):
    """A new case: from signals, or with a municipality of a region you coordinate."""

    version = None  # type: ignore[assignment]
    signals = serializers.ListField(
        child=StrictIntegerField(min_value=1),
        required=False,
        max_length=50,
        help_text="Signals of one region that you coordinate (otherwise 400 naming signals); "
        "the case takes over what they say unless the body says otherwise. Without signals, "
        "give municipality.",
    )


# --- from the API's body to the service's input and back ------------------------------------

_EVENT_FIELDS = {"start": "date", "end": "end", "municipality": "municipality"}


def api_errors(errors: dict[str, list[str]], *, region_field: str) -> dict[str, Any]:
    """The service's errors ("person.nationalities", "events.0.start") as the body nests them."""
    body: dict[str, Any] = {}
    for key, messages in errors.items():
        parts = key.split(".")
        if parts[0] == "region":
            body[region_field] = messages
        elif parts[0] == "events" and len(parts) == 3:
            inner = _EVENT_FIELDS.get(parts[2], parts[2])
            body.setdefault("events", {}).setdefault(parts[1], {})[inner] = messages
        elif len(parts) == 2:
            body.setdefault(parts[0], {})[parts[1]] = messages
        else:
            body[key] = messages
    return body


def _person(data: dict[str, Any] | None, base: PersonInput) -> PersonInput:
    if data is None:
        return base
    return PersonInput(
        name=data.get("name", base.name),
        date_of_birth=data.get("date_of_birth", base.date_of_birth),
        gender=data.get("gender", base.gender),
        nationalities=data.get("nationalities", base.nationalities),
        age_band=data.get("age_band", base.age_band),
    )


def _events(items: list[dict[str, Any]]) -> list[EventInput]:
    return [
        EventInput(
            kind=item["kind"],
            municipality=item.get("municipality"),
            country=item.get("country", ""),
            start=item.get("start"),
            end=item.get("end"),
        )
        for item in items
    ]


def _input(data: dict[str, Any], base: CaseInput) -> CaseInput:
    return CaseInput(
        municipality=data.get("municipality", base.municipality),
        exploitation_forms=data.get("exploitation_forms", base.exploitation_forms),
        trafficking_status=data.get("trafficking_status", base.trafficking_status),
        decided_by=data.get("decided_by", base.decided_by),
        person=_person(data.get("person"), base.person),
        events=_events(data["events"]) if "events" in data else base.events,
        **{name: data.get(name, getattr(base, name)) for name in CONTEXT_FIELDS},
    )


def _signals_of(user: Any, ids: list[int]) -> list[Signal]:
    """The signals by id, each one the user triages; else 400 (unknown or not yours alike)."""
    found = []
    for signal_id in sorted(set(ids)):
        try:
            found.append(
                signal_get_for(
                    user=user, signal_id=signal_id, purpose=Purpose.CASE_WORK, need="triage"
                )
            )
        except Http404 as missing:
            message = _("Unknown signal: %(id)s") % {"id": signal_id}
            raise ValidationError({"signals": [message]}) from missing
    return found


_CONFLICT = OpenApiResponse(
    response=inline_serializer(
        "CaseConflict",
        {
            "detail": serializers.CharField(),
            "code": serializers.CharField(),
            "current": CaseSerializer(),
        },
    ),
    description="The case changed since the version you sent: nothing was written. "
    "``current`` is the case as it is now.",
)


class CaseListView(GenericAPIView[Case]):
    serializer_class = CaseSerializer
    required_permissions = {"GET": "cases.list_cases", "POST": "cases.add_case"}

    def get_queryset(self) -> QuerySet[Case]:
        return (
            cases_visible_to(api_user_of(self.request))
            .select_related("region", "municipality", "person")
            .prefetch_related("events__municipality", "case_signals")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(operation_id="cases_list", responses=CaseSerializer(many=True))
    def get(self, request: Request) -> Response:
        page = list(self.paginate_queryset(self.get_queryset()) or [])
        if page:
            audit_record_reads(actor=api_user_of(request), records=page, purpose=Purpose.API_READ)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="cases_create",
        request=CaseCreateSerializer,
        responses={201: CaseSerializer},
    )
    def post(self, request: Request) -> Response:
        user = api_user_of(request)
        body = CaseCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(body.validated_data)
        signals = _signals_of(user, data.pop("signals", []))
        try:
            if signals:
                base = services.input_from_signals(signals)
                case = services.case_open_from_signals(
                    by=user, signals=signals, data=_input(data, base)
                )
            else:
                municipality = data.get("municipality")
                if municipality is None:
                    raise ValidationError(
                        {"municipality": [_("Give the municipality, or the signals.")]}
                    )
                case = services.case_open(
                    by=user, region=municipality.region, data=_input(data, CaseInput())
                )
        except DjangoValidationError as error:
            field = "signals" if signals else "municipality"
            raise ValidationError(api_errors(error.message_dict, region_field=field)) from error
        return Response(self.get_serializer(case).data, status=status.HTTP_201_CREATED)


class CaseDetailView(GenericAPIView[Case]):
    serializer_class = CaseSerializer
    required_permissions = {"GET": "cases.list_cases", "PATCH": "cases.list_cases"}

    @extend_schema(operation_id="cases_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        case = case_get_for(api_user_of(request), pk, purpose=Purpose.API_READ)
        return Response(self.get_serializer(case).data)

    @extend_schema(
        operation_id="cases_partial_update",
        request=CaseChangeSerializer,
        responses={200: CaseSerializer, 409: _CONFLICT},
    )
    def patch(self, request: Request, pk: int) -> Response:
        user = api_user_of(request)
        case = case_get_for(user, pk, need="edit", purpose=Purpose.API_READ)
        body = CaseChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(body.validated_data)
        try:
            case = services.case_update(
                by=user,
                case=case,
                version=data.pop("version"),
                data=_input(data, case_input_of(case)),
            )
        except CaseChangedError as error:
            current = case_get_for(user, pk, purpose=Purpose.API_READ)
            return Response(
                {
                    "detail": str(error.message),
                    "code": CONCURRENT_CHANGE,
                    "current": self.get_serializer(current).data,
                },
                status=status.HTTP_409_CONFLICT,
            )
        except DjangoValidationError as error:
            raise ValidationError(
                api_errors(error.message_dict, region_field="municipality")
            ) from error
        case.refresh_from_db()
        return Response(self.get_serializer(case).data)
