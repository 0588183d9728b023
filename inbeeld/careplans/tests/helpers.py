"""Care plans for tests, written through the services like a zorgcoördinator would."""

from __future__ import annotations

from datetime import date

from inbeeld.accounts.models import Role
from inbeeld.careplans.models import CarePlan, CarePlanAction
from inbeeld.careplans.services import ActionInput, DomainInput, action_add, domain_update
from inbeeld.cases.models import Case
from inbeeld.testing.world import World


def version_of(case: Case) -> int:
    plan = CarePlan.objects.filter(case=case).first()
    return plan.version if plan else 1


def goals_written(
    world: World, case: Case, goals: str = "Veilig wonen.", letter: str = "A"
) -> None:
    domain_update(
        by=world.user(Role.ZORGCOORDINATOR, letter),
        case=case,
        domain="safety",
        version=version_of(case),
        data=DomainInput(goals=goals),
    )


def action_added(
    world: World, case: Case, due: date | None = None, letter: str = "A", **changes: object
) -> CarePlanAction:
    data = ActionInput(
        domain="safety",
        description="Opvang aanvragen.",
        owner_organisation=case.owner_organisation,
        owner=world.user(Role.ZORGCOORDINATOR, letter),
        due=due,
    )
    for name, value in changes.items():
        object.__setattr__(data, name, value)
    return action_add(
        by=world.user(Role.ZORGCOORDINATOR, letter), case=case, version=version_of(case), data=data
    )
