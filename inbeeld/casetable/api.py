"""`/api/v1/actions/` and `/api/v1/meetings/`: the case table for partners' own systems.

Actions are the table's tasks owned by the caller's organisations (item named by its
pseudonym, never by the signal or case); PATCH changes their status. Meetings are those the
caller may see, each item pseudonymised exactly as on the page (agenda.py), with what the
decision shares with the caller's organisation when it gave it a role. Everything else 404.
Every read is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from inbeeld.accounts.api import api_user_of
from inbeeld.accounts.models import Membership, User
from inbeeld.audit.models import Purpose
from inbeeld.audit.services import audit_record_reads
from inbeeld.casetable.access import meetings_visible_to
from inbeeld.casetable.agenda import ShownItem, agenda_for
from inbeeld.casetable.models import AgendaItem, Meeting
from inbeeld.casetable.services import ACTION_SOURCE
from inbeeld.lib.api import RefuseUnknownFields
from inbeeld.tasks.models import Task, TaskStatus
from inbeeld.tasks.services import is_overdue, task_status_set


def actions_of(user: User) -> QuerySet[Task]:
    """The table's actions owned by an organisation the user works for."""
    return Task.objects.filter(
        source=ACTION_SOURCE,
        subject_type=ContentType.objects.get_for_model(AgendaItem),
        owner_organisation__in=Membership.objects.filter(user=user).values("organisation"),
    )


def _item_of(task: Task) -> AgendaItem | None:
    return (
        AgendaItem.objects.select_related("meeting", "signal", "case")
        .filter(pk=task.subject_id)
        .first()
    )


class ActionSerializer(serializers.ModelSerializer[Task]):
    item = serializers.SerializerMethodField(help_text="The item's pseudonym at the table.")
    meeting = serializers.SerializerMethodField(help_text="The meeting the action was agreed at.")
    overdue = serializers.SerializerMethodField(
        help_text="Open and due before today (the server's date)."
    )

    class Meta:
        model = Task
        fields = (
            "id",
            "item",
            "meeting",
            "title",
            "due",
            "status",
            "overdue",
            "owner_organisation",
        )
        read_only_fields = fields

    def get_item(self, task: Task) -> str:
        from inbeeld.casetable.agenda import case_pseudonym
        from inbeeld.casetable.pending import pseudonym_of

        item = _item_of(task)
        if item is None:
            return ""
        return pseudonym_of(item.signal) if item.signal else case_pseudonym(item.subject)  # type: ignore[arg-type]

    def get_meeting(self, task: Task) -> int | None:
        item = _item_of(task)
        return item.meeting_id if item else None

    def get_overdue(self, task: Task) -> bool:
        return is_overdue(task, timezone.localdate())


class ActionStatusSerializer(RefuseUnknownFields, serializers.Serializer[dict[str, Any]]):
    status = serializers.ChoiceField(choices=TaskStatus.choices, required=False)


class ActionListView(GenericAPIView[Task]):
    serializer_class = ActionSerializer
    required_permissions = {"GET": "casetable.list_actions"}

    def get_queryset(self) -> Any:
        return actions_of(api_user_of(self.request)).order_by("due", "id")

    @extend_schema(operation_id="actions_list", responses=ActionSerializer(many=True))
    def get(self, request: Request) -> Response:
        page = list(self.paginate_queryset(self.get_queryset()) or [])
        if page:
            audit_record_reads(actor=api_user_of(request), records=page, purpose=Purpose.API_READ)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ActionDetailView(GenericAPIView[Task]):
    serializer_class = ActionSerializer
    required_permissions = {"PATCH": "casetable.list_actions"}

    @extend_schema(
        operation_id="actions_partial_update",
        request=ActionStatusSerializer,
        responses=ActionSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        user = api_user_of(request)
        task = actions_of(user).filter(pk=pk).first()
        if task is None:
            raise Http404
        body = ActionStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if "status" in body.validated_data:
            try:
                task = task_status_set(task=task, status=body.validated_data["status"], by=user)
            except DjangoValidationError as error:
                raise ValidationError(error.message_dict) from error
        return Response(self.get_serializer(task).data)


class MeetingItemSerializer(serializers.Serializer[ShownItem]):
    pseudonym = serializers.CharField()
    kind = serializers.CharField(help_text="signal or case")
    follow_up = serializers.BooleanField()
    municipality = serializers.SerializerMethodField()
    exploitation_forms = serializers.SerializerMethodField()
    age_band = serializers.SerializerMethodField()
    gender = serializers.SerializerMethodField()
    outcome = serializers.SerializerMethodField(
        help_text="The decision, when the table gave the caller's organisation a role."
    )
    roles = serializers.SerializerMethodField(
        help_text="The caller's organisation's roles, with what the decision shares with it."
    )

    def _field(self, shown: ShownItem, name: str) -> str:
        value = shown.fields.get(name)
        return "" if value is None else str(value)

    def get_municipality(self, shown: ShownItem) -> str:
        return self._field(shown, "municipality")

    def get_exploitation_forms(self, shown: ShownItem) -> list[str]:
        return [str(label) for label in shown.fields.get("exploitation_form_labels") or []]

    def get_age_band(self, shown: ShownItem) -> str:
        return self._field(shown, "victim_age_band")

    def get_gender(self, shown: ShownItem) -> str:
        return self._field(shown, "victim_gender")

    def get_outcome(self, shown: ShownItem) -> str:
        return shown.decision.outcome if shown.decision and shown.roles else ""

    def get_roles(self, shown: ShownItem) -> list[dict[str, str]]:
        organisations: set[int] = self.context.get("organisations", set())
        return [
            {
                "organisation": role.organisation.name,
                "role": role.role,
                "shared": role.share.content if role.share else "",
                "legal_basis": role.share.legal_basis if role.share else "",
            }
            for role in shown.roles
            if role.organisation_id in organisations
        ]


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    region = serializers.CharField(source="region.code")
    items = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ("id", "region", "date", "items")
        read_only_fields = fields

    @extend_schema_field(MeetingItemSerializer(many=True))
    def get_items(self, meeting: Meeting) -> list[dict[str, Any]]:
        user: User = self.context["user"]
        shown = agenda_for(user, meeting, purpose=Purpose.API_READ, pseudonymised_only=True)
        return list(
            MeetingItemSerializer(shown, many=True, context=self.context).data  # type: ignore[arg-type]
        )


class MeetingListView(GenericAPIView[Meeting]):
    serializer_class = MeetingSerializer
    required_permissions = {"GET": "casetable.list_meetings"}

    def get_queryset(self) -> Any:
        return (
            meetings_visible_to(api_user_of(self.request))
            .select_related("region")
            .order_by("-date", "-id")
        )

    @extend_schema(operation_id="meetings_list", responses=MeetingSerializer(many=True))
    def get(self, request: Request) -> Response:
        from inbeeld.casetable.access import table_organisation_ids

        user = api_user_of(request)
        page = list(self.paginate_queryset(self.get_queryset()) or [])
        if page:
            audit_record_reads(actor=user, records=page, purpose=Purpose.API_READ)
        context = {"user": user, "organisations": table_organisation_ids(user)}
        data = MeetingSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)
