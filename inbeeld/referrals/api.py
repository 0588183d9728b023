"""`/api/v1/referrals/`: the receiving organisation's incoming referrals, and its answer.

The list holds only referrals to the caller's organisations (referrals/access.py), each with
exactly what it shares; one referral is reached through the same door as the page (404 for
anyone else), and a PATCH accepts, rejects (with a reason) or completes it. Reads are audited.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from inbeeld.accounts.api import api_user_of
from inbeeld.audit.models import Purpose
from inbeeld.audit.services import audit_record_reads
from inbeeld.lib.api import RefuseUnknownFields
from inbeeld.referrals import services
from inbeeld.referrals.access import referral_get_for_recipient, referrals_incoming_for
from inbeeld.referrals.models import ProgrammePhase, Referral
from inbeeld.referrals.shared import shared_values

# What a PATCH may set, and the service that does it.
ANSWERS = {"accepted": "accept", "rejected": "reject", "completed": "complete"}


# One shared case field: which, as people read it, and its value.
SHARED_VALUE = inline_serializer(
    "SharedValue",
    fields={
        "field": serializers.CharField(help_text="The case field shared."),
        "label": serializers.CharField(),
        "value": serializers.CharField(),
    },
    many=True,
)


class ProgrammePhaseSerializer(serializers.ModelSerializer[ProgrammePhase]):
    class Meta:
        model = ProgrammePhase
        fields = ("phase", "started_on")
        read_only_fields = fields


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    shared = serializers.SerializerMethodField(
        help_text="Exactly the case fields this referral shares, and their values."
    )
    phases = ProgrammePhaseSerializer(
        many=True,
        read_only=True,
        help_text="An exit programme's phases, oldest first; the last is the current one.",
    )

    class Meta:
        model = Referral
        fields = (
            "id",
            "reference",
            "status",
            "service",
            "from_organisation",
            "to_organisation",
            "message",
            "shared",
            "phases",
            "legal_basis",
            "answer_due",
            "reason",
            "created_at",
            "answered_at",
            "ended_at",
        )
        read_only_fields = fields

    @extend_schema_field(SHARED_VALUE)
    def get_shared(self, referral: Referral) -> list[dict[str, str]]:
        return [
            {"field": item.code, "label": item.label, "value": item.value}
            for item in shared_values(referral)
        ]


class ReferralAnswerSerializer(RefuseUnknownFields, serializers.Serializer[dict[str, Any]]):
    status = serializers.ChoiceField(
        choices=sorted(ANSWERS), help_text="accepted, rejected (with a reason) or completed."
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text="Why it is rejected (required then)."
    )


class ReferralListView(GenericAPIView[Referral]):
    serializer_class = ReferralSerializer
    # Anyone with a role may ask; the list holds only referrals to their organisations.
    required_permissions = {"GET": "referrals.list_incoming"}

    def get_queryset(self) -> Any:
        return referrals_incoming_for(api_user_of(self.request)).order_by("-created_at", "-pk")

    @extend_schema(operation_id="referrals_list", responses=ReferralSerializer(many=True))
    def get(self, request: Request) -> Response:
        page = list(self.paginate_queryset(self.get_queryset()) or [])
        if page:
            audit_record_reads(actor=api_user_of(request), records=page, purpose=Purpose.API_READ)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ReferralDetailView(GenericAPIView[Referral]):
    serializer_class = ReferralSerializer
    required_permissions = {"GET": "referrals.list_incoming", "PATCH": "referrals.list_incoming"}

    @extend_schema(operation_id="referrals_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        referral = referral_get_for_recipient(api_user_of(request), pk)
        return Response(self.get_serializer(referral).data)

    @extend_schema(
        operation_id="referrals_partial_update",
        request=ReferralAnswerSerializer,
        responses=ReferralSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        user = api_user_of(request)
        referral = referral_get_for_recipient(user, pk)
        body = ReferralAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        action = ANSWERS[body.validated_data["status"]]
        try:
            if action == "reject":
                referral = services.referral_reject(
                    by=user, referral=referral, reason=body.validated_data.get("reason", "")
                )
            elif action == "accept":
                referral = services.referral_accept(by=user, referral=referral)
            else:
                referral = services.referral_complete(by=user, referral=referral)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        return Response(self.get_serializer(referral).data)
