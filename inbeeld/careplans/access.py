"""Need-to-know for care plans: the door to a case's plan and to one of its actions.

A plan is reached through its case (cases/access.py: case_get_for, 404 outside need-to-know,
the read of the case audited); the plan's own read is audited on the plan as well, so that
the FG and a data subject's export see who read the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.http import Http404

from inbeeld.accounts.models import User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.careplans.models import CarePlan, CarePlanAction, CarePlanDomain
from inbeeld.cases.access import case_get_for
from inbeeld.cases.models import Case

Need = Literal["view", "edit"]
NEEDS = {"view": "careplans.view_careplan", "edit": "careplans.change_careplan"}


@dataclass(frozen=True)
class PlanOfCase:
    case: Case
    plan: CarePlan | None  # None until the plan's first change


def may_change(user: User, case: Case) -> bool:
    return bool(user.has_perm(NEEDS["edit"], case))


def careplan_read(user: User, plan: CarePlan | None, purpose: Purpose = Purpose.CASE_WORK) -> None:
    if plan is not None:
        audit_record(actor=user, action=Action.READ, target=plan, purpose=purpose)


def careplan_get_for(
    user: User, case_id: int, need: Need = "view", purpose: Purpose = Purpose.CASE_WORK
) -> PlanOfCase:
    """The case and its plan if the user may see (or change) them; else 404, never 403."""
    case = case_get_for(user, case_id, need="edit" if need == "edit" else "view", purpose=purpose)
    if not user.has_perm(NEEDS[need], case):
        raise Http404
    plan = CarePlan.objects.filter(case=case).first()
    careplan_read(user, plan, purpose)
    return PlanOfCase(case, plan)


def action_get_for(
    user: User, case_id: int, action_id: int, need: Need = "view"
) -> tuple[PlanOfCase, CarePlanAction]:
    """An action of the case's plan, through the plan's door; 404 for another case's."""
    found = careplan_get_for(user, case_id, need)
    action = (
        CarePlanAction.objects.select_related("owner", "owner_organisation")
        .filter(pk=action_id, plan__case=found.case)
        .first()
    )
    if action is None:
        raise Http404
    return found, action


def action_subject_get_for(user: User, action_id: int) -> CarePlanAction:
    """The door the task engine uses for an action (tasks/registry.py: get_for)."""
    case_id = CarePlanAction.objects.filter(pk=action_id).values_list("plan__case_id", flat=True)
    found = case_id.first()
    if found is None:
        raise Http404
    return action_get_for(user, found, action_id, need="edit")[1]


def domain_subject_get_for(user: User, domain_id: int) -> CarePlanDomain:
    """The door the task engine uses for a domain's review date."""
    row = CarePlanDomain.objects.select_related("plan").filter(pk=domain_id).first()
    if row is None:
        raise Http404
    careplan_get_for(user, row.plan.case_id, need="edit", purpose=Purpose.TASKS)
    return row
