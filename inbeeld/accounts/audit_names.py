"""How the FG's audit search names accounts and organisations (audit/names.py): by user
name and by name, for those of the regions where the user is the FG."""

from __future__ import annotations

from typing import Any

from inbeeld.accounts.access import regions_where
from inbeeld.accounts.models import Organisation, Role, User
from inbeeld.audit.names import register


def _numbers(ids: list[str]) -> list[int]:
    return [int(pk) for pk in ids if pk.isdigit()]


def account_names(user: Any, ids: list[str]) -> dict[str, str]:
    regions = regions_where(user, Role.FG)
    accounts = User.objects.filter(
        pk__in=_numbers(ids), memberships__organisation__region__in=regions
    ).distinct()
    return {str(pk): name for pk, name in accounts.values_list("pk", "username")}


def organisation_names(user: Any, ids: list[str]) -> dict[str, str]:
    regions = regions_where(user, Role.FG)
    found = Organisation.objects.filter(pk__in=_numbers(ids), region__in=regions)
    return {str(pk): name for pk, name in found.values_list("pk", "name")}


register("accounts.user", account_names)
register("accounts.organisation", organisation_names)
