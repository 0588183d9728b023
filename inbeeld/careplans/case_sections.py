"""The care plan on the case page (cases/sections.py): its summary with a link to the plan,
and its entries on the case's timeline (changes of the plan, actions done or cancelled,
review dates)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.careplans.access import careplan_read
from inbeeld.careplans.history import action_numbers, change_text
from inbeeld.careplans.models import CarePlan, CarePlanDomain, CarePlanVersion, LifeDomain
from inbeeld.careplans.page import plan_domains, plan_summary
from inbeeld.cases.sections import CaseSection, case_section_register, case_timeline_source_register
from inbeeld.cases.timeline import TimelineItem


def _context(request: Any, user: Any, case: Any, editable: bool) -> dict[str, Any]:
    # The case page's gate has decided and audited the case; the plan's read is its own.
    plan = CarePlan.objects.filter(case=case).first()
    careplan_read(user, plan)
    domains = plan_domains(plan)
    return {
        "case": case,
        "plan": plan,
        "editable": editable and case.is_open,
        "summary": plan_summary(plan, domains),
        "filled": [d for d in domains if d.filled],
    }


def _timeline(case: Any) -> list[TimelineItem]:
    plan = CarePlan.objects.filter(case=case).first()
    if plan is None:
        return []
    numbers = action_numbers(plan)
    items: list[TimelineItem] = []
    for version in CarePlanVersion.objects.filter(plan=plan).order_by("number"):
        statuses = [c for c in version.changes if c.get("field") == "status" and "action" in c]
        others = [c for c in version.changes if c not in statuses]
        for change in statuses:
            items.append(
                TimelineItem(version.at, "careplan", _("Care plan"), change_text(change, numbers))
            )
        if others:
            text = "; ".join(change_text(change, numbers) for change in others)
            title = _("Care plan changed (version %(number)s)") % {"number": version.number}
            items.append(TimelineItem(version.at, "careplan", title, text))
    for row in CarePlanDomain.objects.filter(plan=plan, review_date__isnull=False):
        if row.review_date is None:  # for the type checker: the filter excludes it
            continue
        at = timezone.make_aware(datetime.combine(row.review_date, time.min))
        title = _("Care plan review: %(domain)s") % {"domain": LifeDomain(row.domain).label}
        items.append(TimelineItem(at, "careplan-review", title, dated_only=True))
    return items


case_section_register(CaseSection("careplan", "careplans/_case_section.html", _context, order=10))
case_timeline_source_register("careplans", _timeline)
