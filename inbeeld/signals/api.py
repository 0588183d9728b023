"""`/api/v1/signals/`: partner systems submit and read signals (per-organisation token).

POST honours an ``Idempotency-Key`` header: the same key twice makes one signal. A repeat
with the same body answers with the original (201, header ``Idempotent-Replayed: true``);
with a different body it is refused with 422 (``idempotency_key_reused``) and changes
nothing, as payment APIs do, so that no content (``acute: true``, say) is dropped unseen.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from django_countries import countries
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from inbeeld.accounts.api import api_user_of
from inbeeld.audit.models import Purpose
from inbeeld.audit.services import audit_record_reads
from inbeeld.lib.api import (
    RefuseUnknownFields,
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
)
from inbeeld.regions.api import MunicipalityCodeField
from inbeeld.signals import access, services
from inbeeld.signals.models import AgeBand, ExploitationForm, Gender, Signal, Source
from inbeeld.signals.scoring import current_catalogue

# One character that is neither white space nor a control character. Python's \s also
# covers the separators \x1c-\x1f (which str.strip() removes) and ECMAScript's (the schema's
# regex dialect) does not, so those ranges are named explicitly: both dialects agree.
VISIBLE_CHARACTER = r"[^\s\x00-\x1f\x7f-\x9f]"


class NationalityField(serializers.ChoiceField):
    """An ISO 3166-1 alpha-2 code. Lower case ("ng") is accepted and stored as "NG"; country
    names, three-letter and numeric codes are refused, so that what is counted is what the
    partner system meant."""

    default_error_messages = {
        "invalid_choice": gettext_lazy(
            '"{input}" is not an ISO 3166-1 alpha-2 country code, such as NG.'
        )
    }

    def __init__(self, **kwargs: Any) -> None:
        # English names: they only describe the codes in the OpenAPI schema.
        with override("en"):
            choices = [(code, str(name)) for code, name in sorted(countries.countries.items())]
        super().__init__(choices=choices, **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and len(data) == 2:
            data = data.upper()
        return super().to_internal_value(data)


class VictimSerializer(RefuseUnknownFields, serializers.Serializer[dict[str, Any]]):
    name = StrictCharField(required=False, allow_blank=True, max_length=200)
    date_of_birth = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Not after today, nor after incident_date (400 naming victim.date_of_birth "
        "otherwise). Sets age_band: the age on incident_date, or today when that is not given.",
    )
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    nationality = NationalityField(
        required=False,
        allow_blank=True,
        help_text="ISO 3166-1 alpha-2 code of the nationality, e.g. NG (lower case is accepted "
        "and stored in upper case); empty or left out: unknown.",
    )
    age_band = serializers.ChoiceField(
        choices=AgeBand.choices,
        required=False,
        allow_blank=True,
        help_text="Leave it out when date_of_birth is given: it is worked out from that. One "
        "that contradicts date_of_birth is refused with 400 naming victim.age_band.",
    )


def _catalogue_codes(kind: str) -> list[str]:
    catalogue = current_catalogue()
    items = catalogue.indicators if kind == "indicators" else catalogue.methods
    return [item.code for item in items]


class SignalSerializer(RefuseUnknownFields, serializers.ModelSerializer[Signal]):
    municipality = MunicipalityCodeField()
    # Text with at least one visible character, as the forms ask (whitespace or control
    # characters alone are "empty"), and in the schema so that clients know it beforehand.
    description = StrictCharField(
        max_length=10000,
        validators=[
            RegexValidator(VISIBLE_CHARACTER, message=gettext_lazy("Describe what you noticed."))
        ],
    )
    exploitation_forms = serializers.ListField(
        child=serializers.ChoiceField(choices=ExploitationForm.choices),
        required=False,
        max_length=len(ExploitationForm.choices),
    )
    # Codes of the indicator catalogue (docs/indicators.md); unknown codes are refused here,
    # by name, rather than deep in the risk score.
    indicators = serializers.ListField(
        child=serializers.ChoiceField(choices=_catalogue_codes("indicators")),
        required=False,
        max_length=200,
    )
    methods = serializers.ListField(
        child=serializers.ChoiceField(choices=_catalogue_codes("methods")),
        required=False,
        max_length=100,
    )
    acute = StrictBooleanField(required=False, default=False)
    people_count = StrictIntegerField(min_value=1, max_value=500, required=False, allow_null=True)
    victim = VictimSerializer(required=False, write_only=True)
    region = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = Signal
        fields = [
            "id",
            "receipt_code",
            "region",
            "municipality",
            "description",
            "incident_date",
            "exploitation_forms",
            "indicators",
            "methods",
            "acute",
            "people_count",
            "victim",
            "status",
            "outcome",
            "risk_score",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "receipt_code",
            "region",
            "status",
            "outcome",
            "risk_score",
            "created_at",
        ]
        # OpenAPI cannot say "not in the future" of a date: the description does, and the
        # service refuses such a date with 400 naming the field (as the forms do).
        extra_kwargs = {
            "incident_date": {
                "help_text": "Date of the incident; not after today (400 naming incident_date "
                "otherwise)."
            }
        }


# Where the service's field names (signals/services.py, shared with the forms) live in the
# API's body: the victim's fields are nested.
SERVICE_FIELDS = {
    "victim_name": ("victim", "name"),
    "victim_date_of_birth": ("victim", "date_of_birth"),
    "victim_age_band": ("victim", "age_band"),
    "victim_gender": ("victim", "gender"),
    "victim_nationality": ("victim", "nationality"),
}


def api_errors(errors: dict[str, list[str]]) -> dict[str, Any]:
    """The service's errors under the names the API's body uses ("victim": {"age_band"})."""
    body: dict[str, Any] = {}
    for name, messages in errors.items():
        if name in SERVICE_FIELDS:
            outer, inner = SERVICE_FIELDS[name]
            body.setdefault(outer, {})[inner] = messages
        else:
            body[name] = messages
    return body


IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"

_IDEMPOTENCY_CONFLICT = OpenApiResponse(
    response=inline_serializer(
        "IdempotencyConflict",
        {"detail": serializers.CharField(), "code": serializers.CharField()},
    ),
    description=(
        "The Idempotency-Key was used before with a different body. Nothing was created or "
        "changed. Repeat the first body to get its answer again, or use a new key."
    ),
    examples=[
        OpenApiExample(
            "Key reused",
            value={
                "detail": "The Idempotency-Key header was used before with a different body.",
                "code": IDEMPOTENCY_KEY_REUSED,
            },
        )
    ],
)


class SignalListView(GenericAPIView[Signal]):
    serializer_class = SignalSerializer
    # Any staff member may ask; the list holds only the signals each may see.
    required_permissions = {"GET": "signals.list_signals", "POST": "signals.add_signal"}

    def get_queryset(self) -> Any:
        return (
            access.signals_visible_to(api_user_of(self.request))
            .select_related("municipality", "region")
            .order_by("-created_at")
        )

    @extend_schema(operation_id="signals_list", responses=SignalSerializer(many=True))
    def get(self, request: Request) -> Response:
        page = list(self.paginate_queryset(self.get_queryset()) or [])
        if page:
            # Every description on the page is read: one entry names them all.
            audit_record_reads(actor=api_user_of(request), records=page, purpose=Purpose.API_READ)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description=(
                    "Same key twice creates one signal. With the same body the repeat "
                    "answers with the first signal (201, header Idempotent-Replayed: true); "
                    "with a different body it answers 422 (code idempotency_key_reused) "
                    "and changes nothing."
                ),
            )
        ],
        responses={201: SignalSerializer, 422: _IDEMPOTENCY_CONFLICT},
        operation_id="signals_create",
    )
    def post(self, request: Request) -> Response:
        user = api_user_of(request)
        organisation = access.intake_organisations(user).first()
        if organisation is None or not user.has_perm("signals.add_signal"):
            # 404 like every refusal: an account that may not enter signals learns nothing.
            raise NotFound
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        victim = data.get("victim", {})
        key = request.headers.get("Idempotency-Key", "")[:80]
        try:
            signal, created = services.signal_create_partner(
                data=services.SignalInput(
                    municipality=data["municipality"],
                    description=data["description"],
                    incident_date=data.get("incident_date"),
                    exploitation_forms=data.get("exploitation_forms", []),
                    indicators=data.get("indicators", []),
                    methods=data.get("methods", []),
                    acute=data.get("acute", False),
                    people_count=data.get("people_count"),
                    victim_name=victim.get("name", ""),
                    victim_date_of_birth=victim.get("date_of_birth"),
                    victim_gender=victim.get("gender", ""),
                    victim_nationality=victim.get("nationality", ""),
                    victim_age_band=victim.get("age_band", ""),
                ),
                by=user,
                organisation=organisation,
                idempotency_key=key,
                source=Source.API,
            )
        except services.IdempotencyKeyReusedError:
            return _idempotency_conflict()
        except DjangoValidationError as error:
            raise ValidationError(api_errors(error.message_dict)) from error
        headers = {} if created else {"Idempotent-Replayed": "true"}
        body = self.get_serializer(signal).data
        return Response(body, status=status.HTTP_201_CREATED, headers=headers)


def _idempotency_conflict() -> Response:
    detail = _(
        "The Idempotency-Key header was used before with a different body. Nothing was "
        "created or changed. Send the first body again to repeat that request, or use a new "
        "key for a new signal."
    )
    return Response(
        {"detail": detail, "code": IDEMPOTENCY_KEY_REUSED},
        status=status.HTTP_422_UNPROCESSABLE_ENTITY,
    )


class SignalDetailView(GenericAPIView[Signal]):
    serializer_class = SignalSerializer
    required_permissions = {"GET": "signals.list_signals"}

    @extend_schema(operation_id="signals_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        signal = access.signal_get_for(
            user=api_user_of(request), signal_id=pk, purpose=Purpose.API_READ
        )
        return Response(self.get_serializer(signal).data)
