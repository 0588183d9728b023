"""`/api/v1/tasks/`: a person's own tasks and their organisations', and marking one done.

The list is "Mijn taken" (open tasks by due date); one task is reached by whoever may see
it (tasks/rules.py), also through its record. Every read is audited.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from inbeeld.accounts.api import api_user_of
from inbeeld.audit.models import Purpose
from inbeeld.audit.services import audit_record_reads
from inbeeld.lib.api import RefuseUnknownFields
from inbeeld.tasks import access, services
from inbeeld.tasks.models import Task, TaskStatus


class TaskSerializer(serializers.ModelSerializer[Task]):
    subject_type = serializers.SerializerMethodField(
        help_text="The kind of record the task belongs to, e.g. signals.signal."
    )
    overdue = serializers.SerializerMethodField(
        help_text="Open and due before today (the server's date)."
    )

    class Meta:
        model = Task
        fields = (
            "id",
            "title",
            "details",
            "due",
            "status",
            "overdue",
            "source",
            "subject_type",
            "subject_id",
            "owner",
            "owner_organisation",
            "done_at",
            "created_at",
        )
        read_only_fields = fields

    def get_subject_type(self, task: Task) -> str:
        return str(task.subject_type.model_class()._meta.label_lower)  # type: ignore[union-attr]

    def get_overdue(self, task: Task) -> bool:
        return services.is_overdue(task, timezone.localdate())


class TaskStatusSerializer(RefuseUnknownFields, serializers.Serializer[dict[str, Any]]):
    # A PATCH changes what it names: without a status it changes nothing (as its schema says).
    status = serializers.ChoiceField(choices=TaskStatus.choices, required=False)


class TaskListView(GenericAPIView[Task]):
    serializer_class = TaskSerializer
    # Any staff member may ask; the list holds only their own and their organisations' tasks.
    required_permissions = {"GET": "tasks.view_tasks"}

    def get_queryset(self) -> Any:
        return (
            access.tasks_of(api_user_of(self.request))
            .filter(status=TaskStatus.OPEN)
            .select_related("subject_type")
            .order_by("due", "id")
        )

    @extend_schema(operation_id="tasks_list", responses=TaskSerializer(many=True))
    def get(self, request: Request) -> Response:
        page = list(self.paginate_queryset(self.get_queryset()) or [])
        if page:
            audit_record_reads(actor=api_user_of(request), records=page, purpose=Purpose.API_READ)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class TaskDetailView(GenericAPIView[Task]):
    serializer_class = TaskSerializer
    required_permissions = {"GET": "tasks.view_tasks", "PATCH": "tasks.view_tasks"}

    @extend_schema(operation_id="tasks_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        task = access.task_get_for(user=api_user_of(request), task_id=pk)
        return Response(self.get_serializer(task).data)

    @extend_schema(
        operation_id="tasks_partial_update",
        request=TaskStatusSerializer,
        responses=TaskSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        user = api_user_of(request)
        task = access.task_get_for(user=user, task_id=pk, need="change")
        body = TaskStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if "status" not in body.validated_data:
            return Response(self.get_serializer(task).data)
        try:
            task = services.task_status_set(
                task=task, status=body.validated_data["status"], by=user
            )
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        return Response(self.get_serializer(task).data)
