"""What a plan's versions say, in words: the history page, the timeline and the print view.

A version names what changed (careplans/models.py: CarePlanVersion.changes), never the text;
these functions put that into a sentence in the reader's language.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inbeeld.careplans.models import ActionStatus, CarePlan, CarePlanVersion, LifeDomain

FIELD_NAMES = {
    "situation": gettext_lazy("situation"),
    "goals": gettext_lazy("goals"),
    "review_date": gettext_lazy("review date"),
    "domain": gettext_lazy("life domain"),
    "description": gettext_lazy("description"),
    "owner_organisation": gettext_lazy("organisation"),
    "owner": gettext_lazy("person"),
    "due": gettext_lazy("due date"),
    "status": gettext_lazy("status"),
}


def _domain(code: str) -> str:
    return str(LifeDomain(code).label) if code in LifeDomain.values else code


def action_numbers(plan: CarePlan | None) -> dict[int, int]:
    """Actions are numbered within their plan (1, 2, ...) in the order they were added."""
    if plan is None:
        return {}
    ids = plan.actions.order_by("created_at", "pk").values_list("pk", flat=True)
    return {pk: number for number, pk in enumerate(ids, start=1)}


def change_text(change: dict[str, Any], numbers: dict[int, int]) -> str:
    domain = _domain(str(change.get("domain", "")))
    field = str(change.get("field", ""))
    if "action" not in change:
        return _("%(domain)s: %(field)s changed") % {
            "domain": domain,
            "field": FIELD_NAMES.get(field, field),
        }
    number = numbers.get(int(change["action"]), change["action"])
    if field == "added":
        return _("%(domain)s: action %(number)s added") % {"domain": domain, "number": number}
    if field == "status" and change.get("value") in ActionStatus.values:
        return _("%(domain)s: action %(number)s is now %(status)s") % {
            "domain": domain,
            "number": number,
            "status": str(ActionStatus(change["value"]).label).lower(),
        }
    return _("%(domain)s: %(field)s of action %(number)s changed") % {
        "domain": domain,
        "field": FIELD_NAMES.get(field, field),
        "number": number,
    }


def version_texts(version: CarePlanVersion, numbers: dict[int, int]) -> list[str]:
    return [change_text(change, numbers) for change in version.changes]
