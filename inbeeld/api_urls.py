"""Version 1 of the REST API. Each domain adds its routes here; nothing is ever removed."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from inbeeld.accounts.api import MeView, OrganisationListView
from inbeeld.cases.api import CaseDetailView, CaseListView
from inbeeld.casetable.api import ActionDetailView, ActionListView, MeetingListView
from inbeeld.insight.api import FiguresView
from inbeeld.network.api import (
    ActivityDetailView,
    ActivityListView,
    ReachDetailView,
    ReachListView,
)
from inbeeld.referrals.api import ReferralDetailView, ReferralListView
from inbeeld.registration.api import RegistrationListView
from inbeeld.shelter.api import PlaceCapacityDetailView, PlaceCapacityListView
from inbeeld.signals.api import SignalDetailView, SignalListView
from inbeeld.tasks.api import TaskDetailView, TaskListView


class ApiRootView(APIView):
    """The entry point of API version 1."""

    required_permissions = {"GET": "accounts.use_staff_pages"}

    @extend_schema(responses=inline_serializer("ApiRoot", fields={"me": serializers.URLField()}))
    def get(self, request: Request) -> Response:
        return Response({"me": reverse("v1:me", request=request)})


urlpatterns = [
    path("", ApiRootView.as_view(), name="root"),
    path("me/", MeView.as_view(), name="me"),
    path("signals/", SignalListView.as_view(), name="signals"),
    path("signals/<int:pk>/", SignalDetailView.as_view(), name="signal"),
    path("tasks/", TaskListView.as_view(), name="tasks"),
    path("tasks/<int:pk>/", TaskDetailView.as_view(), name="task"),
    path("organisations/", OrganisationListView.as_view(), name="organisations"),
    path("cases/", CaseListView.as_view(), name="cases"),
    path("cases/<int:pk>/", CaseDetailView.as_view(), name="case"),
    path("referrals/", ReferralListView.as_view(), name="referrals"),
    path("referrals/<int:pk>/", ReferralDetailView.as_view(), name="referral"),
    path("registrations/", RegistrationListView.as_view(), name="registrations"),
    path("actions/", ActionListView.as_view(), name="actions"),
    path("actions/<int:pk>/", ActionDetailView.as_view(), name="action"),
    path("meetings/", MeetingListView.as_view(), name="meetings"),
    path("activities/", ActivityListView.as_view(), name="activities"),
    path("activities/<int:pk>/", ActivityDetailView.as_view(), name="activity"),
    path("network-reach/", ReachListView.as_view(), name="network_reach"),
    path("network-reach/<str:code>/", ReachDetailView.as_view(), name="network_reach_region"),
    path("figures/", FiguresView.as_view(), name="figures"),
    path("shelter-capacity/", PlaceCapacityListView.as_view(), name="shelter_capacity"),
    path(
        "shelter-capacity/<int:pk>/",
        PlaceCapacityDetailView.as_view(),
        name="shelter_capacity_entry",
    ),
]
