"""API pieces of the accounts domain: the caller's own profile, and the directory."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inbeeld.accounts import access, directory
from inbeeld.accounts.models import (
    ContactPerson,
    ContactRole,
    Membership,
    Organisation,
    OrganisationType,
    User,
)
from inbeeld.audit.models import Purpose
from inbeeld.regions.models import Municipality


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    organisation = serializers.CharField(source="organisation.name")
    region = serializers.CharField(source="organisation.region.code")

    class Meta:
        model = Membership
        fields = ["organisation", "region", "role"]


class MeSerializer(serializers.ModelSerializer[User]):
    memberships = MembershipSerializer(many=True)

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "memberships"]


def api_user_of(request: Request) -> User:
    """The authenticated staff user of an API request (token or verified session)."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated
    return user


class MeView(APIView):
    """Who the token or session belongs to, with the roles it acts with."""

    required_permissions = {"GET": "accounts.use_staff_pages"}

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(api_user_of(request)).data)


# --- The regional network: the directory of the caller's regions -----------------------------


class DirectoryContactSerializer(serializers.ModelSerializer[ContactPerson]):
    """A contact person as a partner system needs it: the function and the work contact.
    The name stays on the staff pages."""

    role = serializers.ChoiceField(choices=ContactRole.choices, read_only=True)
    function = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True)
    municipalities = serializers.SlugRelatedField[Municipality](
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = ContactPerson
        fields = ["role", "function", "phone", "email", "municipalities"]


class DirectoryOrganisationSerializer(serializers.ModelSerializer[Organisation]):
    type = serializers.ChoiceField(choices=OrganisationType.choices, read_only=True)
    region = serializers.CharField(source="region.code", read_only=True)
    municipality = serializers.SlugRelatedField[Municipality](
        slug_field="code", read_only=True, allow_null=True
    )
    contacts = DirectoryContactSerializer(many=True, read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "type", "region", "municipality", "contacts"]


class OrganisationListView(GenericAPIView[Organisation]):
    """The directory of the caller's regions: active organisations with their type and
    municipality, and their contact persons of today (function and work contact only)."""

    serializer_class = DirectoryOrganisationSerializer
    required_permissions = {"GET": "accounts.view_network"}

    def get_queryset(self) -> Any:
        today = timezone.localdate()
        current = Prefetch(
            "contact_persons",
            queryset=ContactPerson.objects.filter(directory.active_on(today))
            .select_related("organisation__region")
            .prefetch_related("municipalities")
            .order_by("pk"),
            to_attr="contacts",
        )
        return (
            access.network_organisations(api_user_of(self.request))
            .filter(active=True)
            .prefetch_related(current)
            .order_by("region__code", "name", "pk")
        )

    @extend_schema(
        operation_id="organisations_list", responses=DirectoryOrganisationSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        page = list(self.paginate_queryset(self.get_queryset()) or [])
        # The work contact details of the contacts shown were read: one entry names them all.
        directory.contacts_shown(
            by=api_user_of(request),
            contacts=[contact for organisation in page for contact in organisation.contacts],  # type: ignore[attr-defined]
            purpose=Purpose.API_READ,
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
