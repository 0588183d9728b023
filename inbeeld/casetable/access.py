"""Need-to-know at the case table: getting a meeting or an item by id, and the lists.

The decisions are the permissions in casetable/rules.py; meetings_visible_to is the same rule
as a queryset (tests keep the two equal). Anyone else gets 404, never 403.
"""

from __future__ import annotations

from typing import Literal

from django.db.models import Q, QuerySet
from django.http import Http404

from inbeeld.accounts.access import regions_where
from inbeeld.accounts.models import Membership, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.casetable.models import AgendaItem, Meeting
from inbeeld.casetable.roles import CHAIR_ROLES, STATISTICS_ROLES, TABLE_ROLES
from inbeeld.regions.models import Region

NEEDS = {"view": "casetable.view_meeting", "run": "casetable.run_meeting"}
Need = Literal["view", "run"]


def table_organisation_ids(user: User) -> set[int]:
    """The organisations for which the user takes part in the table (signal-handling roles)."""
    return set(
        Membership.objects.filter(user=user, role__in=TABLE_ROLES).values_list(
            "organisation_id", flat=True
        )
    )


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    chaired = Q(region__in=regions_where(user, *CHAIR_ROLES)) | Q(secretary=user)
    invited = Q(invitations__organisation__in=table_organisation_ids(user))
    ids = Meeting.objects.filter(chaired | invited).values("pk")
    return Meeting.objects.filter(pk__in=ids)


def statistics_regions(user: User) -> QuerySet[Region]:
    """The regions whose figures the user may see (casetable.view_statistics_of)."""
    return regions_where(user, *STATISTICS_ROLES).order_by("name")


def may_run(user: User, meeting: Meeting) -> bool:
    return bool(user.has_perm(NEEDS["run"], meeting))


def meeting_get_for(user: User, meeting_id: int, need: Need = "view") -> Meeting:
    """The meeting if the user may see it (``need="run"``: prepare and hold it); else 404.

    The read of the meeting itself is audited here; what its agenda shows is audited by
    agenda.py, item by item, at the level of detail shown.
    """
    meeting = (
        Meeting.objects.select_related("region", "chair", "secretary").filter(pk=meeting_id).first()
    )
    if meeting is None or not user.has_perm(NEEDS[need], meeting):
        raise Http404
    audit_record(actor=user, action=Action.READ, target=meeting, purpose=Purpose.CASE_TABLE_MEETING)
    return meeting


def item_get_for(user: User, meeting: Meeting, item_id: int) -> AgendaItem:
    """An item of a meeting the user runs (the caller got the meeting through its door)."""
    item = (
        AgendaItem.objects.select_related("meeting__region", "signal", "case")
        .filter(pk=item_id, meeting=meeting)
        .first()
    )
    if item is None or not may_run(user, meeting):
        raise Http404
    return item
