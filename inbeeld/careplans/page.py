"""The plan as its pages show it: every life domain with its text, review date and actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from inbeeld.careplans.models import (
    ActionStatus,
    CarePlan,
    CarePlanAction,
    CarePlanDomain,
    LifeDomain,
)


@dataclass(frozen=True)
class ActionRow:
    action: CarePlanAction
    number: int
    overdue: bool  # open and due before today: the task engine's rule (tasks/services.py)


@dataclass
class DomainView:
    code: str
    label: str
    row: CarePlanDomain | None
    actions: list[ActionRow] = field(default_factory=list)
    review_overdue: bool = False

    @property
    def filled(self) -> bool:
        row = self.row
        return bool(self.actions or (row and (row.situation or row.goals or row.review_date)))


def _overdue(day: date | None, today: date) -> bool:
    return day is not None and day < today


def plan_domains(plan: CarePlan | None) -> list[DomainView]:
    """The nine domains in their fixed order, each with its part of the plan (if any)."""
    today = timezone.localdate()
    rows: dict[str, CarePlanDomain] = {}
    actions: list[CarePlanAction] = []
    if plan is not None:
        rows = {row.domain: row for row in plan.domains.all()}
        actions = list(
            plan.actions.select_related("owner", "owner_organisation").order_by("created_at", "pk")
        )
    views = {
        code: DomainView(
            code,
            str(label),
            rows.get(code),
            review_overdue=_overdue(rows[code].review_date, today) if code in rows else False,
        )
        for code, label in LifeDomain.choices
    }
    for number, action in enumerate(actions, start=1):
        overdue = action.status == ActionStatus.OPEN and _overdue(action.due, today)
        views[action.domain].actions.append(ActionRow(action, number, overdue))
    return list(views.values())


@dataclass(frozen=True)
class PlanSummary:
    domains_filled: int
    domains_total: int
    open_actions: int
    overdue_actions: int
    next_review: date | None
    versions: int


def plan_summary(plan: CarePlan | None, domains: list[DomainView]) -> PlanSummary:
    today = timezone.localdate()
    reviews = [d.row.review_date for d in domains if d.row and d.row.review_date]
    upcoming = sorted(day for day in reviews if day >= today)
    rows = [row for d in domains for row in d.actions]
    return PlanSummary(
        domains_filled=sum(1 for d in domains if d.filled),
        domains_total=len(domains),
        open_actions=sum(1 for r in rows if r.action.status == ActionStatus.OPEN),
        overdue_actions=sum(1 for r in rows if r.overdue),
        next_review=upcoming[0] if upcoming else None,
        versions=(plan.version - 1) if plan else 0,
    )
