"""API pieces of the accounts domain: authentication and the caller's own profile."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inbeeld.accounts.models import Membership, User


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
