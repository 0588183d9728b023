"""Who may do what with referrals and services (django-rules). Read with cases/rules.py.

- The sender's side is the case's: the region's zorgcoördinator refers, revokes and records
  services (``cases.change_case`` on the referral's case).
- The receiving side is the organisation referred to: its people with a signal-handling role
  there (RECEIVING_ROLES) see the referral with exactly what it shares, and answer it. The
  role counts only in that organisation (so only in its region). A restricted case's
  referrals are seen by no one but the FG.
"""

from __future__ import annotations

from typing import Any

from rules.predicates import Predicate

from inbeeld.accounts.models import Membership, Role, User
from inbeeld.accounts.predicates import holds_role, permission
from inbeeld.cases.roles import CASE_ROLES

# The people of an organisation who handle what it receives: the same signal-handling roles
# that see a case (there is no separate shelter role; a shelter's staff hold these).
RECEIVING_ROLES = CASE_ROLES


def _works_for_recipient(user: Any, referral: Any) -> bool:
    if not isinstance(user, User) or not user.is_active:
        return False
    organisation_id = getattr(referral, "to_organisation_id", None)
    case = getattr(referral, "case", None)
    if organisation_id is None or case is None or case.restricted:
        return False
    return Membership.objects.filter(
        user=user, organisation_id=organisation_id, role__in=RECEIVING_ROLES
    ).exists()


def _changes_the_case(user: Any, record: Any) -> bool:
    case = getattr(record, "case", None)
    return case is not None and bool(user.has_perm("cases.change_case", case))


works_for_recipient = Predicate(_works_for_recipient, name="works_for_recipient")
changes_the_case = Predicate(_changes_the_case, name="changes_the_case")

# "Inkomende verwijzingen": anyone who may receive one (each sees their organisation's).
permission("referrals.view_incoming", holds_role(*RECEIVING_ROLES))
# The API's list and records: anyone with a role; each sees only their organisations'.
permission("referrals.list_incoming", holds_role(*Role.values))
# One referral, as the receiving organisation sees it, and its answer.
permission("referrals.receive_referral", works_for_recipient)
# Revoking a referral: the sender's side, the case's coordinator.
permission("referrals.revoke_referral", changes_the_case)
