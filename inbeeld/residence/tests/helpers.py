"""Residence states for tests, recorded through the service like a zorgcoördinator would."""

from __future__ import annotations

from datetime import date

from inbeeld.accounts.models import Role
from inbeeld.cases.models import Case
from inbeeld.residence.models import ResidenceState
from inbeeld.residence.services import StateInput, residence_state_record
from inbeeld.testing.world import World


def record(
    world: World,
    case: Case,
    status: str,
    start: date,
    *,
    end_reason: str = "",
    note: str = "",
    letter: str = "A",
) -> ResidenceState:
    return residence_state_record(
        by=world.user(Role.ZORGCOORDINATOR, letter),  # type: ignore[arg-type]
        case=case,
        data=StateInput(status=status, start=start, end_reason=end_reason, note=note),
    )
