"""Who may do what with a case (django-rules). Read with inbeeld/accounts/predicates.py.

A case is seen and changed by the zorgcoördinators of its region. It is seen by the people
of its owner organisation and of the organisations invited to it (an active share of kind
CASE_INVITE) who hold a signal-handling role in that organisation; a restricted case by none
of them. A role counts only in its own organisation, and so in that organisation's region.
"""

from __future__ import annotations

from typing import Any

from rules.predicates import Predicate

from inbeeld.accounts.models import Membership, Role, User
from inbeeld.accounts.predicates import holds_role, holds_role_in_region, is_restricted, permission
from inbeeld.cases.participants import participant_organisation_ids
from inbeeld.cases.roles import CASE_ROLES, COORDINATOR_ROLES


def _takes_part(user: Any, record: Any) -> bool:
    if not isinstance(user, User) or not user.is_active:
        return False
    owner_id = getattr(record, "owner_organisation_id", None)
    if owner_id is None:
        return False
    organisations = {owner_id, *participant_organisation_ids(record)}
    return Membership.objects.filter(
        user=user, organisation_id__in=organisations, role__in=CASE_ROLES
    ).exists()


# The user works, in a signal-handling role, for the owner or an invited organisation.
takes_part = Predicate(_takes_part, name="takes_part")
coordinates_case_region = holds_role_in_region(*COORDINATOR_ROLES)

# The case list and the case pages: anyone who may handle signals (each sees their cases).
permission("cases.view_cases", holds_role(*CASE_ROLES))
# The API's list and records: anyone with a role; each sees only the cases they may see.
permission("cases.list_cases", holds_role(*Role.values))
# Opening a case, from signals or on its own: the zorgcoördinator.
permission("cases.add_case", holds_role(*COORDINATOR_ROLES))
permission("cases.view_case", ~is_restricted & (coordinates_case_region | takes_part))
permission("cases.change_case", ~is_restricted & coordinates_case_region)


def _coordinates_receiving_region(user: Any, transfer: Any) -> bool:
    if not isinstance(user, User) or not user.is_active:
        return False
    region_id = getattr(transfer, "to_region_id", None)
    return region_id is not None and (
        Membership.objects.filter(
            user=user, role__in=COORDINATOR_ROLES, organisation__region_id=region_id
        ).exists()
    )


# The coordinator of the region a case is offered to sees the proposal (not the case) and
# answers it; the proposal page list: any zorgcoördinator (each sees their regions').
coordinates_receiving_region = Predicate(
    _coordinates_receiving_region, name="coordinates_receiving_region"
)
permission("cases.view_transfers", holds_role(*COORDINATOR_ROLES))
permission("cases.answer_transfer", coordinates_receiving_region)
