"""Optimistic locking of care plans, the pattern of cases/concurrency.py.

Every form that changes a plan sends back the ``CarePlan.version`` its page showed; the
service claims the plan with one conditional UPDATE (lib/versioning.py) inside its
transaction. The second of two coordinators who saw the same version gets
``CarePlanChangedError`` before anything is written; the page shows the plan as it is now,
with the person's input still in the form. Every change claims: a domain, an action, its
status, so that no coordinator's change is ever overwritten unseen.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from inbeeld.careplans.models import CarePlan
from inbeeld.lib.versioning import version_claim

CONCURRENT_CHANGE = "concurrent_change"


class CarePlanChangedError(ValidationError):
    """The plan changed after the person's page showed it; nothing was written."""

    def __init__(self, plan_id: int) -> None:
        super().__init__(
            _(
                "Someone else changed this care plan in the meantime; your change was not "
                "saved. The page now shows the current plan, with your input still in the "
                "form. Check it and save again."
            ),
            code=CONCURRENT_CHANGE,
        )
        self.plan_id = plan_id


def careplan_claim(plan: CarePlan, *, seen_version: int) -> None:
    """Take ``plan`` for a change if it is still at ``seen_version``, else raise."""
    if not version_claim(plan, seen_version=seen_version):
        raise CarePlanChangedError(plan.pk)
