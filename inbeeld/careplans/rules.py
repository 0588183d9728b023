"""Who may see and change a care plan (django-rules). Read with cases/rules.py.

The plan is part of its case: whoever may see the case sees its plan (the region's
zorgcoördinators, and the signal-handling people of the owner and of the organisations
taking part), and whoever may change the case changes its plan (the region's
zorgcoördinators). The object of these permissions is the case; careplans/access.py asks.
"""

from __future__ import annotations

from typing import Any

from rules.predicates import Predicate

from inbeeld.accounts.models import User
from inbeeld.accounts.predicates import holds_role, permission
from inbeeld.cases.roles import CASE_ROLES


def _case_permission(name: str) -> Predicate:
    def check(user: Any, case: Any) -> bool:
        return isinstance(user, User) and case is not None and bool(user.has_perm(name, case))

    return Predicate(check, name=f"case_{name.split('.')[-1]}")


# The plan's pages (a plan, its history, its print view): anyone who handles cases; each
# opens only the plans of the cases they may see.
permission("careplans.view_careplans", holds_role(*CASE_ROLES))
permission("careplans.view_careplan", _case_permission("cases.view_case"))
permission("careplans.change_careplan", _case_permission("cases.change_case"))
