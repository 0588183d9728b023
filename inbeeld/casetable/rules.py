"""Who may do what at the case table (django-rules). Read with accounts/predicates.py.

A meeting is prepared, held and seen in full by the zorgcoördinators of its region and by
its secretary. It is seen by the staff (signal-handling roles) of the organisations invited
to it, who see its items pseudonymised; an organisation given a role in an item's decision
sees what that decision shares with it. Anyone else gets 404. A role counts only in its own
organisation, and so in that organisation's region.
"""

from __future__ import annotations

from typing import Any

from rules.predicates import Predicate

from inbeeld.accounts.models import Membership, Role, User
from inbeeld.accounts.predicates import holds_role, holds_role_in_region, permission
from inbeeld.casetable.roles import CHAIR_ROLES, STATISTICS_ROLES, TABLE_ROLES


def _staff(user: Any) -> User | None:
    return user if isinstance(user, User) and user.is_active else None


def _meeting_of(record: Any) -> Any:
    return getattr(record, "meeting", record)


def _is_secretary(user: Any, record: Any) -> bool:
    staff = _staff(user)
    meeting = _meeting_of(record)
    return staff is not None and getattr(meeting, "secretary_id", None) == staff.pk


def _is_invited(user: Any, record: Any) -> bool:
    staff = _staff(user)
    meeting = _meeting_of(record)
    if staff is None or getattr(meeting, "pk", None) is None:
        return False
    return Membership.objects.filter(
        user=staff,
        role__in=TABLE_ROLES,
        organisation__in=meeting.invitations.values("organisation"),
    ).exists()


def _chairs_region(user: Any, record: Any) -> bool:
    return bool(holds_role_in_region(*CHAIR_ROLES)(user, _meeting_of(record)))


chairs_region = Predicate(_chairs_region, name="chairs_region")
is_secretary = Predicate(_is_secretary, name="is_secretary")
is_invited = Predicate(_is_invited, name="is_invited")

# The case table's pages (which meetings appear on them is decided per meeting below).
permission("casetable.view_case_table", holds_role(*TABLE_ROLES))
# Planning a meeting: the zorgcoördinator (in the region of the meeting: services.py).
permission("casetable.plan_meeting", holds_role(*CHAIR_ROLES))
permission("casetable.view_meeting", chairs_region | is_secretary | is_invited)
# The API's lists (actions owned by one's organisations, meetings one may see): any role.
permission("casetable.list_actions", holds_role(*Role.values))
permission("casetable.list_meetings", holds_role(*Role.values))
# Preparing and holding it: the agenda, notes, decisions, actions, attendance, minutes.
permission("casetable.run_meeting", chairs_region | is_secretary)
# The table's figures (statistics.py): counts and durations, no signal, case or person. The
# page for anyone with a statistics role; the figures of a region (the record: a Region) only
# for who holds that role in it.
permission("casetable.view_statistics", holds_role(*STATISTICS_ROLES))
permission("casetable.view_statistics_of", holds_role_in_region(*STATISTICS_ROLES))
