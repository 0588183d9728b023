"""`/api/v1/registrations/`: the CoMensha registrations of the cases the caller coordinates.

GET lists them (newest first, a page at a time, each read audited); POST saves the draft of
one case (a first version, the draft changed, or a correction of the sent version), with the
same checks as the page (services.py), a refusal answering 400 naming the field. Sending
stays on the page (the download or the outbox). A case the caller may not change answers 400
naming ``case`` (the same answer for a case that does not exist): nothing is revealed.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet, TextChoices
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from inbeeld.accounts.access import regions_where
from inbeeld.accounts.api import api_user_of
from inbeeld.audit.models import Purpose
from inbeeld.audit.services import audit_record_reads
from inbeeld.cases.access import case_get_for
from inbeeld.cases.codes import ControlMethod, RecruitmentMethod, Sector
from inbeeld.cases.roles import COORDINATOR_ROLES
from inbeeld.lib.api import RefuseUnknownFields
from inbeeld.regions.api import MunicipalityCodeField
from inbeeld.registration import services
from inbeeld.registration.models import (
    ConsentSigner,
    DossierType,
    LegalBasis,
    Minority,
    PoliceUnit,
    Registration,
    ReporterType,
)
from inbeeld.registration.services import AGE_MAX
from inbeeld.signals.api import NationalityField
from inbeeld.signals.models import ExploitationForm, Gender

PERMISSION = "registration.register_victims"


def _choice(choices: type[TextChoices], help_text: str = "") -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=choices.choices, required=False, allow_blank=True, help_text=help_text
    )


def _codes(choices: type[TextChoices]) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=choices.choices), required=False, max_length=20
    )


class RegistrationSerializer(RefuseUnknownFields, serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    case = serializers.IntegerField(
        source="case_id",
        help_text="The case's id: one whose region you coordinate (else 400 naming case).",
    )
    registration_id = serializers.UUIDField(source="lineage", read_only=True)
    version = serializers.IntegerField(read_only=True)
    status = serializers.CharField(read_only=True)
    transport = serializers.CharField(read_only=True)
    registration_date = serializers.DateField(
        required=False, allow_null=True, help_text="Not after today (400 naming the field)."
    )
    reporter_type = _choice(ReporterType)
    police_unit = _choice(PoliceUnit)
    dossier_type = _choice(DossierType)
    exploitation_forms = _codes(ExploitationForm)
    sectors = _codes(Sector)
    nationalities = serializers.ListField(child=NationalityField(), required=False, max_length=10)
    age = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=AGE_MAX,
        help_text="Under 18 only with minority 'minor', 18 or older only with 'adult' (400).",
    )
    minority = _choice(Minority)
    gender = _choice(Gender)
    place_municipality = MunicipalityCodeField(
        required=False,
        allow_null=True,
        help_text="Plaats delict in the Netherlands; not together with place_country (400).",
    )
    place_country = NationalityField(
        required=False,
        allow_blank=True,
        help_text="Plaats delict abroad (not NL; not with place_municipality: 400).",
    )
    recruitment_methods = _codes(RecruitmentMethod)
    control_methods = _codes(ControlMethod)
    legal_basis = _choice(
        LegalBasis, "obligation only for reporter police, kmar or nla (else 400 naming it)."
    )
    consent_signed_by = _choice(
        ConsentSigner,
        "For a minor of 16 or 17 the person, under 16 parent_or_guardian, an adult the "
        "person; a minor's age must be given (400 naming the field).",
    )
    consent_date = serializers.DateField(
        required=False, allow_null=True, help_text="Not after today (400 naming the field)."
    )
    comensha_reference = serializers.CharField(read_only=True)
    sent_at = serializers.DateTimeField(read_only=True, allow_null=True)
    acknowledged_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)


def registrations_visible_to(user: Any) -> QuerySet[Registration]:
    """The registrations of the cases of the regions the user coordinates (not restricted):
    the same as the case's change door, as a queryset."""
    return Registration.objects.filter(
        case__region__in=regions_where(user, *COORDINATOR_ROLES), case__restricted=False
    ).select_related("place_municipality")


class RegistrationListView(GenericAPIView[Registration]):
    serializer_class = RegistrationSerializer
    required_permissions = {"GET": "registration.list_registrations", "POST": PERMISSION}

    def get_queryset(self) -> Any:
        return registrations_visible_to(api_user_of(self.request)).order_by("-created_at", "-pk")

    @extend_schema(operation_id="registrations_list", responses=RegistrationSerializer(many=True))
    def get(self, request: Request) -> Response:
        page = list(self.paginate_queryset(self.get_queryset()) or [])
        if page:
            audit_record_reads(actor=api_user_of(request), records=page, purpose=Purpose.API_READ)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(operation_id="registrations_create", responses={201: RegistrationSerializer})
    def post(self, request: Request) -> Response:
        user = api_user_of(request)
        body = RegistrationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        try:
            case = case_get_for(user, values.pop("case_id"), need="edit")
        except Http404:
            raise ValidationError(
                {"case": [_("No case with this id whose registration you may change.")]}
            ) from None
        start = services.form_input(case)
        # The plaats delict is one place: giving one of its two fields clears the other.
        if values.get("place_country") and "place_municipality" not in values:
            values["place_municipality"] = None
        if values.get("place_municipality") and "place_country" not in values:
            values["place_country"] = ""
        data = services.RegistrationInput(
            **{name: values.get(name, getattr(start, name)) for name in services.INPUT_FIELDS}
        )
        try:
            registration = services.registration_save(by=user, case=case, data=data)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        return Response(self.get_serializer(registration).data, status=status.HTTP_201_CREATED)
