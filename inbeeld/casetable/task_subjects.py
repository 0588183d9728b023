"""Agenda items as subjects of tasks (tasks/registry.py): the table's actions.

An action's details are seen by those who run the meeting and by the organisations the
decision in force gives a role in the item (its owner organisation sees it through tasks/
anyway); other invited partners do not see the actions of an item they have no role in.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse

from inbeeld.accounts.models import User
from inbeeld.casetable.access import meeting_get_for, table_organisation_ids
from inbeeld.casetable.models import AgendaItem, DecisionRole, same_subject
from inbeeld.tasks.registry import register_subject


def role_organisation_ids(item: AgendaItem) -> set[int]:
    """Organisations with a role in the item's decision in force (their share not ended)."""
    return set(
        DecisionRole.objects.filter(
            same_subject(item, "decision__item__"),
            decision__item__meeting__region_id=item.meeting.region_id,
            decision__superseded_at__isnull=True,
            share__ended_at__isnull=True,
        ).values_list("organisation_id", flat=True)
    )


def _visible(user: User, item: Any) -> bool:
    if user.has_perm("casetable.run_meeting", item.meeting):
        return True
    return bool(
        user.has_perm("casetable.view_meeting", item.meeting)
        and table_organisation_ids(user) & role_organisation_ids(item)
    )


def _may_add(user: User, item: Any) -> bool:
    return bool(user.has_perm("casetable.run_meeting", item.meeting))


def _get_for(user: User, item_id: int) -> AgendaItem:
    item = AgendaItem.objects.select_related("meeting").filter(pk=item_id).first()
    if item is None:
        raise Http404
    meeting_get_for(user, item.meeting_id, need="run")
    return item


register_subject(
    AgendaItem,
    visible=_visible,
    may_add=_may_add,
    get_for=_get_for,
    describe=lambda item: f"{item.meeting.date:%d-%m-%Y} #{item.position}",
    url=lambda item: reverse("casetable:meeting", args=[item.meeting_id]) + f"#item-{item.pk}",
    follow_up_source="casetable.action",
)
