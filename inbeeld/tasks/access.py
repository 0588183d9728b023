"""Getting a task by id, and the lists of tasks a person works on.

The decision is ``tasks.view_task`` / ``tasks.change_task`` in tasks/rules.py: the owner,
the people of the owner organisation, and whoever may see the task's subject. Anyone else
gets 404, never 403. Every read is audited.
"""

from __future__ import annotations

from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.http import Http404

from inbeeld.accounts.models import Membership, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.tasks.models import Task, TaskStatus

NEEDS = {"view": "tasks.view_task", "change": "tasks.change_task"}
Need = Literal["view", "change"]


def task_get_for(*, user: User, task_id: int, need: Need = "view") -> Task:
    """The task if the user may see (or change) it, else 404; the read is audited."""
    task = Task.objects.select_related("owner", "owner_organisation").filter(pk=task_id).first()
    if task is None or not user.has_perm(NEEDS[need], task):
        raise Http404
    audit_record(actor=user, action=Action.READ, target=task, purpose=Purpose.TASKS)
    return task


def tasks_of(user: User) -> QuerySet[Task]:
    """The tasks a person works on: their own and their organisations' ("Mijn taken").

    Tasks that a person sees only through a subject are on that subject's page, not here.
    """
    organisations = Membership.objects.filter(user=user).values("organisation_id")
    return Task.objects.filter(Q(owner=user) | Q(owner_organisation__in=organisations))


Show = Literal["open", "done"]


def my_tasks_page(
    user: User, *, show: Show = "open", after: tuple[Any, int] | None = None, size: int = 50
) -> list[Task]:
    """One keyset page (``size`` + 1 rows, the extra one says there is a next page) of the
    person's tasks: open ones by due date, so overdue first; done ones newest first.

    ``after`` is the (due, id) or (done_at, id) of the last row of the previous page. The
    person's own tasks and their organisations' are read as two index range scans of at
    most ``size`` + 1 rows each and merged here: one query with OR made the database collect
    and sort all of them (an organisation may hold thousands) for every page.
    """
    organisations = Membership.objects.filter(user=user).values("organisation_id")
    parts = [
        Task.objects.filter(owner=user),
        Task.objects.filter(owner_organisation__in=organisations).exclude(owner=user),
    ]
    if show == "done":
        key = ("-done_at", "-id")
        parts = [p.filter(status=TaskStatus.DONE) for p in parts]
        if after is not None:
            parts = [
                p.filter(Q(done_at__lt=after[0]) | Q(done_at=after[0], id__lt=after[1]))
                for p in parts
            ]
    else:
        key = ("due", "id")
        parts = [p.filter(status=TaskStatus.OPEN) for p in parts]
        if after is not None:
            parts = [
                p.filter(Q(due__gt=after[0]) | Q(due=after[0], id__gt=after[1])) for p in parts
            ]
    rows: list[Task] = []
    for part in parts:
        rows.extend(part.select_related("owner", "owner_organisation").order_by(*key)[: size + 1])
    if show == "done":
        rows.sort(key=lambda t: (t.done_at, t.pk), reverse=True)
    else:
        rows.sort(key=lambda t: (t.due, t.pk))
    return rows[: size + 1]
