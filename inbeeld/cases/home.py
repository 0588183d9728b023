"""The case block on the home page (lib/home_blocks.py): the open cases the user works on,
minors first, by the same rule as the case list; what it shows is an audited read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from inbeeld.accounts.models import User
from inbeeld.audit.models import Purpose
from inbeeld.audit.services import audit_record_reads
from inbeeld.cases.access import cases_visible_to
from inbeeld.cases.models import CasePerson, CaseStatus
from inbeeld.lib.home_blocks import HomeBlock, home_block_register

SHOWN = 10


def open_cases(user: User) -> Mapping[str, Any]:
    open_ = cases_visible_to(user).filter(status=CaseStatus.OPEN)
    rows = list(open_.select_related("region", "municipality").order_by("-updated_at")[:SHOWN])
    people = {p.case_id: p for p in CasePerson.objects.filter(case__in=rows)}
    for case in rows:
        case.shown_person = people.get(case.pk)  # type: ignore[attr-defined]
    # Minors first: a child's case must not sink below the fold.
    rows.sort(key=lambda case: not _is_minor(case))
    if rows:
        audit_record_reads(actor=user, records=rows, purpose=Purpose.CASE_WORK)
    return {"cases": rows, "total": open_.count()}


def _is_minor(case: Any) -> bool:
    person = case.shown_person
    return bool(person and person.is_minor)


home_block_register(
    HomeBlock(
        name="open-cases",
        permission="cases.view_cases",
        template="cases/home_open.html",
        context=open_cases,
        order=20,
    )
)
