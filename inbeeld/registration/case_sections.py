"""The CoMensha registration on the case page (cases/sections.py): for the case's
coordinator only (a partner who sees the case does not see its registration)."""

from __future__ import annotations

from typing import Any

from inbeeld.cases.models import Case
from inbeeld.cases.sections import CaseSection, case_section_register
from inbeeld.registration.access import registrations_read
from inbeeld.registration.services import registrations_of


def _context(request: Any, user: Any, case: Case, editable: bool) -> dict[str, Any]:
    if not editable:
        return {"shown": False}
    versions = registrations_of(case)
    registrations_read(user, versions[:1])
    return {"shown": True, "case": case, "latest": versions[0] if versions else None}


case_section_register(
    CaseSection(
        name="registration",
        template="registration/_case_section.html",
        context=_context,
        order=40,
    )
)
