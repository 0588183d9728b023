"""Reads of regions and municipalities, always scoped to what a user may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from inbeeld.regions.models import Municipality, Region

if TYPE_CHECKING:
    from inbeeld.accounts.models import User


def regions_for(*, user: User) -> QuerySet[Region]:
    """The regions a user works in: those of the organisations they are a member of."""
    return Region.objects.filter(organisations__memberships__user=user).distinct()


def municipalities_for(*, user: User) -> QuerySet[Municipality]:
    return Municipality.objects.filter(region__in=regions_for(user=user)).select_related("region")
