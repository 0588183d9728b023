"""How the FG's audit search names signals: by their receipt code (audit/names.py).

Only signals in the regions where the user is the FG are named; any other is named by its
kind and number, as the trail holds it.
"""

from __future__ import annotations

from typing import Any

from inbeeld.accounts.access import regions_where
from inbeeld.accounts.models import Role
from inbeeld.audit.names import register
from inbeeld.signals.models import Signal


def signal_names(user: Any, ids: list[str]) -> dict[str, str]:
    numbers = [int(pk) for pk in ids if pk.isdigit()]
    supervised = Signal.objects.filter(pk__in=numbers, region__in=regions_where(user, Role.FG))
    return {str(pk): code for pk, code in supervised.values_list("pk", "receipt_code")}


register("signals.signal", signal_names)
